from enum import StrEnum


class AlignmentRowOutStatusOnAsOf(StrEnum):
    ALIGNED = "aligned"
    ALIGNMENT_ENDED = "alignment_ended"
    DECEASED = "deceased"
    ESRD = "esrd"
    IN_HOSPICE = "in_hospice"
    NOT_YET_ALIGNED = "not_yet_aligned"

    def __str__(self) -> str:
        return str(self.value)
