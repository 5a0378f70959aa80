"""CCLF delivery benchmark: N CCLF5 lines through POST /v1/cclf-deliveries next to the same
number of CSV lines through POST /v1/claims, on one server, one PostgreSQL database.

    .venv/bin/python -m bench.cclf [--lines 1000000]

Target (issue 8): the delivery loads at no less than half the CSV upload rate. The delivery is
the tests' generator (tests/support/cclf_data.py, built from the importer's layout tables): one line per
claim, 1 % cancelled and re-billed, 1 % denied, with its CCLF8 beneficiaries and CCLF0 summary,
sent as an uncompressed tar.
"""

from __future__ import annotations

import argparse
import random
import shutil
import tarfile
import tempfile
import time
from pathlib import Path

from bench.harness import (
    ADMIN_URL,
    chunks,
    create_database,
    create_key,
    drop_database,
    org_with_key,
    rss_mb,
    server_env,
    start_server,
)
from bench.ingest import generate
from service.demo.synthetic import random_mbi
from tests.support.cclf_data import bulk_part_b


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--admin-url", default=ADMIN_URL)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cara-cclf-"))
    database, url = create_database(args.admin_url)
    env = server_env(url, CARA_LOG_LEVEL="WARNING")
    server = None
    try:
        csv_path = work / "claims.csv"
        generate(csv_path, args.lines, 7)
        rng = random.Random(11)
        delivery = bulk_part_b(
            work / "delivery", args.lines, [random_mbi(rng) for _ in range(max(args.lines // 20, 10))]
        )
        archive = work / "delivery.tar"
        with tarfile.open(archive, "w") as tar:
            for path in sorted(delivery.iterdir()):
                tar.add(path, arcname=path.name)
        print(
            f"generated {args.lines:,} CSV lines and a CCLF delivery ({archive.stat().st_size / 1e6:.0f} MB tar)"
        )

        key = create_key(env)
        server = start_server(env)
        client = server.client(timeout=1800)
        _, csv_key = org_with_key(client, key, "aco", "CSV ACO")
        _, cclf_key = org_with_key(client, key, "aco", "CCLF ACO")

        started = time.perf_counter()
        response = client.post(
            "/v1/claims",
            content=chunks(csv_path),
            headers={"Authorization": f"Bearer {csv_key}", "content-type": "text/csv"},
        )
        csv_seconds = time.perf_counter() - started
        assert response.status_code == 201, response.text[:500]

        started = time.perf_counter()
        response = client.post(
            "/v1/cclf-deliveries",
            content=chunks(archive),
            headers={"Authorization": f"Bearer {cclf_key}", "content-type": "application/x-tar"},
        )
        cclf_seconds = time.perf_counter() - started
        assert response.status_code == 201, response.text[:500]
        csv_rate = args.lines / csv_seconds
        cclf_rate = args.lines / cclf_seconds
        print(f"CSV upload:     {args.lines:,} lines in {csv_seconds:6.2f} s = {csv_rate:9,.0f} lines/s")
        print(f"CCLF delivery:  {args.lines:,} lines in {cclf_seconds:6.2f} s = {cclf_rate:9,.0f} lines/s")
        print(f"service peak RSS: {rss_mb(server.pid):.0f} MB")
        verdict = "met" if cclf_rate >= csv_rate / 2 else "MISSED"
        print(f"CCLF rate / CSV rate: {cclf_rate / csv_rate:.2f} (target >= 0.50: {verdict})")
    finally:
        if server is not None:
            server.stop()
        drop_database(args.admin_url, database)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
