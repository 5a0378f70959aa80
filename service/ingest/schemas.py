from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.kit.errors import FieldError

OnError = Literal["reject", "skip"]


class CodeWarning(BaseModel):
    """A diagnosis code stored without a code set to check it: dated after the newest one here."""

    code: str = Field(description="The code, without its dot.")
    code_set: str = Field(description="The newest code set the service has, which lacks the code.")
    rows: int = Field(description="How many stored rows carry it.")
    first_row: int = Field(description="The first of them (1 = first data row).")
    message: str


class UploadReport(BaseModel):
    """What an upload brought: rows received, stored and rejected, and every bad row (capped)."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "upl_01JD7Q5Z0000000000000005",
                "kind": "claims",
                "source": "csv",
                "status": "stored",
                "on_error": "skip",
                "content_sha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "bytes_received": 18234,
                "rows_received": 120,
                "rows_stored": 119,
                "rows_rejected": 1,
                "errors": [
                    {
                        "location": "row 17: rendering_npi",
                        "message": "NPI check digit (Luhn, prefix 80840) does not match",
                        "row": 17,
                        "field": "rendering_npi",
                        "value": "1234567890",
                    }
                ],
                "errors_truncated": False,
                "created_at": "2027-04-02T09:00:00Z",
            }
        }
    )

    id: str
    kind: Literal["alignment", "claims"]
    source: str = Field(description="csv, ndjson, rif or cclf")
    status: Literal["stored", "rejected"] = Field(
        description="`rejected`: nothing of the upload was stored (on_error=reject and a row was bad)."
    )
    on_error: OnError
    content_sha256: str = Field(description="SHA-256 of the decompressed content; re-sending it is a no-op.")
    bytes_received: int
    rows_received: int
    rows_stored: int
    rows_rejected: int
    errors: list[FieldError] = Field(description="Bad rows, in order, at most 1,000.")
    errors_truncated: bool = Field(description="True when more rows were bad than `errors` lists.")
    warnings: list[CodeWarning] = Field(
        default_factory=list,
        description="Stored but flagged: ICD-10-CM codes dated after the newest code set the service has "
        "(see docs/ingest.md), one entry per code.",
    )
    created_at: datetime


class CclfDecisionOut(BaseModel):
    """One version of a CCLF (or FHIR export) claim that came with other versions: whether it counts
    and why."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "claim_id": "B-CTL0000123-1EG4TE5MK73",
                "line_number": 1,
                "source_file": "CCLF5",
                "record_number": 1841,
                "cur_clm_uniq_id": "0000000001841",
                "adjustment_type": "1",
                "effective_date": "2027-04-02",
                "paid_amount": "450.00",
                "counts": False,
                "reason": "cancels 0000000001203",
            }
        },
    )

    claim_id: str = Field(description="The claim id the lines are stored under (natural key, current MBI).")
    line_number: int | None = Field(
        description="The line (Part B and DME); null for a Part A claim and a FHIR ExplanationOfBenefit."
    )
    source_file: str = Field(description="CCLF1, CCLF5 or CCLF6; for a FHIR export, the NDJSON file.")
    record_number: int = Field(
        description="The record's number in its file, from 1; for a FHIR export, the resource's number "
        "among the export's ExplanationOfBenefit resources (files in name order)."
    )
    cur_clm_uniq_id: str = Field(description="CUR_CLM_UNIQ_ID; for a FHIR export, the claim id (CLM_ID).")
    adjustment_type: str = Field(
        description="CLM_ADJSMT_TYPE_CD: 0 original, 1 cancellation, 2 adjustment (FHIR: 1 for status "
        "cancelled, 2 for a later version that is not)."
    )
    effective_date: date | None = Field(
        description="CLM_EFCTV_DT; for a FHIR export, the claim received date."
    )
    paid_amount: Decimal | None = Field(
        description="CLM_PMT_AMT (Part A) or CLM_LINE_CVRD_PD_AMT as the record states it: unsigned, "
        "so a cancellation's amount is subtracted by the reader; for a FHIR export, the paid amounts of "
        "its lines; null when unreadable."
    )
    counts: bool = Field(description="Whether this version is the one that counts.")
    reason: str
