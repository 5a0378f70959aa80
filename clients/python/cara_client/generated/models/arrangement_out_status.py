from enum import StrEnum


class ArrangementOutStatus(StrEnum):
    DECLINED = "declined"
    DRAFT = "draft"
    EXECUTED = "executed"
    PARTIALLY_SIGNED = "partially_signed"
    PENDING_APPROVAL = "pending_approval"
    REJECTED = "rejected"
    TERMINATED = "terminated"
    WITHDRAWN = "withdrawn"

    def __str__(self) -> str:
        return str(self.value)
