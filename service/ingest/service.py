"""Uploads of alignment rows and claim lines: stream, validate, store atomically.

``ingest`` is the one storage path: the HTTP uploads (CSV, NDJSON) and the file importers
(``rif``, ``cclf``) all hand it an async stream of ``(row number, field dict)`` records, so every
source gets the same validation, atomicity, duplicate detection, audit and events.

Atomicity: everything happens in the caller's single transaction, inside a savepoint of its own
(``begin_nested``). Rows are written as they are validated (COPY on PostgreSQL); with
``on_error=reject`` a single bad row rolls the savepoint back, and only the rejection report is
kept. A repeated upload rolls its savepoint back too and answers the earlier report. Neither
touches what the caller did before in its transaction, and audit notes or events made inside a
rolled-back savepoint are discarded with it. A crash or a dropped connection never commits.

Decompressing, splitting, parsing and validating are CPU work: they run in worker threads
(``kit.offload``), so a large or hostile upload never stalls the event loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, AsyncSessionTransaction

from service.access import repository as access_repository
from service.access.auth import Principal
from service.access.models import OrgKind
from service.ingest import repository
from service.ingest.models import CclfDecision, Upload
from service.ingest.reader import ByteLines, RowParser
from service.ingest.schemas import CodeWarning, UploadReport
from service.ingest.storage import BATCH_ROWS, RowWriter, writer_for
from service.ingest.validation import AlignmentValidator, ClaimValidator, RowError, validator_for
from service.kit import changes, offload
from service.kit.changes import Actor
from service.kit.clock import utcnow
from service.kit.errors import Conflict, FieldError, NotFound, PayloadTooLarge, Unprocessable
from service.kit.ids import new_id
from service.kit.pagination import paginate
from service.kit.text import printable
from service.settings import Settings
from service.webhooks import outbox

if TYPE_CHECKING:
    from service.ingest.columnar import ClaimColumns, ColumnBlock

MAX_REPORTED_ERRORS = 1000
REQUIRED = {
    "claims": (
        "claim_id",
        "line_number",
        "claim_type",
        "mbi",
        "from_date",
        "thru_date",
        "diagnoses",
        "allowed_amount",
        "paid_amount",
        "adjustment",
        "received_date",
    ),
    "alignment": ("mbi", "birth_date", "sex", "aligned_from"),
}

# (row number, values in the validator's field order | a mapping of field names | an error reason
# | a field's error found while parsing), or consecutive CSV rows as columns
RawRecord: TypeAlias = "tuple[int, list[str] | dict[str, Any] | str | RowError] | ColumnBlock"


def rows_in(record: RawRecord) -> int:
    """How many rows a record carries (a ColumnBlock many, any other one)."""
    return 1 if isinstance(record, tuple) else record.rows


@dataclass(frozen=True)
class IngestResult:
    upload: Upload
    created: bool  # False: the same content was uploaded before; this is that earlier report


@dataclass
class _Tally:
    received: int = 0
    rejected: int = 0
    errors: list[RowError] | None = None

    def add_errors(self, errors: Sequence[RowError]) -> None:
        assert self.errors is not None
        room = MAX_REPORTED_ERRORS + 1 - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])


# Body bytes gathered before a trip to the worker thread that decodes them.
_DECODE_BYTES = 1 << 20
# Rows decoded one by one per trip to the worker thread.
_ROWS_PER_TRIP = 2000


async def records_from_body(
    chunks: AsyncIterator[bytes], *, kind: str, fmt: str, settings: Settings, lines: ByteLines
) -> AsyncIterator[RawRecord]:
    """Decode an HTTP body (CSV with header, or NDJSON; gzip or not) into raw records.

    The body is received on the event loop; inflating, splitting and parsing it run in a worker
    thread, a block of CSV claim lines (``columnar``) or a few thousand records per trip (never
    more in memory, whatever gzip inflates to). A body without a single row is refused (422):
    there is nothing to store.
    """
    validator = validator_for(kind, sandbox=settings.sandbox)
    parser = RowParser(
        fmt,
        validator.fields,
        REQUIRED[kind],
        money=validator.money_fields,
        max_blank_lines=settings.max_blank_lines,
        blocks=kind == "claims",
    )

    def parcels(blocks: Iterator[bytes]) -> Iterator[list[RawRecord]]:
        """The records of ``blocks``: a ColumnBlock alone, or up to _ROWS_PER_TRIP rows."""
        rows: list[RawRecord] = []
        for block in blocks:
            for record in parser.parse_block(block):
                if not isinstance(record, tuple):  # a ColumnBlock
                    if rows:
                        yield rows
                        rows = []
                    yield [record]
                    continue
                rows.append(record)
                if len(rows) >= _ROWS_PER_TRIP:
                    yield rows
                    rows = []
        if rows:
            yield rows

    async def decoded(blocks: Iterator[bytes]) -> AsyncIterator[RawRecord]:
        async for parcel in offload.iterate(parcels(blocks), batch=1):
            for record in parcel:
                yield record

    gathered: list[bytes] = []
    size = 0
    async for chunk in chunks:
        gathered.append(chunk)
        size += len(chunk)
        if size >= _DECODE_BYTES:
            async for record in decoded(lines.feed_blocks(b"".join(gathered))):
                yield record
            gathered.clear()
            size = 0
    async for record in decoded(lines.feed_blocks(b"".join(gathered))):
        yield record
    async for record in decoded(lines.finish_blocks()):
        yield record
    if parser.row == 0:
        what = "no header line" if fmt == "csv" and parser.header is None else "no data row"
        raise Unprocessable(
            f"the upload has {what}: nothing to store",
            errors=[FieldError(location="body", message="no rows")],
        )


async def ingest(
    session: AsyncSession,
    *,
    actor: Actor,
    aco_id: str,
    kind: str,
    source: str,
    records: AsyncIterator[RawRecord],
    content_sha256: Callable[[], str],
    bytes_received: Callable[[], int],
    on_error: str,
    settings: Settings,
) -> IngestResult:
    """Validate and store ``records``; ``content_sha256`` and ``bytes_received`` are callables
    read once the records are exhausted (a streamed body's hash is known only at its end). They
    run in a worker thread (a file importer hashes its files)."""
    validator = validator_for(kind, sandbox=settings.sandbox)
    savepoint = await session.begin_nested()
    upload = Upload(
        id=new_id("upl"),
        aco_id=aco_id,
        kind=kind,
        source=source,
        on_error=on_error,
        status="stored",
        content_sha256=f"pending:{new_id('tmp')}",
        bytes_received=0,
        rows_received=0,
        rows_stored=0,
        rows_rejected=0,
        errors=[],
        created_at=utcnow(),
        key_id=actor.key_id,
    )
    tally = _Tally(errors=[])
    batch: list[tuple[int, list[str]]] = []
    writer: RowWriter | None = None
    columns: ClaimColumns | None = None  # made at the first ColumnBlock

    def count(rows: int) -> None:
        tally.received += rows
        if tally.received > settings.max_upload_rows:
            raise PayloadTooLarge(f"uploads are limited to {settings.max_upload_rows} rows")

    def tally_result(rejected: int, errors: list[RowError]) -> bool:
        """Counts a batch's bad rows; whether its good rows are to be written (with
        on_error=reject, once a row is bad nothing more is: it will be rolled back)."""
        tally.rejected += rejected
        if errors:
            tally.add_errors(errors)
        return on_error == "skip" or tally.rejected == 0

    async def flush() -> None:
        assert writer is not None
        if not batch:
            return
        result = await offload.run(validator.validate_batch, list(batch))
        batch.clear()
        if tally_result(result.rejected, result.errors):
            await writer.add_many(result.rows)

    try:
        session.add(upload)
        await session.flush()
        writer = await writer_for(session, kind, upload_id=upload.id, aco_id=aco_id)
        async for record in records:
            if not isinstance(record, tuple):  # a ColumnBlock of CSV claim lines
                await flush()  # the rows before the block are stored first: the file's order
                count(rows_in(record))
                if columns is None:
                    columns = _column_validator(validator)
                block_result = await offload.run(columns.validate, record)
                if tally_result(block_result.rejected, block_result.errors):
                    await writer.add_table(block_result.table)
                continue
            row_number, raw = record
            count(1)
            if isinstance(raw, str):
                tally.rejected += 1
                tally.add_errors([RowError(row_number, "row", "", raw)])
                continue
            if isinstance(raw, RowError):
                tally.rejected += 1
                tally.add_errors([raw])
                continue
            batch.append((row_number, validator.values_of(raw) if isinstance(raw, dict) else raw))
            if len(batch) >= BATCH_ROWS:
                await flush()
        await flush()
        written = await writer.finish()
        digest = await offload.run(content_sha256)
        size = int(await offload.run(bytes_received))
    except BaseException as exc:
        # An open COPY must be abandoned before the savepoint (or the connection) can roll back.
        if writer is not None:
            await writer.abort(exc)
        if isinstance(exc, Exception) and savepoint.is_active:
            await savepoint.rollback()
        raise

    earlier = await repository.find_same_upload(
        session, aco_id=aco_id, kind=kind, content_sha256=digest, on_error=on_error
    )
    if earlier is not None:
        earlier_id = earlier.id
        await savepoint.rollback()
        again = await session.get(Upload, earlier_id)
        assert again is not None
        return IngestResult(again, created=False)

    assert tally.errors is not None
    rejected_whole = on_error == "reject" and tally.rejected > 0
    if rejected_whole:
        # Nothing of the upload is kept: roll back its rows, then record the report alone.
        upload_id, created_at = upload.id, upload.created_at
        await savepoint.rollback()
        upload = Upload(
            id=upload_id,
            aco_id=aco_id,
            kind=kind,
            source=source,
            on_error=on_error,
            created_at=created_at,
            key_id=actor.key_id,
            status="rejected",
        )
    upload.content_sha256 = digest
    upload.bytes_received = size
    upload.rows_received = tally.received
    upload.rows_stored = 0 if rejected_whole else written
    upload.rows_rejected = tally.rejected
    # Unparseable lines are reported as they stream, bad values per batch: present them in row order.
    upload.errors = [_error_json(e) for e in sorted(tally.errors, key=lambda e: e.row)]
    upload.warnings = [] if rejected_whole else validator.warnings()
    if rejected_whole:
        return IngestResult(await record_rejection(session, actor=actor, upload=upload), created=True)
    await _store_report(session, savepoint, actor=actor, upload=upload)
    return IngestResult(upload, created=True)


def _column_validator(validator: ClaimValidator | AlignmentValidator) -> ClaimColumns:
    """The column-by-column path of ``validator`` (Arrow is imported here, at an upload's first
    block: see storage._arrow)."""
    from service.ingest.columnar import ClaimColumns

    assert isinstance(validator, ClaimValidator)
    return ClaimColumns(validator)


async def record_rejection(session: AsyncSession, *, actor: Actor, upload: Upload) -> Upload:
    """Store the report of a rejected upload (whose rows were rolled back), with its audit note
    and ``upload.failed`` event, in a savepoint of its own: a concurrent identical upload's
    report (a 409) cannot spoil the caller's transaction."""
    savepoint = await session.begin_nested()
    session.add(upload)
    await _store_report(session, savepoint, actor=actor, upload=upload)
    return upload


