from __future__ import annotations

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
        {'aco_id': 'org_01JD7Q5Z0000000000000001', 'kind': 'provider', 'name': 'Lakeside Geriatrics PC', 'npis':
            ['1234567893'], 'tin': '123456789'}

    Attributes:
        kind (OrganizationCreateKind):
        name (str):
        tin (str):
        aco_id (None | str | Unset): For a provider: the ACO whose network it joins.
        npis (list[str] | Unset): Clinicians' NPIs (TIN-NPI participation).
    """

    kind: OrganizationCreateKind
    name: str
    tin: str
    aco_id: None | str | Unset = UNSET
    npis: list[str] | Unset = UNSET

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

        organization_create = cls(
            kind=kind,
            name=name,
            tin=tin,
            aco_id=aco_id,
            npis=npis,
        )

        return organization_create
