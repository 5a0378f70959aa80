from enum import StrEnum


class EpisodeDefinitionApproach(StrEnum):
    DEFAULT = "default"
    MAX_FLEX = "max_flex"

    def __str__(self) -> str:
        return str(self.value)
