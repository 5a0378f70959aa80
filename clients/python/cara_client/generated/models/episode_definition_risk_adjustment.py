from enum import StrEnum


class EpisodeDefinitionRiskAdjustment(StrEnum):
    HCC = "hcc"
    NONE = "none"

    def __str__(self) -> str:
        return str(self.value)
