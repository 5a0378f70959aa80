"""Queries and bulk writes of quality reports, settlements and settlement lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import Select, Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.arrangements.models import Arrangement
from service.kit.db import insert_rows
from service.settlements.models import QualityReport, Settlement, SettlementLine


async def lock_arrangement(session: AsyncSession, arrangement_id: str) -> None:
    """Serialise revision numbering per arrangement (a row lock on PostgreSQL; SQLite already
    serialises writing transactions)."""
    await session.execute(select(Arrangement.id).where(Arrangement.id == arrangement_id).with_for_update())


async def parties_of(session: AsyncSession, arrangement_id: str) -> tuple[str, str] | None:
    row = (
        await session.execute(
            select(Arrangement.aco_id, Arrangement.provider_id).where(Arrangement.id == arrangement_id)
        )
    ).first()
    return None if row is None else (row.aco_id, row.provider_id)


async def quality_report(
    session: AsyncSession, arrangement_id: str, period_start: date
) -> QualityReport | None:
    return await session.scalar(
        select(QualityReport).where(
            QualityReport.arrangement_id == arrangement_id, QualityReport.period_start == period_start
        )
    )


async def next_revision(
    session: AsyncSession, arrangement_id: str, period_start: date, period_end: date
) -> int:
    current = await session.scalar(
        select(func.max(Settlement.revision)).where(
            Settlement.arrangement_id == arrangement_id,
            Settlement.period_start == period_start,
            Settlement.period_end == period_end,
        )
    )
    return int(current or 0) + 1


async def last_final(
    session: AsyncSession, arrangement_id: str, period_start: date, period_end: date
) -> Settlement | None:
    return await session.scalar(
        select(Settlement)
        .where(
            Settlement.arrangement_id == arrangement_id,
            Settlement.period_start == period_start,
            Settlement.period_end == period_end,
            Settlement.status == "final",
        )
        .order_by(Settlement.revision.desc())
        .limit(1)
    )


async def get_settlement(
    session: AsyncSession, settlement_id: str, *, lock: bool = False
) -> Settlement | None:
    stmt = select(Settlement).where(Settlement.id == settlement_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(stmt)


async def all_lines(session: AsyncSession, settlement_id: str) -> Sequence[SettlementLine]:
    stmt = lines_of(settlement_id).order_by(SettlementLine.episode_id)
    return (await session.scalars(stmt)).all()


def lines_of(settlement_id: str) -> Select[Any]:
    return select(SettlementLine).where(SettlementLine.settlement_id == settlement_id)


async def add_lines(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Append settlement lines (tens of thousands per settlement)."""
    await insert_rows(session, cast(Table, SettlementLine.__table__), rows)
