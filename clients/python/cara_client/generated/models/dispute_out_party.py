from enum import StrEnum


class DisputeOutParty(StrEnum):
    ACO = "aco"
    PROVIDER = "provider"

    def __str__(self) -> str:
        return str(self.value)
