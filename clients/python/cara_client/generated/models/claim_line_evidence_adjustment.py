from enum import StrEnum


class ClaimLineEvidenceAdjustment(StrEnum):
    CANCEL = "cancel"
    ORIGINAL = "original"
    REPLACEMENT = "replacement"

    def __str__(self) -> str:
        return str(self.value)
