"""The real service as a separate process, for tests that need what an in-process client cannot
give: a socket (slow clients), a process to kill (faults), the real stderr (log checks), or a
walkthrough exactly as a reader would run it. The benchmarks (bench/harness.py) start their
servers and databases with the same code.

``running_server()`` creates a fresh database (a SQLite file, or a new PostgreSQL database when
CARA_TEST_DB=postgresql, as tests/conftest.py does), issues an ops key with the real CLI
(``cara keys create --org ops --role ops | tail -1``), starts ``cara serve`` on a free port,
waits for ``/readyz`` and yields a :class:`RunningServer`; on exit it stops the process and drops
the database. Use it directly or through the ``live_server`` fixture (module scope)::

    from tests.support.server import live_server  # noqa: F401  (a fixture)

    def test_something(live_server: RunningServer) -> None:
        httpx.get(live_server.base_url + "/healthz")
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx
import psycopg
import pytest

PROJECT_DIR = Path(__file__).resolve().parents[2]
CARA = str(Path(sys.executable).parent / "cara")
TEST_DB = os.environ.get("CARA_TEST_DB", "sqlite")
POSTGRES_ADMIN_URL = os.environ.get("CARA_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
START_TIMEOUT_SECONDS = 60.0


def admin_dsn() -> str:
    return POSTGRES_ADMIN_URL.replace("postgresql+psycopg://", "postgresql://")


def create_database(admin_url: str | None = None, prefix: str = "cara_srv") -> tuple[str, str]:
    """A new, empty PostgreSQL database: its name and URL."""
    admin = admin_url or admin_dsn()
    name = f"{prefix}_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"{admin.rsplit('/', 1)[0]}/{name}"


def drop_database(admin_url: str | None, name: str) -> None:
    with psycopg.connect(admin_url or admin_dsn(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def fresh_database(prefix: str = "cara_srv") -> Iterator[str]:
    """A new, empty database URL of the kind CARA_TEST_DB selects; dropped afterwards."""
    if TEST_DB != "postgresql":
        with tempfile.TemporaryDirectory(prefix="cara-server-") as directory:
            yield f"sqlite:///{Path(directory) / 'server.db'}"
        return
    name, url = create_database(prefix=prefix)
    try:
        yield url
    finally:
        drop_database(None, name)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_environment(database_url: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARA_")}
    env.update(
        {
            "CARA_DATABASE_URL": database_url,
            "CARA_ENVIRONMENT": "test",
            "CARA_LOG_LEVEL": "INFO",
            "CARA_WEBHOOK_ALLOWED_HOSTS": '["127.0.0.1", "localhost"]',
            # Budgets far above what any test sends; tests/test_rate_limits.py sets small ones.
            **{
                f"CARA_RATE_LIMIT_{name}_PER_MINUTE": "1000000"
                for name in ("OPS", "ACO", "PROVIDER", "UPLOADS")
            },
        }
    )
    env.update(extra or {})
    return env


def cara(*args: str, env: dict[str, str], timeout: float = 120) -> str:
    """Run the ``cara`` command; its standard output, or an AssertionError with both streams."""
    done = subprocess.run(
        [CARA, *args], env=env, cwd=PROJECT_DIR, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert done.returncode == 0, (
        f"cara {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    )
    return done.stdout


def create_key(env: dict[str, str], *, org: str = "ops", role: str = "ops") -> str:
    """``cara keys create --org ORG --role ROLE | tail -1``."""
    return cara("keys", "create", "--org", org, "--role", role, env=env).strip().splitlines()[-1]


@dataclass
class RunningServer:
    """One ``cara serve`` process and the database it owns."""

    database_url: str
    env: dict[str, str]
    ops_key: str = ""
    port: int = field(default_factory=free_port)
    # None: the process writes to this process's stdout and stderr (the benchmarks).
    log_path: Path | None = field(
        default_factory=lambda: Path(tempfile.mkstemp(prefix="cara-serve-", suffix=".log")[1])
    )
    process: subprocess.Popen[bytes] | None = None
    _log_file: IO[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ops_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.ops_key}"}

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def client(self, key: str | None = None, timeout: float = 30) -> httpx.Client:
        """A client acting with ``key`` (default: the ops key, if there is one)."""
        key = key or self.ops_key
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        return httpx.Client(base_url=self.base_url, headers=headers, timeout=timeout)

    def start(self) -> None:
        """Start (or start again, on the same database and port) and wait until ready."""
        assert self.process is None or self.process.poll() is not None, "already running"
        if self.log_path is not None:
            self._log_file = open(self.log_path, "ab")  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            [CARA, "serve", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env,
            cwd=PROJECT_DIR,
            stdout=self._log_file,
            stderr=self._log_file,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"cara serve exited with {self.process.returncode}:\n{self.logs()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.base_url + "/readyz", timeout=2).status_code == 200:
                    return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"cara serve not ready after {START_TIMEOUT_SECONDS} s:\n{self.logs()}")

    def kill(self) -> None:
        """SIGKILL: no shutdown handlers, no rollback from the process; the database must cope."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        self._close_log()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._close_log()

    def _close_log(self) -> None:
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def logs(self) -> str:
        """Everything the process wrote so far (JSON log lines on stderr, uvicorn's stdout)."""
        return "" if self.log_path is None else self.log_path.read_text(errors="replace")


@contextlib.contextmanager
def running_server(extra_env: dict[str, str] | None = None) -> Iterator[RunningServer]:
    """A started ``cara serve`` on a fresh database; ``extra_env`` sets more CARA_* variables."""
    with fresh_database() as database_url:
        env = server_environment(database_url, extra_env)
        server = RunningServer(database_url=database_url, env=env, ops_key=create_key(env))
        try:
            server.start()
            yield server
        finally:
            server.stop()
            if server.log_path is not None:
                server.log_path.unlink(missing_ok=True)


@pytest.fixture(scope="module")
def live_server() -> Iterator[RunningServer]:
    """A real server process for the tests of one module."""
    with running_server() as server:
        yield server
