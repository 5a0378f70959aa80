"""Claim files read from disk (``cara import rif`` and ``cara import cclf``), stored through
:func:`service.ingest.deliveries.import_delivery` like an HTTP upload. The command line only parses
its arguments, calls these (or ``import_delivery``) and prints.

RIF: a directory of CMS RIF files, imported as two uploads, each in its own transaction:
alignment first, then claims (not attempted when the alignment was rejected).

CCLF: one delivery (a directory, or a zip or tar of one: :mod:`service.ingest.cclf.importer`),
checked against its CCLF0 summary and imported in one transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.ingest.deliveries import PARTS, import_delivery
from service.ingest.models import Upload
from service.ingest.rif import RifDelivery
from service.ingest.service import IngestResult
from service.kit.changes import Actor
from service.settings import Settings

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
    for kind in PARTS:
        async with sessions() as session:
            try:
                stored = await import_delivery(
                    session,
                    actor=actor,
                    aco_id=aco_id,
                    delivery=delivery,
                    on_error=on_error,
                    settings=settings,
                    parts=(kind,),
                )
                await session.commit()
            except Exception as exc:
                raise PartFailed(kind, exc) from exc
        result = stored.alignment if kind == "alignment" else stored.claims
        assert result is not None  # the one part asked for
        yield kind, result
        if result.upload.status == "rejected":
            return


def rejected_for_synthetic_mbis(upload: Upload, settings: Settings) -> bool:
    """CMS's sample files carry synthetic MBIs, accepted only with ``CARA_SANDBOX=true``."""
    return not settings.sandbox and any(
        e["field"] == "mbi" and "synthetic" in e["message"] for e in upload.errors
    )


def describe(exc: BaseException) -> Any:
    """What to tell an operator about a failed import: a problem's detail, else the error."""
    return getattr(exc, "detail", None) or exc
