"""The container: what the Dockerfile, .dockerignore and compose.yaml promise, and the database
password read from a file. (scripts/test runs the Dockerfile's steps themselves outside Docker:
`scripts/container-steps check`.)"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

import psycopg
import pytest
import yaml
from pydantic import ValidationError
from sqlalchemy.engine import make_url

from service.settings import Settings
from tests.support.server import POSTGRES_ADMIN_URL, cara, server_environment

ROOT = Path(__file__).resolve().parent.parent


def test_dockerfile_installs_dependencies_before_the_code_and_checks_readiness() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    steps = re.findall(r"container-steps (\w+)", dockerfile)
    script = (ROOT / "scripts" / "container-steps").read_text()
    assert steps and all(re.search(rf"^  {step}\)$", script, re.MULTILINE) for step in steps)
    deps, copy_code = dockerfile.index("container-steps deps"), dockerfile.index("COPY service")
    assert dockerfile.index("COPY pyproject.toml constraints.txt") < deps < copy_code
    healthcheck = next(line for line in dockerfile.splitlines() if line.lstrip().startswith('CMD ["bash"'))
    assert "healthcheck" in healthcheck
    assert "/readyz" in script.split("healthcheck)", 1)[1].split(";;", 1)[0]
    assert "USER cara" in dockerfile


def test_dockerignore_keeps_local_state_and_secrets_out() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    assert {".venv", ".git", "var", "*.env", "*.pem", "*.key", "secrets"} <= ignored
    # What the build copies is not ignored.
    dockerfile = (ROOT / "Dockerfile").read_text()
    for copied in ("pyproject.toml", "constraints.txt", "service", "migrations", "contracts", "alembic.ini"):
        assert f" {copied}" in dockerfile and copied not in ignored


def test_compose_runs_the_service_a_worker_and_postgresql_with_a_password_file() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert {"api", "worker", "db"} <= set(services)
    assert services["worker"]["command"] == ["cara", "worker"]
    for name in ("api", "worker"):
        env = services[name]["environment"]
        assert env["CARA_DATABASE_PASSWORD_FILE"] == "/run/secrets/db_password"
        assert make_url(env["CARA_DATABASE_URL"]).password is None
        assert services[name]["secrets"] == ["db_password"]
    assert services["db"]["environment"]["POSTGRES_PASSWORD_FILE"] == "/run/secrets/db_password"
    assert "password" not in str(services["db"]["environment"].get("POSTGRES_PASSWORD", ""))
    assert compose["secrets"]["db_password"]["file"].startswith("./secrets/")


def test_the_database_password_is_read_from_a_file(tmp_path: Path) -> None:
    secret = tmp_path / "db_password"
    secret.write_text("p@ss%w/rd:1\n")
    settings = Settings(database_url="postgresql://cara@db.internal:5432/cara", database_password_file=secret)
    url = make_url(settings.database_url)
    assert (url.username, url.password, url.host, url.database) == (
        "cara",
        "p@ss%w/rd:1",
        "db.internal",
        "cara",
    )
    # With the password from the file, production's remote-database check is satisfied.
    production = Settings(
        environment="production",
        database_url="postgresql://cara@db.internal:5432/cara",
        database_password_file=secret,
    )
    assert make_url(production.database_url).password == "p@ss%w/rd:1"
    with pytest.raises(ValidationError, match="a remote PostgreSQL without a password"):
        Settings(environment="production", database_url="postgresql://cara@db.internal:5432/cara")


@pytest.mark.parametrize(
    ("url", "content", "message"),
    [
        ("postgresql://cara:inline@db/cara", "x", "already has a password"),
        ("sqlite:///x.db", "x", "needs a postgresql"),
        ("postgresql://cara@db/cara", "", "is empty"),
        ("postgresql://cara@db/cara", None, "cannot be read"),
    ],
)
def test_a_password_file_that_cannot_apply_is_refused(
    tmp_path: Path, url: str, content: str | None, message: str
) -> None:
    secret = tmp_path / "db_password"
    if content is not None:
        secret.write_text(content)
    with pytest.raises(ValidationError, match=message):
        Settings(database_url=url, database_password_file=secret)


def test_cara_migrates_a_database_whose_password_comes_from_a_file(tmp_path: Path) -> None:
    """The real command line, PostgreSQL and Alembic with a password that needs escaping."""
    admin = POSTGRES_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")
    name = f"cara_pwfile_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        secret = tmp_path / "db_password"
        secret.write_text("50%@off:/x\n")
        env = server_environment(admin.rsplit("/", 1)[0] + "/" + name)
        env["CARA_DATABASE_PASSWORD_FILE"] = str(secret)
        cara("db", "upgrade", env=env)
        with psycopg.connect(admin.rsplit("/", 1)[0] + "/" + name) as conn:
            assert conn.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
