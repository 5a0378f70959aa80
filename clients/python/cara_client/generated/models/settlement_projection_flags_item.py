from enum import StrEnum


class SettlementProjectionFlagsItem(StrEnum):
    INSUFFICIENT_HISTORY = "insufficient_history"
    NO_CLOSED_EPISODES = "no_closed_episodes"

    def __str__(self) -> str:
        return str(self.value)
