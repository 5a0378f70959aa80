from enum import StrEnum


class ArrangementVersionOutKind(StrEnum):
    AMENDMENT = "amendment"
    INITIAL = "initial"
    REVISION = "revision"

    def __str__(self) -> str:
        return str(self.value)
