from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.terms import Terms


T = TypeVar("T", bound="AmendmentCreate")


@_attrs_define
class AmendmentCreate:
    """An amendment of an executed arrangement: new terms, from a day within the period.

    Example:
        {'effective_from': '2027-07-01', 'terms': {'loss_quality_relief_pct': '10', 'loss_share_pct': '25',
            'min_episodes': 11, 'performance_adjustment_pct': '20', 'price_adjustment_pct': '-2', 'quality_measures':
            [{'measure_id': 'Q155', 'weight': '1'}, {'measure_id': 'Q318', 'weight': '1'}], 'runout_days': 90,
            'savings_share_pct': '50', 'stop_gain_pct': '20', 'stop_loss_pct': '20', 'target_price': '1200.00'}}

    Attributes:
        terms (Terms): The negotiated terms of an arrangement (docs/method.md section 2). Percentages: `"12.5"` is
            12.5%. Example: {'loss_quality_relief_pct': '10', 'loss_share_pct': '25', 'min_episodes': 11,
            'performance_adjustment_pct': '20', 'price_adjustment_pct': '-2', 'quality_measures': [{'measure_id': 'Q155',
            'weight': '1'}, {'measure_id': 'Q318', 'weight': '1'}], 'runout_days': 90, 'savings_share_pct': '50',
            'stop_gain_pct': '20', 'stop_loss_pct': '20', 'target_price': '1200.00'}.
        effective_from (datetime.date | None | Unset): The first day the new terms apply to, within the period: once the
            amendment is executed, episodes triggered on or after it settle under the new terms, earlier ones under the
            terms in force on their trigger date. Default: the period's start (the new terms replace the old ones for the
            whole period). A later date enters the terms hash.
    """

    terms: Terms
    effective_from: datetime.date | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        terms = self.terms.to_dict()

        effective_from: None | str | Unset
        if isinstance(self.effective_from, Unset):
            effective_from = UNSET
        elif isinstance(self.effective_from, datetime.date):
            effective_from = self.effective_from.isoformat()
        else:
            effective_from = self.effective_from

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "terms": terms,
            }
        )
        if effective_from is not UNSET:
            field_dict["effective_from"] = effective_from

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.terms import Terms  # noqa: PLC0415

        d = dict(src_dict)
        terms = Terms.from_dict(d.pop("terms"))

        def _parse_effective_from(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                effective_from_type_0 = datetime.date.fromisoformat(data)

                return effective_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        effective_from = _parse_effective_from(d.pop("effective_from", UNSET))

        amendment_create = cls(
            terms=terms,
            effective_from=effective_from,
        )

        return amendment_create
