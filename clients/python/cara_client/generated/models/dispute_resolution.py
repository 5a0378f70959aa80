from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.dispute_resolution_outcome import DisputeResolutionOutcome

T = TypeVar("T", bound="DisputeResolution")


@_attrs_define
class DisputeResolution:
    """
    Example:
        {'note': 'Alignment file corrected; run the settlement again.', 'outcome': 'upheld'}

    Attributes:
        outcome (DisputeResolutionOutcome):
        note (str):
    """

    outcome: DisputeResolutionOutcome
    note: str

    def to_dict(self) -> dict[str, Any]:
        outcome = self.outcome.value

        note = self.note

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "outcome": outcome,
                "note": note,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        outcome = DisputeResolutionOutcome(d.pop("outcome"))

        note = d.pop("note")

        dispute_resolution = cls(
            outcome=outcome,
            note=note,
        )

        return dispute_resolution
