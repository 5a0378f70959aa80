"""Settlement benchmark: one arrangement with N episodes over M claim lines, settled through the API.

    .venv/bin/python -m bench.settle [--episodes 50000] [--lines 1000000] [--seed 1] [--keep]

Creates a fresh PostgreSQL database (127.0.0.1:5432, user postgres; override with --admin-url),
or with ``--database sqlite`` a SQLite file (the embedded default), starts `cara serve` on a free port, makes the organisations, definition and an executed
arrangement through the API, uploads generated (seeded) alignment and claims through the API,
restarts the server and resets its peak resident memory (VmHWM) so that the peak measured is the
settlements', then times POST /v1/arrangements/{id}/settlements twice (a stored draft, then the
same run again, which answers that draft). The floor is
one hand-written SQL query computing the same total spending directly: the counting version of
each claim line (latest received on or before the cutoff, cancels dropped) of an included claim
type, summed inside each episode window, the windows given as a table; it is written two ways and
the faster counts (on SQLite, which has no DISTINCT ON, the NOT EXISTS form, run by the same
SQLite library the service uses). The settlement lines' spending must add up to the floor's total.

Targets (2-core machine): the settlement in at most 5 s and at most 2x the floor; memory flat in
the number of episodes (compare --episodes 5000 --lines 100000). --keep leaves the database.

The data: every episode beneficiary has one trigger line (a carrier 99214 for Z91.81 by the
provider) in the performance period, a fifth of them a second trigger inside the window (which
the non-overlap rule ignores); a fifth as many beneficiaries again have no trigger; the rest of
the lines are multi-line claims spread over the period and the run-out, some received after the
cutoff, 2 % replaced later by a new version and 0.5 % cancelled.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import sqlite3
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

import httpx
import psycopg

from bench.harness import (
    ADMIN_URL,
    DATABASES,
    RunningServer,
    bench_database,
    chunks,
    cpu_seconds,
    create_key,
    ok,
    org_with_key,
    rss_mb,
    server_env,
    sqlite_path,
    start_server,
)
from service.definitions.schemas import EXAMPLE
from service.demo.synthetic import EXAMPLE_TERMS, Population, make_mbi, make_npi, money
from service.ingest.validation import ALIGNMENT_FIELDS, CLAIM_FIELDS

PERIOD = (date(2027, 1, 1), date(2027, 12, 31))
RUNOUT_DAYS = 90
CUTOFF = PERIOD[1] + timedelta(days=RUNOUT_DAYS)
EPISODE_DAYS = int(EXAMPLE["episode_length_days"])
INCLUDED = tuple(EXAMPLE["included_claim_types"])
# Spending lines: no trigger HCPCS/diagnosis combination with the provider's NPIs (never trigger).
TYPES = ["carrier"] * 7 + ["outpatient"] * 2 + ["inpatient", "snf", "hha", "dme"]
HCPCS = ["99213", "99214", "97161", "G0439", "36415", "85025", "99348", "J1100"]
DIAGNOSES = ["I10", "E119", "M1990", "N390", "J449", "E785", "F329", "G4733", "Z9181", "R296"]
TERMS: dict[str, Any] = {**EXAMPLE_TERMS, "runout_days": RUNOUT_DAYS}
TARGET_SECONDS = 5.0
TARGET_RATIO = 2.0


class Data:
    """The generated files and the episode windows they must produce (written as they are drawn,
    by the synthetic population generator of service/demo/synthetic.py)."""

    def __init__(self, work: Path, episodes: int, lines: int, seed: int, provider_npi: str) -> None:
        self.alignment = work / "alignment.csv"
        self.claims = work / "claims.csv"
        self.windows = work / "windows.tsv"
        with (
            self.alignment.open("w", newline="") as alignment,
            self.claims.open("w", newline="") as claims,
            self.windows.open("w") as windows,
        ):
            alignment_out = csv.DictWriter(alignment, fieldnames=list(ALIGNMENT_FIELDS), lineterminator="\n")
            claims_out = csv.DictWriter(claims, fieldnames=list(CLAIM_FIELDS), lineterminator="\n")
            alignment_out.writeheader()
            claims_out.writeheader()
            people = Population(seed, on_alignment=alignment_out.writerow, on_claim=claims_out.writerow)
            self._write(people, windows, episodes, lines, provider_npi)
        self.lines = people.lines

    @staticmethod
    def _write(people: Population, windows: TextIO, episodes: int, lines: int, provider_npi: str) -> None:
        rng = people.rng
        triggered = episodes
        beneficiaries = [make_mbi(n) for n in range(triggered + max(triggered // 5, 1))]
        npis = [make_npi(f"1{rng.randint(0, 49_999_999):08d}") for _ in range(2000)]
        span = (PERIOD[0], PERIOD[1] + timedelta(days=RUNOUT_DAYS))
        for bene in beneficiaries:
            born = date(1930, 1, 1) + timedelta(days=rng.randint(0, 25 * 365))
            hcc = f"{rng.randint(500, 2500) / 1000:.3f}"
            people.beneficiary(
                bene,
                birth_date=born.isoformat(),
                sex=rng.choice("FM"),
                hcc_score=hcc,
                aligned_from="2026-01-01",
            )
        claim = 0

        def emit(
            bene: str, day: date, kind: str, hcpcs: str, dx: str, npi: str, count: int, versions: bool = True
        ) -> None:
            nonlocal claim
            claim += 1
            received = day + timedelta(days=rng.randint(3, 75))
            fate = rng.random() if versions else 1.0
            for line in range(1, count + 1):
                allowed = rng.randint(500, 60_000 if kind == "carrier" else 900_000)
                row = people.claim(
                    claim_id=f"B{claim}",
                    line_number=line,
                    claim_type=kind,
                    mbi=bene,
                    from_date=day.isoformat(),
                    thru_date=day.isoformat(),
                    rendering_npi=npi,
                    billing_tin="123456789",
                    hcpcs=hcpcs,
                    diagnoses=dx,
                    allowed_amount=money(allowed),
                    paid_amount=money(allowed * 8 // 10),
                    received_date=received.isoformat(),
                )
                if fate < 0.025:  # a later version: replaced (4 in 5) or cancelled
                    later = received + timedelta(days=rng.randint(1, 40))
                    change: dict[str, str] = {"adjustment": "cancel"}
                    if fate < 0.02:
                        change = {
                            "allowed_amount": money(allowed // 2),
                            "paid_amount": money(allowed * 4 // 10),
                            "adjustment": "replacement",
                        }
                    people.claim(**{**row, **change, "received_date": later.isoformat()})

        for bene in beneficiaries[:triggered]:
            start = people.day_in(*PERIOD)
            emit(bene, start, "carrier", "99214", "Z91.81|I10", provider_npi, 1, versions=False)
            windows.write(f"{bene}\t{start}\t{start + timedelta(days=EPISODE_DAYS - 1)}\n")
            if rng.random() < 0.2:
                again = start + timedelta(days=rng.randint(1, EPISODE_DAYS - 1))
                emit(bene, again, "carrier", "99213", "R29.6", provider_npi, 1, versions=False)
        # The rest: claims of 1-4 lines on random beneficiaries and days.
        while people.lines < lines:
            day = people.day_in(*span)
            dx = "|".join(rng.sample(DIAGNOSES, rng.randint(1, 3)))
            count = min(rng.randint(1, 4), lines - people.lines)
            kind = rng.choice(TYPES)
            emit(rng.choice(beneficiaries), day, kind, rng.choice(HCPCS), dx, rng.choice(npis), count)


def reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux: write 5 to clear_refs), so that the start-up's
    peak (the ICD-10 code tables are parsed then) does not hide the settlement's."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def backends(admin_url: str, url: str) -> list[int]:
    """The PostgreSQL server processes connected to the database of ``url`` (same machine);
    none for SQLite (it runs inside the service's process)."""
    if url.startswith("sqlite"):
        return []
    with psycopg.connect(admin_url, autocommit=True) as conn:
        database = url.rsplit("/", 1)[1]
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (database,)).fetchall()
    return [int(r[0]) for r in rows]


