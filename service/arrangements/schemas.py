"""Arrangement terms (docs/method.md section 2), the terms hash, and the HTTP shapes of arrangements.

Decimals stay :class:`~decimal.Decimal` from JSON to SQL and back: the terms are stored as the
JSON of :meth:`Terms.model_dump` in JSON mode, where Pydantic writes decimals as strings, so
``"12.50"`` comes back as ``"12.50"``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from service.access.roster import Stay
from service.definitions.schemas import EpisodeDefinitionSpec, TriggerSpec
from service.kit import canonical
from service.kit.decimals import DecimalText
from service.kit.errors import FieldError

PERIOD_MIN = date(2027, 1, 1)
PERIOD_MAX = date(2036, 12, 31)

Pct = Decimal
QualityReporter = Literal["provider", "aco", "either"]
DEFAULT_QUALITY_REPORTER: QualityReporter = "provider"


def _absent_not_null(schema: dict[str, Any]) -> None:
    """The JSON Schema of an optional field that is left out rather than sent as null: the
    non-null branch alone."""
    (branch,) = (option for option in schema.pop("anyOf") if option.get("type") != "null")
    schema.update(branch)
    schema.pop("default", None)


def _is_none(value: Any) -> bool:
    return value is None


RiskFactorId = Annotated[str, Field(pattern=r"^[A-Z0-9][A-Z0-9_-]{0,39}$")]
PriceText = Annotated[DecimalText, Field(gt=0, max_digits=14, decimal_places=2)]


class QualityMeasureChoice(BaseModel):
    """A quality measure of the definition chosen for this arrangement, with its weight."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    measure_id: str = Field(
        min_length=1, max_length=20, description="An `id` of the definition's quality measures."
    )
    weight: DecimalText = Field(
        gt=0, le=1000, max_digits=10, decimal_places=4, description="Relative weight (> 0)."
    )


class Overrides(BaseModel):
    """Max-flex customisations replacing the definition's; they need ops approval."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    episode_length_days: int | None = Field(
        None, ge=1, le=730, description="Replaces the definition's episode length."
    )
    trigger: TriggerSpec | None = Field(None, description="Replaces the definition's trigger as a whole.")

    @model_validator(mode="after")
    def _not_empty(self) -> Overrides:
        if self.episode_length_days is None and self.trigger is None:
            raise ValueError("overrides must name episode_length_days and/or trigger")
        return self


class TargetPriceSource(BaseModel):
    """Where the target price came from: an episode analysis's recommendation (docs/analyses.md).
    Set by the service when a proposal's ``target_price`` is ``{"from_analysis": ...}``; part of
    the signed terms, so that both parties sign the number and how it was derived."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    analysis_id: str = Field(min_length=1, max_length=40)
    risk_factor: str = Field(min_length=1, max_length=40)
    baseline_start: date
    baseline_end: date
    claims_cutoff: date
    episodes: int = Field(ge=1)
    baseline_mean: DecimalText = Field(description="Winsorised mean spending of the baseline episodes, USD.")
    trend: DecimalText
    risk_ratio: DecimalText
    recommended_target_price: DecimalText = Field(description="baseline_mean x trend x risk_ratio, USD.")
    interval_low: DecimalText = Field(description="90 % bootstrap interval of the recommendation, low end.")
    interval_high: DecimalText
    seed: int = Field(ge=0, description="The bootstrap's seed: the interval reproduces with it.")


