from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.claim_type import ClaimType
from ..types import UNSET, Unset

T = TypeVar("T", bound="TriggerSpec")


@_attrs_define
class TriggerSpec:
    """What opens an episode (docs/method.md section 5).

    Attributes:
        claim_types (list[ClaimType]): Claim types whose lines can open an episode.
        hcpcs (list[str]): Service codes that can open an episode; ranges allowed.
        diagnosis_prefixes (list[str]): ICD-10-CM prefixes; some diagnosis, in any position, of the line's claim must
            match.
        rendering_npi_in_arrangement (bool | Unset): Only a service rendered by an NPI of the arrangement's provider
            opens an episode. Default: True.
        min_age (int | Unset): Age in whole years on the trigger date. Default: 0.
    """

    claim_types: list[ClaimType]
    hcpcs: list[str]
    diagnosis_prefixes: list[str]
    rendering_npi_in_arrangement: bool | Unset = True
    min_age: int | Unset = 0

    def to_dict(self) -> dict[str, Any]:
        claim_types = []
        for claim_types_item_data in self.claim_types:
            claim_types_item = claim_types_item_data.value
            claim_types.append(claim_types_item)

        hcpcs = self.hcpcs

        diagnosis_prefixes = self.diagnosis_prefixes

        rendering_npi_in_arrangement = self.rendering_npi_in_arrangement

        min_age = self.min_age

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "claim_types": claim_types,
                "hcpcs": hcpcs,
                "diagnosis_prefixes": diagnosis_prefixes,
            }
        )
        if rendering_npi_in_arrangement is not UNSET:
            field_dict["rendering_npi_in_arrangement"] = rendering_npi_in_arrangement
        if min_age is not UNSET:
            field_dict["min_age"] = min_age

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        claim_types = []
        _claim_types = d.pop("claim_types")
        for claim_types_item_data in _claim_types:
            claim_types_item = ClaimType(claim_types_item_data)

            claim_types.append(claim_types_item)

        hcpcs = cast(list[str], d.pop("hcpcs"))

        diagnosis_prefixes = cast(list[str], d.pop("diagnosis_prefixes"))

        rendering_npi_in_arrangement = d.pop("rendering_npi_in_arrangement", UNSET)

        min_age = d.pop("min_age", UNSET)

        trigger_spec = cls(
            claim_types=claim_types,
            hcpcs=hcpcs,
            diagnosis_prefixes=diagnosis_prefixes,
            rendering_npi_in_arrangement=rendering_npi_in_arrangement,
            min_age=min_age,
        )

        return trigger_spec
