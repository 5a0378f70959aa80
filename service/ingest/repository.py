"""Named queries over the record tables; the episode engine builds on the two selectables here."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.ingest.models import AlignmentRecord, ClaimLineRecord, Upload

COUNTING_COLUMNS = (
    "seq",
    "claim_id",
    "line_number",
    "claim_type",
    "mbi",
    "from_date",
    "thru_date",
    "rendering_npi",
    "billing_tin",
    "hcpcs",
    "diagnoses",
    "principal_diagnosis",
    "allowed_amount",
    "paid_amount",
    "adjustment",
    "received_date",
)
ALIGNMENT_COLUMNS = (
    "seq",
    "mbi",
    "birth_date",
    "sex",
    "dual_status",
    "hcc_score",
    "aligned_from",
    "aligned_through",
    "esrd",
    "hospice_start",
    "death_date",
)


def counting_claim_lines(aco_id: str, cutoff: date) -> Select[Any]:
    """One row per (claim_id, line_number) of the ACO: the version that counts as of ``cutoff``.

    Among the versions received on or before the cutoff, the latest by ``received_date`` wins,
    ties going to the later upload (higher ``seq``); a line whose winning version is a cancel
    does not exist. Use it as a subquery: ``counting_claim_lines(...).subquery()``.
    """
    record = ClaimLineRecord
    rank = (
        func.row_number()
        .over(
            partition_by=(record.claim_id, record.line_number),
            order_by=(record.received_date.desc(), record.seq.desc()),
        )
        .label("version_rank")
    )
    ranked = (
        select(*(getattr(record, name) for name in COUNTING_COLUMNS), rank)
        .where(record.aco_id == aco_id, record.received_date <= cutoff)
        .subquery("ranked_claim_lines")
    )
    return select(*(ranked.c[name] for name in COUNTING_COLUMNS)).where(
        ranked.c.version_rank == 1, ranked.c.adjustment != "cancel"
    )


def current_alignment(aco_id: str) -> Select[Any]:
    """One row per MBI aligned to the ACO: its latest alignment row (a later upload replaces an
    earlier one; ``hcc_score`` NULL means 1.0)."""
    record = AlignmentRecord
    rank = func.row_number().over(partition_by=record.mbi, order_by=record.seq.desc()).label("version_rank")
    ranked = (
        select(*(getattr(record, name) for name in ALIGNMENT_COLUMNS), rank)
        .where(record.aco_id == aco_id)
        .subquery("ranked_alignment")
    )
    return select(*(ranked.c[name] for name in ALIGNMENT_COLUMNS)).where(ranked.c.version_rank == 1)


async def find_same_upload(
    session: AsyncSession, *, aco_id: str, kind: str, content_sha256: str, on_error: str
) -> Upload | None:
    return await session.scalar(
        select(Upload).where(
            Upload.aco_id == aco_id,
            Upload.kind == kind,
            Upload.content_sha256 == content_sha256,
            Upload.on_error == on_error,
        )
    )


def uploads_of(aco_id: str | None) -> Select[Upload]:
    stmt = select(Upload)
    return stmt if aco_id is None else stmt.where(Upload.aco_id == aco_id)
