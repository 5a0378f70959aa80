"""Files read from disk (``cara import claims|alignment|rif|cclf``), stored like an HTTP upload.
The command line only parses its arguments, calls these (or ``import_delivery``) and prints.

Claims or alignment: one CSV or NDJSON file (gzip or not), read in chunks through the very reader
and ``ingest`` call of ``POST /v1/claims`` and ``POST /v1/alignment``: same validation, limits,
report, and the same content uploaded either way is the same upload.

RIF: a directory of CMS RIF files, imported as two uploads, each in its own transaction:
alignment first, then claims (not attempted when the alignment was rejected).

CCLF: one delivery (a directory, or a zip or tar of one: :mod:`service.ingest.cclf.importer`),
checked against its CCLF0 summary and imported in one transaction.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy.ext.asyncio import AsyncSession

from service.ingest.deliveries import PARTS, Delivery, import_delivery
from service.ingest.models import Upload
from service.ingest.reader import ByteLines
from service.ingest.service import IngestResult, RawRecord, ingest, records_from_body, require_aco, rows_in
from service.kit import offload
from service.kit.changes import Actor
from service.settings import Settings

Sessions = Callable[[], AbstractAsyncContextManager[AsyncSession]]
# Told the rows and bytes read so far (bytes as read from disk), now and then and at the end.
Progress = Callable[[int, int], None]
# How often a reading loop tells its Progress (and once more at the end).
PROGRESS_EVERY_ROWS = 1000
FILE_FORMATS = {".csv": "csv", ".ndjson": "ndjson", ".jsonl": "ndjson"}
_CHUNK_BYTES = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"


async def reported(
    items: AsyncIterator[RawRecord], progress: Progress, bytes_read: Callable[[], int]
) -> AsyncIterator[RawRecord]:
    """``items`` as they are, telling ``progress`` the rows so far (a block of CSV rows counts
    as its rows) and ``bytes_read()``, about every PROGRESS_EVERY_ROWS rows."""
    count = 0
    next_report = PROGRESS_EVERY_ROWS
    async for item in items:
        yield item
        count += rows_in(item)
        if count >= next_report:
            progress(count, bytes_read())
            next_report = count + PROGRESS_EVERY_ROWS
    progress(count, bytes_read())


def file_format(path: Path) -> str:
    """csv or ndjson, from the name (``claims.csv``, ``claims.ndjson.gz``)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    fmt = FILE_FORMATS.get(suffixes[-1]) if suffixes else None
    if fmt is None:
        raise ValueError(f"{path.name}: name a .csv, .ndjson or .jsonl file (optionally .gz)")
    return fmt


async def _chunks(file: BinaryIO) -> AsyncIterator[bytes]:
    while chunk := await offload.run(file.read, _CHUNK_BYTES):
        yield chunk


async def import_file(
    session: AsyncSession,
    *,
    actor: Actor,
    aco_id: str,
    kind: str,
    path: Path,
    on_error: str,
    settings: Settings,
    progress: Progress | None = None,
) -> IngestResult:
    """One CSV or NDJSON file of ``kind`` (claims, alignment), gzip or not (told by its first
    bytes), through the upload path, in the caller's transaction."""
    fmt = file_format(path)
    await require_aco(session, aco_id)
    with path.open("rb") as file:
        lines = ByteLines(
            gzip=file.read(2) == _GZIP_MAGIC,
            max_bytes=settings.max_upload_bytes,
            max_line_bytes=settings.max_line_bytes,
            max_ratio=settings.max_gzip_ratio,
        )
        file.seek(0)
        records: AsyncIterator[RawRecord] = records_from_body(
            _chunks(file), kind=kind, fmt=fmt, settings=settings, lines=lines
        )
        if progress is not None:
            records = reported(records, progress, lambda: lines.received)
        return await ingest(
            session,
            actor=actor,
            aco_id=aco_id,
            kind=kind,
            source=fmt,
            records=records,
            content_sha256=lambda: lines.sha256.hexdigest(),
            bytes_received=lambda: lines.size,
            on_error=on_error,
            settings=settings,
        )


class ReportedDelivery:
    """A delivery whose records tell ``progress`` (one callback a part) how many have been read."""

    def __init__(self, delivery: Delivery, progress: Callable[[str], Progress]) -> None:
        self.delivery = delivery
        self.progress = progress
        self.source = delivery.source

    def alignment_records(self) -> AsyncIterator[RawRecord]:
        return reported(self.delivery.alignment_records(), self.progress("alignment"), lambda: 0)

    def claim_records(self) -> AsyncIterator[RawRecord]:
        return reported(self.delivery.claim_records(), self.progress("claims"), lambda: 0)

    def sha256(self, kind: str) -> str:
        return self.delivery.sha256(kind)

    def size(self) -> int:
        return self.delivery.size()

    async def keep(self, session: AsyncSession, claims: Upload) -> None:
        await self.delivery.keep(session, claims)


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
    delivery: Delivery,
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