# The floor, written by hand twice (the counting version of each claim line picked by a sort, or
# by the absence of a later version); the faster one counts.
FLOOR_SQL = {
    "DISTINCT ON": """
SELECT count(*), coalesce(sum(l.allowed_amount), 0)
FROM floor_window w
JOIN (
    SELECT DISTINCT ON (claim_id, line_number) mbi, from_date, claim_type, adjustment, allowed_amount
    FROM claim_line_record
    WHERE aco_id = %(aco)s AND received_date <= %(cutoff)s
    ORDER BY claim_id, line_number, received_date DESC, seq DESC
) l ON l.mbi = w.mbi AND l.from_date BETWEEN w.trigger_date AND w.end_date
WHERE l.adjustment <> 'cancel' AND l.claim_type = ANY(%(types)s)
""",
    "NOT EXISTS": """
SELECT count(*), coalesce(sum(l.allowed_amount), 0)
FROM floor_window w
JOIN claim_line_record l ON l.mbi = w.mbi AND l.from_date BETWEEN w.trigger_date AND w.end_date
WHERE l.aco_id = %(aco)s AND l.received_date <= %(cutoff)s AND l.adjustment <> 'cancel'
  AND l.claim_type = ANY(%(types)s)
  AND NOT EXISTS (
    SELECT FROM claim_line_record n
    WHERE n.aco_id = l.aco_id AND n.claim_id = l.claim_id AND n.line_number = l.line_number
      AND n.received_date <= %(cutoff)s AND (n.received_date, n.seq) > (l.received_date, l.seq)
  )
""",
}


