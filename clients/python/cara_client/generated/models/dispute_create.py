from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="DisputeCreate")


@_attrs_define
class DisputeCreate:
    """
    Example:
        {'line_ids': ['epi_3f1c9a0e5b7d4c2a8e6f1b3d5a7c9e0f'], 'reason': 'Episode of 2027-03-01 belongs to a beneficiary
            who left the ACO in February.'}

    Attributes:
        reason (str):
        line_ids (list[str] | Unset): Line ids (`GET /v1/settlements/{id}/lines`); omit to dispute the whole settlement.
    """

    reason: str
    line_ids: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        reason = self.reason

        line_ids: list[str] | Unset = UNSET
        if not isinstance(self.line_ids, Unset):
            line_ids = self.line_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "reason": reason,
            }
        )
        if line_ids is not UNSET:
            field_dict["line_ids"] = line_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        reason = d.pop("reason")

        line_ids = cast(list[str], d.pop("line_ids", UNSET))

        dispute_create = cls(
            reason=reason,
            line_ids=line_ids,
        )

        return dispute_create
