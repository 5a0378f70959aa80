from enum import StrEnum


class UploadReportKind(StrEnum):
    ALIGNMENT = "alignment"
    CLAIMS = "claims"

    def __str__(self) -> str:
        return str(self.value)
