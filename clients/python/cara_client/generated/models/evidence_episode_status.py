from enum import StrEnum


class EvidenceEpisodeStatus(StrEnum):
    CLOSED = "closed"
    EXCLUDED = "excluded"
    OPEN = "open"
    SETTLED = "settled"

    def __str__(self) -> str:
        return str(self.value)
