from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="SettlementRequest")


@_attrs_define
class SettlementRequest:
    """
    Example:
        {'period_end': '2027-12-31', 'period_start': '2027-01-01', 'preview': False}

    Attributes:
        period_start (datetime.date):
        period_end (datetime.date):
        claims_cutoff (datetime.date | None | Unset): Count claim line versions received on or before it (default:
            period end + runout_days).
        preview (bool | Unset): Compute and return, store nothing (200 instead of 201). Default: False.
    """

    period_start: datetime.date
    period_end: datetime.date
    claims_cutoff: datetime.date | None | Unset = UNSET
    preview: bool | Unset = False

    def to_dict(self) -> dict[str, Any]:
        period_start = self.period_start.isoformat()

        period_end = self.period_end.isoformat()

        claims_cutoff: None | str | Unset
        if isinstance(self.claims_cutoff, Unset):
            claims_cutoff = UNSET
        elif isinstance(self.claims_cutoff, datetime.date):
            claims_cutoff = self.claims_cutoff.isoformat()
        else:
            claims_cutoff = self.claims_cutoff

        preview = self.preview

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "period_start": period_start,
                "period_end": period_end,
            }
        )
        if claims_cutoff is not UNSET:
            field_dict["claims_cutoff"] = claims_cutoff
        if preview is not UNSET:
            field_dict["preview"] = preview

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        period_start = datetime.date.fromisoformat(d.pop("period_start"))

        period_end = datetime.date.fromisoformat(d.pop("period_end"))

        def _parse_claims_cutoff(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                claims_cutoff_type_0 = datetime.date.fromisoformat(data)

                return claims_cutoff_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        claims_cutoff = _parse_claims_cutoff(d.pop("claims_cutoff", UNSET))

        preview = d.pop("preview", UNSET)

        settlement_request = cls(
            period_start=period_start,
            period_end=period_end,
            claims_cutoff=claims_cutoff,
            preview=preview,
        )

        return settlement_request
