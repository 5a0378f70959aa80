from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TerminateRequest")


@_attrs_define
class TerminateRequest:
    """
    Example:
        {'effective_date': '2027-07-01', 'reason': 'Practice closing'}

    Attributes:
        effective_date (datetime.date):
        reason (str):
    """

    effective_date: datetime.date
    reason: str

    def to_dict(self) -> dict[str, Any]:
        effective_date = self.effective_date.isoformat()

        reason = self.reason

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "effective_date": effective_date,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        effective_date = datetime.date.fromisoformat(d.pop("effective_date"))

        reason = d.pop("reason")

        terminate_request = cls(
            effective_date=effective_date,
            reason=reason,
        )

        return terminate_request
