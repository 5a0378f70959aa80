from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="QualityMeasureChoice")


@_attrs_define
class QualityMeasureChoice:
    """A quality measure of the definition chosen for this arrangement, with its weight.

    Attributes:
        measure_id (str): An `id` of the definition's quality measures.
        weight (str): Relative weight (> 0).
    """

    measure_id: str
    weight: str

    def to_dict(self) -> dict[str, Any]:
        measure_id = self.measure_id

        weight = self.weight

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "measure_id": measure_id,
                "weight": weight,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        measure_id = d.pop("measure_id")

        weight = d.pop("weight")

        quality_measure_choice = cls(
            measure_id=measure_id,
            weight=weight,
        )

        return quality_measure_choice
