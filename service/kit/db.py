"""Database plumbing: the declarative base, exact decimal types, engines and the per-request session.

The request session is the one place where a transaction is committed (on success) or rolled
back (on any error); domain code only adds, flushes and queries.
"""

from __future__ import annotations

import os
import select
from collections import namedtuple
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import BigInteger, DateTime, Dialect, MetaData, Numeric, Table, event, exc, insert
from sqlalchemy.engine import Engine, create_engine
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.pool import PoolResetState
from sqlalchemy.sql import Select
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import TypeDecorator, TypeEngine

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC timestamps on both databases (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class ScaledDecimal(TypeDecorator[Decimal]):
    """An exact decimal with a fixed number of places.

    PostgreSQL stores ``NUMERIC(precision, scale)``. SQLite has no exact decimal type (its NUMERIC
    affinity turns ``12.50`` into a binary float), so there the value is an integer count of
    the smallest unit (cents for money); sums in SQL stay exact and come back as ``Decimal``.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, scale: int = 2, precision: int = 16) -> None:
        super().__init__()
        self.scale = scale
        self.precision = precision
        self._quantum = Decimal(1).scaleb(-scale)
        self._factor = Decimal(10) ** scale

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        exact = Decimal(value).quantize(self._quantum)
        if dialect.name == "sqlite":
            return int(exact * self._factor)
        return exact

    def result_processor(self, dialect: Dialect, coltype: Any) -> Callable[[Any], Decimal | None]:
        """Values read back as exact decimals, the dialect decided once per statement rather than
        once per value (a settlement reads a few hundred thousand of them)."""
        driver = self.load_dialect_impl(dialect).result_processor(dialect, coltype)
        quantum, factor = self._quantum, self._factor
        if dialect.name == "sqlite":

            def process(value: Any) -> Decimal | None:
                return None if value is None else (Decimal(int(value)) / factor).quantize(quantum)

        else:

            def process(value: Any) -> Decimal | None:
                if value is None:
                    return None
                # psycopg returns NUMERIC as Decimal already (tens of thousands a settlement): no copy.
                return (value if isinstance(value, Decimal) else Decimal(value)).quantize(quantum)

        if driver is None:
            return process
        return lambda value: process(driver(value))


class unindexed(FunctionElement[Any]):
    """A column as a join condition reads it, but, on SQLite, unusable as an index key
    (``+column``, SQLite's documented way to keep the planner off an index; the value and its
    comparisons are unchanged). Where a selective filter on the other side's rows makes a scan of
    them cheaper than an index probe per row of the first, which SQLite's planner cannot know.
    Other databases get the column as it is."""

    inherit_cache = True
    name = "unindexed"

    def __init__(self, column: ColumnElement[Any]) -> None:
        super().__init__(column)
        self.type = column.type


@compiles(unindexed)
def _unindexed(element: unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    text: str = compiler.process(element.clauses, **kw)
    return text


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element: unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + str(compiler.process(element.clauses, **kw))


def Money() -> ScaledDecimal:
    """US dollars and cents."""
    return ScaledDecimal(2, 16)


def sync_url(url: str) -> str:
    """The driver-qualified URL for synchronous use (Alembic, CLI)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def async_url(url: str) -> str:
    url = sync_url(url)
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


def _ensure_sqlite_dir(url: str) -> None:
    prefix = "sqlite:///"
    if url.startswith(prefix) and ":memory:" not in url:
        path = url[len(prefix) :].split("?", 1)[0]
        directory = os.path.dirname(path)
        if directory:
            os.makedirs(directory, exist_ok=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


# Execution option of a connection whose transaction only reads (a GET): on SQLite it begins
# DEFERRED, so that readers do not queue for the one write lock (in WAL mode they never need it).
READ_ONLY = "cara_read_only"
# Execution option of a SQLite connection that runs each statement as its own transaction
# (``Database.autocommit`` there): no BEGIN is emitted, and the driver connection, in autocommit
# since it was opened, runs the statement alone. SQLAlchemy's AUTOCOMMIT isolation level would
# do the same at the price of switching the driver's mode at every checkout and back at every
# return (each a hop through aiosqlite's thread), and back means pysqlite's own implicit
# transactions, which the connect hook turned off.
SINGLE_STATEMENT = "cara_single_statement"


def _sqlite_begin_immediate(conn: Any) -> None:
    # pysqlite starts transactions lazily and as DEFERRED; writers then fail with "database is
    # locked" on upgrade. BEGIN IMMEDIATE takes the write lock up front and waits (busy_timeout).
    options = conn.get_execution_options()
    if options.get(SINGLE_STATEMENT):
        return  # each statement its own transaction (single_statement)
    conn.exec_driver_sql("BEGIN DEFERRED" if options.get(READ_ONLY) else "BEGIN IMMEDIATE")


def _sqlite_reset(dbapi_connection: Any, _record: Any, state: PoolResetState) -> None:
    """A SQLite connection going back to the pool is rolled back only when it is inside a
    transaction. The pool's own reset rolls back every connection it gets back, and through
    aiosqlite that is a trip through the connection's thread even when there is nothing to roll
    back (a read of one statement in autocommit, a transaction already committed): half the trips
    of a single read. Whether a transaction is open is read from the driver without a trip."""
    if not state.asyncio_safe or state.transaction_was_reset:
        return  # nothing to do, or no I/O allowed (a connection collected by the garbage collector)
    driver = getattr(dbapi_connection, "driver_connection", dbapi_connection)
    if driver.in_transaction:
        dbapi_connection.rollback()


# Arguments of every SQLite engine: the pool's own reset off, since ``_sqlite_reset`` (which
# ``_configure_sqlite`` registers) does it.
SQLITE_ENGINE_ARGUMENTS: dict[str, Any] = {"pool_reset_on_return": None}


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, record: Any) -> None:
        # Let SQLAlchemy, not the driver, emit BEGIN (see the SQLAlchemy pysqlite notes).
        dbapi_connection.isolation_level = None
        _sqlite_pragmas(dbapi_connection, record)

    event.listen(engine, "begin", _sqlite_begin_immediate)
    event.listen(engine, "reset", _sqlite_reset)


def make_sync_engine(url: str) -> Engine:
    _ensure_sqlite_dir(url)
    # hide_parameters: a database error's text (logged with a 500) never carries the statement's
    # values: keys' hashes, webhook secrets, MBIs and claim rows stay out of the logs.
    sqlite = url.startswith("sqlite")
    engine = create_engine(
        sync_url(url),
        pool_pre_ping=True,
        hide_parameters=True,
        **(SQLITE_ENGINE_ARGUMENTS if sqlite else {}),
    )
    if sqlite:
        _configure_sqlite(engine)
    return engine


def _server_has_hung_up(dbapi_connection: Any) -> bool:
    """True when an idle PostgreSQL connection has something to read: a live idle connection
    never has (nothing here LISTENs), while one the server closed (a restart, an administrator's
    ``pg_terminate_backend``) holds the server's goodbye or the end of the stream."""
    driver = getattr(dbapi_connection, "driver_connection", dbapi_connection)
    if driver.closed:
        return True
    poller = select.poll()
    poller.register(driver.pgconn.socket, select.POLLIN)
    return bool(poller.poll(0))


def _drop_hung_up_connections(engine: Engine) -> None:
    """On PostgreSQL, instead of a ``SELECT 1`` round trip before every use of a pooled
    connection (``pool_pre_ping``): a look at its socket, which costs no round trip. A connection
    the server closed is replaced before the request uses it."""

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        if _server_has_hung_up(dbapi_connection):
            raise exc.DisconnectionError("the database server closed this connection")


def make_async_engine(url: str, pool_size: int, **options: Any) -> AsyncEngine:
    _ensure_sqlite_dir(url)
    sqlite = url.startswith("sqlite")
    # No ``pool_pre_ping``: a SQLite file has no server to go away (the ping was a ``SELECT 1``
    # through aiosqlite's thread before every use), and PostgreSQL's connections are checked by
    # a look at their socket instead (``_drop_hung_up_connections``).
    kwargs: dict[str, Any] = {"hide_parameters": True, **options}
    # No overflow: SQLAlchemy closes an overflow connection when it is returned, so a load with
    # more requests in flight than the pool holds keeps opening connections: on PostgreSQL a
    # server process for nearly every request, on SQLite a thread, the file and its settings for
    # about one read in a hundred (docs/scaling.md). A request finding every connection in use
    # waits.
    kwargs.update(pool_size=pool_size, max_overflow=0)
    if sqlite:
        kwargs = {**SQLITE_ENGINE_ARGUMENTS, **kwargs}
    engine = create_async_engine(async_url(url), **kwargs)
    if sqlite:
        _configure_sqlite(engine.sync_engine)
    else:
        _drop_hung_up_connections(engine.sync_engine)
    return engine


def read_pool_size(pool_size: int) -> int:
    """Connections of the single-statement reads' own pool on PostgreSQL, beside ``pool_size``
    for transactions: half as many (at least two), since a read holds its connection for one
    statement only."""
    return max(2, pool_size // 2)


class Database:
    """The engine and session factories of one running app: ``sessionmaker`` for transactions,
    ``reading`` for a GET's transaction (on SQLite it begins without the write lock), and
    ``single_statement`` for reads of one statement (no transaction of their own, see
    :func:`single_statement`). The first two share one connection pool; on PostgreSQL the third
    has its own (see ``read_pool_size``)."""

    def __init__(self, url: str, pool_size: int) -> None:
        self.url = url
        self.engine = make_async_engine(url, pool_size)
        self.sessionmaker = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=True)
        self.reading = async_sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False, autoflush=True
        )
        if self.is_postgres:
            # A pool of its own, whose connections are in autocommit from the start: through
            # the shared pool, every checkout switched the connection to autocommit and every
            # return switched it back and rolled back: 12 % of a single read's instructions.
            # Nothing to roll back on return: a statement in autocommit leaves no transaction.
            self.autocommit = make_async_engine(
                url, read_pool_size(pool_size), isolation_level="AUTOCOMMIT", pool_reset_on_return=None
            )
        else:
            self.autocommit = self.engine.execution_options(**{SINGLE_STATEMENT: True})
        self.single_statement = async_sessionmaker(self.autocommit, expire_on_commit=False)

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    async def dispose(self) -> None:
        await self.engine.dispose()
        if self.is_postgres:
            await self.autocommit.dispose()


