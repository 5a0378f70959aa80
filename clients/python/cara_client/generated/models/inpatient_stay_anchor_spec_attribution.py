from enum import StrEnum


class InpatientStayAnchorSpecAttribution(StrEnum):
    FACILITY = "facility"
    OPERATING_PHYSICIAN = "operating_physician"

    def __str__(self) -> str:
        return str(self.value)