# The NOT EXISTS form for SQLite: its parameters, and money as integer cents (the service's
# SQLite storage of money, service/kit/db.py).
FLOOR_SQLITE = (
    FLOOR_SQL["NOT EXISTS"]
    .replace("%(aco)s", ":aco")
    .replace("%(cutoff)s", ":cutoff")
    .replace("= ANY(%(types)s)", f"IN ({', '.join(repr(t) for t in INCLUDED)})")
    .replace("SELECT FROM", "SELECT 1 FROM")
)


def floor_sqlite(path: str, aco_id: str, windows: Path) -> tuple[dict[str, float], int, Any]:
    conn = sqlite3.connect(path)
    try:
        conn.execute("CREATE TABLE floor_window (mbi text, trigger_date date, end_date date)")
        with conn:
            conn.executemany(
                "INSERT INTO floor_window VALUES (?, ?, ?)",
                (line.split("\t") for line in windows.read_text().splitlines()),
            )
        conn.execute("ANALYZE")
        best = float("inf")
        results = set()
        for _ in range(2):
            started = time.perf_counter()
            row = conn.execute(FLOOR_SQLITE, {"aco": aco_id, "cutoff": CUTOFF.isoformat()}).fetchone()
            best = min(best, time.perf_counter() - started)
            results.add((int(row[0]), Decimal(row[1]) / 100))
    finally:
        conn.close()
    [(lines, total)] = results
    return {"NOT EXISTS (SQLite)": best}, lines, total


def floor(url: str, aco_id: str, windows: Path) -> tuple[dict[str, float], int, Any]:
    """Seconds of each formulation (best of two), lines summed and the total."""
    if url.startswith("sqlite"):
        return floor_sqlite(sqlite_path(url), aco_id, windows)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE floor_window (mbi text, trigger_date date, end_date date)")
        with conn.cursor().copy("COPY floor_window FROM STDIN") as copy:
            copy.write(windows.read_bytes())
        conn.execute("ANALYZE floor_window")
        seconds: dict[str, float] = {}
        results = set()
        for name, sql in FLOOR_SQL.items():
            seconds[name] = float("inf")
            for _ in range(2):
                started = time.perf_counter()
                row = conn.execute(sql, {"aco": aco_id, "cutoff": CUTOFF, "types": list(INCLUDED)}).fetchone()
                seconds[name] = min(seconds[name], time.perf_counter() - started)
                assert row is not None
                results.add((int(row[0]), row[1]))
    assert len(results) == 1, results
    [(lines, total)] = results
    return seconds, lines, total


