from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.role import Role

T = TypeVar("T", bound="ApiKeyCreated")


@_attrs_define
class ApiKeyCreated:
    """The new key. `key` is shown here once and never again: store it now.

    Example:
        {'id': 'key_01JD7Q5Z0000000000000003', 'key': 'cara_3q2x...', 'organization_id': 'org_01JD7Q5Z0000000000000002',
            'prefix': 'cara_3q2xAb', 'role': 'provider'}

    Attributes:
        id (str):
        key (str):
        prefix (str):
        role (Role): A key's role; it always equals the kind of the organisation it belongs to.
        organization_id (str):
    """

    id: str
    key: str
    prefix: str
    role: Role
    organization_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        key = self.key

        prefix = self.prefix

        role = self.role.value

        organization_id = self.organization_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "key": key,
                "prefix": prefix,
                "role": role,
                "organization_id": organization_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        key = d.pop("key")

        prefix = d.pop("prefix")

        role = Role(d.pop("role"))

        organization_id = d.pop("organization_id")

        api_key_created = cls(
            id=id,
            key=key,
            prefix=prefix,
            role=role,
            organization_id=organization_id,
        )

        api_key_created.additional_properties = d
        return api_key_created

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
