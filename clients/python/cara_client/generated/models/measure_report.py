from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="MeasureReport")


@_attrs_define
class MeasureReport:
    """
    Attributes:
        measure_id (str): One of the arrangement's chosen measures.
        numerator (int):
        denominator (int): 0 means no eligible cases: the measure is dropped.
    """

    measure_id: str
    numerator: int
    denominator: int

    def to_dict(self) -> dict[str, Any]:
        measure_id = self.measure_id

        numerator = self.numerator

        denominator = self.denominator

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "measure_id": measure_id,
                "numerator": numerator,
                "denominator": denominator,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        measure_id = d.pop("measure_id")

        numerator = d.pop("numerator")

        denominator = d.pop("denominator")

        measure_report = cls(
            measure_id=measure_id,
            numerator=numerator,
            denominator=denominator,
        )

        return measure_report
