"""Episode analyses: one row per analysis (the request, its status, the totals and the
target-price recommendation) and its report rows (one per practice and one per NPI).

Both carry ``aco_id``: an analysis reads one ACO's claims and only that ACO (and ops) may read it
back; on a distributed database the rows live beside the ACO's claims.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.clock import utcnow
from service.kit.db import Base, Money, ScaledDecimal, UTCDateTime


class EpisodeAnalysis(Base):
    """An analysis of the episodes a definition would have opened in the ACO's claims of a
    baseline period. ``status``: queued -> running -> done | failed."""

    __tablename__ = "episode_analysis"
    __table_args__ = (Index("ix_episode_analysis_status", "status", "created_at"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    aco_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    requested_by: Mapped[str] = mapped_column(String(40))  # organisation id
    key_id: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12))
    definition_code: Mapped[str] = mapped_column(String(40))
    definition_version: Mapped[int] = mapped_column(Integer)
    baseline_start: Mapped[date] = mapped_column(Date)
    baseline_end: Mapped[date] = mapped_column(Date)
    claims_cutoff: Mapped[date] = mapped_column(Date)
    # The practices and NPIs asked about (empty: every rendering NPI).
    practice_ids: Mapped[list[str]] = mapped_column(JSON)
    npis: Mapped[list[str]] = mapped_column(JSON)
    # Recommendation parameters, as asked (or defaulted) and stored so that it reproduces.
    trend: Mapped[Decimal] = mapped_column(ScaledDecimal(6, 12))
    target_mean_risk_score: Mapped[Decimal | None] = mapped_column(ScaledDecimal(4, 10))
    price_adjustment_pct: Mapped[Decimal] = mapped_column(ScaledDecimal(4, 10))
    seed: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(String(500))
    # Filled when done: the totals and the recommendation (JSON, decimals as strings).
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    recommendation: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class EpisodeAnalysisRow(Base):
    """One line of an analysis's report: a practice (``level`` ``practice``; ``practice_id``
    null for episodes triggered by clinicians on no practice's roster) or one NPI."""

    __tablename__ = "episode_analysis_row"

    # The ACO leads the key: the table is distributed by it (docs/scaling.md).
    aco_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    analysis_id: Mapped[str] = mapped_column(ForeignKey("episode_analysis.id"), primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    level: Mapped[str] = mapped_column(String(10))  # practice | npi
    practice_id: Mapped[str | None] = mapped_column(String(40))
    practice_name: Mapped[str | None] = mapped_column(String(200))
    npi: Mapped[str | None] = mapped_column(String(10))
    episodes: Mapped[int] = mapped_column(Integer)
    total_spending: Mapped[Decimal] = mapped_column(Money())
    mean_spending: Mapped[Decimal] = mapped_column(Money())
    winsorised_mean_spending: Mapped[Decimal] = mapped_column(Money())
    median_spending: Mapped[Decimal] = mapped_column(Money())
    p10_spending: Mapped[Decimal] = mapped_column(Money())
    p90_spending: Mapped[Decimal] = mapped_column(Money())
    mean_risk_score: Mapped[Decimal] = mapped_column(ScaledDecimal(4, 10))
    spending_outside_arrangements: Mapped[Decimal] = mapped_column(Money())
    leakage_share: Mapped[Decimal] = mapped_column(ScaledDecimal(6, 10))
