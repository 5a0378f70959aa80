"""Episode analysis benchmark: an analysis of an ACO's claims (no arrangement needed), through the API.

    .venv/bin/python -m bench.analysis [--episodes 50000] [--lines 1000000] [--seed 1] [--database sqlite]

The data are bench/settle.py's (the same seeded generator): N beneficiaries with a fall-risk
visit by the practice's clinician in 2027, the rest of the M claim lines spread over the year and
its run-out on random clinicians (some of whose visits trigger too: the analysis reads every
rendering NPI). A fresh PostgreSQL database (or a SQLite file), `cara serve` on a free port, the
organisations, definition and an executed arrangement with the practice (so that leakage is
measured against it), the uploads; then the server is restarted and two analyses are timed from
POST (202) to `done`, polling the status every 0.1 s:

- every rendering NPI (the ACO's whole picture), twice;
- the practice only (``practice_ids``): its row must count exactly N episodes, as a settlement
  of the arrangement does; a settlement preview of that arrangement is timed after it, as the
  reference (the same episode engine over the same claims) in the same run.

Target (2-core machine): an analysis over 1,000,000 claim lines in under 10 s.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.harness import (
    ADMIN_URL,
    DATABASES,
    RunningServer,
    bench_database,
    chunks,
    create_key,
    ok,
    rss_mb,
    server_env,
    start_server,
)
from bench.settle import CUTOFF, PERIOD, Data, execute, setup, vacuum
from service.demo.synthetic import make_npi

TARGET_SECONDS = 10.0
POLL_SECONDS = 0.1


def analyse(
    client: httpx.Client, headers: dict[str, str], body: dict[str, Any]
) -> tuple[float, dict[str, Any]]:
    """Seconds from the POST to status ``done``, and the analysis."""
    started = time.perf_counter()
    response = client.post("/v1/episode-analyses", json=body, headers=headers)
    location = ok(response, 202) and response.headers["location"]
    while True:
        analysis: dict[str, Any] = ok(client.get(location, headers=headers), 200)
        if analysis["status"] in ("done", "failed"):
            break
        time.sleep(POLL_SECONDS)
    elapsed = time.perf_counter() - started
    assert analysis["status"] == "done", analysis["error"]
    return elapsed, analysis


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--episodes", type=int, default=50_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--admin-url", default=ADMIN_URL)
    parser.add_argument("--database", choices=DATABASES, default="postgresql")
    args = parser.parse_args()
    random.seed(args.seed)

    work = Path(tempfile.mkdtemp(prefix="cara-bench-"))
    url, drop_database = bench_database(args.database, args.admin_url, work)
    env = server_env(url, CARA_LOG_LEVEL="WARNING")
    server: RunningServer | None = None
    try:
        provider_npi = make_npi("199999999")
        started = time.perf_counter()
        data = Data(work, args.episodes, args.lines, args.seed, provider_npi)
        print(f"generated {data.lines:,} claim lines in {time.perf_counter() - started:.1f} s")
        ops_key = create_key(env)
        server = start_server(env)
        client = server.client(timeout=1800)
        parties = setup(client, ops_key, provider_npi)
        aco, aco_id, provider_id = parties[0], parties[2], parties[3]
        arrangement_id = execute(client, ops_key, parties)
        for kind, path in (("alignment", data.alignment), ("claims", data.claims)):
            report = ok(
                client.post(f"/v1/{kind}", content=chunks(path), headers={**aco, "content-type": "text/csv"}),
                201,
            )
            assert report["rows_rejected"] == 0, report
        vacuum(url)
        server.stop()
        server = start_server(env)
        client = server.client(timeout=1800)
        body: dict[str, Any] = {
            "aco_id": aco_id,
            "episode": {"code": "BENCH-SETTLE", "version": 1},
            "baseline": {"start": PERIOD[0].isoformat(), "end": PERIOD[1].isoformat()},
            "claims_cutoff": CUTOFF.isoformat(),
            "trend": "1.03",
            "seed": args.seed,
        }
        load = os.getloadavg()[0]
        timings = []
        everyone: dict[str, Any] = {}
        for _ in range(2):
            seconds, everyone = analyse(client, aco, body)
            timings.append(seconds)
        practice_seconds, practice = analyse(client, aco, {**body, "practice_ids": [provider_id]})
        (row,) = [r for r in practice["rows"] if r["level"] == "practice"]
        # The reference in the same run: a settlement preview of the practice's arrangement over
        # the same claims (the same episode engine, the same episodes).
        started = time.perf_counter()
        period = {"period_start": PERIOD[0].isoformat(), "period_end": PERIOD[1].isoformat(), "preview": True}
        settlement = ok(
            client.post(f"/v1/arrangements/{arrangement_id}/settlements", json=period, headers=aco), 200
        )
        settle_seconds = time.perf_counter() - started
        assert settlement["n_episodes"] == row["episodes"], settlement["n_episodes"]
        assert row["practice_id"] == provider_id and row["episodes"] == args.episodes, row
        summary = everyone["summary"]
        entry = everyone["recommendation"]["entries"][0]
        print(f"claim lines stored: {data.lines:,}   database: {args.database}")
        print(
            f"every NPI: {summary['episodes']:,} episodes ({summary['excluded_episodes']:,} excluded, "
            f"{summary['open_episodes']:,} open), {len(everyone['rows']):,} report rows, leakage "
            f"{summary['leakage_share']}; recommended {entry['recommended_target_price']} "
            f"({entry['interval']['low']} .. {entry['interval']['high']})"
        )
        print(
            f"analysis, every NPI: {timings[0]:.2f} s, {timings[1]:.2f} s (target < {TARGET_SECONDS:.0f} s)"
        )
        print(
            f"analysis, the practice only ({row['episodes']:,} episodes, as the settlement): {practice_seconds:.2f} s"
        )
        print(f"reference: a settlement preview of the practice's arrangement, {settle_seconds:.2f} s")
        print(f"service memory: VmHWM {rss_mb(server.pid):.0f} MB")
        print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} before the analyses")
        print("target:", "met" if max(timings) < TARGET_SECONDS else "NOT met")
    finally:
        if server is not None:
            server.stop()
        drop_database()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
