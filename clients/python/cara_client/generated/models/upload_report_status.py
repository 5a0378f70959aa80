from enum import StrEnum


class UploadReportStatus(StrEnum):
    REJECTED = "rejected"
    STORED = "stored"

    def __str__(self) -> str:
        return str(self.value)