_database: Database | None = None


def set_database(database: Database | None) -> None:
    global _database
    _database = database


def get_database() -> Database:
    if _database is None:
        raise RuntimeError("database not initialised")
    return _database


async def request_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session and one transaction per request: committed if the handler returns, rolled
    back if anything raises. Runs with ``scope="function"`` so the commit happens before the
    response is sent: a client never sees success for a change that was not stored. A GET only
    reads: on SQLite its transaction begins without the write lock (``READ_ONLY``)."""
    database = get_database()
    maker = database.reading if request.method in ("GET", "HEAD") else database.sessionmaker
    async with maker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


SessionDep = Annotated[AsyncSession, Depends(request_session, scope="function")]


def single_statement() -> AbstractAsyncContextManager[AsyncConnection]:
    """A pooled connection for a read of one statement at a time (and no write): each statement
    is its own transaction, as the database runs every statement, without the ``BEGIN`` and
    ``COMMIT`` round trips around it (two of a read's three). Several statements may follow one
    another only where the answer stands on the last one's alone (an arrangement read: the
    revisions, then on a miss the arrangements whole); not for statements that must see one
    state, nor for cursors or scratch tables (they need a transaction). A route opens it with
    ``async with`` around its one call, rather than as a dependency: FastAPI's machinery for a
    dependency that cleans up costs a hot read more than its statement's Python does."""
    return get_database().autocommit.connect()


