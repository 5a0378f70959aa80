from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="OrganizationUpdate")


@_attrs_define
class OrganizationUpdate:
    """A change of an organisation's profile (ops only): only the fields sent change; `null`
    clears `contact_email` or `cms_aco_id`. The TIN and kind never change (a new TIN is a new
    organisation); documents already signed keep the name they were signed with.

        Example:
            {'cms_aco_id': 'A1234', 'name': 'Lakeview ACO LLC'}

        Attributes:
            name (None | str | Unset): Cannot be null.
            contact_email (None | str | Unset):
            cms_aco_id (None | str | Unset):
    """

    name: None | str | Unset = UNSET
    contact_email: None | str | Unset = UNSET
    cms_aco_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

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

        field_dict.update({})
        if name is not UNSET:
            field_dict["name"] = name
        if contact_email is not UNSET:
            field_dict["contact_email"] = contact_email
        if cms_aco_id is not UNSET:
            field_dict["cms_aco_id"] = cms_aco_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

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

        organization_update = cls(
            name=name,
            contact_email=contact_email,
            cms_aco_id=cms_aco_id,
        )

        return organization_update
