"""Reads of one statement (``single_statement`` in service/kit/db.py) run without a transaction of
their own, and leave the pooled connection as they found it for the transactions that follow."""

from __future__ import annotations

import asyncio
from pathlib import Path

import aiosqlite
import pytest
from sqlalchemy import literal_column, select, text

from service.kit.db import Database, make_async_engine, named_rows, read_pool_size
from service.settings import Settings
from tests.support.server import TEST_DB


def test_a_single_statement_on_sqlite_begins_nothing_and_leaves_the_driver_in_autocommit(
    tmp_path: Path,
) -> None:
    async def scenario() -> tuple[bool, object, bool]:
        database = Database(f"sqlite:///{tmp_path / 'single.db'}", 1)
        try:
            async with database.autocommit.connect() as connection:
                await connection.execute(text("SELECT 1"))
                driver = (await connection.get_raw_connection()).driver_connection._conn
                in_transaction = driver.in_transaction
            # The pool's one connection again: BEGIN stays SQLAlchemy's to emit (the connect
            # hook's driver autocommit), and a change takes the write lock up front.
            async with database.engine.begin() as connection:
                driver = (await connection.get_raw_connection()).driver_connection._conn
                mode = driver.isolation_level
                await connection.execute(text("CREATE TABLE t (x INTEGER)"))
                locked = driver.in_transaction
            return in_transaction, mode, locked
        finally:
            await database.dispose()

    in_transaction, mode, locked = asyncio.run(scenario())
    assert in_transaction is False
    assert mode is None
    assert locked is True


