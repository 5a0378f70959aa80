from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="BaselinePeriod")


@_attrs_define
class BaselinePeriod:
    """The days on which a claim line may open an episode (both included).

    Example:
        {'end': '2027-12-31', 'start': '2027-01-01'}

    Attributes:
        start (datetime.date):
        end (datetime.date):
    """

    start: datetime.date
    end: datetime.date

    def to_dict(self) -> dict[str, Any]:
        start = self.start.isoformat()

        end = self.end.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "start": start,
                "end": end,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        start = datetime.date.fromisoformat(d.pop("start"))

        end = datetime.date.fromisoformat(d.pop("end"))

        baseline_period = cls(
            start=start,
            end=end,
        )

        return baseline_period
