"""The episode engine's SQL: trigger candidates, a per-connection table of episode windows, and
the set-based sum of each window's spending.

Everything is built on ingest's ``counting_claim_lines`` (the version of each claim line that
counts as of a cutoff) and ``current_alignment``; no claim line is ever loaded into Python except
the few trigger candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    and_,
    func,
    insert,
    not_,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncResult, AsyncSession

from service.definitions.service import CompiledDefinition
from service.ingest.repository import counting_claim_lines, current_alignment
from service.kit.db import ScaledDecimal

# Not part of the application's metadata (no migration): a TEMPORARY table, private to the
# database connection, created and dropped around each computation.
_TEMP_METADATA = MetaData()
episode_window = Table(
    "episode_window",
    _TEMP_METADATA,
    Column("ordinal", Integer, primary_key=True),
    Column("episode_id", String(40)),
    Column("mbi", String(11)),
    Column("trigger_date", Date),
    Column("end_date", Date),
    Column("trigger_claim_id", String(64)),
    Column("trigger_line_number", Integer),
    Column("trigger_seq", Integer),
    Column("alignment_seq", Integer),
    Column("hcc_score", ScaledDecimal(4, 10)),
    Column("exclusion_reason", String(24)),
    prefixes=["TEMPORARY"],
)
WINDOW_COLUMNS = tuple(column.name for column in episode_window.columns)


def trigger_candidates(
    *,
    aco_id: str,
    cutoff: date,
    definition: CompiledDefinition,
    provider_npis: Sequence[str],
    first_date: date,
    last_date: date,
    after_mbi: str | None = None,
) -> Select[Any]:
    """Trigger lines (SPEC 6.1) dated ``first_date`` .. ``last_date``, with their beneficiary's
    alignment, grouped by beneficiary (ordered by MBI). The age rule is left to the caller: whole
    years between two dates are not portable SQL, and the candidates are few."""
    trigger = definition.trigger
    line = counting_claim_lines(aco_id, cutoff).subquery("line")
    aligned = current_alignment(aco_id).subquery("aligned")
    day = line.c.from_date
    conditions = [
        line.c.claim_type.in_(sorted(trigger.claim_types)),
        trigger.hcpcs.sql_condition(line.c.hcpcs),
        trigger.diagnoses.sql_condition(line.c.diagnoses, delimited=True),
        day >= first_date,
        day <= last_date,
        aligned.c.aligned_from <= day,
        or_(aligned.c.aligned_through.is_(None), aligned.c.aligned_through >= day),
        aligned.c.esrd.is_(False),
        or_(aligned.c.hospice_start.is_(None), aligned.c.hospice_start > day),
        or_(aligned.c.death_date.is_(None), aligned.c.death_date > day),
    ]
    if trigger.rendering_npi_in_arrangement:
        conditions.append(line.c.rendering_npi.in_(sorted(provider_npis)))
    if after_mbi is not None:
        conditions.append(line.c.mbi >= after_mbi)
    return (
        select(
            line.c.mbi,
            line.c.from_date,
            line.c.claim_id,
            line.c.line_number,
            line.c.seq,
            aligned.c.seq.label("alignment_seq"),
            aligned.c.birth_date,
            aligned.c.hcc_score,
            aligned.c.aligned_through,
            aligned.c.hospice_start,
        )
        .join(aligned, aligned.c.mbi == line.c.mbi)
        .where(*conditions)
        .order_by(line.c.mbi)
    )


async def stream(session: AsyncSession, stmt: Select[Any]) -> AsyncResult[Any]:
    """The rows of ``stmt`` fetched in batches (a server-side cursor on PostgreSQL); close it."""
    result: AsyncResult[Any] = await session.stream(stmt.execution_options(yield_per=2000))
    return result


async def create_window_table(session: AsyncSession) -> None:
    connection = await session.connection()
    await connection.run_sync(lambda sync: episode_window.drop(sync, checkfirst=True))
    await connection.run_sync(lambda sync: episode_window.create(sync))


async def drop_window_table(session: AsyncSession) -> None:
    connection = await session.connection()
    await connection.run_sync(lambda sync: episode_window.drop(sync, checkfirst=True))


async def add_windows(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Append episode windows (dicts keyed by ``WINDOW_COLUMNS``)."""
    if not rows:
        return
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection
        async with driver.cursor() as cursor:
            statement = f"COPY episode_window ({', '.join(WINDOW_COLUMNS)}) FROM STDIN"
            async with cursor.copy(statement) as copy:
                for row in rows:
                    await copy.write_row([row[name] for name in WINDOW_COLUMNS])
        return
    await session.execute(insert(episode_window), list(rows))


def window_spending(*, aco_id: str, cutoff: date, definition: CompiledDefinition) -> Select[Any]:
    """Each window with its actual spending (SPEC 6.4) and a fingerprint of the claim line
    versions summed (count and sum of their record numbers: versions are append-only, so a
    replaced, added or cancelled line changes it), in window order."""
    line = counting_claim_lines(aco_id, cutoff).subquery("line")
    window = episode_window
    counted = and_(
        line.c.mbi == window.c.mbi,
        line.c.from_date >= window.c.trigger_date,
        line.c.from_date <= window.c.end_date,
        line.c.claim_type.in_(sorted(definition.included_claim_types)),
        not_(definition.excluded_principal.sql_condition(line.c.principal_diagnosis)),
    )
    spending = func.coalesce(func.sum(line.c.allowed_amount), 0).label("spending")
    return (
        select(
            *window.columns,
            spending,
            func.count(line.c.seq).label("line_count"),
            func.coalesce(func.sum(line.c.seq), 0).label("line_seq_sum"),
        )
        .select_from(window.outerjoin(line, counted))
        .group_by(*window.columns)
        .order_by(window.c.ordinal)
    )
