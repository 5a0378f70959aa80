"""Migrations and models agree; migrations run up and down; the committed openapi.yaml is current."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

import psycopg
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from service.app import create_app, render_openapi
from service.kit.db import make_sync_engine
from service.kit.migrations import alembic_config
from service.models import metadata
from service.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def test_openapi_yaml_is_current(settings: Settings) -> None:
    generated = render_openapi(create_app(settings).openapi())
    committed = (ROOT / "openapi.yaml").read_text()
    assert committed == generated, "openapi.yaml is stale: run `cara openapi > openapi.yaml`"


def test_every_operation_is_documented_for_its_reader(settings: Settings) -> None:
    """Summary, description naming the roles, and every error documented as a problem with an
    example (FastAPI's own 422 schema would be a lie: the service answers problem documents)."""
    document = create_app(settings).openapi()
    assert "HTTPValidationError" not in str(document)
    assert document["components"]["securitySchemes"]  # the docs page's Authorize button
    operations = [
        (method.upper(), path, op)
        for path, ops in document["paths"].items()
        if path.startswith("/v1/")
        for method, op in ops.items()
    ]
    assert len(operations) > 30
    for method, path, op in operations:
        where = f"{method} {path}"
        assert op.get("summary"), where
        assert "Role" in op.get("description", ""), where
        assert op.get("tags"), where
        errors = {code: r for code, r in op["responses"].items() if code[0] in "45"}
        assert "401" in errors, where
        for code, response in errors.items():
            example = response["content"]["application/problem+json"]["example"]
            assert example["status"] == int(code), (where, code)


def test_models_and_migrations_agree(migrated: Settings) -> None:
    engine = make_sync_engine(migrated.database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        diff = compare_metadata(context, metadata)
    engine.dispose()
    assert diff == [], f"models differ from migrations: {diff}"


def _fresh_url() -> tuple[str, object]:
    if os.environ.get("CARA_TEST_DB", "sqlite") == "sqlite":
        directory = tempfile.TemporaryDirectory(prefix="cara-migr-")
        return f"sqlite:///{directory.name}/m.db", directory
    admin = os.environ.get("CARA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    name = f"cara_migr_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.rsplit("/", 1)[0] + "/" + name, (admin, name)


def test_upgrade_empty_database_to_head_and_back_to_base() -> None:
    url, handle = _fresh_url()
    try:
        config = alembic_config(url)
        command.upgrade(config, "head")
        engine = make_sync_engine(url)
        tables = set(inspect(engine).get_table_names())
        assert set(metadata.tables) <= tables
        engine.dispose()
        command.downgrade(config, "base")
        engine = make_sync_engine(url)
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        engine.dispose()
        command.upgrade(config, "head")
    finally:
        if isinstance(handle, tuple):
            admin, name = handle
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            handle.cleanup()  # type: ignore[attr-defined]


def test_production_refuses_unsafe_settings() -> None:
    import pytest

    with pytest.raises(ValueError, match="sandbox"):
        Settings(environment="production", database_url="postgresql://app:pw@db/cara", sandbox=True)
    with pytest.raises(ValueError, match="SQLite"):
        Settings(environment="production", database_url="sqlite:///x.db")
    with pytest.raises(ValueError, match="password"):
        Settings(environment="production", database_url="postgresql://app@db.example.org/cara")
    ok = Settings(environment="production", database_url="postgresql://app:pw@db.example.org/cara")
    assert ok.is_postgres
