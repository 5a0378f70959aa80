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
        "when SPEC 6.3 excludes it (then see `exclusion_reason`)."
    )
    exclusion_reason: Literal["hospice_in_window", "alignment_ended"] | None = Field(
        description="`hospice_in_window`: hospice elected inside the window; `alignment_ended`: the "
        "beneficiary's alignment ends before the window does."
    )
    actual_spending: Decimal = Field(
        description="Allowed amounts of the included claim lines in the window, as of the cutoff "
        "(before the outlier cap, which depends on the settlement)."
    )
