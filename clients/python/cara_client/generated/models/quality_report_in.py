from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.measure_report import MeasureReport


T = TypeVar("T", bound="QualityReportIn")


@_attrs_define
class QualityReportIn:
    """
    Example:
        {'measures': [{'denominator': 10, 'measure_id': 'Q155', 'numerator': 8}, {'denominator': 0, 'measure_id':
            'Q318', 'numerator': 0}]}

    Attributes:
        measures (list[MeasureReport]):
        attestation (str | Unset): What the submitter attests about the figures; kept with the version. Without it, the
            standard attestation (the example) is recorded. Default: 'The submitting organisation attests that these figures
            are complete and accurate, computed under the measure specifications for the performance period.'.
    """

    measures: list[MeasureReport]
    attestation: str | Unset = (
        "The submitting organisation attests that these figures are complete and accurate, computed under the measure specifications for the performance period."
    )

    def to_dict(self) -> dict[str, Any]:
        measures = []
        for measures_item_data in self.measures:
            measures_item = measures_item_data.to_dict()
            measures.append(measures_item)

        attestation = self.attestation

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "measures": measures,
            }
        )
        if attestation is not UNSET:
            field_dict["attestation"] = attestation

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.measure_report import MeasureReport  # noqa: PLC0415

        d = dict(src_dict)
        measures = []
        _measures = d.pop("measures")
        for measures_item_data in _measures:
            measures_item = MeasureReport.from_dict(measures_item_data)

            measures.append(measures_item)

        attestation = d.pop("attestation", UNSET)

        quality_report_in = cls(
            measures=measures,
            attestation=attestation,
        )

        return quality_report_in
