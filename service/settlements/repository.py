"""Queries and bulk writes of quality reports, settlements and settlement lines."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, cast

from sqlalchemy import Select, Table, delete, func, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.arrangements.models import Arrangement
from service.definitions.service import CompiledDefinition
from service.ingest.repository import claim_line_record, counting_version
from service.kit.db import insert_rows, insert_tuples
from service.settlements.models import (
    QualityReport,
    QualityReportVersion,
    Settlement,
    SettlementAcceptance,
    SettlementDispute,
    SettlementExclusion,
    SettlementLine,
)


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


async def termination_date(session: AsyncSession, arrangement_id: str) -> date | None:
    value: date | None = await session.scalar(
        select(Arrangement.termination_date).where(Arrangement.id == arrangement_id)
    )
    return value


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


async def latest_revision(
    session: AsyncSession,
    arrangement_id: str,
    period_start: date,
    period_end: date,
    *,
    before: int | None = None,
) -> Settlement | None:
    """The highest revision of (arrangement, period); with ``before``, the highest below it."""
    stmt = select(Settlement).where(
        Settlement.arrangement_id == arrangement_id,
        Settlement.period_start == period_start,
        Settlement.period_end == period_end,
    )
    if before is not None:
        stmt = stmt.where(Settlement.revision < before)
    return await session.scalar(stmt.order_by(Settlement.revision.desc()).limit(1))


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


async def add_lines(session: AsyncSession, rows: Sequence[tuple[Any, ...]]) -> None:
    """Append settlement lines (tens of thousands per settlement), each a tuple in the table's
    column order."""
    await insert_tuples(session, cast(Table, SettlementLine.__table__), rows)


async def add_exclusions(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Append the episodes a settlement found but did not settle."""
    await insert_rows(session, cast(Table, SettlementExclusion.__table__), rows)


async def all_exclusions(session: AsyncSession, settlement_id: str) -> Sequence[SettlementExclusion]:
    stmt = (
        select(SettlementExclusion)
        .where(SettlementExclusion.settlement_id == settlement_id)
        .order_by(SettlementExclusion.episode_id)
    )
    return (await session.scalars(stmt)).all()


async def get_line(session: AsyncSession, settlement_id: str, line_id: str) -> SettlementLine | None:
    return await session.get(SettlementLine, (settlement_id, line_id))


async def period_finals(
    session: AsyncSession, arrangement_id: str, period_start: date, period_end: date, *, below: int
) -> Sequence[Settlement]:
    """The revisions of (arrangement, period) below ``below`` that were finalised (final or
    superseded since), oldest first."""
    stmt = (
        select(Settlement)
        .where(
            Settlement.arrangement_id == arrangement_id,
            Settlement.period_start == period_start,
            Settlement.period_end == period_end,
            Settlement.revision < below,
            Settlement.status.in_(("final", "superseded")),
        )
        .order_by(Settlement.revision)
    )
    return (await session.scalars(stmt)).all()


async def delete_settlement(session: AsyncSession, settlement: Settlement) -> None:
    """Remove a draft written in this transaction (a re-run that turned out to be a copy)."""
    await session.execute(
        delete(SettlementExclusion).where(SettlementExclusion.settlement_id == settlement.id)
    )
    await session.execute(delete(SettlementLine).where(SettlementLine.settlement_id == settlement.id))
    await session.delete(settlement)
    await session.flush()


async def existing_line_ids(session: AsyncSession, settlement_id: str, line_ids: Sequence[str]) -> set[str]:
    if not line_ids:
        return set()
    stmt = select(SettlementLine.episode_id).where(
        SettlementLine.settlement_id == settlement_id, SettlementLine.episode_id.in_(sorted(set(line_ids)))
    )
    return set((await session.scalars(stmt)).all())


# ---- quality versions ----------------------------------------------------------------------


async def latest_quality_version(
    session: AsyncSession, arrangement_id: str, period_start: date
) -> QualityReportVersion | None:
    return await session.scalar(
        select(QualityReportVersion)
        .where(
            QualityReportVersion.arrangement_id == arrangement_id,
            QualityReportVersion.period_start == period_start,
        )
        .order_by(QualityReportVersion.version.desc())
        .limit(1)
    )


async def quality_version(session: AsyncSession, version_id: str) -> QualityReportVersion | None:
    return await session.get(QualityReportVersion, version_id)


def quality_versions_of(arrangement_id: str, period_start: date | None) -> Select[Any]:
    stmt = select(QualityReportVersion).where(QualityReportVersion.arrangement_id == arrangement_id)
    if period_start is not None:
        stmt = stmt.where(QualityReportVersion.period_start == period_start)
    return stmt


# ---- listing -------------------------------------------------------------------------------


def settlements_stmt(
    *,
    org_id: str | None,
    arrangement_id: str | None,
    status: str | None,
    period_start: date | None,
) -> Select[Any]:
    """Settlements of the arrangements ``org_id`` is party to (None: every one), filtered."""
    stmt = select(Settlement)
    if org_id is not None:
        stmt = stmt.join(Arrangement, Arrangement.id == Settlement.arrangement_id).where(
            or_(Arrangement.aco_id == org_id, Arrangement.provider_id == org_id)
        )
    if arrangement_id is not None:
        stmt = stmt.where(Settlement.arrangement_id == arrangement_id)
    if status is not None:
        stmt = stmt.where(Settlement.status == status)
    if period_start is not None:
        stmt = stmt.where(Settlement.period_start == period_start)
    return stmt


