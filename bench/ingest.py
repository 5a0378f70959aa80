"""Claims upload benchmark: N generated claim lines through the HTTP API.

    .venv/bin/python -m bench.ingest [--lines 1000000] [--seed 7] [--gzip] [--database sqlite] [--data FILE]

Starts `cara serve` on a fresh PostgreSQL database (127.0.0.1:5432, user postgres; override with
--admin-url), or a SQLite file with ``--database sqlite``, creates an ACO and its key, generates
the CSV (seeded, so repeatable), uploads it streamed, and prints lines per second, the service's
peak resident memory (VmHWM) and the ratio of the upload's time to the floor: on PostgreSQL
`psql \\copy` of the same file into an unindexed table; on SQLite a bulk insert of the same
file into a bare table (Python's csv reader and one executemany in one transaction, the SQLite
library the service uses).
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import subprocess
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg

from bench.harness import (
    ADMIN_URL,
    DATABASES,
    bench_database,
    chunks,
    cpu_seconds,
    create_key,
    org_with_key,
    rss_mb,
    server_env,
    sqlite_path,
    start_server,
)
from service.demo.synthetic import Population, make_npi, money, random_mbi
from service.ingest.validation import CLAIM_FIELDS

DIAGNOSES = [
    "Z9181",
    "R296",
    "R2681",
    "W19XXXA",
    "I10",
    "E119",
    "M1990",
    "N390",
    "J449",
    "E785",
    "F329",
    "G4733",
]
HCPCS = [
    "99213",
    "99214",
    "99215",
    "99203",
    "99204",
    "97161",
    "97162",
    "97165",
    "99348",
    "G0439",
    "36415",
    "85025",
]
TYPES = ["carrier"] * 7 + ["outpatient"] * 2 + ["inpatient", "snf", "hha", "dme"]


def generate(path: Path, lines: int, seed: int) -> None:
    """``lines`` claim lines of random beneficiaries, NPIs and days of 2027, as an upload's CSV
    (drawn by the synthetic population generator of service/demo/synthetic.py)."""
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CLAIM_FIELDS), lineterminator="\n")
        writer.writeheader()
        people = Population(seed, on_claim=writer.writerow)
        rng = people.rng
        beneficiaries = [random_mbi(rng) for _ in range(max(lines // 20, 10))]
        npis = [make_npi(f"1{rng.randint(0, 99_999_999):08d}") for _ in range(2000)]
        claim = 0
        while people.lines < lines:
            claim += 1
            day = people.day_in(date(2027, 1, 1), date(2027, 12, 31))
            kind = rng.choice(TYPES)
            bene = rng.choice(beneficiaries)
            dx = "|".join(rng.sample(DIAGNOSES, rng.randint(1, 4)))
            npi = rng.choice(npis)
            for line in range(1, rng.randint(1, 4) + 1):
                if people.lines >= lines:
                    break
                allowed = rng.randint(500, 60_000)
                people.claim(
                    claim_id=f"B{claim}",
                    line_number=line,
                    claim_type=kind,
                    mbi=bene,
                    from_date=day.isoformat(),
                    thru_date=day.isoformat(),
                    rendering_npi=npi,
                    billing_tin="123456789",
                    hcpcs=rng.choice(HCPCS),
                    diagnoses=dx,
                    allowed_amount=money(allowed),
                    paid_amount=money(allowed * 8 // 10),
                    received_date=(day + timedelta(days=rng.randint(5, 60))).isoformat(),
                )


FLOOR_COLUMNS = (
    "claim_id text, line_number int, claim_type text, mbi text, from_date date, thru_date date, "
    "rendering_npi text, billing_tin text, hcpcs text, diagnoses text, allowed_amount numeric(16,2), "
    "paid_amount numeric(16,2), adjustment text, received_date date, drg_code text, admission_date date, "
    "discharge_date date, facility_ccn text, attending_npi text, operating_npi text, procedure_codes text"
)


def insert_floor(path: str, data: Path) -> float:
    """SQLite: the file's rows into a bare table, one executemany in one transaction."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(f"CREATE TABLE floor_claims ({FLOOR_COLUMNS})")
        started = time.perf_counter()
        with conn, data.open(newline="") as handle:
            rows = csv.reader(handle)
            header = next(rows)
            conn.executemany(f"INSERT INTO floor_claims VALUES ({', '.join('?' * len(header))})", rows)
        return time.perf_counter() - started
    finally:
        conn.close()


