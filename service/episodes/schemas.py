"""HTTP shapes of episodes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class EpisodeOut(BaseModel):
    """One episode of an arrangement, recomputed from the claims as of the cutoff."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "epi_3f1c9a0e5b7d4c2a8e6f1b3d5a7c9e0f",
                "mbi": "1EG4TE5MK73",
                "trigger_date": "2027-03-02",
                "end_date": "2027-05-30",
                "trigger_claim_id": "C1",
                "trigger_line_number": 1,
                "status": "closed",
                "exclusion_reason": None,
                "actual_spending": "1142.10",
            }
        }
    )

    id: str = Field(description="Stable id: the same trigger line of the same arrangement gives the same id.")
    mbi: str
    trigger_date: date = Field(description="Day 0 of the episode.")
    end_date: date = Field(description="Day L-1: the last day of the window.")
    trigger_claim_id: str
    trigger_line_number: int
    status: Literal["open", "closed", "excluded"] = Field(
        description="`open` while the window has not ended by the cutoff, `closed` after, `excluded` "
        "when docs/method.md section 5 excludes it (then see `exclusion_reason`)."
    )
    exclusion_reason: Literal["hospice_in_window", "alignment_ended"] | None = Field(
        description="`hospice_in_window`: hospice elected inside the window; `alignment_ended`: the "
        "beneficiary's alignment ends before the window does."
    )
    actual_spending: Decimal = Field(
        description="Allowed amounts of the included claim lines in the window, as of the cutoff "
        "(before the outlier cap, which depends on the settlement)."
    )
    risk_factor: str | None = Field(
        None,
        description="Under an inpatient anchor, the risk factor (price group) of the anchor stay, "
        "which the terms' `target_prices` price; null for a visit trigger.",
    )


NotCountedReason = Literal[
    "superseded",
    "cancelled",
    "received_after_cutoff",
    "claim_type_not_included",
    "outside_window",
    "principal_diagnosis_excluded",
    "drg_excluded",
]
NOT_COUNTED_REASONS: dict[str, str] = {
    "superseded": "a later version of the same claim line, received on or before the cutoff, replaces it",
    "cancelled": "the claim line's latest version cancels it",
    "received_after_cutoff": "received after the claims cutoff",
    "claim_type_not_included": "its claim type's spending does not count for this episode",
    "outside_window": "its service date is outside the episode's window",
    "principal_diagnosis_excluded": "its principal diagnosis is one the episode leaves out",
    "drg_excluded": "it belongs to an inpatient stay whose MS-DRG the episode leaves out (an unrelated readmission)",
}


class ClaimLineEvidence(BaseModel):
    """One stored version of a claim line of the episode's window: counted, or why not."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "claim_id": "C1",
                "line_number": 1,
                "claim_type": "carrier",
                "from_date": "2027-03-02",
                "thru_date": "2027-03-02",
                "hcpcs": "99214",
                "principal_diagnosis": "Z9181",
                "rendering_npi": "1234567893",
                "allowed_amount": "142.10",
                "paid_amount": "113.68",
                "adjustment": "original",
                "received_date": "2027-03-20",
                "upload_id": "upl_01JD7Q5Z000000000000000001",
                "counted": True,
                "reason": None,
            }
        }
    )

    claim_id: str
    line_number: int
    claim_type: str
    from_date: date
    thru_date: date
    hcpcs: str | None
    principal_diagnosis: str
    rendering_npi: str | None
    allowed_amount: Decimal
    paid_amount: Decimal
    adjustment: Literal["original", "replacement", "cancel"]
    received_date: date
    upload_id: str = Field(description="The upload this version came in.")
    counted: bool = Field(description="True when its `allowed_amount` is part of the episode's spending.")
    reason: NotCountedReason | None = Field(
        description="Why it does not count (null when it does): `superseded` (a later version of the "
        "line replaces it), `cancelled` (the line's latest version cancels it), `received_after_cutoff`, "
        "`claim_type_not_included`, `outside_window` (a line of a claim in the window, dated outside "
        "it), `principal_diagnosis_excluded`."
    )


class EvidenceEpisode(BaseModel):
    id: str
    mbi: str
    trigger_date: date
    end_date: date
    trigger_claim_id: str
    status: Literal["open", "closed", "excluded", "settled"] = Field(
        description="For a settlement's line: `settled` or `excluded`; for a preview: `open`, `closed` "
        "or `excluded` as of the cutoff."
    )
    exclusion_reason: str | None
    spending: Decimal = Field(description="The episode's actual spending as of the cutoff.")


class EpisodeEvidence(BaseModel):
    """The claim lines behind an episode's spending, one page at a time."""

    episode: EvidenceEpisode
    claims_cutoff: date
    counted_lines: int = Field(description="How many of the window's claim line versions count (all pages).")
    counted_allowed_amount: Decimal = Field(
        description="The sum of the counted versions' `allowed_amount` (all pages): the episode's spending."
    )
    items: list[ClaimLineEvidence]
    next_cursor: str | None = Field(
        None, description="Pass as `?cursor=` for the next page; null on the last."
    )
