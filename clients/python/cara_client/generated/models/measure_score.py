from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="MeasureScore")


@_attrs_define
class MeasureScore:
    """
    Attributes:
        measure_id (str):
        weight (str):
        higher_is_better (bool):
        numerator (int | None):
        denominator (int | None):
        rate (None | str): null: no data or a zero denominator (weight dropped).
    """

    measure_id: str
    weight: str
    higher_is_better: bool
    numerator: int | None
    denominator: int | None
    rate: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        measure_id = self.measure_id

        weight = self.weight

        higher_is_better = self.higher_is_better

        numerator: int | None
        numerator = self.numerator

        denominator: int | None
        denominator = self.denominator

        rate: None | str
        rate = self.rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "measure_id": measure_id,
                "weight": weight,
                "higher_is_better": higher_is_better,
                "numerator": numerator,
                "denominator": denominator,
                "rate": rate,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        measure_id = d.pop("measure_id")

        weight = d.pop("weight")

        higher_is_better = d.pop("higher_is_better")

        def _parse_numerator(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        numerator = _parse_numerator(d.pop("numerator"))

        def _parse_denominator(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        denominator = _parse_denominator(d.pop("denominator"))

        def _parse_rate(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        rate = _parse_rate(d.pop("rate"))

        measure_score = cls(
            measure_id=measure_id,
            weight=weight,
            higher_is_better=higher_is_better,
            numerator=numerator,
            denominator=denominator,
            rate=rate,
        )

        measure_score.additional_properties = d
        return measure_score

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
