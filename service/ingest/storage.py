"""Writing validated rows inside the request's transaction, behind one interface.

PostgreSQL: rows are formatted as COPY text and streamed with ``COPY ... FROM STDIN`` into the
append-only record tables (the fastest path into PostgreSQL; no per-row statements).
SQLite: batched ``executemany`` of the same rows. Either way nothing is visible to anyone until
the transaction commits, and a rollback (rejected upload, crash, dropped connection) leaves
nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AsyncExitStack
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from service.ingest.validation import NULL

BATCH_ROWS = 10_000

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


def _scaled(scale: int) -> Callable[[str], int]:
    factor = int(10**scale)

    def convert(value: str) -> int:
        whole, _, fraction = value.partition(".")
        return int(whole) * factor + int((fraction or "0").ljust(scale, "0"))

    return convert


def _flag(value: str) -> int:
    return 1 if value == "t" else 0


# How SQLite stores the canonical text of a column (kit.db.ScaledDecimal keeps integers there).
_SQLITE_CONVERTERS: dict[str, dict[int, Callable[[str], int]]] = {
    "claims": {1: int, 11: _scaled(2), 12: _scaled(2)},
    "alignment": {3: _flag, 4: _scaled(4), 7: _flag},
}


class RowWriter(Protocol):
    async def add_many(self, rows: list[tuple[str, ...]]) -> None: ...

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

    async def add_many(self, rows: list[tuple[str, ...]]) -> None:
        if not rows:
            return
        if self._copy is None:
            connection = await self.session.connection()
            raw = await connection.get_raw_connection()
            driver: Any = raw.driver_connection
            cursor = await self._stack.enter_async_context(driver.cursor())
            statement = f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN"
            self._copy = await self._stack.enter_async_context(cursor.copy(statement))
        prefix = self.prefix
        await self._copy.write("".join([prefix + "\t".join(row) + "\n" for row in rows]))
        self.count += len(rows)

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
    def __init__(self, session: AsyncSession, kind: str, prefix: tuple[str, str]) -> None:
        self.session = session
        table, columns = TABLES[kind]
        # Table and column names are constants of this module, never input.
        self.statement = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
        )
        self.converters = sorted(_SQLITE_CONVERTERS[kind].items())
        self.prefix = prefix
        self.buffer: list[tuple[Any, ...]] = []
        self.count = 0

    async def add_many(self, rows: list[tuple[str, ...]]) -> None:
        for row in rows:
            values: list[Any] = [None if v == NULL else v for v in row]
            for index, convert in self.converters:
                if values[index] is not None:
                    values[index] = convert(values[index])
            self.buffer.append((*self.prefix, *values))
        if len(self.buffer) >= BATCH_ROWS:
            await self._flush()

    async def _flush(self) -> None:
        if not self.buffer:
            return
        connection = await self.session.connection()
        await connection.exec_driver_sql(self.statement, self.buffer)
        self.count += len(self.buffer)
        self.buffer.clear()

    async def finish(self) -> int:
        await self._flush()
        return self.count

    async def abort(self, exc: BaseException) -> None:
        self.buffer.clear()


async def writer_for(session: AsyncSession, kind: str, *, upload_id: str, aco_id: str) -> RowWriter:
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        return PostgresCopyWriter(session, kind, (upload_id, aco_id))
    return SqliteWriter(session, kind, (upload_id, aco_id))
