from enum import StrEnum


class ListArrangementSettlementsStatusType0(StrEnum):
    DRAFT = "draft"
    FINAL = "final"
    SUPERSEDED = "superseded"

    def __str__(self) -> str:
        return str(self.value)
