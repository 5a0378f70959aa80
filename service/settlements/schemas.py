"""HTTP shapes of quality reports and settlements."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

DEFAULT_ATTESTATION = (
    "The submitting organisation attests that these figures are complete and accurate, computed "
    "under the measure specifications for the performance period."
)


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
    attestation: str = Field(
        DEFAULT_ATTESTATION,
        min_length=1,
        max_length=2000,
        description="What the submitter attests about the figures; kept with the version. "
        "Without it, the standard attestation (the example) is recorded.",
    )

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
                "version_id": "qrv_01JD7Q5Z0000000000000000Q1",
                "reported_by": "org_01JD7Q5Z00000000000000PRV1",
                "key_id": "key_01JD7Q5Z00000000000000PRV1",
                "attestation": DEFAULT_ATTESTATION,
                "updated_at": "2028-02-01T10:00:00Z",
            }
        }
    )

    arrangement_id: str
    period_start: date
    measures: list[MeasureReport]
    revision: int = Field(description="The version number: 1 for the first report of the period, then +1.")
    version_id: str = Field(description="The id of this version (a settlement records the one it used).")
    reported_by: str = Field(description="The organisation that submitted this version.")
    key_id: str = Field(description="The API key it was submitted with.")
    attestation: str | None = Field(description="What the submitter attested (null before it was recorded).")
    updated_at: datetime = Field(description="When this version was submitted.")


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


class AcceptanceOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "organization_id": "org_01JD7Q5Z00000000000000PRV1",
                "key_id": "key_01JD7Q5Z00000000000000PRV1",
                "accepted_at": "2028-04-02T09:00:00Z",
            }
        }
    )

    organization_id: str
    key_id: str
    accepted_at: datetime


class DisputeOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "dsp_01JD7Q5Z0000000000000000D1",
                "settlement_id": "stl_01JD7Q5Z0000000000000000S1",
                "arrangement_id": "arr_01JD7Q5Z0000000000000000A1",
                "party": "aco",
                "organization_id": "org_01JD7Q5Z00000000000000ACO1",
                "key_id": "key_01JD7Q5Z00000000000000ACO1",
                "reason": "Episode of 2027-03-01 belongs to a beneficiary who left the ACO in February.",
                "line_ids": ["epi_3f1c9a0e5b7d4c2a8e6f1b3d5a7c9e0f"],
                "status": "open",
                "created_at": "2028-04-02T09:00:00Z",
                "resolution_note": None,
                "resolved_at": None,
            }
        }
    )

    id: str
    settlement_id: str
    arrangement_id: str
    party: Literal["aco", "provider"]
    organization_id: str
    key_id: str
    reason: str
    line_ids: list[str] = Field(description="The disputed lines; empty: the settlement as a whole.")
    status: Literal["open", "upheld", "rejected"] = Field(
        description="`open` until ops resolves it; `upheld` (a new run is needed before the period "
        "is finalised) or `rejected`."
    )
    created_at: datetime
    resolution_note: str | None
    resolved_at: datetime | None


class FinalizeRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"override_reason": "Run-out waived by both parties in writing"}},
    )

    override_reason: str | None = Field(
        None,
        min_length=1,
        max_length=2000,
        description="Needed to finalise before the claims cutoff has passed; kept and audited.",
    )


class DisputeCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "reason": "Episode of 2027-03-01 belongs to a beneficiary who left the ACO in February.",
                "line_ids": ["epi_3f1c9a0e5b7d4c2a8e6f1b3d5a7c9e0f"],
            }
        },
    )

    reason: str = Field(min_length=1, max_length=2000)
    line_ids: list[Annotated[str, Field(min_length=1, max_length=40)]] = Field(
        default_factory=list,
        max_length=1000,
        description="Line ids (`GET /v1/settlements/{id}/lines`); omit to dispute the whole settlement.",
    )


class DisputeResolution(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {"outcome": "upheld", "note": "Alignment file corrected; run the settlement again."}
        },
    )

    outcome: Literal["upheld", "rejected"]
    note: str = Field(min_length=1, max_length=2000)


class TermsVersionFigures(BaseModel):
    """One terms version's part of a settlement: the episodes triggered while it was in force."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "version": 2,
                "terms_sha256": "9f2c...",
                "start": "2027-07-01",
                "end": "2027-12-31",
                "n_episodes": 1,
                "total_target": "1078.00",
                "total_actual": "1200.00",
                "savings": "-122.00",
                "shared": "-56.12",
                "stop_gain_limit": "215.6",
                "stop_loss_limit": "-215.6",
            }
        }
    )

    version: int = Field(description="The terms version.")
    terms_sha256: str = Field(description="Its terms hash.")
    start: date = Field(description="The first trigger date of the settlement period under this version.")
    end: date = Field(description="The last trigger date of the settlement period under this version.")
    n_episodes: int = Field(description="n_v: settled episodes triggered under it.")
    total_target: Decimal = Field(description="T_v: their targets, at this version's target price.")
    total_actual: Decimal = Field(description="A_v: their counted (outlier-capped) spending.")
    savings: Decimal = Field(description="S_v = T_v - A_v.")
    shared: Decimal = Field(
        description="R_v: the savings or loss formula with this version's shares and the period's "
        "quality score (before the min_episodes waiver and the caps, which apply to the sums)."
    )
    stop_gain_limit: Decimal = Field(description="This version's part of the stop-gain limit.")
    stop_loss_limit: Decimal = Field(description="This version's part of the stop-loss limit.")


