"""Writing validated rows inside the request's transaction, behind one interface.

PostgreSQL: rows are formatted as COPY text and streamed with ``COPY ... FROM STDIN`` into the
append-only record tables (the fastest path into PostgreSQL; no per-row statements).
SQLite: batched ``executemany`` of the same rows. Either way nothing is visible to anyone until
the transaction commits, and a rollback (rejected upload, crash, dropped connection) leaves
nothing behind.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import AsyncExitStack, suppress
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain, repeat
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from service.ingest.validation import NULL
from service.kit import offload

if TYPE_CHECKING:
    import pyarrow as pa

BATCH_ROWS = 10_000
# SQLite page cache (KiB) of the connection writing an upload (see SqliteWriter).
UPLOAD_CACHE_KIB = 64 * 1024

CLAIM_COLUMNS = (
    "upload_id",
    "aco_id",
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
    "drg_code",
    "admission_date",
    "discharge_date",
    "facility_ccn",
    "attending_npi",
    "operating_npi",
    "procedure_codes",
)
ALIGNMENT_COLUMNS = (
    "upload_id",
    "aco_id",
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
    "entitlement_reason",
)
TABLES = {
    "claims": ("claim_line_record", CLAIM_COLUMNS),
    "alignment": ("alignment_record", ALIGNMENT_COLUMNS),
}


def _arrow() -> Any:
    """pyarrow, imported at its first use: it adds about 35 MB to a process, which a process that
    never reads CSV claim lines (``columnar``) need not carry."""
    import pyarrow
    import pyarrow.compute

    return pyarrow


@dataclass(frozen=True)
class _Whole:
    def value(self, text: str) -> int:
        return int(text)

    def column(self, texts: pa.Array) -> pa.Array:
        pa = _arrow()
        return pa.compute.cast(texts, pa.int64())


@dataclass(frozen=True)
class _Scaled:
    """A decimal as the integer count of its smallest unit (``12.3`` at scale 2: 1230)."""

    scale: int

    def value(self, text: str) -> int:
        whole, _, fraction = text.partition(".")
        return int(whole) * int(10**self.scale) + int((fraction or "0").ljust(self.scale, "0"))

    def column(self, texts: pa.Array) -> pa.Array:
        pa = _arrow()
        amounts = pa.compute.cast(texts, pa.decimal128(18, self.scale))
        factor = pa.scalar(Decimal(10**self.scale), pa.decimal128(self.scale + 1, 0))
        return pa.compute.cast(pa.compute.multiply(amounts, factor), pa.int64())


@dataclass(frozen=True)
class _Flag:
    def value(self, text: str) -> int:
        return 1 if text == "t" else 0

    def column(self, texts: pa.Array) -> pa.Array:
        pa = _arrow()
        return pa.compute.cast(pa.compute.equal(texts, "t"), pa.int64())


# How SQLite stores the canonical text of a column (kit.db.ScaledDecimal keeps integers there),
# row by row and (for claim lines read column by column) a column at a time.
_SQLITE_CONVERTERS: dict[str, dict[int, _Whole | _Scaled | _Flag]] = {
    "claims": {1: _Whole(), 11: _Scaled(2), 12: _Scaled(2)},
    "alignment": {3: _Flag(), 4: _Scaled(4), 7: _Flag()},
}


class RowWriter(Protocol):
    async def add_many(self, rows: list[tuple[str, ...]]) -> None: ...

    async def add_table(self, table: pa.Table) -> None:
        """Rows as Arrow columns of canonical text (``columnar``), in stored column order."""

    async def finish(self) -> int: ...

    async def abort(self, exc: BaseException) -> None: ...


class PostgresCopyWriter:
    """One ``COPY ... FROM STDIN`` kept open for the whole upload: PostgreSQL stores rows while
    the next ones are still being parsed and validated (two cores at work, not one after the
    other). Rows arrive as canonical COPY text: validation admits no tab, newline or backslash
    in any value, and empty optional values are already ``\\N``."""

    def __init__(self, session: AsyncSession, kind: str, prefix: tuple[str, str]) -> None:
        self.session = session
        self.table, self.columns = TABLES[kind]
        self.prefix = "\t".join(prefix) + "\t"
        self.count = 0
        self._stack = AsyncExitStack()
        self._copy: Any = None

    async def _opened(self) -> Any:
        """The upload's COPY, begun at its first rows."""
        if self._copy is None:
            connection = await self.session.connection()
            raw = await connection.get_raw_connection()
            driver: Any = raw.driver_connection
            cursor = await self._stack.enter_async_context(driver.cursor())
            statement = f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN"
            self._copy = await self._stack.enter_async_context(cursor.copy(statement))
        return self._copy

    async def add_many(self, rows: list[tuple[str, ...]]) -> None:
        if not rows:
            return
        copy = await self._opened()
        prefix = self.prefix
        await copy.write("".join([prefix + "\t".join(row) + "\n" for row in rows]))
        self.count += len(rows)

    async def add_table(self, table: pa.Table) -> None:
        if not table.num_rows:
            return
        copy = await self._opened()
        for text in await offload.run(_copy_text, self.prefix[:-1], table):
            await copy.write(text)
        self.count += table.num_rows

    async def finish(self) -> int:
        await self._stack.aclose()
        if self.count:
            await self._refresh_statistics()
        return self.count

    async def _refresh_statistics(self) -> None:
        """ANALYZE the table when this upload is a large part of it. Episode detection runs right
        after big loads (the first upload of a year, a demo); without statistics PostgreSQL plans
        its joins for an empty table and a settlement takes 20x longer. Inside the transaction,
        ANALYZE counts the rows just written; its lock is held only until the commit."""
        connection = await self.session.connection()
        known = await connection.exec_driver_sql(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", (self.table,)
        )
        rows = known.scalar_one()
        if rows < 0 or self.count * 10 >= rows:  # never analyzed, or grown by 10 % or more
            await connection.exec_driver_sql(f"ANALYZE {self.table}")

    async def abort(self, exc: BaseException) -> None:
        # Passing the exception makes psycopg send CopyFail instead of committing the COPY.
        await self._stack.__aexit__(type(exc), exc, exc.__traceback__)


