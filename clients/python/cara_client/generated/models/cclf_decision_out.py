from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CclfDecisionOut")


@_attrs_define
class CclfDecisionOut:
    """One version of a CCLF (or FHIR export) claim that came with other versions: whether it counts
    and why.

        Example:
            {'adjustment_type': '1', 'claim_id': 'B-CTL0000123-1EG4TE5MK73', 'counts': False, 'cur_clm_uniq_id': 1841,
                'effective_date': '2027-04-02', 'line_number': 1, 'paid_amount': '450.00', 'reason': 'cancels 0000000001203',
                'record_number': 1841, 'source_file': 'CCLF5'}

        Attributes:
            claim_id (str): The claim id the lines are stored under (natural key, current MBI).
            line_number (int | None): The line (Part B and DME); null for a Part A claim and a FHIR ExplanationOfBenefit.
            source_file (str): CCLF1, CCLF5 or CCLF6; for a FHIR export, the NDJSON file.
            record_number (int): The record's number in its file, from 1; for a FHIR export, the resource's number among the
                export's ExplanationOfBenefit resources (files in name order).
            cur_clm_uniq_id (str): CUR_CLM_UNIQ_ID; for a FHIR export, the claim id (CLM_ID).
            adjustment_type (str): CLM_ADJSMT_TYPE_CD: 0 original, 1 cancellation, 2 adjustment (FHIR: 1 for status
                cancelled, 2 for a later version that is not).
            effective_date (datetime.date | None): CLM_EFCTV_DT; for a FHIR export, the claim received date.
            paid_amount (None | str): CLM_PMT_AMT (Part A) or CLM_LINE_CVRD_PD_AMT as the record states it: unsigned, so a
                cancellation's amount is subtracted by the reader; for a FHIR export, the paid amounts of its lines; null when
                unreadable.
            counts (bool): Whether this version is the one that counts.
            reason (str):
    """

    claim_id: str
    line_number: int | None
    source_file: str
    record_number: int
    cur_clm_uniq_id: str
    adjustment_type: str
    effective_date: datetime.date | None
    paid_amount: None | str
    counts: bool
    reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        claim_id = self.claim_id

        line_number: int | None
        line_number = self.line_number

        source_file = self.source_file

        record_number = self.record_number

        cur_clm_uniq_id = self.cur_clm_uniq_id

        adjustment_type = self.adjustment_type

        effective_date: None | str
        if isinstance(self.effective_date, datetime.date):
            effective_date = self.effective_date.isoformat()
        else:
            effective_date = self.effective_date

        paid_amount: None | str
        paid_amount = self.paid_amount

        counts = self.counts

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "claim_id": claim_id,
                "line_number": line_number,
                "source_file": source_file,
                "record_number": record_number,
                "cur_clm_uniq_id": cur_clm_uniq_id,
                "adjustment_type": adjustment_type,
                "effective_date": effective_date,
                "paid_amount": paid_amount,
                "counts": counts,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        claim_id = d.pop("claim_id")

        def _parse_line_number(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        line_number = _parse_line_number(d.pop("line_number"))

        source_file = d.pop("source_file")

        record_number = d.pop("record_number")

        cur_clm_uniq_id = d.pop("cur_clm_uniq_id")

        adjustment_type = d.pop("adjustment_type")

        def _parse_effective_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                effective_date_type_0 = datetime.date.fromisoformat(data)

                return effective_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        effective_date = _parse_effective_date(d.pop("effective_date"))

        def _parse_paid_amount(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        paid_amount = _parse_paid_amount(d.pop("paid_amount"))

        counts = d.pop("counts")

        reason = d.pop("reason")

        cclf_decision_out = cls(
            claim_id=claim_id,
            line_number=line_number,
            source_file=source_file,
            record_number=record_number,
            cur_clm_uniq_id=cur_clm_uniq_id,
            adjustment_type=adjustment_type,
            effective_date=effective_date,
            paid_amount=paid_amount,
            counts=counts,
            reason=reason,
        )

        cclf_decision_out.additional_properties = d
        return cclf_decision_out

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