class CompletionAtLag(BaseModel):
    lag: int = Field(description="Months from the service month to the month a claim line was received.")
    development_factor: Decimal | None = Field(
        description="f: the growth of the cumulative amount from this lag to the next, volume weighted "
        "over the service months that have seen both; null at the last lag."
    )
    development_spread: Decimal | None = Field(
        description="The sample standard deviation of the service months' own ratios behind the factor."
    )
    completion_factor: Decimal = Field(
        description="The share of the final amount received by this lag: 1 / (f at this lag x every later f)."
    )
    completion_factor_low: Decimal = Field(description="The same with each f raised by its spread.")
    completion_factor_high: Decimal = Field(
        description="The same with each f lowered by its spread (not below 1)."
    )


class ClaimsCompletion(BaseModel):
    sufficient_history: bool = Field(
        description="False when fewer than three service months (or no lag beyond 0) are on file: "
        "no claim is completed (every factor 1)."
    )
    origin_months: int = Field(description="Service months in the triangle.")
    max_lag: int = Field(description="Lags beyond this one count at it.")
    factors: list[CompletionAtLag]


class OpenEpisodeCompletion(BaseModel):
    completed: int = Field(description="Open episodes (the cutoff on or before their last day) completed.")
    closed_episodes_used: int = Field(
        description="Closed episodes whose mean spending by day of episode completed them."
    )
    expected_spending: Decimal = Field(description="Their expected spending on the days still to come.")


