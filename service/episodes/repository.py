"""The episode engine's SQL: trigger candidates, a table of episode windows (a scratch table of
the run, service/kit/scratch.py), and the set-based sum of each window's spending.

The rules of which claim line version counts and which alignment row is current are ingest's
(``counting_version``, ``current_row``), applied here beside the trigger and window filters; no
claim line is ever loaded into Python except the trigger candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Date,
    Integer,
    Select,
    String,
    Table,
    and_,
    func,
    not_,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncResult, AsyncSession

from service.access.roster import Stay, held_on
from service.definitions.service import CompiledDefinition
from service.ingest.repository import (
    alignment_record,
    claim_line_record,
    counting_version,
    current_row,
    within,
)
from service.kit.db import ScaledDecimal, insert_tuples, unindexed


def window_columns() -> list[Column[Any]]:
    """The columns of an episode window table (new objects: a column belongs to one table)."""
    return [
        Column("ordinal", Integer, primary_key=True, autoincrement=False),
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
        # The anchor stay's price group (inpatient anchors; NULL for a visit trigger).
        Column("risk_factor_id", String(40)),
        Column("trigger_npi", String(10)),
    ]


WINDOW_COLUMNS = tuple(column.name for column in window_columns())
# Rows fetched a round trip: memory stays bounded, and a cursor FETCH is not free.
STREAM_BATCH = 10_000


def trigger_candidates(
    *,
    aco_id: str,
    cutoff: date,
    definition: CompiledDefinition,
    provider_roster: Sequence[Stay] | None,
    first_date: date,
    last_date: date,
    after_mbi: str | None = None,
    uploads: Sequence[str] | None = None,
) -> Select[Any]:
    """Trigger lines (docs/method.md section 5) dated ``first_date`` .. ``last_date``, with their beneficiary's
    alignment (unordered: the caller stores them, then reads them by MBI). When the definition requires it, the line's
    rendering NPI must have been on the practice's roster (``provider_roster``) on the line's date; ``None``
    admits any rendering NPI (an analysis of all the ACO's episodes). The age rule
    is left to the caller: whole years between two dates are not portable SQL, and the candidates
    are few."""
    trigger = definition.trigger
    assert trigger is not None, "an inpatient anchor's candidates are stay_candidates"
    line = claim_line_record.alias("line")
    aligned = alignment_record.alias("aligned")
    day = line.c.from_date
    conditions = [
        *counting_version(line, aco_id, cutoff, uploads=uploads),
        *current_row(aligned, aco_id, uploads=uploads),
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
    if trigger.rendering_npi_in_arrangement and provider_roster is not None:
        conditions.append(held_on(provider_roster, npi=line.c.rendering_npi, day=day))
    if after_mbi is not None:
        conditions.append(line.c.mbi >= after_mbi)
    return (
        # The column order is relied on: service.scan_beneficiary reads the rows by position.
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
            line.c.rendering_npi,
        )
        # The line filters leave a few candidates among all lines: on SQLite, read the lines
        # and probe each one's alignment, not every aligned beneficiary's lines.
        .join(aligned, aligned.c.mbi == unindexed(line.c.mbi))
        .where(*conditions)
    )


def stay_candidates(
    *,
    aco_id: str,
    cutoff: date,
    definition: CompiledDefinition,
    provider_roster: Sequence[Stay] | None,
    first_date: date,
    last_date: date,
    after_mbi: str | None = None,
    uploads: Sequence[str] | None = None,
) -> Select[Any]:
    """The lines of anchor stays (an inpatient anchor's trigger candidates) admitted ``first_date``
    .. ``last_date`` and discharged: inpatient claim lines of one of the anchor's MS-DRGs (and,
    when it lists procedures, with one of them), with the beneficiary's alignment on the admission
    date. Attributed to the operating physician, the stay's operating NPI (else its attending NPI)
    must have been on the practice's roster on the admission date (any NPI with no roster: an
    analysis of every practice). The columns are ``trigger_candidates``' (the admission date in
    place of the line's date, the operating, else attending, NPI as ``rendering_npi``), then the
    discharge date, the DRG and the diagnoses, which price the episode."""
    anchor = definition.anchor
    assert anchor is not None, "a visit trigger's candidates are trigger_candidates"
    line = claim_line_record.alias("line")
    aligned = alignment_record.alias("aligned")
    day = line.c.admission_date
    conditions = [
        *counting_version(line, aco_id, cutoff, uploads=uploads),
        *current_row(aligned, aco_id, uploads=uploads),
        line.c.claim_type == "inpatient",
        line.c.drg_code.in_(sorted(anchor.drgs)),
        line.c.discharge_date.is_not(None),
        day >= first_date,
        day <= last_date,
        aligned.c.aligned_from <= day,
        or_(aligned.c.aligned_through.is_(None), aligned.c.aligned_through >= day),
        aligned.c.esrd.is_(False),
        or_(aligned.c.hospice_start.is_(None), aligned.c.hospice_start > day),
        or_(aligned.c.death_date.is_(None), aligned.c.death_date > day),
    ]
    if anchor.procedure_prefixes:
        conditions.append(or_(*(line.c.procedure_codes.like(f"%|{p}%") for p in anchor.procedure_prefixes)))
    surgeon = func.coalesce(line.c.operating_npi, line.c.attending_npi)
    if anchor.by_operating_physician and provider_roster is not None:
        conditions.append(held_on(provider_roster, npi=surgeon, day=day))
    if after_mbi is not None:
        conditions.append(line.c.mbi >= after_mbi)
    return (
        # The column order is relied on: service.scan_beneficiary reads the rows by position.
        select(
            line.c.mbi,
            day.label("from_date"),
            line.c.claim_id,
            line.c.line_number,
            line.c.seq,
            aligned.c.seq.label("alignment_seq"),
            aligned.c.birth_date,
            aligned.c.hcc_score,
            aligned.c.aligned_through,
            aligned.c.hospice_start,
            surgeon.label("rendering_npi"),
            line.c.discharge_date,
            line.c.drg_code,
            line.c.diagnoses,
        )
        # The line filters leave a few candidates among all lines: on SQLite, read the lines
        # and probe each one's alignment, not every aligned beneficiary's lines.
        .join(aligned, aligned.c.mbi == unindexed(line.c.mbi))
        .where(*conditions)
    )


async def stream(session: AsyncSession, stmt: Select[Any]) -> AsyncResult[Any]:
    """The rows of ``stmt`` fetched in batches (a server-side cursor on PostgreSQL); close it."""
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        # PostgreSQL plans a cursor for its first 10 % of rows (nested loops over index probes,
        # seconds on a million lines); every row is read here, so plan for all of them.
        await connection.exec_driver_sql("SET LOCAL cursor_tuple_fraction = 1.0")
    result: AsyncResult[Any] = await session.stream(stmt.execution_options(yield_per=STREAM_BATCH))
    return result


async def add_windows(session: AsyncSession, window: Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """Append episode windows (tuples in ``WINDOW_COLUMNS`` order) to the table ``window``."""
    await insert_tuples(session, window, rows)


def spending_conditions(line: Any, definition: CompiledDefinition) -> list[ColumnElement[bool]]:
    """What a counting claim line inside a window must be to count towards its spending: of an
    included claim type, its principal diagnosis not excluded, and, under an inpatient anchor, not
    of a stay whose MS-DRG the anchor excludes."""
    conditions = [
        line.c.claim_type.in_(sorted(definition.included_claim_types)),
        not_(definition.excluded_principal.sql_condition(line.c.principal_diagnosis)),
    ]
    if definition.anchor is not None and definition.anchor.excluded_drgs:
        conditions.append(
            not_(
                and_(
                    line.c.claim_type == "inpatient",
                    # COALESCE: a line without a DRG is never excluded (NOT of NULL would drop it).
                    func.coalesce(line.c.drg_code, "").in_(sorted(definition.anchor.excluded_drgs)),
                )
            )
        )
    return conditions


def window_sums(
    *, window: Table, aco_id: str, cutoff: date, definition: CompiledDefinition, uploads: Sequence[str] | None
) -> Select[Any]:
    """The large aggregate (docs/method.md section 5): for each window of ``window`` with counted lines, their
    spending and a fingerprint of the claim line versions summed (count and sum of their record
    numbers: versions are append-only, so a replaced, added or cancelled line changes it).
    Grouped by window first, so that the join back to the windows groups nothing; the window's
    beneficiary and days select the records before the test for a later version does."""
    line = claim_line_record.alias("line")
    return (
        select(
            window.c.ordinal,
            func.sum(line.c.allowed_amount).label("spending"),
            func.count(line.c.seq).label("line_count"),
            func.sum(line.c.seq).label("line_seq_sum"),
        )
        .join(line, line.c.mbi == window.c.mbi)
        .where(
            line.c.from_date >= window.c.trigger_date,
            line.c.from_date <= window.c.end_date,
            *spending_conditions(line, definition),
            *counting_version(line, aco_id, cutoff, uploads=uploads),
        )
        .group_by(window.c.ordinal)
    )


def window_spending(*, window: Table, sums: Table) -> Select[Any]:
    """Each window with its actual spending (``window_sums`` stored in ``sums``; none: 0), in
    window order."""
    return (
        # The column order is relied on: service.computed_episodes unpacks the rows.
        select(
            *window.columns,
            func.coalesce(sums.c.spending, 0).label("spending"),
            func.coalesce(sums.c.line_count, 0).label("line_count"),
            func.coalesce(sums.c.line_seq_sum, 0).label("line_seq_sum"),
        )
        .select_from(window.outerjoin(sums, sums.c.ordinal == window.c.ordinal))
        .order_by(window.c.ordinal)
    )


# ---- evidence: the claim lines behind one episode's spending ---------------------------------


def window_records(
    *, aco_id: str, mbi: str, first: date, last: date, uploads: Sequence[str] | None = None
) -> Select[Any]:
    """Every stored version of every line of the beneficiary's claims that touch the window
    ``first`` .. ``last`` (a line dated inside it, or a stay overlapping it), whatever its
    received date, adjustment or claim type: what an episode's evidence classifies. With
    ``uploads`` only the records of those uploads."""
    line = claim_line_record.alias("line")
    touching = claim_line_record.alias("touching")
    claims = select(touching.c.claim_id).where(
        touching.c.aco_id == aco_id,
        touching.c.mbi == mbi,
        touching.c.from_date <= last,
        touching.c.thru_date >= first,
        *within(touching, uploads),
    )
    return (
        select(line)
        .where(line.c.aco_id == aco_id, line.c.claim_id.in_(claims), *within(line, uploads))
        .order_by(line.c.seq)
    )


def counted_records(
    *,
    aco_id: str,
    cutoff: date,
    definition: CompiledDefinition,
    mbi: str,
    first: date,
    last: date,
    uploads: Sequence[str] | None = None,
) -> Select[Any]:
    """The record numbers (``seq``) of the claim line versions one window's spending sums: the
    conditions of :func:`window_sums`, for one window."""
    line = claim_line_record.alias("line")
    return select(line.c.seq).where(
        line.c.mbi == mbi,
        line.c.from_date >= first,
        line.c.from_date <= last,
        *spending_conditions(line, definition),
        *counting_version(line, aco_id, cutoff, uploads=uploads),
    )


# ---- risk scores computed from claims (service/episodes/risk.py) ------------------------------


def risk_demographics(alignment_seqs: Sequence[int]) -> Select[Any]:
    """The demographics the CMS-HCC model reads, of the given alignment rows (by record number:
    exactly the rows the episodes were found with)."""
    return select(
        alignment_record.c.seq,
        alignment_record.c.birth_date,
        alignment_record.c.sex,
        alignment_record.c.dual_status,
        alignment_record.c.entitlement_reason,
    ).where(alignment_record.c.seq.in_(sorted(set(alignment_seqs))))


def diagnoses_between(
    *, aco_id: str, mbis: Sequence[str], first: date, last: date, cutoff: date, uploads: Sequence[str] | None
) -> Select[Any]:
    """The beneficiaries' distinct diagnosis lists (``|A|B|``) on claim lines dated ``first`` ..
    ``last``, each line as its version counting as of ``cutoff`` (a cancelled line has none)."""
    line = claim_line_record.alias("line")
    return (
        select(line.c.mbi, line.c.diagnoses)
        .distinct()
        .where(
            line.c.mbi.in_(sorted(set(mbis))),
            line.c.from_date >= first,
            line.c.from_date <= last,
            *counting_version(line, aco_id, cutoff, uploads=uploads),
        )
    )
