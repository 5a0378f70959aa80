"""Named queries over the record tables; the episode engine builds on the two selectables here.

A settlement reads the records of a recorded set of uploads only (its *horizon*: the uploads the
service had stored when it ran), so that a recompute reads exactly the same records whatever was
uploaded since. The counting conditions take the set as a list of upload ids (``uploads``), sent
with the statement: PostgreSQL tests a record against it with one hash lookup, and, unlike a
temporary table, a list leaves the statement free to run in parallel.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, not_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.ingest.models import AlignmentRecord, ClaimLineRecord, Upload
from service.ingest.storage import ALIGNMENT_COLUMNS as STORED_ALIGNMENT_COLUMNS
from service.ingest.storage import CLAIM_COLUMNS as STORED_CLAIM_COLUMNS

# The stored columns of a record, without its upload's (upload_id, aco_id), after its order number.
COUNTING_COLUMNS = ("seq", *STORED_CLAIM_COLUMNS[2:])
ALIGNMENT_COLUMNS = ("seq", *STORED_ALIGNMENT_COLUMNS[2:])


claim_line_record = ClaimLineRecord.__table__
alignment_record = AlignmentRecord.__table__


def within(record: Any, uploads: Sequence[str] | None) -> list[ColumnElement[bool]]:
    """The record came from one of ``uploads`` (no condition when None: every upload)."""
    return [] if uploads is None else [record.c.upload_id.in_(sorted(set(uploads)))]


def counting_version(
    line: Any, aco_id: str, cutoff: date, *, uploads: Sequence[str] | None = None
) -> list[ColumnElement[bool]]:
    """Conditions true of a claim line record (``line``, an alias of ``claim_line_record``) that
    is the version counting as of ``cutoff``: among the line's versions received on or before the
    cutoff the latest by ``received_date`` wins, ties going to the later upload (higher ``seq``),
    and a line whose winning version is a cancel does not exist. Written as ``NOT EXISTS`` on a
    later version rather than a ranking of every line, so that a caller's own filters (trigger
    codes, a window's beneficiary and days) apply before it does.

    With ``uploads`` only the records of those uploads exist: neither the version itself nor a
    later one from another upload counts."""
    later = claim_line_record.alias(f"{line.name}_later")
    superseded = (
        select(later.c.seq)
        .where(
            later.c.aco_id == line.c.aco_id,
            later.c.claim_id == line.c.claim_id,
            later.c.line_number == line.c.line_number,
            later.c.received_date <= cutoff,
            or_(
                later.c.received_date > line.c.received_date,
                and_(later.c.received_date == line.c.received_date, later.c.seq > line.c.seq),
            ),
            *within(later, uploads),
        )
        .exists()
    )
    return [
        line.c.aco_id == aco_id,
        line.c.received_date <= cutoff,
        line.c.adjustment != "cancel",
        *within(line, uploads),
        not_(superseded),
    ]


def current_row(
    aligned: Any, aco_id: str, *, uploads: Sequence[str] | None = None
) -> list[ColumnElement[bool]]:
    """Conditions true of an alignment record (``aligned``, an alias of ``alignment_record``)
    that is its beneficiary's current one: the latest row (a later upload replaces an earlier
    one; ``hcc_score`` NULL means 1.0). With ``uploads``, the latest among those uploads."""
    newer = alignment_record.alias(f"{aligned.name}_later")
    return [
        aligned.c.aco_id == aco_id,
        *within(aligned, uploads),
        not_(
            select(newer.c.seq)
            .where(
                newer.c.aco_id == aco_id,
                newer.c.mbi == aligned.c.mbi,
                newer.c.seq > aligned.c.seq,
                *within(newer, uploads),
            )
            .exists()
        ),
    ]


async def stored_uploads(
    session: AsyncSession, *, aco_id: str, created_before: datetime | None = None
) -> list[Upload]:
    """The ACO's uploads whose records exist (status ``stored``), oldest first; with
    ``created_before``, only those created at or before it."""
    stmt = select(Upload).where(Upload.aco_id == aco_id, Upload.status == "stored")
    if created_before is not None:
        stmt = stmt.where(Upload.created_at <= created_before)
    return list((await session.scalars(stmt.order_by(Upload.id))).all())


def counting_claim_lines(aco_id: str, cutoff: date) -> Select[Any]:
    """One row per (claim_id, line_number) of the ACO: the version that counts as of ``cutoff``
    (``counting_version``). Use it as a subquery: ``counting_claim_lines(...).subquery()``."""
    line = claim_line_record.alias("line")
    return select(*(line.c[name] for name in COUNTING_COLUMNS)).where(*counting_version(line, aco_id, cutoff))


def current_alignment(aco_id: str) -> Select[Any]:
    """One row per MBI aligned to the ACO: its current alignment row (``current_row``)."""
    aligned = alignment_record.alias("aligned")
    return select(*(aligned.c[name] for name in ALIGNMENT_COLUMNS)).where(*current_row(aligned, aco_id))


async def find_same_upload(
    session: AsyncSession, *, aco_id: str, kind: str, content_sha256: str, on_error: str
) -> Upload | None:
    return await session.scalar(
        select(Upload).where(
            Upload.aco_id == aco_id,
            Upload.kind == kind,
            Upload.content_sha256 == content_sha256,
            Upload.on_error == on_error,
            # Only stored uploads deduplicate: a rejected one is validated again when retried.
            Upload.status == "stored",
        )
    )


def uploads_of(aco_id: str | None) -> Select[Upload]:
    stmt = select(Upload)
    return stmt if aco_id is None else stmt.where(Upload.aco_id == aco_id)
