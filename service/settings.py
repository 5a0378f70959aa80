"""Configuration from the environment (prefix ``CARA_``); see the README's configuration table."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url

Environment = Literal["development", "test", "production"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CARA_", extra="ignore")

    environment: Environment = Field(
        "development", description="`production` turns on the safety checks below."
    )
    database_url: str = Field(
        "sqlite:///./var/cara.db",
        description="SQLAlchemy URL: `sqlite:///path` (embedded) or `postgresql://user@host/db`.",
    )
    database_password_file: Path | None = Field(
        None,
        description="A file holding the PostgreSQL password (a secret mounted by Docker or a secrets manager), "
        "added to `CARA_DATABASE_URL`, which then carries none.",
    )
    database_pool_size: int = Field(20, ge=1, le=200)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    max_upload_bytes: int = Field(
        2 * 1024**3, ge=1024, description="Largest accepted upload body (after decompression)."
    )
    max_upload_rows: int = Field(20_000_000, ge=1, description="Most rows in one upload.")
    max_line_bytes: int = Field(64 * 1024, ge=256, description="Longest accepted line of an upload.")
    max_gzip_ratio: int = Field(
        200,
        ge=2,
        description="Most a gzip upload may expand per byte received (past its first MiB); more is refused "
        "as a decompression bomb.",
    )
    max_blank_lines: int = Field(1000, ge=0, description="Most empty lines accepted in one upload body.")
    max_json_body_bytes: int = Field(1024 * 1024, ge=1024, description="Largest JSON request body.")
    max_json_depth: int = Field(32, ge=4, description="Deepest nesting accepted in a JSON body.")
    sandbox: bool = Field(
        False, description="Accept CMS's synthetic MBIs (an `S` in position 2); never in production."
    )
    body_read_timeout_seconds: float = Field(
        30.0, gt=0, le=600, description="A client that sends nothing for this long is disconnected."
    )
    header_read_timeout_seconds: float = Field(
        10.0,
        gt=0,
        le=600,
        description="A connection whose request headers are not complete this long after it opened (or after its previous response) is closed.",
    )
    idempotency_ttl_hours: int = Field(24, ge=1)
    load_definitions_on_start: bool = True
    webhook_allowed_hosts: list[str] = Field(
        default_factory=list,
        description="Hosts webhooks may reach even if private or loopback (development and tests).",
    )
    webhook_timeout_seconds: float = Field(10.0, gt=0, le=60)
    webhook_secret_grace_hours: int = Field(
        24, ge=0, le=720, description="How long a rotated-out webhook secret still signs deliveries."
    )
    webhook_worker_in_process: bool = Field(
        False, description="Run the webhook delivery worker inside `cara serve` (`--with-worker`)."
    )
    webhook_poll_interval_seconds: float = Field(
        1.0, gt=0, le=60, description="How often an idle delivery worker looks for new work."
    )

    rate_limit_ops_per_minute: int = Field(
        1200, ge=1, description="Requests a minute one ops API key may make (uploads apart)."
    )
    rate_limit_aco_per_minute: int = Field(
        1200, ge=1, description="Requests a minute one ACO API key may make (uploads apart)."
    )
    rate_limit_provider_per_minute: int = Field(
        1200, ge=1, description="Requests a minute one provider API key may make."
    )
    rate_limit_uploads_per_minute: int = Field(
        60, ge=1, description="Uploads (claims, alignment, CCLF) a minute one API key may make."
    )
    api_key_cache_seconds: float = Field(
        1.0,
        ge=0,
        le=1,
        description="How long a process trusts a verified API key without asking the database again "
        "(at most 1 s: a revoked key is refused by every process within a second; 0: never cached).",
    )
    redis_url: str | None = Field(
        None,
        description="`redis://host:port/db`: rate-limit counters shared by every process; unset, each process counts alone.",
    )

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgresql", "postgres"))

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Settings:
        if not self.database_url.startswith(("sqlite", "postgresql", "postgres")):
            raise ValueError("CARA_DATABASE_URL must be a sqlite:// or postgresql:// URL")
        if self.database_password_file is not None:
            self.database_url = _with_password(self.database_url, self.database_password_file)
        if self.environment != "production":
            return self
        problems = []
        if not self.is_postgres:
            problems.append("production needs PostgreSQL, not the embedded SQLite file")
        if self.sandbox:
            problems.append("CARA_SANDBOX=true accepts synthetic MBIs")
        if self.webhook_allowed_hosts:
            problems.append("CARA_WEBHOOK_ALLOWED_HOSTS lets webhooks reach private addresses")
        if self.is_postgres:
            url = urlsplit(self.database_url)
            local = url.hostname in (None, "", "localhost", "127.0.0.1", "::1")
            if not local and not url.password and "sslmode" not in (url.query or ""):
                problems.append("a remote PostgreSQL without a password or sslmode")
        if problems:
            raise ValueError("refusing to start in production: " + "; ".join(problems))
        return self


def _with_password(database_url: str, password_file: Path) -> str:
    """``database_url`` with the password read from ``password_file`` (one trailing newline
    dropped, as secret files usually end with one)."""
    url = make_url(database_url)
    if not url.drivername.startswith("postgres"):
        raise ValueError("CARA_DATABASE_PASSWORD_FILE needs a postgresql:// CARA_DATABASE_URL")
    if url.password is not None:
        raise ValueError("CARA_DATABASE_URL already has a password; drop it or CARA_DATABASE_PASSWORD_FILE")
    try:
        password = password_file.read_text(encoding="utf-8").removesuffix("\n").removesuffix("\r")
    except OSError as exc:
        raise ValueError(
            f"CARA_DATABASE_PASSWORD_FILE {password_file} cannot be read: {exc.strerror}"
        ) from None
    if not password:
        raise ValueError(f"CARA_DATABASE_PASSWORD_FILE {password_file} is empty")
    return url.set(password=password).render_as_string(hide_password=False)


@lru_cache
def get_settings() -> Settings:
    return Settings()


def project_dir(name: str) -> Path:
    """A top-level folder of the project (``migrations``, ``contracts``): beside the package in a
    checkout, else in the working directory (the Docker image installs the package elsewhere)."""
    beside = Path(__file__).resolve().parent.parent / name
    return beside if beside.is_dir() else Path.cwd() / name
