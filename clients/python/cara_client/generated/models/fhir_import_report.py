from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.upload_report import UploadReport


T = TypeVar("T", bound="FhirImportReport")


@_attrs_define
class FhirImportReport:
    """The two uploads of a FHIR bulk export (alignment from Patient and Coverage, claims from
    ExplanationOfBenefit).

        Attributes:
            alignment (None | UploadReport): None when a rejected claims upload rolled it back
            claims (None | UploadReport): None when the alignment was rejected (claims not read)
    """

    alignment: None | UploadReport
    claims: None | UploadReport
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.upload_report import UploadReport  # noqa: PLC0415

        alignment: dict[str, Any] | None
        if isinstance(self.alignment, UploadReport):
            alignment = self.alignment.to_dict()
        else:
            alignment = self.alignment

        claims: dict[str, Any] | None
        if isinstance(self.claims, UploadReport):
            claims = self.claims.to_dict()
        else:
            claims = self.claims

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "alignment": alignment,
                "claims": claims,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.upload_report import UploadReport  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_alignment(data: object) -> None | UploadReport:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                alignment_type_0 = UploadReport.from_dict(data)

                return alignment_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UploadReport, data)

        alignment = _parse_alignment(d.pop("alignment"))

        def _parse_claims(data: object) -> None | UploadReport:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                claims_type_0 = UploadReport.from_dict(data)

                return claims_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | UploadReport, data)

        claims = _parse_claims(d.pop("claims"))

        fhir_import_report = cls(
            alignment=alignment,
            claims=claims,
        )

        fhir_import_report.additional_properties = d
        return fhir_import_report

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