async def named_rows(
    connection: AsyncConnection, statement: Select[Any], parameters: Mapping[str, Any]
) -> list[Any]:
    """The rows of the read ``statement`` as named tuples (a value by its column's label, read
    about twenty times faster than from SQLAlchemy's ``Row``), the values converted as
    SQLAlchemy's column types would.

    The statement, compiled once, runs on the pooled driver connection in one call: on
    PostgreSQL as a psycopg prepared statement whose rows psycopg makes; on SQLite as one trip
    through aiosqlite's thread (SQLAlchemy's execution makes five: cursor, execute, fetch, close
    and the rollback on return). SQLAlchemy's execution and result machinery cost a fifth of a
    single read's work. A driver error reaches the caller as SQLAlchemy's, as through
    ``execute``, the connection discarded when it broke."""
    plan = _plan(statement, connection.dialect)
    driver: Any = (await connection.get_raw_connection()).driver_connection
    try:
        return await plan.fetch(driver, {**plan.defaults, **parameters})
    except plan.driver_error as error:
        broken = plan.is_broken(driver)
        if broken:
            await connection.invalidate(error)
        raise exc.DBAPIError.instance(
            plan.sql,
            None,
            error,
            plan.driver_error,
            hide_parameters=True,
            connection_invalidated=broken,
            dialect=connection.dialect,
        ) from error


@dataclass(frozen=True, slots=True)
class _Plan:
    """How :func:`named_rows` runs one statement on one dialect."""

    sql: str
    defaults: dict[str, Any]  # the values SQLAlchemy bound into the statement (its literals)
    fetch: Callable[[Any, dict[str, Any]], Awaitable[list[Any]]]  # (driver connection, values) -> rows
    driver_error: type[Exception]
    is_broken: Callable[[Any], bool]  # whether an error left the driver connection unusable