async def _store_report(
    session: AsyncSession, savepoint: AsyncSessionTransaction, *, actor: Actor, upload: Upload
) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        await savepoint.rollback()
        raise Conflict("an identical upload is being stored right now; retry to receive its report") from exc
    counts = {
        "rows_received": upload.rows_received,
        "rows_stored": upload.rows_stored,
        "rows_rejected": upload.rows_rejected,
    }
    changes.record(
        session,
        actor=actor,
        action=f"upload.{upload.status}",
        resource_type="upload",
        resource_id=upload.id,
        details={
            "kind": upload.kind,
            "source": upload.source,
            **counts,
            "content_sha256": upload.content_sha256,
        },
        party_org_ids=[upload.aco_id],
    )
    outbox.emit(
        session,
        type="upload.failed" if upload.status == "rejected" else "upload.completed",
        data={"upload_id": upload.id, "kind": upload.kind, "status": upload.status, **counts},
        recipients=[upload.aco_id],
    )
    await session.flush()
    await savepoint.commit()


def _error_json(error: RowError) -> dict[str, Any]:
    field = printable(error.field)
    return {
        "location": f"row {error.row}: {field}",
        "message": printable(error.reason),
        "row": error.row,
        "field": field,
        "value": printable(error.value),
    }


def to_report(upload: Upload) -> UploadReport:
    errors = upload.errors[:MAX_REPORTED_ERRORS]
    return UploadReport(
        id=upload.id,
        kind=upload.kind,
        source=upload.source,
        status=upload.status,
        on_error=upload.on_error,
        content_sha256=upload.content_sha256,
        bytes_received=upload.bytes_received,
        rows_received=upload.rows_received,
        rows_stored=upload.rows_stored,
        rows_rejected=upload.rows_rejected,
        errors=[FieldError(**e) for e in errors],
        errors_truncated=len(upload.errors) > MAX_REPORTED_ERRORS,
        warnings=[CodeWarning(**w) for w in upload.warnings or []],
        created_at=upload.created_at,
    )