# ---- one payment per episode ---------------------------------------------------------------


async def finals_elsewhere(
    session: AsyncSession, *, aco_id: str, definition_code: str, excluding: str
) -> list[str]:
    """The current final settlements of the ACO's other arrangements for the same episode code."""
    stmt = (
        select(Settlement.id)
        .join(Arrangement, Arrangement.id == Settlement.arrangement_id)
        .where(
            Arrangement.aco_id == aco_id,
            Arrangement.definition_code == definition_code,
            Arrangement.id != excluding,
            Settlement.status == "final",
        )
        .order_by(Settlement.id)
    )
    return list((await session.scalars(stmt)).all())


async def episodes_of(
    session: AsyncSession, settlement_ids: Sequence[str], first: date, last: date
) -> frozenset[tuple[str, date]]:
    """(mbi, trigger date) of the lines of ``settlement_ids`` triggered ``first`` .. ``last``."""
    if not settlement_ids:
        return frozenset()
    stmt = select(SettlementLine.mbi, SettlementLine.trigger_date).where(
        SettlementLine.settlement_id.in_(list(settlement_ids)),
        SettlementLine.trigger_date >= first,
        SettlementLine.trigger_date <= last,
    )
    return frozenset((row.mbi, row.trigger_date) for row in await session.execute(stmt))


# ---- acceptances and disputes --------------------------------------------------------------


async def acceptances_of(
    session: AsyncSession, settlement_ids: Sequence[str]
) -> Sequence[SettlementAcceptance]:
    if not settlement_ids:
        return []
    stmt = (
        select(SettlementAcceptance)
        .where(SettlementAcceptance.settlement_id.in_(list(settlement_ids)))
        .order_by(SettlementAcceptance.id)
    )
    return (await session.scalars(stmt)).all()


async def disputes_of(session: AsyncSession, settlement_ids: Sequence[str]) -> Sequence[SettlementDispute]:
    if not settlement_ids:
        return []
    stmt = (
        select(SettlementDispute)
        .where(SettlementDispute.settlement_id.in_(list(settlement_ids)))
        .order_by(SettlementDispute.id)
    )
    return (await session.scalars(stmt)).all()


async def period_disputes(
    session: AsyncSession, arrangement_id: str, period_start: date, period_end: date
) -> Sequence[SettlementDispute]:
    """Every dispute of any revision of (arrangement, period), oldest first."""
    stmt = (
        select(SettlementDispute)
        .where(
            SettlementDispute.arrangement_id == arrangement_id,
            SettlementDispute.period_start == period_start,
            SettlementDispute.period_end == period_end,
        )
        .order_by(SettlementDispute.id)
    )
    return (await session.scalars(stmt)).all()


async def get_dispute(
    session: AsyncSession, dispute_id: str, *, lock: bool = False
) -> SettlementDispute | None:
    stmt = select(SettlementDispute).where(SettlementDispute.id == dispute_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(stmt)


# ---- a preview's projection (service/settlements/projection.py) -------------------------------


def _counted_lines(
    *, aco_id: str, cutoff: date, definition: CompiledDefinition, uploads: Sequence[str] | None
) -> tuple[Any, list[Any]]:
    """The claim line versions an episode's spending sums (episodes' window_sums conditions
    without the window): the alias and its conditions."""
    line = claim_line_record.alias("line")
    return line, [
        line.c.claim_type.in_(sorted(definition.included_claim_types)),
        not_(definition.excluded_principal.sql_condition(line.c.principal_diagnosis)),
        *counting_version(line, aco_id, cutoff, uploads=uploads),
    ]


def received_by_day(
    *, aco_id: str, cutoff: date, definition: CompiledDefinition, uploads: Sequence[str] | None, first: date
) -> Select[Any]:
    """(service date, received date, allowed amount) summed over the counted lines dated from
    ``first`` to the cutoff: the cells of the claims development triangle."""
    line, conditions = _counted_lines(aco_id=aco_id, cutoff=cutoff, definition=definition, uploads=uploads)
    return (
        select(line.c.from_date, line.c.received_date, func.sum(line.c.allowed_amount))
        .where(line.c.from_date >= first, line.c.from_date <= cutoff, *conditions)
        .group_by(line.c.from_date, line.c.received_date)
    )


def spending_by_day(
    *,
    aco_id: str,
    cutoff: date,
    definition: CompiledDefinition,
    uploads: Sequence[str] | None,
    first: date,
    last: date,
) -> Select[Any]:
    """(MBI, service date, allowed amount) summed over the counted lines dated ``first`` ..
    ``last``: each episode's spending by day of episode."""
    line, conditions = _counted_lines(aco_id=aco_id, cutoff=cutoff, definition=definition, uploads=uploads)
    return (
        select(line.c.mbi, line.c.from_date, func.sum(line.c.allowed_amount))
        .where(line.c.from_date >= first, line.c.from_date <= last, *conditions)
        .group_by(line.c.mbi, line.c.from_date)
    )
