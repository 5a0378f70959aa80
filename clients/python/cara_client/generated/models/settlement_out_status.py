from enum import StrEnum


class SettlementOutStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"
    PREVIEW = "preview"

    def __str__(self) -> str:
        return str(self.value)
