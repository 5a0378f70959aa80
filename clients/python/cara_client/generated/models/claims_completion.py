from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.completion_at_lag import CompletionAtLag


T = TypeVar("T", bound="ClaimsCompletion")


@_attrs_define
class ClaimsCompletion:
    """
    Attributes:
        sufficient_history (bool): False when fewer than three service months (or no lag beyond 0) are on file: no claim
            is completed (every factor 1).
        origin_months (int): Service months in the triangle.
        max_lag (int): Lags beyond this one count at it.
        factors (list[CompletionAtLag]):
    """

    sufficient_history: bool
    origin_months: int
    max_lag: int
    factors: list[CompletionAtLag]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sufficient_history = self.sufficient_history

        origin_months = self.origin_months

        max_lag = self.max_lag

        factors = []
        for factors_item_data in self.factors:
            factors_item = factors_item_data.to_dict()
            factors.append(factors_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sufficient_history": sufficient_history,
                "origin_months": origin_months,
                "max_lag": max_lag,
                "factors": factors,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.completion_at_lag import CompletionAtLag  # noqa: PLC0415

        d = dict(src_dict)
        sufficient_history = d.pop("sufficient_history")

        origin_months = d.pop("origin_months")

        max_lag = d.pop("max_lag")

        factors = []
        _factors = d.pop("factors")
        for factors_item_data in _factors:
            factors_item = CompletionAtLag.from_dict(factors_item_data)

            factors.append(factors_item)

        claims_completion = cls(
            sufficient_history=sufficient_history,
            origin_months=origin_months,
            max_lag=max_lag,
            factors=factors,
        )

        claims_completion.additional_properties = d
        return claims_completion

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
