"""What every benchmark needs around its measurement: a fresh PostgreSQL database, the first ops
key, a real `cara serve` process, organisations with keys, and readings from /proc."""

from __future__ import annotations

import gzip
import os
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
CARA = str(ROOT / ".venv" / "bin" / "cara")
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def create_database(admin_url: str) -> tuple[str, str]:
    """A new, empty database: its name and URL."""
    name = f"cara_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, admin_url.rsplit("/", 1)[0] + "/" + name


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url: str, **settings: str) -> dict[str, str]:
    # Benchmarks measure the service, not its rate limits: budgets far above what they send.
    unlimited = {f"CARA_RATE_LIMIT_{n}_PER_MINUTE": "1000000" for n in ("OPS", "ACO", "PROVIDER", "UPLOADS")}
    return {**os.environ, "CARA_DATABASE_URL": database_url, **unlimited, **settings}


def ops_key(env: dict[str, str]) -> str:
    """`cara keys create --org ops --role ops | tail -1`."""
    done = subprocess.run(
        [CARA, "keys", "create", "--org", "ops", "--role", "ops"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """One `cara serve` process, ready when constructed; ``client`` talks to it."""

    def __init__(self, env: dict[str, str], port: int | None = None, log: IO[bytes] | None = None) -> None:
        self.port = port or free_port()
        self.process = subprocess.Popen(
            [CARA, "serve", "--port", str(self.port)], env=env, stdout=log, stderr=log
        )
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.client = httpx.Client(base_url=self.base_url, timeout=1800)
        for _ in range(300):
            try:
                if self.client.get("/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError("the server did not become ready")

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        self.client.close()
        self.process.terminate()
        self.process.wait(timeout=60)


def ok(response: httpx.Response, status: int) -> Any:
    assert response.status_code == status, f"{response.status_code}: {response.text[:1000]}"
    return response.json()


def org_with_key(
    client: httpx.Client, ops: str, kind: str, name: str, **extra: Any
) -> tuple[dict[str, Any], str]:
    """A new organisation (ops creates it) and an API key of its role."""
    auth = {"Authorization": f"Bearer {ops}"}
    body = {"kind": kind, "name": name, "tin": f"{secrets.randbelow(10**9):09d}", **extra}
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


def rss_mb(pid: int, field: str = "VmHWM") -> float:
    """A process's peak (VmHWM) or current (VmRSS) resident memory."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")
