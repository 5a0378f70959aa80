"""FHIR bulk export benchmark: N claim lines as an export of ExplanationOfBenefit resources through
POST /v1/fhir-imports next to the same lines as CSV through POST /v1/claims, on one server, one
PostgreSQL database (or SQLite with --database sqlite).

    .venv/bin/python -m bench.fhir [--lines 1000000] [--gzip]

Target (issue 23): the export loads at no less than half the CSV upload rate (lines per second),
with flat memory. The claims are bench/ingest.py's (1-4 lines a claim, every claim type); each
claim becomes one EOB written by the tests' generator (tests/support/fhir_data.py), with a
Patient and a Coverage per beneficiary, sent as an uncompressed tar (``--gzip``: the NDJSON files
gzipped inside it, as BCDA serves them compressed).
"""

from __future__ import annotations

import argparse
import csv
import shutil
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bench.harness import (
    ADMIN_URL,
    DATABASES,
    bench_database,
    chunks,
    create_key,
    org_with_key,
    rss_mb,
    server_env,
    start_server,
)
from bench.ingest import generate
from tests.support import fhir_data
from tests.support.ingest_data import alignment


def write_export(csv_path: Path, directory: Path, *, gz: bool) -> tuple[int, int]:
    """The CSV's claims as an export; (resources of ExplanationOfBenefit, beneficiaries)."""
    directory.mkdir()
    suffix = ".ndjson.gz" if gz else ".ndjson"
    mbis: set[str] = set()
    eobs = 0

    def rows() -> Iterator[dict[str, Any]]:
        with csv_path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                mbis.add(row["mbi"])
                yield row

    def counted() -> Iterator[dict[str, Any]]:
        nonlocal eobs
        for resource in fhir_data.claims(rows()):
            eobs += 1
            yield resource

    fhir_data.write_ndjson(directory / f"eob{suffix}", counted())
    people = [alignment(mbi=mbi, hcc_score="") for mbi in sorted(mbis)]
    fhir_data.write_ndjson(directory / f"patient{suffix}", (fhir_data.patient(p) for p in people))
    fhir_data.write_ndjson(directory / f"coverage{suffix}", (fhir_data.coverage(p) for p in people))
    return eobs, len(people)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--gzip", action="store_true", help="gzip the NDJSON files inside the tar")
    parser.add_argument("--database", choices=DATABASES, default="postgresql")
    parser.add_argument("--admin-url", default=ADMIN_URL)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cara-fhir-"))
    url, drop = bench_database(args.database, args.admin_url, work)
    env = server_env(url, CARA_LOG_LEVEL="WARNING")
    server = None
    try:
        csv_path = work / "claims.csv"
        generate(csv_path, args.lines, 7)
        started = time.perf_counter()
        eobs, people = write_export(csv_path, work / "export", gz=args.gzip)
        archive = work / "export.tar"
        with tarfile.open(archive, "w") as tar:
            for path in sorted((work / "export").iterdir()):
                tar.add(path, arcname=path.name)
        ndjson = sum(p.stat().st_size for p in (work / "export").iterdir())
        print(
            f"generated {args.lines:,} CSV lines ({csv_path.stat().st_size / 1e6:.0f} MB) and an export of "
            f"{eobs:,} EOBs and {people:,} patients ({ndjson / 1e6:.0f} MB of NDJSON, "
            f"{archive.stat().st_size / 1e6:.0f} MB tar) in {time.perf_counter() - started:.0f} s"
        )

        key = create_key(env)
        server = start_server(env)
        client = server.client(timeout=3600)
        _, csv_key = org_with_key(client, key, "aco", "CSV ACO")
        _, fhir_key = org_with_key(client, key, "aco", "FHIR ACO")
        start_rss = rss_mb(server.pid)

        started = time.perf_counter()
        response = client.post(
            "/v1/claims",
            content=chunks(csv_path),
            headers={"Authorization": f"Bearer {csv_key}", "content-type": "text/csv"},
        )
        csv_seconds = time.perf_counter() - started
        assert response.status_code == 201, response.text[:500]
        csv_rss = rss_mb(server.pid)

        started = time.perf_counter()
        response = client.post(
            "/v1/fhir-imports",
            content=chunks(archive),
            headers={"Authorization": f"Bearer {fhir_key}", "content-type": "application/x-tar"},
        )
        fhir_seconds = time.perf_counter() - started
        assert response.status_code == 201, response.text[:500]
        stored = response.json()["claims"]["rows_stored"]
        assert stored == args.lines, stored
        csv_rate = args.lines / csv_seconds
        fhir_rate = args.lines / fhir_seconds
        print(f"CSV upload:  {args.lines:,} lines in {csv_seconds:7.2f} s = {csv_rate:9,.0f} lines/s")
        print(
            f"FHIR export: {args.lines:,} lines in {fhir_seconds:7.2f} s = {fhir_rate:9,.0f} lines/s "
            f"({eobs / fhir_seconds:,.0f} EOB resources/s, {ndjson / 1e6 / fhir_seconds:.1f} MB/s of NDJSON)"
        )
        print(
            f"service peak RSS: {start_rss:.0f} MB at start, {csv_rss:.0f} MB after the CSV, "
            f"{rss_mb(server.pid):.0f} MB after the export"
        )
        verdict = "met" if fhir_rate >= csv_rate / 2 else "MISSED"
        print(f"FHIR rate / CSV rate: {fhir_rate / csv_rate:.2f} (target >= 0.50: {verdict})")
        with open("/proc/loadavg") as load:
            print(f"load average: {load.read().split()[0]}")
    finally:
        if server is not None:
            server.stop()
        drop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
