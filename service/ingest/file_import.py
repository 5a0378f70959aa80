"""Claim files read from disk (``cara import rif`` and ``cara import cclf``): opening a delivery,
importing it through the same validation and storage as an HTTP upload, and the CCLF
explanation file. The command line only parses its arguments, calls these and prints.

RIF: a directory of CMS RIF files, imported as two uploads, each in its own transaction:
alignment first, then claims (not attempted when the alignment was rejected).

CCLF: one delivery (a directory, or a zip or tar of one), checked against its CCLF0 summary and
imported in one transaction (:func:`service.ingest.cclf.importer.import_delivery`).
"""

from __future__ import annotations

import csv
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.ingest.archive import unpack
from service.ingest.cclf.delivery import CclfDelivery
from service.ingest.cclf.importer import DeliveryResult, import_delivery
from service.ingest.models import Upload
from service.ingest.rif import RifDelivery
from service.ingest.service import IngestResult, ingest, require_aco
from service.kit.changes import Actor
from service.settings import Settings

RIF_PARTS = ("alignment", "claims")
EXPLAIN_FIELDS = (
    "file",
    "record",
    "cur_clm_uniq_id",
    "claim",
    "adjustment_type",
    "effective",
    "paid_amount",
    "counts",
    "reason",
)

Sessions = Callable[[], AbstractAsyncContextManager[AsyncSession]]


class PartFailed(Exception):
    """One part of a RIF import failed; ``kind`` names it, ``__cause__`` says why."""

    def __init__(self, kind: str, cause: BaseException) -> None:
        super().__init__(f"{kind}: {cause}")
        self.kind = kind
        self.cause = cause


async def import_rif(
    sessions: Sessions,
    *,
    actor: Actor,
    aco_id: str,
    delivery: RifDelivery,
    on_error: str,
    settings: Settings,
) -> AsyncIterator[tuple[str, IngestResult]]:
    """Import alignment, then claims, each committed in a session of its own; yields each part's
    result as it is stored and stops after a rejected one. A part that fails raises
    :class:`PartFailed` (its transaction rolled back; earlier parts stay stored)."""
    for kind in RIF_PARTS:
        records = delivery.alignment_records() if kind == "alignment" else delivery.claim_records()
        async with sessions() as session:
            try:
                await require_aco(session, aco_id)
                result = await ingest(
                    session,
                    actor=actor,
                    aco_id=aco_id,
                    kind=kind,
                    source="rif",
                    records=records,
                    content_sha256=partial(delivery.sha256, kind),
                    bytes_received=delivery.size,
                    on_error=on_error,
                    settings=settings,
                )
                await session.commit()
            except Exception as exc:
                raise PartFailed(kind, exc) from exc
        yield kind, result
        if result.upload.status == "rejected":
            return


def rejected_for_synthetic_mbis(upload: Upload, settings: Settings) -> bool:
    """CMS's sample files carry synthetic MBIs, accepted only with ``CARA_SANDBOX=true``."""
    return not settings.sandbox and any(
        e["field"] == "mbi" and "synthetic" in e["message"] for e in upload.errors
    )


def open_cclf_delivery(source: Path, scratch: Path, *, aligned_from: date | None) -> CclfDelivery:
    """The delivery at ``source``: a directory, or an archive unpacked into ``scratch`` (the
    operator's own file: no size limit). Raises DeliveryRefused or ValueError."""
    if source.is_file():
        unpack(source, scratch, max_bytes=sys.maxsize)
        source = scratch
    return CclfDelivery(source, aligned_from=aligned_from)


def write_explanation(delivery: CclfDelivery, path: Path) -> None:
    """Every claim version of the delivery, whether it counts and why, as CSV."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPLAIN_FIELDS)
        for d in delivery.decisions():
            v = d.version
            writer.writerow(
                [v.file, v.record, v.uid, v.key, v.code, v.effective, v.amount, d.counts, d.reason]
            )


async def import_cclf(
    session: AsyncSession,
    *,
    actor: Actor,
    aco_id: str,
    delivery: CclfDelivery,
    on_error: str,
    settings: Settings,
) -> DeliveryResult:
    """The delivery for the ACO ``aco_id``, in the caller's one transaction."""
    await require_aco(session, aco_id)
    return await import_delivery(
        session, actor=actor, aco_id=aco_id, delivery=delivery, on_error=on_error, settings=settings
    )


def describe(exc: BaseException) -> Any:
    """What to tell an operator about a failed import: a problem's detail, else the error."""
    return getattr(exc, "detail", None) or exc
