from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RosterNpiEnd")


@_attrs_define
class RosterNpiEnd:
    """
    Example:
        {'effective_to': '2027-06-30'}

    Attributes:
        effective_to (datetime.date): The last day the clinician is on the roster (included): a service rendered after
            it no longer opens an episode for this practice.
    """

    effective_to: datetime.date

    def to_dict(self) -> dict[str, Any]:
        effective_to = self.effective_to.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "effective_to": effective_to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        effective_to = datetime.date.fromisoformat(d.pop("effective_to"))

        roster_npi_end = cls(
            effective_to=effective_to,
        )

        return roster_npi_end
