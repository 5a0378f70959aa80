from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CompletionAtLag")


@_attrs_define
class CompletionAtLag:
    """
    Attributes:
        lag (int): Months from the service month to the month a claim line was received.
        development_factor (None | str): f: the growth of the cumulative amount from this lag to the next, volume
            weighted over the service months that have seen both; null at the last lag.
        development_spread (None | str): The sample standard deviation of the service months' own ratios behind the
            factor.
        completion_factor (str): The share of the final amount received by this lag: 1 / (f at this lag x every later
            f).
        completion_factor_low (str): The same with each f raised by its spread.
        completion_factor_high (str): The same with each f lowered by its spread (not below 1).
    """

    lag: int
    development_factor: None | str
    development_spread: None | str
    completion_factor: str
    completion_factor_low: str
    completion_factor_high: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        lag = self.lag

        development_factor: None | str
        development_factor = self.development_factor

        development_spread: None | str
        development_spread = self.development_spread

        completion_factor = self.completion_factor

        completion_factor_low = self.completion_factor_low

        completion_factor_high = self.completion_factor_high

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "lag": lag,
                "development_factor": development_factor,
                "development_spread": development_spread,
                "completion_factor": completion_factor,
                "completion_factor_low": completion_factor_low,
                "completion_factor_high": completion_factor_high,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        lag = d.pop("lag")

        def _parse_development_factor(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        development_factor = _parse_development_factor(d.pop("development_factor"))

        def _parse_development_spread(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        development_spread = _parse_development_spread(d.pop("development_spread"))

        completion_factor = d.pop("completion_factor")

        completion_factor_low = d.pop("completion_factor_low")

        completion_factor_high = d.pop("completion_factor_high")

        completion_at_lag = cls(
            lag=lag,
            development_factor=development_factor,
            development_spread=development_spread,
            completion_factor=completion_factor,
            completion_factor_low=completion_factor_low,
            completion_factor_high=completion_factor_high,
        )

        completion_at_lag.additional_properties = d
        return completion_at_lag

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