def vacuum(url: str) -> None:
    if url.startswith("sqlite"):
        conn = sqlite3.connect(sqlite_path(url))
        conn.execute("ANALYZE")
        conn.close()
        return
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")


def settled_lines(url: str, settlement_id: str) -> tuple[int, Decimal]:
    """The count and total spending of a settlement's lines, read directly from the database."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(sqlite_path(url))
        try:
            count, cents = conn.execute(
                "SELECT count(*), sum(spending) FROM settlement_line WHERE settlement_id = ?",
                (settlement_id,),
            ).fetchone()
        finally:
            conn.close()
        return int(count), Decimal(cents) / 100
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT count(*), sum(spending) FROM settlement_line WHERE settlement_id = %s", (settlement_id,)
        ).fetchone()
    assert row is not None
    return int(row[0]), Decimal(row[1])


def setup(
    client: httpx.Client, ops_key: str, provider_npi: str
) -> tuple[dict[str, str], dict[str, str], str, str]:
    """The ACO and its provider: both keys' headers and both ids."""

    def org(kind: str, **extra: Any) -> tuple[dict[str, str], str]:
        created, key = org_with_key(client, ops_key, kind, f"Bench {kind}", **extra)
        return {"Authorization": f"Bearer {key}"}, created["id"]

    aco, aco_id = org("aco")
    provider, provider_id = org(
        "provider", npis=[provider_npi], npis_effective_from=PERIOD[0].isoformat(), aco_id=aco_id
    )
    return aco, provider, aco_id, provider_id