def copy_floor(url: str, path: Path) -> float:
    if url.startswith("sqlite"):
        return insert_floor(sqlite_path(url), path)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE floor_claims ({FLOOR_COLUMNS})")
    started = time.perf_counter()
    subprocess.run(
        ["psql", url, "-q", "-c", f"\\copy floor_claims FROM '{path}' WITH (FORMAT csv, HEADER true)"],
        check=True,
    )
    return time.perf_counter() - started


def indexed_floor(url: str, path: Path) -> float:
    """PostgreSQL: `psql \\copy` of the file into a table like the service's (its indexes, its
    sequence), without the service: what PostgreSQL alone spends storing these rows there."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE floor_indexed (LIKE claim_line_record INCLUDING ALL)")
        conn.execute(
            "ALTER TABLE floor_indexed ALTER upload_id SET DEFAULT 'floor', ALTER aco_id SET DEFAULT 'floor', "
            "ALTER principal_diagnosis SET DEFAULT ''"
        )
    columns = ", ".join(CLAIM_FIELDS)
    started = time.perf_counter()
    subprocess.run(
        [
            "psql",
            url,
            "-q",
            "-c",
            f"\\copy floor_indexed ({columns}) FROM '{path}' WITH (FORMAT csv, HEADER true)",
        ],
        check=True,
    )
    return time.perf_counter() - started


class MemorySampler(threading.Thread):
    """The server's resident memory (VmRSS) every half second while the upload runs."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.samples: list[float] = []
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.5):
            self.samples.append(rss_mb(self.pid, "VmRSS"))

    def summary(self) -> str:
        self.done.set()
        self.join()
        if not self.samples:
            return "no sample"
        n = len(self.samples)
        quarters = [self.samples[min(n - 1, n * q // 4)] for q in range(1, 5)]
        return "at 25/50/75/100 % of the upload: " + " / ".join(f"{m:.0f}" for m in quarters) + " MB"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--gzip", action="store_true", help="send the body gzip-compressed")
    parser.add_argument("--admin-url", default=ADMIN_URL)
    parser.add_argument("--database", choices=DATABASES, default="postgresql")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="the CSV to upload: generated there if absent, kept (to repeat a run)",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cara-bench-"))
    url, drop_database = bench_database(args.database, args.admin_url, work)
    env = server_env(url, CARA_LOG_LEVEL="WARNING")
    server = None
    try:
        data = args.data or work / "claims.csv"
        if data.exists():
            with data.open("rb") as handle:
                args.lines = sum(1 for _ in handle) - 1
            print(f"uploading {data}: {args.lines:,} lines ({data.stat().st_size / 1e6:.0f} MB)")
        else:
            started = time.perf_counter()
            generate(data, args.lines, args.seed)
            print(
                f"generated {args.lines:,} lines ({data.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - started:.1f} s"
            )
        key = create_key(env)
        server = start_server(env, args.port)
        client = server.client(timeout=1800)
        _, aco_key = org_with_key(client, key, "aco", "Bench ACO")
        headers = {"Authorization": f"Bearer {aco_key}", "content-type": "text/csv"}
        if args.gzip:
            headers["content-encoding"] = "gzip"
        baseline_rss = rss_mb(server.pid)
        load = os.getloadavg()[0]
        cpu_before = cpu_seconds([server.pid])
        sampler = MemorySampler(server.pid)
        sampler.start()
        started = time.perf_counter()
        response = client.post("/v1/claims", content=chunks(data, args.gzip), headers=headers)
        upload_seconds = time.perf_counter() - started
        memory = sampler.summary()
        cpu = cpu_seconds([server.pid]) - cpu_before
        report = response.json()
        assert response.status_code == 201, response.text[:500]
        assert report["rows_stored"] == args.lines, report
        print(
            f"upload: {args.lines:,} lines in {upload_seconds:.2f} s = {args.lines / upload_seconds:,.0f} lines/s"
        )
        print(f"service CPU during the upload: {cpu:.1f} s")
        print(
            f"service peak RSS: {rss_mb(server.pid):.0f} MB (after start-up: {baseline_rss:.0f} MB); VmRSS {memory}"
        )
        floor = copy_floor(url, data)
        if args.database == "postgresql":
            print(f"psql \\copy into a table with the service's indexes: {indexed_floor(url, data):.2f} s")
        kind = (
            "psql \\copy into an unindexed table" if args.database == "postgresql" else "SQLite bulk insert"
        )
        print(f"database: {args.database}; load average {load:.1f} before the upload")
        print(f"floor ({kind}): {floor:.2f} s")
        print(f"ratio upload / floor: {upload_seconds / floor:.2f} (target <= 3)")
    finally:
        if server is not None:
            server.stop()
        drop_database()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
