"""What every benchmark needs around its measurement: a fresh PostgreSQL database, the first ops
key, a real `cara serve` process (all three as the tests make them, tests/support/server.py),
organisations with keys, and readings from /proc."""

from __future__ import annotations

import gzip
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from service.demo.synthetic import new_tin
from tests.support import server
from tests.support.server import CARA, RunningServer, create_key, drop_database, free_port

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
__all__ = ["CARA", "RunningServer", "create_database", "create_key", "drop_database", "free_port"]


def create_database(admin_url: str) -> tuple[str, str]:
    """A new, empty database: its name and URL."""
    return server.create_database(admin_url, prefix="cara_bench")


DATABASES = ("postgresql", "sqlite")


def bench_database(kind: str, admin_url: str, work: Path) -> tuple[str, Callable[[], None]]:
    """A fresh database of ``kind`` (a new PostgreSQL database, or a SQLite file in ``work``):
    its URL and what drops it."""
    if kind == "sqlite":
        return f"sqlite:///{work / 'bench.db'}", lambda: None
    name, url = create_database(admin_url)
    return url, lambda: drop_database(admin_url, name)


def load_demo(env: dict[str, str], keys_file: Path) -> dict[str, str]:
    """`cara demo` into the database of ``env``: the keys and ids it saved to ``keys_file``."""
    demo = subprocess.run(
        [CARA, "demo", "--keys-file", str(keys_file)], env=env, capture_output=True, text=True
    )
    if demo.returncode != 0:
        raise SystemExit(f"cara demo failed:\n{demo.stdout}\n{demo.stderr}")
    return demo_keys(keys_file)


def demo_keys(keys_file: Path) -> dict[str, str]:
    """The ``NAME=value`` lines `cara demo` saved (comments skipped)."""
    lines = keys_file.read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))


def sqlite_path(url: str) -> str:
    return url.removeprefix("sqlite:///")


def server_env(database_url: str, **settings: str) -> dict[str, str]:
    """The caller's environment (its CARA_* settings included), the database and ``settings``;
    rate-limit budgets far above what a benchmark sends (they measure the service, not its limits)."""
    unlimited = {f"CARA_RATE_LIMIT_{n}_PER_MINUTE": "1000000" for n in ("OPS", "ACO", "PROVIDER", "UPLOADS")}
    return {**os.environ, "CARA_DATABASE_URL": database_url, **unlimited, **settings}


def start_server(env: dict[str, str], port: int | None = None, log_path: Path | None = None) -> RunningServer:
    """One started `cara serve` process (tests/support/server.py's), ready; its output goes to
    ``log_path``, else to this terminal."""
    running = RunningServer(
        database_url=env["CARA_DATABASE_URL"], env=env, port=port or free_port(), log_path=log_path
    )
    running.start()
    return running


def ok(response: httpx.Response, status: int) -> Any:
    assert response.status_code == status, f"{response.status_code}: {response.text[:1000]}"
    return response.json()


def org_with_key(
    client: httpx.Client, ops: str, kind: str, name: str, **extra: Any
) -> tuple[dict[str, Any], str]:
    """A new organisation (ops creates it) and an API key of its role."""
    auth = {"Authorization": f"Bearer {ops}"}
    body = {"kind": kind, "name": name, "tin": new_tin(), **extra}
    org = ok(client.post("/v1/organizations", json=body, headers=auth), 201)
    key = ok(
        client.post(
            f"/v1/organizations/{org['id']}/api-keys", json={"name": "bench", "role": kind}, headers=auth
        ),
        201,
    )
    return org, str(key["key"])


def chunks(path: Path, compress: bool = False) -> Iterator[bytes]:
    """A file as 1 MB pieces for a streamed request body (each gzip member on its own)."""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            yield gzip.compress(block, compresslevel=1) if compress else block


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of processes (0 for one that has gone)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def rss_mb(pid: int, field: str = "VmHWM") -> float:
    """A process's peak (VmHWM) or current (VmRSS) resident memory."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")
