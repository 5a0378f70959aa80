"""The database going away under load (PostgreSQL): requests fail cleanly and the service
recovers by itself.

A restart of PostgreSQL is, from the service's side, every connection dropping at once and new
ones failing for a moment. The test does the first for real, repeatedly, while clients keep
reading and writing: ``pg_terminate_backend`` on every connection of the server's database. No
answer may be a 500 or lose its problem shape, nothing may be half-stored, and once the storm
ends every request succeeds again without restarting the service.
"""

from __future__ import annotations

import threading
import time

import psycopg
import pytest

from tests.support.server import TEST_DB, admin_dsn, running_server

pytestmark = pytest.mark.skipif(TEST_DB != "postgresql", reason="a database server to lose: PostgreSQL")


def _terminate_connections(database: str) -> int:
    with psycopg.connect(admin_dsn(), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
    return len(rows)


def test_dropped_connections_give_503_problems_then_recover() -> None:
    with running_server() as server:
        database = server.database_url.rsplit("/", 1)[1]
        statuses: list[int] = []
        bad: list[str] = []
        created: list[str] = []
        stop = threading.Event()

        def client_loop(n: int) -> None:
            with server.client() as client:
                i = 0
                while not stop.is_set():
                    i += 1
                    if i % 3 == 0:
                        body = {"kind": "aco", "name": f"outage {n}-{i}", "tin": f"{n}{i:08d}"[-9:]}
                        response = client.post("/v1/organizations", json=body)
                        if response.status_code == 201:
                            created.append(body["name"])
                    else:
                        response = client.get("/v1/organizations", params={"limit": 5})
                    statuses.append(response.status_code)
                    if response.status_code not in (200, 201):
                        problem = response.json()
                        if response.status_code != 503 or problem.get("status") != 503:
                            bad.append(response.text)
                        elif response.headers.get("retry-after") is None:
                            bad.append("503 without Retry-After")

        threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(1, 4)]
        for thread in threads:
            thread.start()
        killed = 0
        for _ in range(8):
            time.sleep(0.3)
            killed += _terminate_connections(database)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)

        assert killed > 0
        assert not bad, bad[:3]
        assert statuses.count(200) > 0

        # Recovered without a restart: every request succeeds now.
        with server.client() as client:
            for _ in range(20):
                assert client.get("/v1/organizations", params={"limit": 5}).status_code == 200
            assert client.get("/readyz").status_code == 200
            # Every organisation whose creation was answered 201 is stored; none twice.
            names = []
            cursor = None
            while True:
                params = {"limit": 500, **({"cursor": cursor} if cursor else {})}
                page = client.get("/v1/organizations", params=params).json()
                names += [org["name"] for org in page["items"]]
                cursor = page["next_cursor"]
                if not cursor:
                    break
        assert set(created) <= set(names)
        assert len([n for n in names if n.startswith("outage ")]) == len(
            set(n for n in names if n.startswith("outage "))
        )


def test_a_pooled_connection_the_server_closed_is_replaced_before_use() -> None:
    """No ``SELECT 1`` before each use (service/kit/db.py): a look at the idle socket finds the
    server's goodbye, and the request gets a new connection instead of an error."""
    import asyncio

    from sqlalchemy import text

    from service.kit.db import make_async_engine
    from tests.support.server import fresh_database

    async def backend_pids(url: str) -> tuple[int, int]:
        engine = make_async_engine(url, pool_size=1)
        try:
            async with engine.connect() as conn:
                first = int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())
            with psycopg.connect(admin_dsn(), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (first,))
            await asyncio.sleep(0.2)
            async with engine.connect() as conn:  # the pool's one connection, closed by the server
                second = int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())
            return first, second
        finally:
            await engine.dispose()

    with fresh_database() as url:
        first, second = asyncio.run(backend_pids(url))
    assert first != second


def test_a_request_that_finds_every_connection_in_use_waits_for_one_instead_of_opening_another() -> None:
    """No overflow (service/kit/db.py): a connection opened beyond the pool would be closed on
    return, so under load nearly every request would start a PostgreSQL server process. The
    second of two readers on a pool of one waits, then reuses the same server connection."""
    import asyncio

    from sqlalchemy import text

    from service.kit.db import make_async_engine
    from tests.support.server import fresh_database

    async def two_readers(url: str) -> tuple[int, int, bool]:
        engine = make_async_engine(url, pool_size=1)

        async def pid() -> int:
            async with engine.connect() as conn:
                return int((await conn.execute(text("SELECT pg_backend_pid()"))).scalar_one())

        try:
            async with engine.connect() as held:
                first = int((await held.execute(text("SELECT pg_backend_pid()"))).scalar_one())
                second_reader = asyncio.create_task(pid())
                await asyncio.sleep(0.3)
                waited = not second_reader.done()
            return first, await second_reader, waited
        finally:
            await engine.dispose()

    with fresh_database() as url:
        first, second, waited = asyncio.run(two_readers(url))
    assert waited, "the second reader got a connection while the pool's only one was in use"
    assert second == first


def test_a_read_on_the_driver_connection_fails_as_sqlalchemy_would_and_discards_a_broken_connection() -> None:
    """``named_rows`` (service/kit/db.py) runs its statement on psycopg directly: an error
    still reaches the error handlers as SQLAlchemy's (a broken connection as a database outage,
    503), and a connection the server closed under it is not returned to the pool."""
    import asyncio
    from decimal import Decimal

    from sqlalchemy import Integer, bindparam, exc, func, literal_column, select

    from service.kit.db import make_async_engine, named_rows
    from service.kit.errors import _is_unavailable as database_unavailable
    from tests.support.server import fresh_database

    quotient = select((literal_column("1") / bindparam("d", type_=Integer)).label("q"))
    backend = select(func.pg_backend_pid().label("pid"))

    async def scenario(url: str) -> tuple[int, exc.DBAPIError, exc.DBAPIError, int, int]:
        engine = make_async_engine(url, pool_size=1, isolation_level="AUTOCOMMIT", pool_reset_on_return=None)
        try:
            async with engine.connect() as conn:
                [row] = await named_rows(conn, quotient, {"d": 2})
                try:
                    await named_rows(conn, quotient, {"d": 0})
                except exc.DBAPIError as error:
                    data_error = error
                [same] = await named_rows(conn, backend, {})  # the connection is still usable
                first = same.pid
                with psycopg.connect(admin_dsn(), autocommit=True) as admin:
                    admin.execute("SELECT pg_terminate_backend(%s)", (first,))
                await asyncio.sleep(0.2)
                try:
                    await named_rows(conn, backend, {})
                except exc.DBAPIError as error:
                    gone = error
            async with engine.connect() as conn:
                [again] = await named_rows(conn, backend, {})
            return row.q, data_error, gone, first, again.pid
        finally:
            await engine.dispose()

    with fresh_database() as url:
        q, data_error, gone, first, second = asyncio.run(scenario(url))
    assert q == Decimal("0.5")  # SQLAlchemy's true division, read back through psycopg
    assert isinstance(data_error, exc.DataError) and not database_unavailable(data_error)
    assert isinstance(gone, exc.OperationalError) and gone.connection_invalidated
    assert database_unavailable(gone)
    assert second != first  # the broken connection was discarded, not pooled again
