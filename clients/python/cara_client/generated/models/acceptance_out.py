from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AcceptanceOut")


@_attrs_define
class AcceptanceOut:
    """
    Example:
        {'accepted_at': '2028-04-02T09:00:00Z', 'key_id': 'key_01JD7Q5Z00000000000000PRV1', 'organization_id':
            'org_01JD7Q5Z00000000000000PRV1'}

    Attributes:
        organization_id (str):
        key_id (str):
        accepted_at (datetime.datetime):
    """

    organization_id: str
    key_id: str
    accepted_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        organization_id = self.organization_id

        key_id = self.key_id

        accepted_at = self.accepted_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "organization_id": organization_id,
                "key_id": key_id,
                "accepted_at": accepted_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        organization_id = d.pop("organization_id")

        key_id = d.pop("key_id")

        accepted_at = datetime.datetime.fromisoformat(d.pop("accepted_at"))

        acceptance_out = cls(
            organization_id=organization_id,
            key_id=key_id,
            accepted_at=accepted_at,
        )

        acceptance_out.additional_properties = d
        return acceptance_out

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
