"""Test fixtures: one fresh database per run (SQLite file or a new PostgreSQL database), migrated
with the real migrations; one app and HTTP client for the session. Tests create their own
organisations, so they never depend on what other tests stored.

Choose the database with CARA_TEST_DB=sqlite (default) or CARA_TEST_DB=postgresql
(CARA_TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine

from service.app import create_app
from service.kit import migrations
from service.kit.db import sync_url
from service.settings import Settings
from tests.support.factories import Api, World, make_ops_key
from tests.support.server import TEST_DB, fresh_database

UNLIMITED = {f"rate_limit_{name}_per_minute": 1_000_000 for name in ("ops", "aco", "provider", "uploads")}


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    with fresh_database(prefix="cara_test") as url:
        yield url


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(
        environment="test",
        database_url=database_url,
        log_level="WARNING",
        webhook_allowed_hosts=["127.0.0.1", "localhost"],
        load_definitions_on_start=False,
        # The suite's shared keys make far more calls a minute than any partner would; the limits
        # themselves are tested with small budgets in tests/test_rate_limits.py.
        **UNLIMITED,
    )


@pytest.fixture(scope="session")
def migrated(settings: Settings) -> Settings:
    migrations.upgrade(settings.database_url)
    return settings


@pytest.fixture(scope="module")
def engine(migrated: Settings) -> Iterator[Engine]:
    """A synchronous engine on the test database, for tests that read or write rows directly
    (one per module: a test that drops the server's connections leaves no other module a broken
    pool)."""
    made = create_engine(sync_url(migrated.database_url))
    yield made
    made.dispose()


@pytest.fixture(scope="session")
def client(migrated: Settings) -> Iterator[TestClient]:
    app = create_app(migrated)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def ops(client: TestClient, migrated: Settings) -> Api:
    return Api(client, make_ops_key(migrated))


@pytest.fixture
def world(ops: Api) -> World:
    """A fresh ACO with a key, two providers with keys (one in the ACO's network), a second ACO."""
    return World.create(ops)


def pytest_report_header() -> str:
    return f"CARA test database: {TEST_DB}"
