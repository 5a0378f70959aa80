from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.organization_kind import OrganizationKind

T = TypeVar("T", bound="Organization")


@_attrs_define
class Organization:
    """An organisation. Others than ops and the organisation itself see the directory fields
    (`id`, `kind`, `name`, `cms_aco_id`, `npis`, `created_at`); `tin`, `aco_id` and
    `contact_email` are then null. `npis` is the roster as it stands: the NPIs on it today or
    from an announced later day (the history, with dates, is `GET .../npis`).

        Example:
            {'aco_id': 'org_01JD7Q5Z0000000000000001', 'contact_email': 'contracts@lakeside.example', 'created_at':
                '2026-11-23T10:00:00Z', 'id': 'org_01JD7Q5Z0000000000000002', 'kind': 'provider', 'name': 'Lakeside Geriatrics
                PC', 'npis': ['1234567893'], 'tin': '123456789'}

        Attributes:
            id (str):
            kind (OrganizationKind):
            name (str):
            tin (None | str):
            aco_id (None | str):
            contact_email (None | str):
            cms_aco_id (None | str):
            npis (list[str]):
            created_at (datetime.datetime):
    """

    id: str
    kind: OrganizationKind
    name: str
    tin: None | str
    aco_id: None | str
    contact_email: None | str
    cms_aco_id: None | str
    npis: list[str]
    created_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        name = self.name

        tin: None | str
        tin = self.tin

        aco_id: None | str
        aco_id = self.aco_id

        contact_email: None | str
        contact_email = self.contact_email

        cms_aco_id: None | str
        cms_aco_id = self.cms_aco_id

        npis = self.npis

        created_at = self.created_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "name": name,
                "tin": tin,
                "aco_id": aco_id,
                "contact_email": contact_email,
                "cms_aco_id": cms_aco_id,
                "npis": npis,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        kind = OrganizationKind(d.pop("kind"))

        name = d.pop("name")

        def _parse_tin(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        tin = _parse_tin(d.pop("tin"))

        def _parse_aco_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        aco_id = _parse_aco_id(d.pop("aco_id"))

        def _parse_contact_email(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        contact_email = _parse_contact_email(d.pop("contact_email"))

        def _parse_cms_aco_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        cms_aco_id = _parse_cms_aco_id(d.pop("cms_aco_id"))

        npis = cast(list[str], d.pop("npis"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        organization = cls(
            id=id,
            kind=kind,
            name=name,
            tin=tin,
            aco_id=aco_id,
            contact_email=contact_email,
            cms_aco_id=cms_aco_id,
            npis=npis,
            created_at=created_at,
        )

        organization.additional_properties = d
        return organization

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
