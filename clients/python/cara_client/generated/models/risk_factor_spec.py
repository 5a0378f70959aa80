from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="RiskFactorSpec")


@_attrs_define
class RiskFactorSpec:
    """A group of stays priced apart (one target price each in an arrangement's terms).

    Attributes:
        id (str): Names the group in the terms' `target_prices` (`DRG470-FX`).
        name (str):
        drgs (list[str]): MS-DRGs of the anchor stay in this group.
        diagnosis_prefixes (list[str] | Unset): ICD-10-CM prefixes; when given, some diagnosis of the anchor stay must
            match (`S72.0` for a hip fracture). Empty: every stay of the DRGs.
    """

    id: str
    name: str
    drgs: list[str]
    diagnosis_prefixes: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        drgs = self.drgs

        diagnosis_prefixes: list[str] | Unset = UNSET
        if not isinstance(self.diagnosis_prefixes, Unset):
            diagnosis_prefixes = self.diagnosis_prefixes

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "drgs": drgs,
            }
        )
        if diagnosis_prefixes is not UNSET:
            field_dict["diagnosis_prefixes"] = diagnosis_prefixes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        drgs = cast(list[str], d.pop("drgs"))

        diagnosis_prefixes = cast(list[str], d.pop("diagnosis_prefixes", UNSET))

        risk_factor_spec = cls(
            id=id,
            name=name,
            drgs=drgs,
            diagnosis_prefixes=diagnosis_prefixes,
        )

        return risk_factor_spec
