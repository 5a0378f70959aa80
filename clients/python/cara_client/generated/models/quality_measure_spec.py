from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="QualityMeasureSpec")


@_attrs_define
class QualityMeasureSpec:
    """A quality measure an arrangement may choose.

    Attributes:
        id (str): Measure id, e.g. `Q155` (a MIPS quality id).
        name (str):
        higher_is_better (bool): False for inverse measures such as admission rates.
    """

    id: str
    name: str
    higher_is_better: bool

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        name = self.name

        higher_is_better = self.higher_is_better

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "name": name,
                "higher_is_better": higher_is_better,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        name = d.pop("name")

        higher_is_better = d.pop("higher_is_better")

        quality_measure_spec = cls(
            id=id,
            name=name,
            higher_is_better=higher_is_better,
        )

        return quality_measure_spec
