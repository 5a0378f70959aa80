from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="TargetPriceFromAnalysis")


@_attrs_define
class TargetPriceFromAnalysis:
    """In a proposal: take the target price from an episode analysis's recommendation.

    Example:
        {'from_analysis': 'ana_01JD7Q5Z000000000000000001', 'risk_factor': 'all'}

    Attributes:
        from_analysis (str): A done analysis of the proposing ACO.
        risk_factor (str | Unset): The recommendation's entry. Default: 'all'.
    """

    from_analysis: str
    risk_factor: str | Unset = "all"

    def to_dict(self) -> dict[str, Any]:
        from_analysis = self.from_analysis

        risk_factor = self.risk_factor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from_analysis": from_analysis,
            }
        )
        if risk_factor is not UNSET:
            field_dict["risk_factor"] = risk_factor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        from_analysis = d.pop("from_analysis")

        risk_factor = d.pop("risk_factor", UNSET)

        target_price_from_analysis = cls(
            from_analysis=from_analysis,
            risk_factor=risk_factor,
        )

        return target_price_from_analysis