class TargetPriceFromAnalysis(BaseModel):
    """In a proposal: take the target price from an episode analysis's recommendation."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "example": {"from_analysis": "ana_01JD7Q5Z000000000000000001", "risk_factor": "all"}
        },
    )

    from_analysis: str = Field(
        min_length=1, max_length=40, description="A done analysis of the proposing ACO."
    )
    risk_factor: str = Field("all", min_length=1, max_length=40, description="The recommendation's entry.")


TERMS_EXAMPLE: dict[str, Any] = {
    "target_price": "1200.00",
    "price_adjustment_pct": "-2",
    "savings_share_pct": "50",
    "loss_share_pct": "25",
    "performance_adjustment_pct": "20",
    "loss_quality_relief_pct": "10",
    "quality_measures": [{"measure_id": "Q155", "weight": "1"}, {"measure_id": "Q318", "weight": "1"}],
    "stop_gain_pct": "20",
    "stop_loss_pct": "20",
    "min_episodes": 11,
    "runout_days": 90,
}


class Terms(BaseModel):
    """The negotiated terms of an arrangement (docs/method.md section 2). Percentages: `"12.5"` is 12.5%."""

    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra={"example": TERMS_EXAMPLE})

    target_price: PriceText | None = Field(
        default=None,
        # Absent, never null, in a document: the schema stays a decimal string.
        json_schema_extra=_absent_not_null,
        exclude_if=_is_none,
        description="Base target per episode, USD (two places). Exactly one of `target_price` and "
        "`target_prices`.",
    )
    # Added with inpatient anchors; absent, it stays out of the terms hash (omit_none).
    target_prices: dict[RiskFactorId, PriceText] | None = Field(
        default=None,
        json_schema_extra=_absent_not_null,
        exclude_if=_is_none,
        min_length=1,
        max_length=100,
        description="Base target per episode of each risk factor (price group) of the definition's "
        'inpatient anchor, USD (two places): `{"DRG470": "24500.00"}`. Every risk factor '
        "must be priced.",
    )
    price_adjustment_pct: DecimalText = Field(
        ge=-50,
        le=50,
        max_digits=8,
        decimal_places=4,
        description="Discount (negative) or premium (positive) on the target.",
    )
    savings_share_pct: DecimalText = Field(
        ge=0, le=100, max_digits=8, decimal_places=4, description="Provider's share of savings."
    )
    loss_share_pct: DecimalText = Field(
        ge=0,
        le=100,
        max_digits=8,
        decimal_places=4,
        description="Provider's share of losses (0 = upside only).",
    )
    performance_adjustment_pct: DecimalText = Field(
        ge=10,
        le=100,
        max_digits=8,
        decimal_places=4,
        description="Part of positive savings at risk on quality.",
    )
    loss_quality_relief_pct: DecimalText = Field(
        Decimal("10"),
        ge=0,
        le=10,
        max_digits=8,
        decimal_places=4,
        description="Part of a repayment forgiven at perfect quality.",
    )
    quality_measures: list[QualityMeasureChoice] = Field(
        min_length=1, max_length=50, description="One or more of the definition's measures."
    )
    stop_gain_pct: DecimalText = Field(
        Decimal("20"),
        ge=0,
        le=100,
        max_digits=8,
        decimal_places=4,
        description="Cap on a payment, as a share of total target.",
    )
    stop_loss_pct: DecimalText = Field(
        Decimal("20"),
        ge=0,
        le=100,
        max_digits=8,
        decimal_places=4,
        description="Cap on a repayment, as a share of total target.",
    )
    min_episodes: int = Field(
        0, ge=0, le=1_000_000, description="Below this many episodes, no repayment is owed."
    )
    runout_days: int = Field(
        90, ge=0, le=365, description="Claims run-out after period end before a settlement is final."
    )
    overrides: Overrides | None = Field(
        None, description="Max-flex only: replaces trigger and/or episode length; needs ops approval."
    )
    quality_reporter: QualityReporter = Field(
        DEFAULT_QUALITY_REPORTER,
        description="Which party reports the quality data: `provider` (default), `aco` or `either`; "
        "the other party's report is refused (403).",
    )

    target_price_source: TargetPriceSource | None = Field(
        None,
        description="Set by the service when a proposal took the target price from an episode "
        'analysis (`target_price: {"from_analysis": ...}`); kept by revisions that keep the price.',
    )

    @model_validator(mode="after")
    def _one_target(self) -> Terms:
        if (self.target_price is None) == (self.target_prices is None):
            raise ValueError("give exactly one of target_price and target_prices")
        return self

    def base_target(self, risk_factor_id: str | None) -> Decimal:
        """The base target of an episode (of the risk factor ``risk_factor_id``, under
        ``target_prices``)."""
        if self.target_prices is None:
            assert self.target_price is not None
            return self.target_price
        assert risk_factor_id is not None, "target_prices price episodes of a risk factor"
        return self.target_prices[risk_factor_id]

    @model_validator(mode="after")
    def _distinct_measures(self) -> Terms:
        ids = [m.measure_id for m in self.quality_measures]
        if len(set(ids)) != len(ids):
            raise ValueError("a quality measure appears twice in quality_measures")
        return self


class Period(BaseModel):
    """The performance period, within 2027-01-01 .. 2036-12-31."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={"example": {"start": "2027-01-01", "end": "2027-12-31"}},
    )

    start: date = Field(ge=PERIOD_MIN, le=PERIOD_MAX)
    end: date = Field(ge=PERIOD_MIN, le=PERIOD_MAX)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.start > self.end:
            raise ValueError("period start is after its end")
        return self


def outside_period(
    *, start: date, end: date, days: dict[str, date], message: str = "must be within {start} .. {end}"
) -> list[FieldError]:
    """The rule "a date must lie within the arrangement's period" (both ends included), written once:
    a field error, at its location, for each of ``days`` outside ``start .. end``."""
    return [
        FieldError(location=location, message=message.format(start=start, end=end))
        for location, day in days.items()
        if not start <= day <= end
    ]


