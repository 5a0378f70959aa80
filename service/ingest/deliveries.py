"""One way to store a delivery of claim files, whatever its format (RIF, CCLF): its alignment,
then its claims, each through ``ingest`` (the validation and storage of an HTTP upload), in the
caller's transaction. The HTTP route and the command line both call :func:`import_delivery`.

The caller chooses the unit of the transaction. A CCLF delivery is stored whole (both parts in one
call: a rejected part rejects the delivery); a RIF directory is two uploads, each part in a call
and a transaction of its own (``parts=("alignment",)``, then ``parts=("claims",)``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import partial
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from service.ingest.models import Upload
from service.ingest.service import IngestResult, RawRecord, ingest, record_rejection, require_aco
from service.kit.changes import Actor
from service.settings import Settings

PARTS = ("alignment", "claims")


class Delivery(Protocol):
    """A delivery read lazily: its records per part, and what identifies its content."""

    @property
    def source(self) -> str: ...  # the upload's ``source``: "rif", "cclf"

    def alignment_records(self) -> AsyncIterator[RawRecord]: ...

    def claim_records(self) -> AsyncIterator[RawRecord]: ...

    def sha256(self, kind: str) -> str: ...

    def size(self) -> int: ...

    async def keep(self, session: AsyncSession, claims: Upload) -> None:
        """What the delivery keeps beside a newly stored claims upload (CCLF: its decisions)."""


@dataclass(frozen=True)
class DeliveryResult:
    """The uploads of one delivery. ``alignment`` is None when a rejected claims upload rolled it
    back with everything else (or was not asked for); ``claims`` is None when the alignment was
    rejected (claims unread) or not asked for."""

    alignment: IngestResult | None
    claims: IngestResult | None

    @property
    def rejected(self) -> bool:
        return any(r is not None and r.upload.status == "rejected" for r in (self.alignment, self.claims))

    @property
    def created(self) -> bool:
        return any(r is not None and r.created for r in (self.alignment, self.claims))


async def import_delivery(
    session: AsyncSession,
    *,
    actor: Actor,
    aco_id: str,
    delivery: Delivery,
    on_error: str,
    settings: Settings,
    parts: tuple[str, ...] = PARTS,
) -> DeliveryResult:
    """``parts`` of the delivery for the ACO ``aco_id`` (alignment, then claims), in the caller's
    one transaction, inside a savepoint: a rejected part rejects the call whole and stops it. When
    the claims are rejected, the alignment stored before them is rolled back with its audit note
    and event, and the claims' rejection report is what remains."""
    await require_aco(session, aco_id)
    whole = await session.begin_nested()
    stored: dict[str, IngestResult] = {}
    for kind in parts:
        result = await ingest(
            session,
            actor=actor,
            aco_id=aco_id,
            kind=kind,
            source=delivery.source,
            records=delivery.alignment_records() if kind == "alignment" else delivery.claim_records(),
            content_sha256=partial(delivery.sha256, kind),
            bytes_received=delivery.size,
            on_error=on_error,
            settings=settings,
        )
        if result.upload.status == "rejected":
            if stored:  # an earlier part is in the savepoint: roll it back, keep this report
                report = _snapshot(result.upload)
                await whole.rollback()
                result = IngestResult(
                    await record_rejection(session, actor=actor, upload=report), created=True
                )
            else:
                await whole.commit()
            return DeliveryResult(
                result if kind == "alignment" else None, result if kind == "claims" else None
            )
        stored[kind] = result
        if kind == "claims" and result.created:
            await delivery.keep(session, result.upload)
    await whole.commit()
    return DeliveryResult(stored.get("alignment"), stored.get("claims"))


def _snapshot(upload: Upload) -> Upload:
    """A detached copy of an upload report (to store again after its savepoint rolled back)."""
    columns = Upload.__table__.columns.keys()
    return Upload(**{name: getattr(upload, name) for name in columns})