def test_a_sqlite_connection_is_rolled_back_on_return_only_when_a_transaction_is_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Returning a connection to the pool costs a trip through aiosqlite's thread only when there
    is something to roll back: not after a read of one statement nor after a commit, but a
    connection given back inside a transaction (here a raw ``BEGIN`` SQLAlchemy does not know
    of) is rolled back before anyone else gets it."""
    rollbacks: list[bool] = []
    original = aiosqlite.Connection.rollback

    async def counted(self: aiosqlite.Connection) -> None:
        rollbacks.append(self.in_transaction)
        await original(self)

    monkeypatch.setattr(aiosqlite.Connection, "rollback", counted)

    async def scenario() -> tuple[int, int, list[bool], bool]:
        database = Database(f"sqlite:///{tmp_path / 'reset.db'}", 1)
        try:
            async with database.engine.connect():
                pass  # the pool's first connection: SQLAlchemy's set-up of the dialect rolls back
            rollbacks.clear()
            async with database.engine.begin() as connection:
                await connection.execute(text("CREATE TABLE t (x INTEGER)"))
            after_commit = len(rollbacks)
            async with database.autocommit.connect() as connection:  # single_statement's
                rows = await named_rows(connection, select(literal_column("x")).select_from(text("t")), {})
                assert rows == []
            after_read = len(rollbacks)
            async with database.autocommit.connect() as connection:
                driver = (await connection.get_raw_connection()).driver_connection
                await driver.execute("BEGIN IMMEDIATE")
                await driver.execute("INSERT INTO t VALUES (1)")
            async with database.autocommit.connect() as connection:
                driver = (await connection.get_raw_connection()).driver_connection
                open_again = driver.in_transaction
                count = await driver.execute_fetchall("SELECT count(*) FROM t")
            assert list(count) == [(0,)], "the insert of the transaction left open was rolled back"
            return after_commit, after_read, list(rollbacks), open_again
        finally:
            await database.dispose()

    after_commit, after_read, calls, open_again = asyncio.run(scenario())
    assert after_commit == 0
    assert after_read == 0
    assert calls == [True], "one rollback, of the connection returned inside a transaction"
    assert open_again is False


def test_a_sqlite_pool_keeps_its_connections_and_a_request_beyond_it_waits(tmp_path: Path) -> None:
    """On SQLite too the pool has no overflow: a connection opened beyond it would be closed on
    its return (its thread stopped, the file opened and set up again by the next request), so a
    load of more requests than the pool holds would keep opening them. The second of two
    readers on a pool of one waits, then gets the same connection."""

    async def two_readers() -> tuple[bool, bool]:
        engine = make_async_engine(f"sqlite:///{tmp_path / 'pool.db'}", pool_size=1)

        async def driver_of_a_read() -> object:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
                return (await connection.get_raw_connection()).driver_connection

        try:
            async with engine.connect() as held:
                await held.execute(text("SELECT 1"))
                first = (await held.get_raw_connection()).driver_connection
                second_reader = asyncio.create_task(driver_of_a_read())
                await asyncio.sleep(0.3)
                waited = not second_reader.done()
            return waited, (await second_reader) is first
        finally:
            await engine.dispose()

    waited, same = asyncio.run(two_readers())
    assert waited, "the second reader got a connection while the pool's only one was in use"
    assert same


def test_single_statements_have_a_pool_of_their_own_only_on_postgresql(migrated: Settings) -> None:
    """On PostgreSQL the single-statement reads take connections that stay in autocommit, from a
    pool of their own, so that no checkout switches a connection's mode and back; a SQLite file
    keeps one pool (its single statements need no mode switch, see the test above)."""

    async def scenario() -> tuple[list[bool], list[str], int, bool, bool]:
        database = Database(migrated.database_url, 4)
        try:
            autocommit: list[bool] = []
            idle: list[str] = []
            for _ in range(3):
                async with database.autocommit.connect() as connection:
                    await connection.execute(text("SELECT 1"))
                    driver = (await connection.get_raw_connection()).driver_connection
                    if database.is_postgres:
                        autocommit.append(driver.autocommit)
                        idle.append(driver.info.transaction_status.name)
            shared = database.autocommit.sync_engine.pool is database.engine.sync_engine.pool
            async with database.engine.connect() as connection:
                driver = (await connection.get_raw_connection()).driver_connection
                transactional = not driver.autocommit if database.is_postgres else True
            return autocommit, idle, database.autocommit.sync_engine.pool.size(), shared, transactional  # type: ignore[attr-defined]
        finally:
            await database.dispose()

    autocommit, idle, size, shared, transactional = asyncio.run(scenario())
    if TEST_DB == "postgresql":
        assert not shared
        assert autocommit == [True, True, True]
        assert idle == ["IDLE", "IDLE", "IDLE"]  # no transaction left open behind a read
        assert size == read_pool_size(4) == 2
    else:
        assert shared
    assert transactional


def test_named_rows_converts_as_sqlalchemy_and_fails_as_sqlalchemy_on_either_database(
    migrated: Settings,
) -> None:
    """``named_rows`` runs its statement on the driver connection (service/kit/db.py): the values
    come back as the column types make them through SQLAlchemy (dates, zoned timestamps, exact
    decimals), and a failing statement raises SQLAlchemy's error, as ``execute`` would."""
    from datetime import UTC, date, datetime
    from decimal import Decimal

    from sqlalchemy import Date, Integer, bindparam, column, exc, literal, select, table

    from service.kit.db import ScaledDecimal, UTCDateTime, named_rows

    stamp = datetime(2027, 3, 4, 5, 6, 7, 891011, tzinfo=UTC)
    typed = select(
        literal(date(2027, 2, 28), Date).label("day"),
        literal(stamp, UTCDateTime()).label("at"),
        literal(Decimal("1234.50"), ScaledDecimal()).label("money"),
        (bindparam("n", type_=Integer) + 1).label("next"),
    )
    missing = select(table("no_such_table", column("x")).c.x)

    async def scenario() -> tuple[list[object], list[object], exc.DBAPIError | None]:
        database = Database(migrated.database_url, 2)
        try:
            async with database.autocommit.connect() as connection:
                [direct] = await named_rows(connection, typed, {"n": 41})
                through = list((await connection.execute(typed, {"n": 41})).one())
                failure = None
                try:
                    await named_rows(connection, missing, {})
                except exc.DBAPIError as error:
                    failure = error
            return list(direct), through, failure
        finally:
            await database.dispose()

    direct, through, failure = asyncio.run(scenario())
    assert direct == through == [date(2027, 2, 28), stamp, Decimal("1234.50"), 42]
    assert [type(value) for value in direct] == [date, datetime, Decimal, int]
    assert isinstance(failure, exc.DBAPIError) and not failure.connection_invalidated
