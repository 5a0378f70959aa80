from enum import StrEnum


class FindingOutResourceType(StrEnum):
    ARRANGEMENT_VERSION = "arrangement_version"
    SETTLEMENT = "settlement"

    def __str__(self) -> str:
        return str(self.value)
