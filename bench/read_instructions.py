"""The service's own work per arrangement read, in CPU instructions (valgrind's callgrind).

    .venv/bin/python -m bench.read_instructions [--reads 400] [--database postgresql|sqlite] [--list]

Requests per second on a shared virtual machine vary by up to 2x within minutes; instructions
executed do not. This loads the demo data into a fresh database, then runs the application
in process under ``valgrind --tool=callgrind`` twice: once to start up and warm up (30 reads),
once to start up and make ``--reads`` more ``GET /v1/arrangements/{id}`` calls, each through the
whole ASGI stack (middleware, authentication, rate limit, routing, the statement, JSON) without
sockets or a server. The difference, divided by ``--reads``, is printed: instructions per read,
the service's and its database driver's (on SQLite, SQLite's own work too; PostgreSQL's server
is another process and not counted). Compare two versions of the code with the same command
(about four minutes: callgrind runs Python some 50 times slower, so the one-second cache of
verified keys expires every few dozen reads, as it would at some twenty reads a second).

With ``--list`` the request is ``GET /v1/arrangements?limit=50`` instead, the ACO's list first
made 50 arrangements long through a started `cara serve` (signed as bench.api_load signs them).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TextIO

from bench.api_load import LIST_PATH, fill_list
from bench.harness import (
    ADMIN_URL,
    DATABASES,
    bench_database,
    demo_keys,
    load_demo,
    server_env,
    start_server,
)

WARM_UP_READS = 30
LIST_SIZE = 50


def _list_of(env: dict[str, str], keys: dict[str, str], size: int, log_path: Path) -> None:
    """Sign arrangements through a started `cara serve` (its log to ``log_path``) until the ACO's
    list holds ``size``."""
    server = start_server(env, log_path=log_path)
    try:
        fill_list(server.base_url, keys, size)
    finally:
        server.stop()


async def _read_many(reads: int, log_sink: TextIO) -> None:
    """Inside callgrind: the app, its lifespan, then WARM_UP_READS + ``reads`` single reads (the
    access log written, to ``log_sink``)."""
    import logging

    from service.app import create_app

    keys = demo_keys(Path(os.environ["CARA_BENCH_KEYS"]))
    app = create_app()
    path, _, query = os.environ.get(
        "CARA_BENCH_PATH", f"/v1/arrangements/{keys['ARRANGEMENT_ID']}"
    ).partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"bench"), (b"authorization", f"Bearer {keys['ACO_KEY']}".encode())],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def read() -> None:
        statuses: list[int] = []

        async def send(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                statuses.append(int(str(message["status"])))

        await app({**scope, "state": {}}, receive, send)
        if statuses != [200]:
            raise SystemExit(f"GET {path} answered {statuses}")

    async with app.router.lifespan_context(app):
        logging.getLogger().handlers[0].setStream(log_sink)
        for _ in range(WARM_UP_READS + reads):
            await read()


def _instructions(env: dict[str, str], reads: int, out: Path) -> int:
    run = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            "-m",
            "bench.read_instructions",
            "--inside",
            str(reads),
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    found = re.search(r"Collected : (\d+)", run.stderr)
    if run.returncode != 0 or found is None:
        raise SystemExit(f"callgrind run failed:\n{run.stdout}\n{run.stderr[-3000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reads", type=int, default=400)
    parser.add_argument("--database", choices=DATABASES, default="postgresql")
    parser.add_argument("--list", action="store_true", help="count a list of 50 instead of one read")
    parser.add_argument("--admin-url", default=ADMIN_URL)
    parser.add_argument("--inside", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside is not None:
        with open(os.devnull, "w") as log_sink:
            asyncio.run(_read_many(args.inside, log_sink))
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is needed (Debian package valgrind)")

    work = Path(tempfile.mkdtemp(prefix="cara-instructions-"))
    url, drop_database = bench_database(args.database, args.admin_url, work)
    try:
        env = {**server_env(url), "CARA_BENCH_KEYS": str(work / "keys.env")}
        keys = load_demo(env, work / "keys.env")
        if args.list:
            env["CARA_BENCH_PATH"] = LIST_PATH
            _list_of(env, keys, LIST_SIZE, work / "server.log")
        start_up = _instructions(env, 0, work / "start.out")
        with_reads = _instructions(env, args.reads, work / "reads.out")
    finally:
        drop_database()
        shutil.rmtree(work, ignore_errors=True)
    per_read = (with_reads - start_up) / args.reads
    request = f"GET {LIST_PATH} ({LIST_SIZE} arrangements)" if args.list else "GET /v1/arrangements/{id}"
    print(f"database: {args.database}; start-up and {WARM_UP_READS} warm-up reads: {start_up:,} instructions")
    print(f"{request}: {per_read:,.0f} instructions per read (over {args.reads} reads)")


if __name__ == "__main__":
    main()
