"""HTTP shapes of quality reports and settlements."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class MeasureReport(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    measure_id: str = Field(
        min_length=1, max_length=20, description="One of the arrangement's chosen measures."
    )
    numerator: int = Field(ge=0, le=100_000_000)
    denominator: int = Field(
        ge=0, le=100_000_000, description="0 means no eligible cases: the measure is dropped."
    )

    @model_validator(mode="after")
    def _ordered(self) -> MeasureReport:
        if self.numerator > self.denominator:
            raise ValueError("numerator must not exceed denominator")
        return self


class QualityReportIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "measures": [
                    {"measure_id": "Q155", "numerator": 8, "denominator": 10},
                    {"measure_id": "Q318", "numerator": 0, "denominator": 0},
                ]
            }
        },
    )

    measures: list[MeasureReport] = Field(max_length=50)

    @model_validator(mode="after")
    def _distinct(self) -> QualityReportIn:
        ids = [m.measure_id for m in self.measures]
        if len(set(ids)) != len(ids):
            raise ValueError("a measure appears twice")
        return self


class QualityReportOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "arrangement_id": "arr_01JD7Q5Z0000000000000000A1",
                "period_start": "2027-01-01",
                "measures": [{"measure_id": "Q155", "numerator": 8, "denominator": 10}],
                "revision": 1,
                "reported_by": "org_01JD7Q5Z00000000000000PRV1",
                "updated_at": "2028-02-01T10:00:00Z",
            }
        }
    )

    arrangement_id: str
    period_start: date
    measures: list[MeasureReport]
    revision: int = Field(description="1 for the first report of the period, then +1 per replacement.")
    reported_by: str = Field(description="The organisation that sent the current report.")
    updated_at: datetime


class SettlementRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"period_start": "2027-01-01", "period_end": "2027-12-31", "preview": False}
        },
    )

    period_start: date
    period_end: date
    claims_cutoff: date | None = Field(
        None,
        description="Count claim line versions received on or before it (default: period end + runout_days).",
    )
    preview: bool = Field(False, description="Compute and return, store nothing (200 instead of 201).")

    @model_validator(mode="after")
    def _ordered(self) -> SettlementRequest:
        if self.period_start > self.period_end:
            raise ValueError("period_start is after period_end")
        return self


class MeasureScore(BaseModel):
    measure_id: str
    weight: Decimal
    higher_is_better: bool
    numerator: int | None
    denominator: int | None
    rate: Decimal | None = Field(description="null: no data or a zero denominator (weight dropped).")


class SettlementOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "stl_01JD7Q5Z0000000000000000S1",
                "arrangement_id": "arr_01JD7Q5Z0000000000000000A1",
                "revision": 1,
                "status": "draft",
                "period_start": "2027-01-01",
                "period_end": "2027-12-31",
                "claims_cutoff": "2028-03-30",
                "n_episodes": 3,
                "n_excluded": 0,
                "total_target": "2646.00",
                "total_actual": "2870.00",
                "savings": "-224.00",
                "quality_score": "0.8",
                "shared_before_caps": "-103.04",
                "cap_bound": None,
                "below_min_episodes": False,
                "stop_gain_limit": "529.20",
                "stop_loss_limit": "-529.20",
                "settlement_amount": "-103.04",
                "delta": None,
                "delta_against": None,
                "terms_version": 1,
                "terms_sha256": "9f2c...",
                "definition": {"code": "FALLS-PREV", "version": 1},
                "inputs_sha256": "4b1e...",
                "created_at": "2028-04-01T09:00:00Z",
                "finalized_at": None,
            }
        }
    )

    id: str | None = Field(description="null for a preview (nothing stored).")
    arrangement_id: str
    revision: int | None = Field(description="1, 2, ... per (arrangement, period); null for a preview.")
    status: Literal["draft", "final", "preview"]
    period_start: date
    period_end: date
    claims_cutoff: date
    n_episodes: int = Field(description="Settled (non-excluded) episodes triggered in the period.")
    n_excluded: int = Field(description="Excluded episodes triggered in the period (not settled).")
    total_target: Decimal = Field(description="T: the sum of the episode targets.")
    total_actual: Decimal = Field(description="A: the sum of counted (outlier-capped) spending.")
    savings: Decimal = Field(description="S = T - A; negative is a loss.")
    quality_score: Decimal = Field(description="q in [0, 1].")
    measures: list[MeasureScore]
    shared_before_caps: Decimal = Field(description="R before stop-gain/stop-loss.")
    cap_bound: Literal["stop_gain", "stop_loss"] | None
    below_min_episodes: bool = Field(description="A loss was waived: fewer than min_episodes episodes.")
    stop_gain_limit: Decimal
    stop_loss_limit: Decimal
    settlement_amount: Decimal = Field(description="Positive: owed to the provider; negative: owed by it.")
    delta: Decimal | None = Field(
        description="This amount minus the last final revision's; null when none is final."
    )
    delta_against: str | None = Field(description="The final settlement `delta` compares with.")
    terms_version: int
    terms_sha256: str
    definition: dict[str, str | int]
    inputs: dict[str, object] = Field(
        description="Every input the figures depend on; `inputs_sha256` hashes it."
    )
    inputs_sha256: str
    created_at: datetime | None
    finalized_at: datetime | None


class SettlementLineOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "episode_id": "epi_3f1c9a0e5b7d4c2a8e6f1b3d5a7c9e0f",
                "mbi": "1EG4TE5MK73",
                "trigger_date": "2027-03-02",
                "end_date": "2027-05-30",
                "risk_factor": "0.5",
                "target": "490.00",
                "spending": "1600.00",
                "outlier_cap": "1470.00",
                "actual": "1470.00",
                "capped": True,
            }
        }
    )

    episode_id: str
    mbi: str
    trigger_date: date
    end_date: date
    risk_factor: Decimal
    target: Decimal
    spending: Decimal = Field(description="Actual spending before the outlier cap.")
    outlier_cap: Decimal
    actual: Decimal = Field(description="Counted spending: min(spending, outlier_cap).")
    capped: bool
