from enum import StrEnum


class ListSettlementsStatusType0(StrEnum):
    DRAFT = "draft"
    FINAL = "final"
    SUPERSEDED = "superseded"

    def __str__(self) -> str:
        return str(self.value)