class SettlementProjection(BaseModel):
    """A preview's projected final settlement: docs/settlement.md, section 10."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "evaluation_month": "2027-09",
                "settlement_amount": "812.40",
                "settlement_amount_low": "640.10",
                "settlement_amount_high": "901.75",
                "total_actual": "41230.55",
                "total_actual_low": "40811.20",
                "total_actual_high": "42001.90",
                "total_target": "45310.00",
                "today_settlement_amount": "1650.22",
                "today_total_actual": "37650.10",
                "claims_completion": {
                    "sufficient_history": True,
                    "origin_months": 21,
                    "max_lag": 12,
                    "factors": [
                        {
                            "lag": 0,
                            "development_factor": "1.5",
                            "development_spread": "0.1",
                            "completion_factor": "0.606061",
                            "completion_factor_low": "0.568182",
                            "completion_factor_high": "0.649351",
                        }
                    ],
                },
                "open_episodes": {
                    "completed": 14,
                    "closed_episodes_used": 52,
                    "expected_spending": "3120.00",
                },
                "flags": [],
            }
        }
    )

    evaluation_month: str = Field(description="The claims cutoff's month (YYYY-MM): lags count from it.")
    settlement_amount: Decimal = Field(description="The projected final settlement amount.")
    settlement_amount_low: Decimal
    settlement_amount_high: Decimal
    total_actual: Decimal = Field(description="A, projected.")
    total_actual_low: Decimal = Field(description="A with the most complete reading of the claims.")
    total_actual_high: Decimal = Field(description="A with the least complete reading of the claims.")
    total_target: Decimal
    today_settlement_amount: Decimal = Field(description="The preview's own figure: the claims on file now.")
    today_total_actual: Decimal
    claims_completion: ClaimsCompletion
    open_episodes: OpenEpisodeCompletion
    flags: list[Literal["insufficient_history", "no_closed_episodes"]] = Field(
        description="`insufficient_history`: no claims completion; `no_closed_episodes`: open episodes "
        "keep the spending they have."
    )


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
                "sources": {
                    "uploads": [
                        {
                            "id": "upl_01JD7Q5Z0000000000000000U1",
                            "kind": "claims",
                            "content_sha256": "77a8...",
                        }
                    ],
                    "quality_report": {"version_id": "qrv_01JD7Q5Z0000000000000000Q1", "version": 1},
                    "provider_roster": [{"npi": "1234567893", "from": "2027-01-01", "through": "2027-12-31"}],
                    "termination_date": None,
                    "settled_elsewhere": [],
                },
                "created_at": "2028-04-01T09:00:00Z",
                "finalized_at": None,
                "override_reason": None,
                "superseded_by": None,
                "acceptance": {"aco": None, "provider": None},
                "disputes": [],
            }
        }
    )

    id: str | None = Field(description="null for a preview or a recomputation (nothing stored).")
    arrangement_id: str
    revision: int | None = Field(description="1, 2, ... per (arrangement, period); null for a preview.")
    status: Literal["draft", "final", "superseded", "preview", "recomputed"] = Field(
        description="`draft` until ops finalises it; `final`; `superseded` once a later revision of "
        "the period is final. `preview` and `recomputed` are never stored."
    )
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
        description="This amount minus the final revision it compares with (`delta_against`). A draft "
        "compares with the current final (null when none is); finalising fixes it against the final "
        "it supersedes, or zero when it is the first, so the deltas of a period's finals add up to "
        "its latest final amount."
    )
    delta_against: str | None = Field(description="The final settlement `delta` compares with.")
    terms_version: int = Field(
        description="The terms version in force on the period's last day: its quality measures, "
        "min_episodes and runout_days apply."
    )
    terms_sha256: str
    terms_versions: list[TermsVersionFigures] | None = Field(
        description="The figures per terms version, in date order: one entry unless an amendment "
        "took effect during the period. n, T, A, S and the cap limits above are their sums, and "
        "shared_before_caps the sum of their `shared` unless a loss was waived; null for settlements "
        "stored before amendments took effect on a date."
    )
    definition: dict[str, str | int]
    inputs: dict[str, object] = Field(
        description="Every input the figures depend on; `inputs_sha256` hashes it."
    )
    inputs_sha256: str
    sources: dict[str, object] | None = Field(
        description="What the run could read, for an exact recompute: `uploads` (id, kind, content "
        "hash of every upload stored when it ran), `quality_report` (the version used), "
        "`terms_versions` (each terms version with the days it was in force), `provider_roster` (each "
        "NPI with the days it was on the practice's roster), `termination_date`, `settled_elsewhere` (the other arrangements' final "
        "settlements whose episodes were excluded), `risk_scores` (whether HCC scores were computed from "
        "claims where none was uploaded). null for settlements stored before it was recorded."
    )
    created_at: datetime | None
    finalized_at: datetime | None
    override_reason: str | None = Field(
        description="Why ops finalised before the claims cutoff had passed (null otherwise)."
    )
    superseded_by: str | None = Field(description="The later final revision that superseded this one.")
    acceptance: dict[Literal["aco", "provider"], AcceptanceOut | None] = Field(
        description="Each party's acceptance of the draft (null: not accepted)."
    )
    disputes: list[DisputeOut] = Field(description="The parties' disputes of this revision, oldest first.")
    projection: SettlementProjection | None = Field(
        None,
        description="A preview only: the projected final settlement (claims completed by the ACO's own "
        "history, open episodes run to their end) with its range and the factors used; null otherwise. "
        "Never stored, never part of `inputs`.",
    )


class SettlementLineOut(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "epi_3f1c9a0e5b7d4c2a8e6f1b3d5a7c9e0f",
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
                "terms_version": 1,
                "risk_score_source": "uploaded",
            }
        }
    )

    id: str = Field(
        description="The line's id within the settlement (what a dispute's `line_ids` name): its "
        "episode's id, so the same episode has the same line id in every revision."
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
    terms_version: int | None = Field(
        description="The terms version the episode settled under (in force on its trigger date); null "
        "on lines stored before amendments took effect on a date (the settlement's terms_version)."
    )
    risk_score_source: str | None = Field(
        description="Where the HCC score behind `risk_factor` came from: `uploaded` (the alignment row's), "
        "or `computed: <model>` from the beneficiary's diagnoses of the year before (docs/settlement.md, "
        "risk scores); null when there is no score (1.0), and on lines stored before scores were computed."
    )
    price_group: str | None = Field(
        default=None,
        description="Under terms with `target_prices`, the risk factor (price group) of the episode's anchor "
        "stay whose price is the base of `target` (docs/definitions.md, anchor kinds); null under a single "
        "`target_price`.",
    )


class SettlementRecomputation(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "settlement_id": "stl_01JD7Q5Z0000000000000000S1",
                "matches": True,
                "differences": [],
                "recomputed": {
                    "id": None,
                    "status": "recomputed",
                    "settlement_amount": "-103.04",
                    "inputs_sha256": "4b1e...",
                },
            }
        }
    )

    settlement_id: str
    matches: bool = Field(description="The recomputation gave the recorded hash and figures.")
    differences: list[str] = Field(description="The figures (and `inputs_sha256`) that differ.")
    recomputed: SettlementOut = Field(description="The figures recomputed from the recorded inputs.")
