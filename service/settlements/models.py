"""Quality reports and their versions, settlements (one row per revision), their per-episode
lines, and the parties' acceptances and disputes of a settlement.

Episodes themselves are not stored: they are recomputed from the claims whenever they are asked
for (service/episodes). A settlement stores the figures it produced, the inputs behind them and
what it could read (``sources``), so that it can be recomputed exactly.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.clock import utcnow
from service.kit.db import Base, Money, ScaledDecimal, UTCDateTime


class QualityReport(Base):
    """The current quality data of one arrangement and performance period: a copy of its latest
    version (``revision``). Every version is kept in :class:`QualityReportVersion`."""

    __tablename__ = "quality_report"
    __table_args__ = (UniqueConstraint("arrangement_id", "period_start"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    arrangement_id: Mapped[str] = mapped_column(ForeignKey("arrangement.id"))
    period_start: Mapped[date] = mapped_column(Date)
    # [{"measure_id": "Q155", "numerator": 8, "denominator": 10}, ...]
    measures: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    revision: Mapped[int] = mapped_column(Integer)
    reported_by: Mapped[str] = mapped_column(String(40))  # organisation id
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class QualityReportVersion(Base):
    """One version of a period's quality data, as submitted; never updated or deleted."""

    __tablename__ = "quality_report_version"
    __table_args__ = (UniqueConstraint("report_id", "version"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("quality_report.id"), index=True)
    arrangement_id: Mapped[str] = mapped_column(ForeignKey("arrangement.id"))
    period_start: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    measures: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    organization_id: Mapped[str] = mapped_column(String(40))
    key_id: Mapped[str] = mapped_column(String(40))
    attestation: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Settlement(Base):
    """One revision of the settlement of an arrangement and period. ``final`` never changes."""

    __tablename__ = "settlement"
    __table_args__ = (UniqueConstraint("arrangement_id", "period_start", "period_end", "revision"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    arrangement_id: Mapped[str] = mapped_column(ForeignKey("arrangement.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))  # draft | final | superseded
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    claims_cutoff: Mapped[date] = mapped_column(Date)
    terms_version: Mapped[int] = mapped_column(Integer)
    terms_sha256: Mapped[str] = mapped_column(String(64))
    definition_code: Mapped[str] = mapped_column(String(40))
    definition_version: Mapped[int] = mapped_column(Integer)
    n_episodes: Mapped[int] = mapped_column(Integer)
    n_excluded: Mapped[int] = mapped_column(Integer)
    total_target: Mapped[Decimal] = mapped_column(Money())
    total_actual: Mapped[Decimal] = mapped_column(Money())
    savings: Mapped[Decimal] = mapped_column(Money())
    # q and R are exact to many places; stored at 12 places for display (the amount is computed
    # from the unrounded figures, and recomputing from the inputs reproduces it).
    quality_score: Mapped[Decimal] = mapped_column(ScaledDecimal(12, 14))
    shared_before_caps: Mapped[Decimal] = mapped_column(ScaledDecimal(6, 20))
    stop_gain_limit: Mapped[Decimal] = mapped_column(ScaledDecimal(6, 20))
    stop_loss_limit: Mapped[Decimal] = mapped_column(ScaledDecimal(6, 20))
    cap_bound: Mapped[str | None] = mapped_column(String(12))
    below_min_episodes: Mapped[bool] = mapped_column(Boolean)
    settlement_amount: Mapped[Decimal] = mapped_column(Money())
    delta: Mapped[Decimal | None] = mapped_column(Money())
    delta_against: Mapped[str | None] = mapped_column(String(40))  # the final settlement compared with
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    inputs_sha256: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finalized_by: Mapped[str | None] = mapped_column(String(40))
    finalized_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Ops finalised before the claims cutoff had passed, and said why.
    override_reason: Mapped[str | None] = mapped_column(String(2000))
    # The final revision that replaced this one (status superseded).
    superseded_by: Mapped[str | None] = mapped_column(String(40))
    # What the run could read, for an exact recompute: the uploads, the quality report version,
    # the practice's NPIs, the termination date, the other arrangements' final settlements
    # consulted. NULL for settlements stored before it was recorded.
    sources: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # The figures per terms version (an amendment taking effect during the period gives several):
    # version, terms hash, the days it covered, n, T_v, A_v, S_v, R_v and its cap limits. NULL for
    # settlements stored before amendments took effect on a date.
    terms_versions: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)


class SettlementLine(Base):
    """One settled episode of a settlement: how its target and counted spending came about."""

    __tablename__ = "settlement_line"

    settlement_id: Mapped[str] = mapped_column(ForeignKey("settlement.id"), primary_key=True)
    episode_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    mbi: Mapped[str] = mapped_column(String(11))
    trigger_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    trigger_claim_id: Mapped[str] = mapped_column(String(64))
    risk_factor: Mapped[Decimal] = mapped_column(ScaledDecimal(4, 10))
    target: Mapped[Decimal] = mapped_column(Money())
    spending: Mapped[Decimal] = mapped_column(Money())
    outlier_cap: Mapped[Decimal] = mapped_column(Money())
    actual: Mapped[Decimal] = mapped_column(Money())
    capped: Mapped[bool] = mapped_column(Boolean)
    # The terms version the episode settled under (the one in force on its trigger date); NULL
    # on lines stored before amendments took effect on a date (the settlement's terms_version).
    terms_version: Mapped[int | None] = mapped_column(Integer)
    # Where the HCC score behind the risk factor came from: "uploaded", "computed: <model>", or
    # NULL (no score, read as 1.0; and lines stored before scores were computed).
    hcc_source: Mapped[str | None] = mapped_column(String(80))
    # The price group whose target priced the episode (an inpatient anchor's risk factor, under
    # terms with target_prices); NULL under a single target price, and on lines stored before.
    price_group: Mapped[str | None] = mapped_column(String(40))


class SettlementExclusion(Base):
    """One episode of a settlement's period that was found but not settled, with why: kept so
    that the statement shows every episode and its claim lines can be checked like a line's."""

    __tablename__ = "settlement_exclusion"

    settlement_id: Mapped[str] = mapped_column(ForeignKey("settlement.id"), primary_key=True)
    episode_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    mbi: Mapped[str] = mapped_column(String(11))
    trigger_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    trigger_claim_id: Mapped[str] = mapped_column(String(64))
    exclusion_reason: Mapped[str] = mapped_column(String(24))
    spending: Mapped[Decimal] = mapped_column(Money())


class SettlementAcceptance(Base):
    """A party's acceptance of a draft settlement: which organisation, with which key, when."""

    __tablename__ = "settlement_acceptance"
    __table_args__ = (UniqueConstraint("settlement_id", "organization_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    settlement_id: Mapped[str] = mapped_column(ForeignKey("settlement.id"), index=True)
    organization_id: Mapped[str] = mapped_column(String(40))
    key_id: Mapped[str] = mapped_column(String(40))
    accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SettlementDispute(Base):
    """A party's dispute of a draft settlement (whole, or named lines) and how ops resolved it."""

    __tablename__ = "settlement_dispute"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    settlement_id: Mapped[str] = mapped_column(ForeignKey("settlement.id"), index=True)
    arrangement_id: Mapped[str] = mapped_column(ForeignKey("arrangement.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    organization_id: Mapped[str] = mapped_column(String(40))
    key_id: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(String(2000))
    line_ids: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12))  # open | upheld | rejected
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolution_note: Mapped[str | None] = mapped_column(String(2000))
    resolved_by: Mapped[str | None] = mapped_column(String(40))
    resolved_key_id: Mapped[str | None] = mapped_column(String(40))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
