"""The database schema's migrations (Alembic, ``migrations/``): configuration, the head revision,
upgrade and downgrade. ``cara serve``, ``cara db``, the worker, the tests and the readiness probe
all go through here."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text

from service.kit.db import make_sync_engine
from service.settings import project_dir

MIGRATIONS_DIR = project_dir("migrations")
# Several processes starting at once: one migrates, the others wait, then find it done.
ADVISORY_LOCK = 727272

_HEAD: list[str] = []


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # The option is read through configparser's interpolation: a percent-encoded password
        # (as CARA_DATABASE_PASSWORD_FILE produces) must have its % doubled.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The newest revision the code knows (read once)."""
    if not _HEAD:
        _HEAD.append(ScriptDirectory.from_config(alembic_config()).get_current_head() or "")
    return _HEAD[0]


def upgrade(database_url: str) -> None:
    """Apply every pending migration (on PostgreSQL under an advisory lock)."""
    engine = make_sync_engine(database_url)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK})"))
        config = alembic_config(database_url)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    engine.dispose()


def downgrade(database_url: str, revision: str) -> None:
    """Revert to ``revision`` (``base``: an empty database)."""
    command.downgrade(alembic_config(database_url), revision)
