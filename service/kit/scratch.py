"""Scratch tables: intermediate results of one computation, inside the request's transaction.

PostgreSQL runs no part of a statement in parallel that reads a temporary table (its rows live in
the leader process's private buffers). Scratch tables are therefore, on PostgreSQL, ``UNLOGGED``
ordinary tables (no WAL, shared buffers: parallel workers read them), each named for its run
(a random suffix), so that runs in parallel never share one; and the two large statements of a
computation write their results with ``CREATE TABLE ... AS SELECT``, which may run in parallel,
where reading them through a cursor could not. On SQLite (no parallel query) they are
``TEMPORARY`` tables.

Nothing else sees them: they are created inside the transaction, so other transactions cannot
see them before it commits, and they are dropped before that (:func:`scratch_tables`). If the
computation fails the transaction rolls back, which on both databases undoes their creation.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Column, MetaData, Select, Table, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateTableAs
from sqlalchemy.sql.compiler import DDLCompiler


class _CreateUnloggedAs(CreateTableAs):
    """``CREATE UNLOGGED TABLE ... AS SELECT`` (PostgreSQL)."""

    inherit_cache = False


@compiles(_CreateUnloggedAs, "postgresql")
def _unlogged(element: _CreateUnloggedAs, compiler: DDLCompiler, **kw: Any) -> str:
    created: str = compiler.visit_create_table_as(element, **kw)
    assert created.startswith("CREATE TABLE ")
    return "CREATE UNLOGGED TABLE " + created[len("CREATE TABLE ") :]


class Scratch:
    """The scratch tables of one computation (use :func:`scratch_tables`)."""

    def __init__(self, session: AsyncSession, *, postgres: bool) -> None:
        self.session = session
        self.postgres = postgres
        self.tables: list[Table] = []

    def _name(self, prefix: str) -> str:
        return f"{prefix}_{secrets.token_hex(6)}"

    async def create(self, prefix: str, *columns: Column[Any]) -> Table:
        """An empty table of ``columns`` (fresh Column objects)."""
        table = Table(
            self._name(prefix),
            MetaData(),
            *columns,
            prefixes=["UNLOGGED" if self.postgres else "TEMPORARY"],
        )
        connection = await self.session.connection()
        await connection.run_sync(lambda sync: table.create(sync))
        self.tables.append(table)
        return table

    async def create_as(self, prefix: str, select: Select[Any], *, analyze: bool = False) -> Table:
        """A table holding the rows of ``select`` (its parameters are written into the DDL); with
        ``analyze``, with planner statistics (worth their cost when it is joined again)."""
        name = self._name(prefix)
        ddl = _CreateUnloggedAs(select, name) if self.postgres else select.into(name, temporary=True)
        await self.session.execute(ddl)
        self.tables.append(ddl.table)
        if analyze:
            await self.analyze(ddl.table)
        return ddl.table

    async def analyze(self, table: Table, *columns: str) -> None:
        """Planner statistics of ``table`` (autovacuum would come too late, or not at all); with
        ``columns``, of those only (the row count is always taken): statistics of columns no
        statement filters, joins or groups on cost sorting a sample of each and tell the planner
        nothing."""
        if self.postgres:
            # The names are made here or are the schema's, never taken from input.
            only = f" ({', '.join(columns)})" if columns else ""
            await self.session.execute(text(f"ANALYZE {table.name}{only}"))

    async def drop_all(self) -> None:
        connection = await self.session.connection()
        while self.tables:
            await connection.run_sync(self.tables.pop().drop)


@asynccontextmanager
async def scratch_tables(session: AsyncSession) -> AsyncIterator[Scratch]:
    """Scratch tables dropped when the block ends; when it raises they are left to the
    transaction's rollback (a statement in a failed PostgreSQL transaction would fail too)."""
    connection = await session.connection()
    scratch = Scratch(session, postgres=connection.dialect.name == "postgresql")
    yield scratch
    await scratch.drop_all()
