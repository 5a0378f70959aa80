from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RosterEntryOut")


@_attrs_define
class RosterEntryOut:
    """One stay of an NPI on the roster: on it from `effective_from` through `effective_to` (both
    included; null: still on it).

        Example:
            {'created_at': '2026-11-23T10:00:00Z', 'effective_from': '2027-01-01', 'effective_to': '2027-06-30', 'ended_at':
                '2027-06-02T15:04:05Z', 'id': 'ros_01JD7Q5Z0000000000000004', 'npi': '1234567893', 'organization_id':
                'org_01JD7Q5Z0000000000000002'}

        Attributes:
            id (str):
            organization_id (str):
            npi (str):
            effective_from (datetime.date):
            effective_to (datetime.date | None):
            created_at (datetime.datetime):
            ended_at (datetime.datetime | None): When the end date was recorded.
    """

    id: str
    organization_id: str
    npi: str
    effective_from: datetime.date
    effective_to: datetime.date | None
    created_at: datetime.datetime
    ended_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        organization_id = self.organization_id

        npi = self.npi

        effective_from = self.effective_from.isoformat()

        effective_to: None | str
        if isinstance(self.effective_to, datetime.date):
            effective_to = self.effective_to.isoformat()
        else:
            effective_to = self.effective_to

        created_at = self.created_at.isoformat()

        ended_at: None | str
        if isinstance(self.ended_at, datetime.datetime):
            ended_at = self.ended_at.isoformat()
        else:
            ended_at = self.ended_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "organization_id": organization_id,
                "npi": npi,
                "effective_from": effective_from,
                "effective_to": effective_to,
                "created_at": created_at,
                "ended_at": ended_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        organization_id = d.pop("organization_id")

        npi = d.pop("npi")

        effective_from = datetime.date.fromisoformat(d.pop("effective_from"))

        def _parse_effective_to(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                effective_to_type_0 = datetime.date.fromisoformat(data)

                return effective_to_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        effective_to = _parse_effective_to(d.pop("effective_to"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_ended_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ended_at_type_0 = datetime.datetime.fromisoformat(data)

                return ended_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        ended_at = _parse_ended_at(d.pop("ended_at"))

        roster_entry_out = cls(
            id=id,
            organization_id=organization_id,
            npi=npi,
            effective_from=effective_from,
            effective_to=effective_to,
            created_at=created_at,
            ended_at=ended_at,
        )

        roster_entry_out.additional_properties = d
        return roster_entry_out

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
