from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="RosterNpiAdd")


@_attrs_define
class RosterNpiAdd:
    """
    Example:
        {'effective_from': '2027-04-01', 'npi': '1234567893'}

    Attributes:
        npi (str):
        effective_from (datetime.date): The first day the clinician is on the roster.
    """

    npi: str
    effective_from: datetime.date

    def to_dict(self) -> dict[str, Any]:
        npi = self.npi

        effective_from = self.effective_from.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "npi": npi,
                "effective_from": effective_from,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        npi = d.pop("npi")

        effective_from = datetime.date.fromisoformat(d.pop("effective_from"))

        roster_npi_add = cls(
            npi=npi,
            effective_from=effective_from,
        )

        return roster_npi_add