@lru_cache(maxsize=64)
def _plan(statement: Select[Any], dialect: Dialect) -> _Plan:
    compiled = statement.compile(dialect=dialect)
    sql = compiled.string
    if dialect.name == "postgresql":
        # Imported here: a service on SQLite never loads psycopg (9 MB of its resident memory).
        # Read by psycopg as they are: the column types used this way convert nothing on
        # PostgreSQL (``ScaledDecimal`` and ``UTCDateTime`` keep what psycopg gives).
        import psycopg
        from psycopg.rows import namedtuple_row

        async def fetch_prepared(driver: Any, values: dict[str, Any]) -> list[Any]:
            async with driver.cursor(row_factory=namedtuple_row) as cursor:
                await cursor.execute(sql, values, prepare=True)
                rows: list[Any] = await cursor.fetchall()
                return rows

        return _Plan(
            sql,
            dict(compiled.params),
            fetch_prepared,
            psycopg.Error,
            is_broken=lambda driver: bool(driver.broken or driver.closed),
        )
    import sqlite3

    assert compiled.positiontup is not None, "SQLite's parameters are positional"
    # Each ``?`` parameter in order with its type's conversion, each column with its own.
    positions = [
        (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
        for name in compiled.positiontup
    ]
    columns = statement.selected_columns
    row_type = namedtuple("Row", [column.key for column in columns])  # type: ignore[misc]
    processors = [column.type.dialect_impl(dialect).result_processor(dialect, None) for column in columns]
    converted = [(i, process) for i, process in enumerate(processors) if process is not None]

    async def fetch_in_one_trip(driver: Any, values: dict[str, Any]) -> list[Any]:
        bound = [values[name] if process is None else process(values[name]) for name, process in positions]
        rows = []
        for row in await driver.execute_fetchall(sql, bound):
            converted_row = list(row)
            for i, process in converted:
                converted_row[i] = process(converted_row[i])
            rows.append(row_type._make(converted_row))
        return rows

    return _Plan(sql, dict(compiled.params), fetch_in_one_trip, sqlite3.Error, is_broken=lambda driver: False)


async def insert_rows(session: AsyncSession, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Append many rows (dicts keyed by column name, every column) in the session's transaction: one
    ``COPY ... FROM STDIN`` on PostgreSQL (tens of thousands of rows without a statement each),
    an executemany elsewhere."""
    if not rows:
        return
    connection = await session.connection()
    values = itemgetter(*(column.name for column in table.columns))  # column order, one C call
    tuples = [values(row) for row in rows]
    if connection.dialect.name != "postgresql":
        await _executemany(connection, table, tuples)
        return
    await _copy(session, table, tuples)


async def insert_tuples(session: AsyncSession, table: Table, rows: Sequence[tuple[Any, ...]]) -> None:
    """:func:`insert_rows` of rows given as tuples in the table's column order (no dict a row,
    where tens of thousands are written). On PostgreSQL the values are written as the columns'
    types (text, dates, integers, booleans, exact decimals; see ``_COPY_TYPES``) say, so each
    value must be of its column's Python type or None."""
    if not rows:
        return
    connection = await session.connection()
    if connection.dialect.name != "postgresql":
        await _executemany(connection, table, rows)
        return
    types = [
        column.type.compile(dialect=connection.dialect).split("(")[0].lower() for column in table.columns
    ]
    await _copy(session, table, rows, types if all(t in _COPY_TYPES for t in types) else None)


async def _executemany(connection: AsyncConnection, table: Table, rows: Sequence[Sequence[Any]]) -> None:
    """One executemany of the table's positional ``INSERT`` (SQLite), each value converted by its
    column type's own bind processor, exactly as ``insert(table)`` would store it. Handing
    ``insert(table)`` a dict a row costs several times the database's own work on tens of
    thousands of rows (a dict built, then a parameter set and a processor lookup each)."""
    dialect = connection.dialect
    compiled = insert(table).compile(dialect=dialect)
    names = [column.name for column in table.columns]
    assert compiled.positiontup == names, "a positional INSERT of every column, in table order"
    processors = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in table.columns]
    if any(processors):
        convert = [(i, process) for i, process in enumerate(processors) if process is not None]
        converted = []
        for row in rows:
            values = list(row)
            for i, process in convert:
                values[i] = process(values[i])
            converted.append(tuple(values))
        rows = converted
    await connection.exec_driver_sql(compiled.string, list(rows))


# Column types whose values COPY may write by the column's type rather than by looking up each
# value's Python type (a quarter of the cost of writing a row).
_COPY_TYPES = frozenset({"varchar", "text", "date", "integer", "bigint", "boolean", "numeric"})


async def _copy(
    session: AsyncSession, table: Table, rows: Sequence[Sequence[Any]], types: list[str] | None = None
) -> None:
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    driver: Any = raw.driver_connection
    # Table and column names come from the schema, never from input.
    statement = f"COPY {table.name} ({', '.join(column.name for column in table.columns)}) FROM STDIN"
    async with driver.cursor() as cursor, cursor.copy(statement) as copy:
        if types is not None:
            copy.set_types(types)
        for row in rows:
            await copy.write_row(row)
