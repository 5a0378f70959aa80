from enum import StrEnum


class DisputeResolutionOutcome(StrEnum):
    REJECTED = "rejected"
    UPHELD = "upheld"

    def __str__(self) -> str:
        return str(self.value)
