"""A checked CCLF delivery through the one storage path (alignment, then claims), in the
caller's transaction; why each version counts is kept beside the claims upload."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from service.ingest.archive import unpack
from service.ingest.cclf.delivery import CclfDelivery
from service.ingest.cclf.layouts import as_date
from service.ingest.cclf.versions import Decision
from service.ingest.models import CclfDecision, Upload
from service.ingest.service import IngestResult, ingest, record_rejection
from service.kit.changes import Actor
from service.settings import Settings

# --- a delivery through the one storage path -------------------------------------------------


@dataclass(frozen=True)
class DeliveryResult:
    """The uploads of one delivery. ``alignment`` is None when a rejected claims upload rolled it
    back with everything else; ``claims`` is None when the alignment was rejected (claims unread)."""

    alignment: IngestResult | None
    claims: IngestResult | None

    @property
    def rejected(self) -> bool:
        return any(r is not None and r.upload.status == "rejected" for r in (self.alignment, self.claims))

    @property
    def created(self) -> bool:
        return any(r is not None and r.created for r in (self.alignment, self.claims))


async def store_decisions(session: AsyncSession, upload_id: str, decided: list[Decision]) -> None:
    """Keep why each version of a multi-version claim counts or not, beside the claims upload."""
    rows = []
    for decision in decided:
        version = decision.version
        claim_id, _, line = version.key.partition("#")
        rows.append(
            {
                "upload_id": upload_id,
                "claim_id": claim_id,
                "line_number": int(line) if line.isdigit() else None,
                "source_file": version.file,
                "record_number": version.record,
                "cur_clm_uniq_id": version.uid,
                "adjustment_type": version.code,
                "effective_date": as_date(version.effective),
                "paid_amount": version.amount,
                "counts": decision.counts,
                "reason": decision.reason[:300],
            }
        )
    for start in range(0, len(rows), 5_000):
        await session.execute(insert(CclfDecision), rows[start : start + 5_000])


async def import_delivery(
    session: AsyncSession,
    *,
    actor: Actor,
    aco_id: str,
    delivery: CclfDelivery,
    on_error: str,
    settings: Settings,
) -> DeliveryResult:
    """Alignment, then claims, through ``ingest`` in the caller's one transaction, inside a
    savepoint of the delivery: a rejected part rejects the delivery whole. When the claims are
    rejected, the alignment stored before them is rolled back with its audit note and event,
    and the claims' rejection report is what remains."""

    async def run(kind: str) -> IngestResult:
        return await ingest(
            session,
            actor=actor,
            aco_id=aco_id,
            kind=kind,
            source="cclf",
            records=delivery.alignment_records() if kind == "alignment" else delivery.claim_records(),
            content_sha256=lambda: delivery.sha256(kind),
            bytes_received=delivery.size,
            on_error=on_error,
            settings=settings,
        )

    whole = await session.begin_nested()
    alignment = await run("alignment")
    if alignment.upload.status == "rejected":
        await whole.commit()
        return DeliveryResult(alignment, None)
    delivery.decided.clear()
    claims = await run("claims")
    if claims.upload.status == "rejected":
        report = _snapshot(claims.upload)
        await whole.rollback()
        stored = await record_rejection(session, actor=actor, upload=report)
        return DeliveryResult(None, IngestResult(stored, created=True))
    if claims.created:
        await store_decisions(session, claims.upload.id, delivery.decided)
    await whole.commit()
    return DeliveryResult(alignment, claims)


def _snapshot(upload: Upload) -> Upload:
    """A detached copy of an upload report (to store again after its savepoint rolled back)."""
    columns = Upload.__table__.columns.keys()
    return Upload(**{name: getattr(upload, name) for name in columns})


def unpack_delivery(archive: Path, directory: Path, max_bytes: int) -> CclfDelivery:
    """``unpack`` the archive into ``directory`` and check the delivery (blocking: run it in a
    worker thread)."""
    unpack(archive, directory, max_bytes=max_bytes)
    return CclfDelivery(directory)
