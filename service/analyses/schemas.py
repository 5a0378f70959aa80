"""The HTTP shapes of episode analyses and target-price recommendations (docs/analyses.md)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from service.access.schemas import Npi
from service.arrangements.schemas import EpisodeRef
from service.kit.decimals import DecimalText

AnalysisStatus = Literal["queued", "running", "done", "failed"]
BASELINE_MIN = date(2000, 1, 1)
BASELINE_MAX = date(2036, 12, 31)
# A baseline longer than this reads more claims than one analysis should hold the database for.
MAX_BASELINE_DAYS = 3 * 366
SEED_MAX = 2**31 - 1


class BaselinePeriod(BaseModel):
    """The days on which a claim line may open an episode (both included)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"example": {"start": "2027-01-01", "end": "2027-12-31"}},
    )

    start: date = Field(ge=BASELINE_MIN, le=BASELINE_MAX)
    end: date = Field(ge=BASELINE_MIN, le=BASELINE_MAX)

    @model_validator(mode="after")
    def _ordered(self) -> BaselinePeriod:
        if self.start > self.end:
            raise ValueError("baseline start is after its end")
        if (self.end - self.start).days >= MAX_BASELINE_DAYS:
            raise ValueError(f"a baseline spans at most {MAX_BASELINE_DAYS} days")
        return self


ANALYSIS_EXAMPLE: dict[str, Any] = {
    "aco_id": "org_01JD7Q5Z00000000000000ACO1",
    "episode": {"code": "FALLS-PREV", "version": 1},
    "baseline": {"start": "2027-01-01", "end": "2027-12-31"},
    "claims_cutoff": "2028-06-30",
    "trend": "1.03",
    "price_adjustment_pct": "-1.5",
}


class AnalysisRequest(BaseModel):
    """What to analyse, and the parameters of the target-price recommendation."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": ANALYSIS_EXAMPLE})

    aco_id: str = Field(
        min_length=1, max_length=40, description="The ACO whose claims are read (an ACO: its own)."
    )
    episode: EpisodeRef
    baseline: BaselinePeriod
    claims_cutoff: date | None = Field(
        None,
        description="Count claim line versions received on or before this date (default: today). "
        "Episodes whose window ends after it are counted as open and left out of the statistics.",
    )
    practice_ids: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="Only episodes opened by clinicians on these practices' rosters on the trigger day, "
        "as an arrangement with them would open them. Empty (and no `npis`): any rendering NPI.",
    )
    npis: list[Npi] = Field(
        default_factory=list,
        max_length=1000,
        description="Only episodes opened by these NPIs (with `practice_ids`: by either).",
    )
    trend: DecimalText = Field(
        Decimal("1"),
        gt=0,
        le=5,
        max_digits=12,
        decimal_places=6,
        description="The factor from baseline prices to the performance year (1.03: 3 % growth); default 1.",
    )
    target_mean_risk_score: DecimalText | None = Field(
        None,
        gt=0,
        le=20,
        max_digits=10,
        decimal_places=4,
        description="The mean HCC risk score expected of the arrangement's beneficiaries; default: "
        "the baseline's own (a risk ratio of 1).",
    )
    price_adjustment_pct: DecimalText = Field(
        Decimal("0"),
        ge=-50,
        le=50,
        max_digits=8,
        decimal_places=4,
        description="The discount (negative) or premium the parties consider, shown applied to the "
        "recommendation.",
    )
    seed: int | None = Field(
        None, ge=0, le=SEED_MAX, description="Seed of the bootstrap interval (default: drawn, then stored)."
    )


class Interval(BaseModel):
    level: DecimalText = Field(description="Coverage, `0.90`.")
    low: DecimalText
    high: DecimalText


class RecommendationEntry(BaseModel):
    """The recommended target price of one risk factor (`all`: every episode of the definition)."""

    risk_factor: str
    episodes: int
    baseline_mean: DecimalText = Field(description="Winsorised mean spending of the baseline episodes.")
    trend: DecimalText
    baseline_mean_risk_score: DecimalText
    target_mean_risk_score: DecimalText
    risk_ratio: DecimalText = Field(description="target_mean_risk_score / baseline_mean_risk_score.")
    recommended_target_price: DecimalText = Field(
        description="baseline_mean x trend x risk_ratio, to the cent."
    )
    interval: Interval = Field(description="Bootstrap interval of baseline_mean, times trend x risk_ratio.")
    price_adjustment_pct: DecimalText
    adjusted_target_price: DecimalText = Field(
        description="recommended_target_price x (1 + price_adjustment_pct / 100), to the cent: what "
        "settlement would compare spending with."
    )
    adjusted_interval: Interval
    warnings: list[str]


class Recommendation(BaseModel):
    method: str
    seed: int
    resamples: int
    entries: list[RecommendationEntry]


class ReportRow(BaseModel):
    """Spending of the episodes attributed to one practice, or to one NPI."""

    level: Literal["practice", "npi"]
    practice_id: str | None = Field(description="Null: the clinician was on no practice's roster that day.")
    practice_name: str | None
    npi: str | None = Field(description="Set on `npi` rows.")
    episodes: int
    total_spending: DecimalText
    mean_spending: DecimalText
    winsorised_mean_spending: DecimalText
    median_spending: DecimalText
    p10_spending: DecimalText
    p90_spending: DecimalText
    mean_risk_score: DecimalText
    spending_outside_arrangements: DecimalText
    leakage_share: DecimalText = Field(description="spending_outside_arrangements / total_spending.")


class AnalysisSummary(BaseModel):
    episodes: int = Field(description="Closed episodes, not excluded: those the statistics describe.")
    excluded_episodes: int = Field(
        description="Hospice elected in the window, or alignment ending before it."
    )
    open_episodes: int = Field(description="Window ending after the claims cutoff.")
    total_spending: DecimalText
    spending_outside_arrangements: DecimalText
    leakage_share: DecimalText
    winsorisation: dict[str, DecimalText] = Field(
        description="`low_percentile`, `high_percentile` (the definition's) and the amounts they "
        "came to, `low`, `high`."
    )
    risk_score_sources: dict[str, int] = Field(
        default_factory=dict,
        description="How many of the `episodes` had their HCC score `uploaded` (alignment), "
        "`computed` from the beneficiary's diagnoses of the year before (CMS-HCC V28), or `none` "
        "(read as 1.0). Empty on analyses stored before it was counted.",
    )


class AnalysisOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    status: AnalysisStatus
    aco_id: str
    episode: EpisodeRef
    baseline: BaselinePeriod
    claims_cutoff: date
    practice_ids: list[str]
    npis: list[str]
    trend: DecimalText
    target_mean_risk_score: DecimalText | None
    price_adjustment_pct: DecimalText
    seed: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None = Field(description="Why a failed analysis failed.")
    summary: AnalysisSummary | None = Field(description="When done.")
    recommendation: Recommendation | None = Field(description="When done and there were episodes.")
    rows: list[ReportRow] = Field(description="When done: each practice, then each NPI.")
