from enum import StrEnum


class OrgKind(StrEnum):
    ACO = "aco"
    OPS = "ops"
    PROVIDER = "provider"

    def __str__(self) -> str:
        return str(self.value)
