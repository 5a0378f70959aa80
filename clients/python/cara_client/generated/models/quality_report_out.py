from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.measure_report import MeasureReport


T = TypeVar("T", bound="QualityReportOut")


@_attrs_define
class QualityReportOut:
    """
    Example:
        {'arrangement_id': 'arr_01JD7Q5Z0000000000000000A1', 'attestation': 'The submitting organisation attests that
            these figures are complete and accurate, computed under the measure specifications for the performance period.',
            'key_id': 'key_01JD7Q5Z00000000000000PRV1', 'measures': [{'denominator': 10, 'measure_id': 'Q155', 'numerator':
            8}], 'period_start': '2027-01-01', 'reported_by': 'org_01JD7Q5Z00000000000000PRV1', 'revision': 1, 'updated_at':
            '2028-02-01T10:00:00Z', 'version_id': 'qrv_01JD7Q5Z0000000000000000Q1'}

    Attributes:
        arrangement_id (str):
        period_start (datetime.date):
        measures (list[MeasureReport]):
        revision (int): The version number: 1 for the first report of the period, then +1.
        version_id (str): The id of this version (a settlement records the one it used).
        reported_by (str): The organisation that submitted this version.
        key_id (str): The API key it was submitted with.
        attestation (None | str): What the submitter attested (null before it was recorded).
        updated_at (datetime.datetime): When this version was submitted.
    """

    arrangement_id: str
    period_start: datetime.date
    measures: list[MeasureReport]
    revision: int
    version_id: str
    reported_by: str
    key_id: str
    attestation: None | str
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        arrangement_id = self.arrangement_id

        period_start = self.period_start.isoformat()

        measures = []
        for measures_item_data in self.measures:
            measures_item = measures_item_data.to_dict()
            measures.append(measures_item)

        revision = self.revision

        version_id = self.version_id

        reported_by = self.reported_by

        key_id = self.key_id

        attestation: None | str
        attestation = self.attestation

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "arrangement_id": arrangement_id,
                "period_start": period_start,
                "measures": measures,
                "revision": revision,
                "version_id": version_id,
                "reported_by": reported_by,
                "key_id": key_id,
                "attestation": attestation,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.measure_report import MeasureReport  # noqa: PLC0415

        d = dict(src_dict)
        arrangement_id = d.pop("arrangement_id")

        period_start = datetime.date.fromisoformat(d.pop("period_start"))

        measures = []
        _measures = d.pop("measures")
        for measures_item_data in _measures:
            measures_item = MeasureReport.from_dict(measures_item_data)

            measures.append(measures_item)

        revision = d.pop("revision")

        version_id = d.pop("version_id")

        reported_by = d.pop("reported_by")

        key_id = d.pop("key_id")

        def _parse_attestation(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        attestation = _parse_attestation(d.pop("attestation"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        quality_report_out = cls(
            arrangement_id=arrangement_id,
            period_start=period_start,
            measures=measures,
            revision=revision,
            version_id=version_id,
            reported_by=reported_by,
            key_id=key_id,
            attestation=attestation,
            updated_at=updated_at,
        )

        quality_report_out.additional_properties = d
        return quality_report_out

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
