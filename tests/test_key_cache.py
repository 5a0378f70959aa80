"""Verified API keys are trusted in process for at most a second (service/access/auth.py): a key
revoked through this process is refused at once, one revoked elsewhere (another process, the
CLI, a database change) within a second; the cache is bounded and expires its entries."""

from __future__ import annotations

import time

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
