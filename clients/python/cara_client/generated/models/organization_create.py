from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.organization_create_kind import OrganizationCreateKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="OrganizationCreate")


@_attrs_define
class OrganizationCreate:
    """A new ACO or preferred provider (ops only).

    Example:
        {'aco_id': 'org_01JD7Q5Z0000000000000001', 'contact_email': 'contracts@lakeside.example', 'kind': 'provider',
            'name': 'Lakeside Geriatrics PC', 'npis': ['1234567893'], 'npis_effective_from': '2027-01-01', 'tin':
            '123456789'}

    Attributes:
        kind (OrganizationCreateKind):
        name (str):
        tin (str):
        aco_id (None | str | Unset): For a provider: the ACO whose network it joins.
        npis (list[str] | Unset): Clinicians' NPIs (TIN-NPI participation): the first entries of the roster.
        npis_effective_from (datetime.date | None | Unset): The day `npis` join the roster (their onboarding date);
            default today.
        contact_email (None | str | Unset):
        cms_aco_id (None | str | Unset):
    """

    kind: OrganizationCreateKind
    name: str
    tin: str
    aco_id: None | str | Unset = UNSET
    npis: list[str] | Unset = UNSET
    npis_effective_from: datetime.date | None | Unset = UNSET
    contact_email: None | str | Unset = UNSET
    cms_aco_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind.value

        name = self.name

        tin = self.tin

        aco_id: None | str | Unset
        if isinstance(self.aco_id, Unset):
            aco_id = UNSET
        else:
            aco_id = self.aco_id

        npis: list[str] | Unset = UNSET
        if not isinstance(self.npis, Unset):
            npis = self.npis

        npis_effective_from: None | str | Unset
        if isinstance(self.npis_effective_from, Unset):
            npis_effective_from = UNSET
        elif isinstance(self.npis_effective_from, datetime.date):
            npis_effective_from = self.npis_effective_from.isoformat()
        else:
            npis_effective_from = self.npis_effective_from

        contact_email: None | str | Unset
        if isinstance(self.contact_email, Unset):
            contact_email = UNSET
        else:
            contact_email = self.contact_email

        cms_aco_id: None | str | Unset
        if isinstance(self.cms_aco_id, Unset):
            cms_aco_id = UNSET
        else:
            cms_aco_id = self.cms_aco_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "name": name,
                "tin": tin,
            }
        )
        if aco_id is not UNSET:
            field_dict["aco_id"] = aco_id
        if npis is not UNSET:
            field_dict["npis"] = npis
        if npis_effective_from is not UNSET:
            field_dict["npis_effective_from"] = npis_effective_from
        if contact_email is not UNSET:
            field_dict["contact_email"] = contact_email
        if cms_aco_id is not UNSET:
            field_dict["cms_aco_id"] = cms_aco_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        kind = OrganizationCreateKind(d.pop("kind"))

        name = d.pop("name")

        tin = d.pop("tin")

        def _parse_aco_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        aco_id = _parse_aco_id(d.pop("aco_id", UNSET))

        npis = cast(list[str], d.pop("npis", UNSET))

        def _parse_npis_effective_from(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                npis_effective_from_type_0 = datetime.date.fromisoformat(data)

                return npis_effective_from_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        npis_effective_from = _parse_npis_effective_from(d.pop("npis_effective_from", UNSET))

        def _parse_contact_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        contact_email = _parse_contact_email(d.pop("contact_email", UNSET))

        def _parse_cms_aco_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cms_aco_id = _parse_cms_aco_id(d.pop("cms_aco_id", UNSET))

        organization_create = cls(
            kind=kind,
            name=name,
            tin=tin,
            aco_id=aco_id,
            npis=npis,
            npis_effective_from=npis_effective_from,
            contact_email=contact_email,
            cms_aco_id=cms_aco_id,
        )

        return organization_create
