from enum import StrEnum


class ClaimType(StrEnum):
    CARRIER = "carrier"
    DME = "dme"
    HHA = "hha"
    HOSPICE = "hospice"
    INPATIENT = "inpatient"
    OUTPATIENT = "outpatient"
    SNF = "snf"

    def __str__(self) -> str:
        return str(self.value)