async def require_aco(session: AsyncSession, aco_id: str) -> None:
    """File imports name their ACO explicitly; it must be one."""
    org = await access_repository.get_organization(session, aco_id)
    if org is None or org.kind is not OrgKind.aco:
        raise NotFound(f"no ACO with id {aco_id}")


async def get_upload(session: AsyncSession, *, viewer: Principal, upload_id: str) -> Upload:
    upload = await session.get(Upload, upload_id)
    if upload is None or not viewer.may_see(upload.aco_id):
        raise NotFound(f"upload {upload_id} does not exist")
    return upload


async def list_uploads(
    session: AsyncSession, *, viewer: Principal, limit: int, cursor: str | None
) -> tuple[Sequence[Upload], str | None]:
    stmt = repository.uploads_of(None if viewer.is_ops else viewer.org_id)
    return await paginate(session, stmt, key=Upload.id, limit=limit, cursor=cursor, descending=True)


async def list_cclf_decisions(
    session: AsyncSession, *, viewer: Principal, upload_id: str, limit: int, cursor: str | None
) -> tuple[Sequence[CclfDecision], str | None]:
    await get_upload(session, viewer=viewer, upload_id=upload_id)  # 404 unless the viewer's
    stmt = select(CclfDecision).where(CclfDecision.upload_id == upload_id)
    return await paginate(session, stmt, key=CclfDecision.id, limit=limit, cursor=cursor)
