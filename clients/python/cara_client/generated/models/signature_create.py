from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SignatureCreate")


@_attrs_define
class SignatureCreate:
    """
    Example:
        {'signer_name': 'Dana Reyes', 'signer_title': 'Chief Executive Officer', 'terms_sha256':
            '9f2c000000000000000000000000000000000000000000000000000000000000'}

    Attributes:
        signer_name (str):
        signer_title (str):
        terms_sha256 (str): The terms hash the signer saw.
    """

    signer_name: str
    signer_title: str
    terms_sha256: str

    def to_dict(self) -> dict[str, Any]:
        signer_name = self.signer_name

        signer_title = self.signer_title

        terms_sha256 = self.terms_sha256

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "signer_name": signer_name,
                "signer_title": signer_title,
                "terms_sha256": terms_sha256,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        signer_name = d.pop("signer_name")

        signer_title = d.pop("signer_title")

        terms_sha256 = d.pop("terms_sha256")

        signature_create = cls(
            signer_name=signer_name,
            signer_title=signer_title,
            terms_sha256=terms_sha256,
        )

        return signature_create
