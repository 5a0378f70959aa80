"""Rate limits per API key: a budget a minute per role, uploads apart, 429 problems with
Retry-After and RateLimit-* headers; counters in memory, or in Redis (127.0.0.1:6379) shared by
every server process. Budgets here are tiny so the tests are quick."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator

import httpx
import pytest
import redis
from fastapi.testclient import TestClient

from service.app import create_app
from service.kit import db as kit_db
from service.settings import Settings
from tests.support.factories import Api, create_org, expect, make_ops_key
from tests.support.ingest_data import alignment, to_csv
from tests.support.server import RunningServer, running_server

REDIS_URL = "redis://127.0.0.1:6379/0"
SMALL = {
    "rate_limit_ops_per_minute": 1000,
    "rate_limit_aco_per_minute": 3,
    "rate_limit_provider_per_minute": 3,
    "rate_limit_uploads_per_minute": 2,
}


@contextlib.contextmanager
def second_app(settings: Settings) -> Iterator[TestClient]:
    """Another app beside the session's: it replaces the process-wide database handle while it
    runs and clears it on shutdown, so the session's handle is put back afterwards."""
    try:
        session_database: kit_db.Database | None = kit_db.get_database()
    except RuntimeError:  # no session app started yet
        session_database = None
    try:
        with TestClient(create_app(settings), raise_server_exceptions=False) as client:
            yield client
    finally:
        kit_db.set_database(session_database)


@pytest.fixture(params=["memory", "redis"])
def limited(request: pytest.FixtureRequest, migrated: Settings) -> Iterator[Api]:
    """An ops client of an app with small budgets, counting in memory or in Redis."""
    redis_url = REDIS_URL if request.param == "redis" else None
    settings = migrated.model_copy(update={**SMALL, "redis_url": redis_url})
    with second_app(settings) as client:
        yield Api(client, make_ops_key(migrated))


def assert_budget_headers(response: httpx.Response, limit: int, remaining: int) -> None:
    assert response.headers["RateLimit-Limit"] == str(limit)
    assert response.headers["RateLimit-Remaining"] == str(remaining)
    assert 0 <= int(response.headers["RateLimit-Reset"]) <= 60


def test_a_key_over_its_budget_gets_429_problems_until_the_window_moves(limited: Api) -> None:
    _, aco = create_org(limited, "aco")
    for remaining in (2, 1, 0):
        assert_budget_headers(expect_ok(aco.get("/v1/organizations")), 3, remaining)
    refused = aco.get("/v1/organizations")
    problem = expect(refused, 429)
    assert refused.headers["content-type"] == "application/problem+json"
    assert problem["type"] == "https://cara-service.org/problems/rate-limited"
    assert problem["title"] == "Too many requests"
    assert "3 requests a minute" in problem["detail"]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert_budget_headers(refused, 3, 0)
    # Another key of the same organisation has its own budget; a bad key is not counted.
    other_key = expect(
        limited.post(f"/v1/organizations/{aco.org_id}/api-keys", json={"name": "b", "role": "aco"}), 201
    )
    other = Api(limited.client, other_key["key"], aco.org_id)
    assert_budget_headers(expect_ok(other.get("/v1/organizations")), 3, 2)
    assert Api(limited.client, "cara_" + secrets.token_hex(16)).get("/v1/organizations").status_code == 401


def test_uploads_have_a_budget_of_their_own(limited: Api) -> None:
    _, aco = create_org(limited, "aco")
    body = to_csv([alignment()])
    headers = {"content-type": "text/csv"}
    for remaining in (1, 0):
        response = aco.post("/v1/alignment", content=body, headers=headers)
        assert response.status_code in (200, 201), response.text
        assert_budget_headers(response, 2, remaining)
    refused = aco.post("/v1/alignment", content=body, headers=headers)
    assert "2 uploads a minute" in expect(refused, 429)["detail"]
    # The uploads spent none of the key's budget of other requests.
    assert_budget_headers(expect_ok(aco.get("/v1/uploads")), 3, 2)


def test_an_unreachable_redis_lets_requests_through(migrated: Settings) -> None:
    settings = migrated.model_copy(update={**SMALL, "redis_url": "redis://127.0.0.1:1/0"})
    with second_app(settings) as client:
        ops = Api(client, make_ops_key(migrated))
        response = ops.get("/v1/organizations")
        assert response.status_code == 200 and "RateLimit-Limit" not in response.headers


def test_two_server_processes_share_one_budget_in_redis() -> None:
    redis.Redis.from_url(REDIS_URL).ping()
    env = {"CARA_REDIS_URL": REDIS_URL, "CARA_RATE_LIMIT_OPS_PER_MINUTE": "4"}
    with running_server(env) as first:
        second = RunningServer(database_url=first.database_url, env=first.env, ops_key=first.ops_key)
        second.start()
        try:
            statuses = []
            for server in (first, second, first, second, first, second):
                with server.client() as http:
                    statuses.append(http.get("/v1/organizations").status_code)
            assert statuses == [200, 200, 200, 200, 429, 429]
        finally:
            second.stop()
            second.log_path.unlink(missing_ok=True)


def expect_ok(response: httpx.Response) -> httpx.Response:
    assert response.status_code == 200, response.text
    return response
