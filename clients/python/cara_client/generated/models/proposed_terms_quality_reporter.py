from enum import StrEnum


class ProposedTermsQualityReporter(StrEnum):
    ACO = "aco"
    EITHER = "either"
    PROVIDER = "provider"

    def __str__(self) -> str:
        return str(self.value)
