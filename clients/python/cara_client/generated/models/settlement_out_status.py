from enum import StrEnum


class SettlementOutStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"
    PREVIEW = "preview"
    RECOMPUTED = "recomputed"
    SUPERSEDED = "superseded"

    def __str__(self) -> str:
        return str(self.value)
