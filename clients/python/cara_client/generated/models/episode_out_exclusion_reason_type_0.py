from enum import StrEnum


class EpisodeOutExclusionReasonType0(StrEnum):
    ALIGNMENT_ENDED = "alignment_ended"
    HOSPICE_IN_WINDOW = "hospice_in_window"

    def __str__(self) -> str:
        return str(self.value)
