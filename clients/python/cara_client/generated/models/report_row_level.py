from enum import StrEnum


class ReportRowLevel(StrEnum):
    NPI = "npi"
    PRACTICE = "practice"

    def __str__(self) -> str:
        return str(self.value)