class EpisodeRef(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"example": {"code": "FALLS-PREV", "version": 1}}
    )

    code: str = Field(min_length=1, max_length=40)
    version: int = Field(ge=1, le=10_000)


# ---- the terms hash (docs/method.md section 2) ----------------------------------------------------------


def _hashed_terms(terms: Terms) -> dict[str, Any]:
    """The terms as they enter the hash. A term added after arrangements were signed is left out
    while it has its default value, so that every hash signed before it existed stays the same
    (``quality_reporter``: the provider reports unless the terms say otherwise)."""
    document = terms.model_dump(mode="python")
    if document.get("quality_reporter") == DEFAULT_QUALITY_REPORTER:
        del document["quality_reporter"]
    return document


def canonical_json(
    *,
    aco_id: str,
    provider_id: str,
    definition_code: str,
    definition_version: int,
    period: Period,
    terms: Terms,
    effective_from: date | None = None,
) -> str:
    """The text the terms hash is taken of. ``effective_from`` (an amendment's first day) enters
    it, as a top-level ``"effective_from"``, only when it is after the period's start: the start
    is what every version meant before amendments had a date, so those hashes stay the same,
    while an amendment taking effect later binds its signatures to that date too."""
    document: dict[str, Any] = {
        "aco_id": aco_id,
        "provider_id": provider_id,
        "definition": {"code": definition_code, "version": definition_version},
        "period": {"start": period.start, "end": period.end},
        "terms": _hashed_terms(terms),
    }
    if effective_from is not None and effective_from != period.start:
        document["effective_from"] = effective_from
    # Absent values are left out: "no overrides" and "overrides: null" are the same terms.
    return canonical.canonical_json(document, omit_none=True)


def terms_sha256(
    *,
    aco_id: str,
    provider_id: str,
    definition_code: str,
    definition_version: int,
    period: Period,
    terms: Terms,
    effective_from: date | None = None,
) -> str:
    text = canonical_json(
        aco_id=aco_id,
        provider_id=provider_id,
        definition_code=definition_code,
        definition_version=definition_version,
        period=period,
        terms=terms,
        effective_from=effective_from,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---- what other domains read ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TermsInForce:
    """An executed terms version and the days (``start`` .. ``end``, both included) on which an
    episode triggering settles under it."""

    version: int
    terms: Terms
    terms_sha256: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class InForceArrangement:
    """The executed version of an arrangement that settlements and episodes work from."""

    id: str
    status: str
    aco_id: str
    provider_id: str
    # The practice's roster over the period: which NPI may open an episode on which days.
    provider_roster: tuple[Stay, ...]
    period_start: date
    period_end: date
    termination_date: date | None
    version: int
    terms: Terms
    terms_sha256: str
    definition: EpisodeDefinitionSpec
    definition_code: str
    definition_version: int
    # The executed versions over the period in date order, each with its days; the last one is
    # ``version`` above (a settlement narrows both to its own period).
    terms_versions: tuple[TermsInForce, ...] = ()


# ---- HTTP shapes ------------------------------------------------------------------------------

ArrangementStatus = Literal[
    "draft",
    "partially_signed",
    "executed",
    "pending_approval",
    "rejected",
    "declined",
    "withdrawn",
    "terminated",
]


class ProposedTerms(Terms):
    """The terms of a proposal: the target price a decimal string, or taken from an analysis."""

    target_price: Annotated[  # type: ignore[assignment]
        DecimalText | TargetPriceFromAnalysis | None,
        Field(
            default=None,
            description="Base target per episode, USD (a decimal string, two places), or "
            '`{"from_analysis": "<id>", "risk_factor": "all"}`: the recommendation of a done episode '
            "analysis of the ACO (docs/analyses.md), stored as the number with its provenance in "
            "`target_price_source`. Exactly one of `target_price` and `target_prices`.",
        ),
    ]

    @field_validator("target_price", mode="before")
    @classmethod
    def _decimal_price(cls, value: Any) -> Any:
        """A decimal price is checked as :class:`Terms` checks it, its errors at this field."""
        if value is None or isinstance(value, dict | TargetPriceFromAnalysis):
            return value
        try:
            return _TARGET_PRICE.validate_python(value)
        except ValidationError as exc:
            raise PydanticCustomError("target_price", exc.errors()[0]["msg"]) from None


_TARGET_PRICE: TypeAdapter[Decimal] = TypeAdapter(
    Annotated[DecimalText, Field(gt=0, max_digits=14, decimal_places=2)]
)


class ArrangementCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "aco_id": "org_01JD7Q5Z00000000000000ACO1",
                "provider_id": "org_01JD7Q5Z00000000000000PRV1",
                "episode": {"code": "FALLS-PREV", "version": 1},
                "period": {"start": "2027-01-01", "end": "2027-12-31"},
                "terms": TERMS_EXAMPLE,
            }
        },
    )

    aco_id: str = Field(min_length=1, max_length=40)
    provider_id: str = Field(min_length=1, max_length=40)
    episode: EpisodeRef
    period: Period
    terms: ProposedTerms