def execute(
    client: httpx.Client, ops_key: str, parties: tuple[dict[str, str], dict[str, str], str, str]
) -> str:
    """Publish the definition; propose the arrangement, both parties sign; its id."""
    aco, provider, aco_id, provider_id = parties
    ops = {"Authorization": f"Bearer {ops_key}"}
    definition = {**EXAMPLE, "code": "BENCH-SETTLE"}
    ok(client.post("/v1/episode-definitions", json=definition, headers=ops), 201)
    body = {
        "aco_id": aco_id,
        "provider_id": provider_id,
        "episode": {"code": definition["code"], "version": 1},
        "period": {"start": PERIOD[0].isoformat(), "end": PERIOD[1].isoformat()},
        "terms": TERMS,
    }
    arrangement = ok(client.post("/v1/arrangements", json=body, headers=aco), 201)
    path = f"/v1/arrangements/{arrangement['id']}"
    for headers in (aco, provider):
        response = client.get(path, headers=headers)
        current = ok(response, 200)
        signature = {
            "signer_name": "Dana Reyes",
            "signer_title": "CEO",
            "terms_sha256": current["terms_sha256"],
        }
        ok(
            client.post(
                f"{path}/signatures",
                json=signature,
                headers={**headers, "If-Match": response.headers["etag"]},
            ),
            201,
        )
    status = ok(client.get(path, headers=aco), 200)["status"]
    assert status == "executed", status
    return str(arrangement["id"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--episodes", type=int, default=50_000)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--admin-url", default=ADMIN_URL)
    parser.add_argument("--database", choices=DATABASES, default="postgresql")
    parser.add_argument(
        "--keep", action="store_true", help="keep the database (for profiling); print its URL"
    )
    args = parser.parse_args()
    random.seed(args.seed)

    work = Path(tempfile.mkdtemp(prefix="cara-bench-"))
    url, drop_database = bench_database(args.database, args.admin_url, work)
    env = server_env(url, CARA_LOG_LEVEL="WARNING")
    server: RunningServer | None = None
    arrangement_id = aco_id = ""
    try:
        provider_npi = make_npi("199999999")
        started = time.perf_counter()
        data = Data(work, args.episodes, args.lines, args.seed, provider_npi)
        print(
            f"generated {data.lines:,} claim lines ({data.claims.stat().st_size / 1e6:.0f} MB) "
            f"in {time.perf_counter() - started:.1f} s"
        )
        ops_key = create_key(env)
        server = start_server(env)
        client = server.client(timeout=1800)
        parties = setup(client, ops_key, provider_npi)
        aco, aco_id = parties[0], parties[2]
        arrangement_id = execute(client, ops_key, parties)
        started = time.perf_counter()
        for kind, path in (("alignment", data.alignment), ("claims", data.claims)):
            response = client.post(
                f"/v1/{kind}", content=chunks(path), headers={**aco, "content-type": "text/csv"}
            )
            report = ok(response, 201)
            assert report["rows_rejected"] == 0, report
        print(f"uploaded alignment and claims through the API in {time.perf_counter() - started:.1f} s")
        vacuum(url)
        # A fresh process: its VmHWM is then the settlement's peak, not the upload's.
        server.stop()
        server = start_server(env)
        client = server.client(timeout=1800)
        startup_peak = rss_mb(server.pid)
        reset = reset_peak(server.pid)
        baseline_rss = rss_mb(server.pid, "VmRSS")
        body = {"period_start": PERIOD[0].isoformat(), "period_end": PERIOD[1].isoformat()}
        timings = []
        cpu: list[tuple[float, float]] = []  # (service, PostgreSQL) CPU seconds per settlement
        load = os.getloadavg()[0]
        settlement: dict[str, Any] = {}
        for _ in range(2):
            pids = backends(args.admin_url, url)
            cpu_before = cpu_seconds([server.pid]), cpu_seconds(pids)
            started = time.perf_counter()
            response = client.post(f"/v1/arrangements/{arrangement_id}/settlements", json=body, headers=aco)
            timings.append(time.perf_counter() - started)
            # Backends opened during the request started from zero: count them whole.
            pids = sorted(set(pids) | set(backends(args.admin_url, url)))
            cpu.append(
                (
                    cpu_seconds([server.pid]) - cpu_before[0],
                    cpu_seconds(pids) - cpu_before[1],
                )
            )
            # The second run computes everything again; its inputs unchanged, it answers the
            # first run's draft (200) instead of storing a copy.
            settlement = ok(response, 201 if len(timings) == 1 else 200)
        peak_rss = rss_mb(server.pid)
        floors, floor_lines, floor_total = floor(url, aco_id, data.windows)
        floor_seconds = min(floors.values())
        row = settled_lines(url, settlement["id"])
        assert settlement["n_episodes"] == args.episodes, settlement["n_episodes"]
        assert row[0] == args.episodes and row[1] == floor_total, (row, floor_total)
        counted = settlement["inputs"]["episodes"]["claim_lines_counted"]
        assert counted == floor_lines, (counted, floor_lines)

        settle = min(timings)
        ratio = settle / floor_seconds
        passed = max(timings) <= TARGET_SECONDS and ratio <= TARGET_RATIO
        print(
            f"episodes: {args.episodes:,}   claim lines stored: {data.lines:,}   lines counted: {floor_lines:,}"
        )
        print(f"total spending (settlement lines = floor): {floor_total}")
        print(
            f"settlement: first {timings[0]:.2f} s, second {timings[1]:.2f} s (target <= {TARGET_SECONDS:.0f} s)"
        )
        shown = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in floors.items())
        engine = "SQLite (in the service's process)" if args.database == "sqlite" else "PostgreSQL"
        print(f"database: {engine}")
        print(
            "CPU time per settlement (load-independent): "
            + ", ".join(f"service {a:.2f} s + PostgreSQL {b:.2f} s" for a, b in cpu)
        )
        print(f"floor (one hand-written SQL query, best of 2 runs): {floor_seconds:.2f} s ({shown})")
        print(f"ratio settlement / floor: {ratio:.2f} (best of each; target <= {TARGET_RATIO:.0f})")
        print(
            f"service memory: VmHWM {startup_peak:.0f} MB after start-up; VmRSS {baseline_rss:.0f} MB before the "
            f"settlements, VmHWM {peak_rss:.0f} MB after both"
            + ("" if reset else " (VmHWM not reset: the start-up peak may hide the settlement's)")
        )
        print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f} before the settlements")
        print("targets:", "met" if passed else "NOT met")
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            print(f"kept: CARA_DATABASE_URL={url} arrangement {arrangement_id} ACO {aco_id}")
        else:
            drop_database()
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
