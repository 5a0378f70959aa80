"""Test fixtures: one fresh database per run (SQLite file or a new PostgreSQL database), migrated
with the real migrations; one app and HTTP client for the session. Tests create their own
organisations, so they never depend on what other tests stored.

Choose the database with CARA_TEST_DB=sqlite (default) or CARA_TEST_DB=postgresql
(CARA_TEST_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.cli import upgrade_database
from service.settings import Settings
from tests.factories import Api, World, make_ops_key

TEST_DB = os.environ.get("CARA_TEST_DB", "sqlite")
UNLIMITED = {f"rate_limit_{name}_per_minute": 1_000_000 for name in ("ops", "aco", "provider", "uploads")}
POSTGRES_ADMIN_URL = os.environ.get("CARA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def _admin_dsn() -> str:
    return POSTGRES_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    if TEST_DB == "sqlite":
        with tempfile.TemporaryDirectory(prefix="cara-test-") as directory:
            yield f"sqlite:///{Path(directory) / 'test.db'}"
        return
    name = f"cara_test_{secrets.token_hex(4)}"
    with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = _admin_dsn().rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(_admin_dsn(), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


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
    upgrade_database(settings)
    return settings


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
