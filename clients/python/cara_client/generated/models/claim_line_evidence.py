from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.claim_line_evidence_adjustment import ClaimLineEvidenceAdjustment
from ..models.claim_line_evidence_reason_type_0 import ClaimLineEvidenceReasonType0

T = TypeVar("T", bound="ClaimLineEvidence")


@_attrs_define
class ClaimLineEvidence:
    """One stored version of a claim line of the episode's window: counted, or why not.

    Example:
        {'adjustment': 'original', 'allowed_amount': '142.10', 'claim_id': 'C1', 'claim_type': 'carrier', 'counted':
            True, 'from_date': '2027-03-02', 'hcpcs': '99214', 'line_number': 1, 'paid_amount': '113.68',
            'principal_diagnosis': 'Z9181', 'received_date': '2027-03-20', 'rendering_npi': '1234567893', 'thru_date':
            '2027-03-02', 'upload_id': 'upl_01JD7Q5Z000000000000000001'}

    Attributes:
        claim_id (str):
        line_number (int):
        claim_type (str):
        from_date (datetime.date):
        thru_date (datetime.date):
        hcpcs (None | str):
        principal_diagnosis (str):
        rendering_npi (None | str):
        allowed_amount (str):
        paid_amount (str):
        adjustment (ClaimLineEvidenceAdjustment):
        received_date (datetime.date):
        upload_id (str): The upload this version came in.
        counted (bool): True when its `allowed_amount` is part of the episode's spending.
        reason (ClaimLineEvidenceReasonType0 | None): Why it does not count (null when it does): `superseded` (a later
            version of the line replaces it), `cancelled` (the line's latest version cancels it), `received_after_cutoff`,
            `claim_type_not_included`, `outside_window` (a line of a claim in the window, dated outside it),
            `principal_diagnosis_excluded`.
    """

    claim_id: str
    line_number: int
    claim_type: str
    from_date: datetime.date
    thru_date: datetime.date
    hcpcs: None | str
    principal_diagnosis: str
    rendering_npi: None | str
    allowed_amount: str
    paid_amount: str
    adjustment: ClaimLineEvidenceAdjustment
    received_date: datetime.date
    upload_id: str
    counted: bool
    reason: ClaimLineEvidenceReasonType0 | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        claim_id = self.claim_id

        line_number = self.line_number

        claim_type = self.claim_type

        from_date = self.from_date.isoformat()

        thru_date = self.thru_date.isoformat()

        hcpcs: None | str
        hcpcs = self.hcpcs

        principal_diagnosis = self.principal_diagnosis

        rendering_npi: None | str
        rendering_npi = self.rendering_npi

        allowed_amount = self.allowed_amount

        paid_amount = self.paid_amount

        adjustment = self.adjustment.value

        received_date = self.received_date.isoformat()

        upload_id = self.upload_id

        counted = self.counted

        reason: None | str
        if isinstance(self.reason, ClaimLineEvidenceReasonType0):
            reason = self.reason.value
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "claim_id": claim_id,
                "line_number": line_number,
                "claim_type": claim_type,
                "from_date": from_date,
                "thru_date": thru_date,
                "hcpcs": hcpcs,
                "principal_diagnosis": principal_diagnosis,
                "rendering_npi": rendering_npi,
                "allowed_amount": allowed_amount,
                "paid_amount": paid_amount,
                "adjustment": adjustment,
                "received_date": received_date,
                "upload_id": upload_id,
                "counted": counted,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        claim_id = d.pop("claim_id")

        line_number = d.pop("line_number")

        claim_type = d.pop("claim_type")

        from_date = datetime.date.fromisoformat(d.pop("from_date"))

        thru_date = datetime.date.fromisoformat(d.pop("thru_date"))

        def _parse_hcpcs(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        hcpcs = _parse_hcpcs(d.pop("hcpcs"))

        principal_diagnosis = d.pop("principal_diagnosis")

        def _parse_rendering_npi(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        rendering_npi = _parse_rendering_npi(d.pop("rendering_npi"))

        allowed_amount = d.pop("allowed_amount")

        paid_amount = d.pop("paid_amount")

        adjustment = ClaimLineEvidenceAdjustment(d.pop("adjustment"))

        received_date = datetime.date.fromisoformat(d.pop("received_date"))

        upload_id = d.pop("upload_id")

        counted = d.pop("counted")

        def _parse_reason(data: object) -> ClaimLineEvidenceReasonType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                reason_type_0 = ClaimLineEvidenceReasonType0(data)

                return reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ClaimLineEvidenceReasonType0 | None, data)

        reason = _parse_reason(d.pop("reason"))

        claim_line_evidence = cls(
            claim_id=claim_id,
            line_number=line_number,
            claim_type=claim_type,
            from_date=from_date,
            thru_date=thru_date,
            hcpcs=hcpcs,
            principal_diagnosis=principal_diagnosis,
            rendering_npi=rendering_npi,
            allowed_amount=allowed_amount,
            paid_amount=paid_amount,
            adjustment=adjustment,
            received_date=received_date,
            upload_id=upload_id,
            counted=counted,
            reason=reason,
        )

        claim_line_evidence.additional_properties = d
        return claim_line_evidence

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
