"""Reads of one statement (``single_statement`` in service/kit/db.py) run without a transaction of
their own, and leave the pooled connection as they found it for the transactions that follow."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import text

from service.kit.db import Database


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
