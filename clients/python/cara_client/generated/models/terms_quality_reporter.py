from enum import StrEnum


class TermsQualityReporter(StrEnum):
    ACO = "aco"
    EITHER = "either"
    PROVIDER = "provider"

    def __str__(self) -> str:
        return str(self.value)
