"""Verified API keys are trusted in process for at most a second (service/access/auth.py): a key
revoked through this process is refused at once, one revoked elsewhere (another process, the
CLI, a database change) within a second; the cache is bounded and expires its entries."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import text

from service.kit.cache import TtlCache
from service.kit.db import make_sync_engine
from service.settings import Settings
from tests.support.factories import Api, create_org, expect


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire_after_their_time_to_live() -> None:
    clock = FakeClock()
    cache: TtlCache[str, int] = TtlCache(ttl_seconds=1.0, max_entries=10, clock=clock)
    cache.put("a", 1)
    clock.now += 0.999
    assert cache.get("a") == 1
    clock.now += 0.001
    assert cache.get("a") is None and len(cache) == 0
    # Reading an entry does not extend its life.
    cache.put("b", 2)
    for _ in range(3):
        clock.now += 0.4
        cache.get("b")
    assert cache.get("b") is None


def test_the_cache_is_bounded_least_recently_used_first() -> None:
    cache: TtlCache[str, int] = TtlCache(ttl_seconds=1.0, max_entries=3, clock=FakeClock())
    for n, key in enumerate("abc"):
        cache.put(key, n)
    assert cache.get("a") == 0  # now the most recently used
    cache.put("d", 3)
    assert len(cache) == 3 and cache.get("b") is None
    assert [cache.get(k) for k in "acd"] == [0, 2, 3]
    cache.discard_where(lambda value: value >= 2)
    assert [cache.get(k) for k in "acd"] == [0, None, None]


def test_a_zero_time_to_live_caches_nothing() -> None:
    cache: TtlCache[str, int] = TtlCache(ttl_seconds=0, max_entries=3)
    cache.put("a", 1)
    assert cache.get("a") is None and len(cache) == 0


def test_requests_missing_one_key_at_once_share_one_load() -> None:
    """When a busy key's entry expires, the requests in flight wait for one database read
    instead of each starting its own; a load that finds nothing is shared but not kept, a failed
    one fails its waiters and the next request tries again, and a waiter that goes away does not
    cancel the others' load."""
    cache: TtlCache[str, int] = TtlCache(ttl_seconds=1.0, max_entries=10, clock=FakeClock())
    loads: list[str] = []

    def loader(result: int | None, fail: bool = False) -> Callable[[], Awaitable[int | None]]:
        async def load() -> int | None:
            loads.append("load")
            await asyncio.sleep(0.01)
            if fail:
                raise RuntimeError("database unavailable")
            return result

        return load

    async def scenario() -> None:
        assert await asyncio.gather(*(cache.get_or_load("a", loader(7)) for _ in range(20))) == [7] * 20
        assert len(loads) == 1 and cache.get("a") == 7

        loads.clear()
        assert await asyncio.gather(*(cache.get_or_load("b", loader(None)) for _ in range(5))) == [None] * 5
        assert len(loads) == 1 and cache.get("b") is None

        loads.clear()
        failed = await asyncio.gather(
            *(cache.get_or_load("c", loader(1, fail=True)) for _ in range(3)), return_exceptions=True
        )
        assert len(loads) == 1 and all(isinstance(outcome, RuntimeError) for outcome in failed)
        assert await cache.get_or_load("c", loader(3)) == 3 and len(loads) == 2

        loads.clear()
        leaving = asyncio.ensure_future(cache.get_or_load("d", loader(4)))
        staying = asyncio.ensure_future(cache.get_or_load("d", loader(4)))
        await asyncio.sleep(0)
        leaving.cancel()
        assert await staying == 4 and len(loads) == 1 and cache.get("d") == 4

    asyncio.run(scenario())


def test_a_key_revoked_behind_this_process_is_refused_within_a_second(ops: Api, migrated: Settings) -> None:
    """As another process (or `cara keys`, or an operator in SQL) would revoke it: in the
    database, without this process knowing."""
    org, api = create_org(ops, "aco")
    expect(api.get("/v1/organizations"), 200)  # verified and now cached
    [key] = expect(ops.get(f"/v1/organizations/{org['id']}/api-keys"), 200)["items"]
    engine = make_sync_engine(migrated.database_url)
    try:
        with engine.begin() as conn:
            conn.execute(
                text("UPDATE api_key SET revoked_at = CURRENT_TIMESTAMP WHERE id = :id"), {"id": key["id"]}
            )
        revoked = time.monotonic()
    finally:
        engine.dispose()
    statuses = []
    while time.monotonic() - revoked < 1.0:
        statuses.append(api.get("/v1/organizations").status_code)
    time.sleep(max(0.0, 1.0 - (time.monotonic() - revoked)))
    # Whatever was answered within the second, from then on every request is refused.
    assert set(statuses) <= {200, 401}
    for _ in range(3):
        assert expect(api.get("/v1/organizations"), 401)["type"].endswith("/unauthorized")


def test_a_key_revoked_through_this_process_is_refused_at_once(ops: Api) -> None:
    org, api = create_org(ops, "aco")
    for _ in range(3):
        expect(api.get("/v1/organizations"), 200)
    [key] = expect(ops.get(f"/v1/organizations/{org['id']}/api-keys"), 200)["items"]
    expect(ops.delete(f"/v1/api-keys/{key['id']}"), 204)
    expect(api.get("/v1/organizations"), 401)


def test_a_cache_bounded_in_size_drops_the_least_recently_used_until_it_fits() -> None:
    cache: TtlCache[str, bytes] = TtlCache(
        ttl_seconds=1.0, max_entries=100, clock=FakeClock(), size_of=len, max_size=10
    )
    cache.put("a", b"1234")
    cache.put("b", b"1234")
    assert cache.get("a") == b"1234"  # now the most recently used
    cache.put("c", b"123")  # 11 bytes: "b" goes
    assert len(cache) == 2 and cache.get("b") is None
    cache.put("a", b"12345678")  # replaced: its old size no longer counts; "c" goes
    assert [cache.get(k) for k in "abc"] == [b"12345678", None, None]
    cache.put("big", b"x" * 11)  # larger than the whole bound: nothing is kept
    assert len(cache) == 0
    cache.put("d", b"1")
    assert cache.get("d") == b"1"
