from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Signature")


@_attrs_define
class Signature:
    """
    Example:
        {'key_id': 'key_1', 'organization_id': 'org_1'}

    Attributes:
        organization_id (str):
        organization_name (None | str): The signing organisation's name when it signed (null only on a signature made
            while a deployment of the previous release was rolling over).
        key_id (str):
        signer_name (str):
        signer_title (str):
        signed_at (datetime.datetime):
        terms_sha256 (str):
        version (int):
    """

    organization_id: str
    organization_name: None | str
    key_id: str
    signer_name: str
    signer_title: str
    signed_at: datetime.datetime
    terms_sha256: str
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        organization_id = self.organization_id

        organization_name: None | str
        organization_name = self.organization_name

        key_id = self.key_id

        signer_name = self.signer_name

        signer_title = self.signer_title

        signed_at = self.signed_at.isoformat()

        terms_sha256 = self.terms_sha256

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "organization_id": organization_id,
                "organization_name": organization_name,
                "key_id": key_id,
                "signer_name": signer_name,
                "signer_title": signer_title,
                "signed_at": signed_at,
                "terms_sha256": terms_sha256,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        organization_id = d.pop("organization_id")

        def _parse_organization_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        organization_name = _parse_organization_name(d.pop("organization_name"))

        key_id = d.pop("key_id")

        signer_name = d.pop("signer_name")

        signer_title = d.pop("signer_title")

        signed_at = datetime.datetime.fromisoformat(d.pop("signed_at"))

        terms_sha256 = d.pop("terms_sha256")

        version = d.pop("version")

        signature = cls(
            organization_id=organization_id,
            organization_name=organization_name,
            key_id=key_id,
            signer_name=signer_name,
            signer_title=signer_title,
            signed_at=signed_at,
            terms_sha256=terms_sha256,
            version=version,
        )

        signature.additional_properties = d
        return signature

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
