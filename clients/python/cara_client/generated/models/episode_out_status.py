from enum import StrEnum


class EpisodeOutStatus(StrEnum):
    CLOSED = "closed"
    EXCLUDED = "excluded"
    OPEN = "open"

    def __str__(self) -> str:
        return str(self.value)
