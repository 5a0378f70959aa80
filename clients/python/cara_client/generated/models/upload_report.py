from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.upload_report_kind import UploadReportKind
from ..models.upload_report_on_error import UploadReportOnError
from ..models.upload_report_status import UploadReportStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.code_warning import CodeWarning
    from ..models.field_error import FieldError


T = TypeVar("T", bound="UploadReport")


@_attrs_define
class UploadReport:
    """What an upload brought: rows received, stored and rejected, and every bad row (capped).

    Example:
        {'bytes_received': 18234, 'content_sha256': '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
            'created_at': '2027-04-02T09:00:00Z', 'errors': [{'field': 'rendering_npi', 'location': 'row 17: rendering_npi',
            'message': 'NPI check digit (Luhn, prefix 80840) does not match', 'row': 17, 'value': '1234567890'}],
            'errors_truncated': False, 'id': 'upl_01JD7Q5Z0000000000000005', 'kind': 'claims', 'on_error': 'skip',
            'rows_received': 120, 'rows_rejected': 1, 'rows_stored': 119, 'source': 'csv', 'status': 'stored'}

    Attributes:
        id (str):
        kind (UploadReportKind):
        source (str): csv, ndjson, rif or cclf
        status (UploadReportStatus): `rejected`: nothing of the upload was stored (on_error=reject and a row was bad).
        on_error (UploadReportOnError):
        content_sha256 (str): SHA-256 of the decompressed content; re-sending it is a no-op.
        bytes_received (int):
        rows_received (int):
        rows_stored (int):
        rows_rejected (int):
        errors (list[FieldError]): Bad rows, in order, at most 1,000.
        errors_truncated (bool): True when more rows were bad than `errors` lists.
        created_at (datetime.datetime):
        warnings (list[CodeWarning] | Unset): Stored but flagged: ICD-10-CM codes dated after the newest code set the
            service has (see docs/ingest.md), one entry per code.
    """

    id: str
    kind: UploadReportKind
    source: str
    status: UploadReportStatus
    on_error: UploadReportOnError
    content_sha256: str
    bytes_received: int
    rows_received: int
    rows_stored: int
    rows_rejected: int
    errors: list[FieldError]
    errors_truncated: bool
    created_at: datetime.datetime
    warnings: list[CodeWarning] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        kind = self.kind.value

        source = self.source

        status = self.status.value

        on_error = self.on_error.value

        content_sha256 = self.content_sha256

        bytes_received = self.bytes_received

        rows_received = self.rows_received

        rows_stored = self.rows_stored

        rows_rejected = self.rows_rejected

        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        errors_truncated = self.errors_truncated

        created_at = self.created_at.isoformat()

        warnings: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = []
            for warnings_item_data in self.warnings:
                warnings_item = warnings_item_data.to_dict()
                warnings.append(warnings_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "kind": kind,
                "source": source,
                "status": status,
                "on_error": on_error,
                "content_sha256": content_sha256,
                "bytes_received": bytes_received,
                "rows_received": rows_received,
                "rows_stored": rows_stored,
                "rows_rejected": rows_rejected,
                "errors": errors,
                "errors_truncated": errors_truncated,
                "created_at": created_at,
            }
        )
        if warnings is not UNSET:
            field_dict["warnings"] = warnings

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.code_warning import CodeWarning  # noqa: PLC0415
        from ..models.field_error import FieldError  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        kind = UploadReportKind(d.pop("kind"))

        source = d.pop("source")

        status = UploadReportStatus(d.pop("status"))

        on_error = UploadReportOnError(d.pop("on_error"))

        content_sha256 = d.pop("content_sha256")

        bytes_received = d.pop("bytes_received")

        rows_received = d.pop("rows_received")

        rows_stored = d.pop("rows_stored")

        rows_rejected = d.pop("rows_rejected")

        errors = []
        _errors = d.pop("errors")
        for errors_item_data in _errors:
            errors_item = FieldError.from_dict(errors_item_data)

            errors.append(errors_item)

        errors_truncated = d.pop("errors_truncated")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        _warnings = d.pop("warnings", UNSET)
        warnings: list[CodeWarning] | Unset = UNSET
        if _warnings is not UNSET:
            warnings = []
            for warnings_item_data in _warnings:
                warnings_item = CodeWarning.from_dict(warnings_item_data)

                warnings.append(warnings_item)

        upload_report = cls(
            id=id,
            kind=kind,
            source=source,
            status=status,
            on_error=on_error,
            content_sha256=content_sha256,
            bytes_received=bytes_received,
            rows_received=rows_received,
            rows_stored=rows_stored,
            rows_rejected=rows_rejected,
            errors=errors,
            errors_truncated=errors_truncated,
            created_at=created_at,
            warnings=warnings,
        )

        upload_report.additional_properties = d
        return upload_report

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
