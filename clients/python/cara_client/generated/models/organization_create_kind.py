from enum import StrEnum


class OrganizationCreateKind(StrEnum):
    ACO = "aco"
    PROVIDER = "provider"

    def __str__(self) -> str:
        return str(self.value)
