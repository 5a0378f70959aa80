from enum import StrEnum


class SettlementOutCapBoundType0(StrEnum):
    STOP_GAIN = "stop_gain"
    STOP_LOSS = "stop_loss"

    def __str__(self) -> str:
        return str(self.value)