class TermsChange(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"terms": TERMS_EXAMPLE}})

    terms: Terms


class AmendmentCreate(BaseModel):
    """An amendment of an executed arrangement: new terms, from a day within the period."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"terms": TERMS_EXAMPLE, "effective_from": "2027-07-01"}},
    )

    terms: Terms
    effective_from: date | None = Field(
        None,
        description="The first day the new terms apply to, within the period: once the amendment is "
        "executed, episodes triggered on or after it settle under the new terms, earlier ones under "
        "the terms in force on their trigger date. Default: the period's start (the new terms "
        "replace the old ones for the whole period). A later date enters the terms hash.",
    )


class RenewalCreate(BaseModel):
    """A renewal: the following period and the terms in force, unless given here."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"period": {"start": "2028-01-01", "end": "2028-12-31"}}},
    )

    period: Period | None = Field(
        None,
        description="Default: right after the renewed period, as long (whole calendar months when the "
        "renewed period is whole months, else as many days). Must start after the renewed period ends.",
    )
    terms: Terms | None = Field(None, description="Default: the terms of the version in force.")


class SignatureCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "signer_name": "Dana Reyes",
                "signer_title": "Chief Executive Officer",
                "terms_sha256": "9f2c" + "0" * 60,
            }
        },
    )

    signer_name: str = Field(min_length=1, max_length=200)
    signer_title: str = Field(min_length=1, max_length=200)
    terms_sha256: str = Field(pattern=r"^[0-9a-f]{64}$", description="The terms hash the signer saw.")


class DeclineRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"reason": "Target price too low"}}
    )

    reason: str = Field(min_length=1, max_length=2000)


class TerminateRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"effective_date": "2027-07-01", "reason": "Practice closing"}},
    )

    effective_date: date
    reason: str = Field(min_length=1, max_length=2000)


class ReviewRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"reason": "Trigger too broad"}})

    reason: str | None = Field(None, max_length=2000)


class Signature(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"organization_id": "org_1", "key_id": "key_1"}})

    organization_id: str
    organization_name: str | None = Field(
        description="The signing organisation's name when it signed (null only on a signature made "
        "while a deployment of the previous release was rolling over)."
    )
    key_id: str
    signer_name: str
    signer_title: str
    signed_at: datetime
    terms_sha256: str
    version: int


class TermsDays(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={"example": {"version": 2, "start": "2027-07-01", "end": "2027-12-31"}}
    )

    version: int
    terms_sha256: str
    start: date = Field(description="The first trigger date settled under this version.")
    end: date = Field(description="The last trigger date settled under this version.")


class ArrangementVersionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"version": 1, "terms": TERMS_EXAMPLE}})

    version: int
    kind: Literal["initial", "revision", "amendment"]
    terms: Terms
    terms_sha256: str
    effective_from: date = Field(
        description="The first day this version's terms apply to (the period's start except for an "
        "amendment given a later effective date)."
    )
    created_by: str
    created_at: datetime
    signatures: list[Signature]


class ArrangementOut(BaseModel):
    """An arrangement: its latest version's terms and signatures, and the version in force."""

    model_config = ConfigDict(
        json_schema_extra={"example": {"id": "arr_01", "status": "draft", "version": 1}}
    )

    id: str
    status: ArrangementStatus
    active: bool = Field(description="Executed (or terminated after today) and today within the period.")
    version: int = Field(description="The latest version (the one signatures are collected for).")
    version_in_force: int | None = Field(description="The executed version in force, if any.")
    aco_id: str
    provider_id: str
    proposer_id: str
    episode: EpisodeRef
    period: Period
    terms: Terms
    terms_sha256: str
    effective_from: date = Field(
        description="The first day the latest version's terms apply to once executed (the period's "
        "start unless an amendment names a later day)."
    )
    signatures: list[Signature]
    terms_in_force: list[TermsDays] = Field(
        description="The executed versions and the days of the period on which an episode "
        "triggering settles under each (several once an amendment takes effect part way through); "
        "empty until a version is executed."
    )
    termination_date: date | None
    termination_reason: str | None
    decline_reason: str | None
    renewal_of: str | None = Field(description="The arrangement this one renews, if it is a renewal.")
    renewed_by: str | None = Field(
        description="The latest renewal proposed of this arrangement (follow it for its status), if any."
    )
    allowed_actions: list[str] = Field(description="What the caller may do now.")
    created_at: datetime
    updated_at: datetime
