from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.terms import Terms


T = TypeVar("T", bound="TermsChange")


@_attrs_define
class TermsChange:
    """
    Example:
        {'terms': {'loss_quality_relief_pct': '10', 'loss_share_pct': '25', 'min_episodes': 11,
            'performance_adjustment_pct': '20', 'price_adjustment_pct': '-2', 'quality_measures': [{'measure_id': 'Q155',
            'weight': '1'}, {'measure_id': 'Q318', 'weight': '1'}], 'runout_days': 90, 'savings_share_pct': '50',
            'stop_gain_pct': '20', 'stop_loss_pct': '20', 'target_price': '1200.00'}}

    Attributes:
        terms (Terms): The negotiated terms of an arrangement (docs/method.md section 2). Percentages: `"12.5"` is
            12.5%. Example: {'loss_quality_relief_pct': '10', 'loss_share_pct': '25', 'min_episodes': 11,
            'performance_adjustment_pct': '20', 'price_adjustment_pct': '-2', 'quality_measures': [{'measure_id': 'Q155',
            'weight': '1'}, {'measure_id': 'Q318', 'weight': '1'}], 'runout_days': 90, 'savings_share_pct': '50',
            'stop_gain_pct': '20', 'stop_loss_pct': '20', 'target_price': '1200.00'}.
    """

    terms: Terms

    def to_dict(self) -> dict[str, Any]:
        terms = self.terms.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "terms": terms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.terms import Terms  # noqa: PLC0415

        d = dict(src_dict)
        terms = Terms.from_dict(d.pop("terms"))

        terms_change = cls(
            terms=terms,
        )

        return terms_change