class SqliteWriter:
    """Batched ``executemany`` of positional tuples, straight to the driver (no SQLAlchemy
    processing per row). A block's tuples are made one at a time while SQLite stores them
    (``zip`` over its columns, no list of them): no batch of tens of thousands of tuples for
    the garbage collector to walk. Two things make SQLite's own work per row smaller:

    * A column that is NULL in every row of a block (the inpatient columns of most claim files)
      is left out of that block's INSERT: SQLite stores the same NULL (these tables have no
      column defaults), and the driver binds about a third fewer parameters (binding a None is
      its slowest case: each one goes through the adapter lookup).
    * While an upload writes, its connection's page cache is ``UPLOAD_CACHE_KIB`` instead of
      SQLite's 2 MB: the two indexes of the record tables take rows in random order (by MBI, by
      claim), and with a small cache nearly every row evicts a dirty index page into the WAL and
      reads another one back (a million claim lines: a quarter of the insert's CPU time). The cache is
      memory only (durability is the WAL's, unchanged) and goes back to its size at the end.
    """

    def __init__(self, session: AsyncSession, kind: str, prefix: tuple[str, str]) -> None:
        self.session = session
        self.table, self.columns = TABLES[kind]
        self.converters = sorted(_SQLITE_CONVERTERS[kind].items())
        self.prefix = prefix
        self.every_value = tuple(range(len(self.columns) - len(prefix)))
        self.buffer: list[Iterable[tuple[Any, ...]]] = []  # rows, as lists or iterators
        self.buffered_rows = 0
        self.buffered: tuple[int, ...] = self.every_value  # the values the buffered rows carry
        self.statements: dict[tuple[int, ...], str] = {}
        self.own_cache: int | None = None  # the connection's cache_size setting, while enlarged
        self.count = 0

    def _statement(self, present: tuple[int, ...]) -> str:
        """The INSERT of the prefix and the values at ``present`` (positions after the prefix)."""
        statement = self.statements.get(present)
        if statement is None:
            names = [
                *self.columns[: len(self.prefix)],
                *(self.columns[len(self.prefix) + i] for i in present),
            ]
            # Table and column names are constants of this module, never input.
            statement = (
                f"INSERT INTO {self.table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"  # noqa: S608
            )
            self.statements[present] = statement
        return statement

    async def add_many(self, rows: list[tuple[str, ...]]) -> None:
        if self.buffered != self.every_value:
            await self._flush()
            self.buffered = self.every_value
        converted = []
        for row in rows:
            values: list[Any] = [None if v == NULL else v for v in row]
            for index, converter in self.converters:
                if values[index] is not None:
                    values[index] = converter.value(values[index])
            converted.append((*self.prefix, *values))
        self.buffer.append(converted)
        self.buffered_rows += len(converted)
        if self.buffered_rows >= BATCH_ROWS:
            await self._flush()

    async def add_table(self, table: pa.Table) -> None:
        if not table.num_rows:
            return
        present, rows = await offload.run(self._rows_of, table)
        if present != self.buffered:
            await self._flush()
            self.buffered = present
        self.buffer.append(rows)
        self.buffered_rows += table.num_rows
        if self.buffered_rows >= BATCH_ROWS:
            await self._flush()

    def _rows_of(self, table: pa.Table) -> tuple[tuple[int, ...], Iterator[tuple[Any, ...]]]:
        """The positions of the columns not NULL throughout, and the rows of their values."""
        pa = _arrow()
        converters = dict(self.converters)
        present = []
        columns = []
        for index, texts in enumerate(table.columns):
            nulls = pa.compute.equal(texts, NULL)
            if pa.compute.all(nulls).as_py():
                continue
            values = texts
            if pa.compute.any(nulls).as_py():
                values = pa.compute.if_else(nulls, pa.scalar(None, pa.string()), texts)
            if index in converters:
                values = converters[index].column(values)
            present.append(index)
            columns.append(values.to_pylist())
        upload_id, aco_id = self.prefix
        return tuple(present), zip(repeat(upload_id), repeat(aco_id), *columns)

    async def _flush(self) -> None:
        if not self.buffer:
            return
        connection = await self.session.connection()
        if self.own_cache is None and self.buffered_rows >= BATCH_ROWS:  # a large upload
            self.own_cache = int((await connection.exec_driver_sql("PRAGMA cache_size")).scalar_one())
            await connection.exec_driver_sql(f"PRAGMA cache_size=-{UPLOAD_CACHE_KIB}")
        statement = self._statement(self.buffered)
        raw = await connection.get_raw_connection()
        driver: Any = raw.driver_connection  # aiosqlite's: it takes an iterator of rows
        try:
            async with driver.executemany(statement, chain.from_iterable(self.buffer)):
                pass
        except sqlite3.Error as exc:
            # As exec_driver_sql raises it: kit.errors tells an unavailable database by its class.
            raise DBAPIError.instance(
                statement, None, exc, sqlite3.Error, hide_parameters=True, dialect=connection.dialect
            ) from exc
        self.count += self.buffered_rows
        self.buffer.clear()
        self.buffered_rows = 0

    async def _restore_cache(self) -> None:
        if self.own_cache is not None:
            connection = await self.session.connection()
            await connection.exec_driver_sql(f"PRAGMA cache_size={self.own_cache}")
            self.own_cache = None

    async def finish(self) -> int:
        await self._flush()
        await self._restore_cache()
        return self.count

    async def abort(self, exc: BaseException) -> None:
        self.buffer.clear()
        self.buffered_rows = 0
        if isinstance(exc, Exception):  # else the connection is being torn down: nothing to keep
            with suppress(SQLAlchemyError):  # the upload's own error is the one to report
                await self._restore_cache()


def _copy_text(prefix: str, table: pa.Table) -> list[memoryview]:
    """A table of canonical text as COPY text: ``prefix``, then its values, tab-separated, a row
    a line. Each chunk's lines are read end to end from its values buffer (between its first and
    last offsets), without a copy."""
    pa = _arrow()
    join = pa.compute.binary_join_element_wise
    lines = join(join(prefix, *table.columns, "\t"), "", "\n")
    texts = []
    for chunk in lines.chunks:
        offsets = pa.Array.from_buffers(
            pa.int32(), len(chunk) + 1, [None, chunk.buffers()[1]], offset=chunk.offset
        )
        texts.append(memoryview(chunk.buffers()[2])[offsets[0].as_py() : offsets[-1].as_py()])
    return texts


async def writer_for(session: AsyncSession, kind: str, *, upload_id: str, aco_id: str) -> RowWriter:
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        return PostgresCopyWriter(session, kind, (upload_id, aco_id))
    return SqliteWriter(session, kind, (upload_id, aco_id))
