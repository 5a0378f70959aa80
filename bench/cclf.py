"""CCLF delivery benchmark: N CCLF5 lines through POST /v1/cclf-deliveries next to the same
number of CSV lines through POST /v1/claims, on one server, one PostgreSQL database.

    .venv/bin/python -m bench.cclf [--lines 1000000]

Target (issue 8): the delivery loads at no less than half the CSV upload rate. The delivery is
the tests' generator (tests/cclf_data.py, built from the importer's layout tables): one line per
claim, 1 % cancelled and re-billed, 1 % denied, with its CCLF8 beneficiaries and CCLF0 summary,
sent as an uncompressed tar.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import shutil
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

import httpx
import psycopg

from bench.ingest import chunks, generate, mbi, peak_rss_mb
from tests.cclf_data import bulk_part_b

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--port", type=int, default=8767)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="cara-cclf-"))
    database = f"cara_bench_{secrets.token_hex(4)}"
    with psycopg.connect(args.admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    env = {
        **os.environ,
        "CARA_DATABASE_URL": args.admin_url.rsplit("/", 1)[0] + "/" + database,
        "CARA_LOG_LEVEL": "WARNING",
    }
    cara = str(ROOT / ".venv" / "bin" / "cara")
    server = None
    try:
        csv_path = work / "claims.csv"
        generate(csv_path, args.lines, 7)
        rng = random.Random(11)
        delivery = bulk_part_b(
            work / "delivery", args.lines, [mbi(rng) for _ in range(max(args.lines // 20, 10))]
        )
        archive = work / "delivery.tar"
        with tarfile.open(archive, "w") as tar:
            for path in sorted(delivery.iterdir()):
                tar.add(path, arcname=path.name)
        print(
            f"generated {args.lines:,} CSV lines and a CCLF delivery ({archive.stat().st_size / 1e6:.0f} MB tar)"
        )

        ops_key = (
            subprocess.run(
                [cara, "keys", "create", "--org", "ops", "--role", "ops"],
                env=env,
                check=True,
                capture_output=True,
                text=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        server = subprocess.Popen([cara, "serve", "--port", str(args.port)], env=env)
        with httpx.Client(base_url=f"http://127.0.0.1:{args.port}", timeout=1800) as client:
            for _ in range(300):
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.2)
            auth = {"Authorization": f"Bearer {ops_key}"}

            def aco_key(name: str) -> str:
                aco = client.post(
                    "/v1/organizations", json={"kind": "aco", "name": name, "tin": "123456789"}, headers=auth
                ).json()
                key = client.post(
                    f"/v1/organizations/{aco['id']}/api-keys",
                    json={"name": "bench", "role": "aco"},
                    headers=auth,
                )
                return str(key.json()["key"])

            started = time.perf_counter()
            response = client.post(
                "/v1/claims",
                content=chunks(csv_path, False),
                headers={"Authorization": f"Bearer {aco_key('CSV ACO')}", "content-type": "text/csv"},
            )
            csv_seconds = time.perf_counter() - started
            assert response.status_code == 201, response.text[:500]

            started = time.perf_counter()
            response = client.post(
                "/v1/cclf-deliveries",
                content=chunks(archive, False),
                headers={
                    "Authorization": f"Bearer {aco_key('CCLF ACO')}",
                    "content-type": "application/x-tar",
                },
            )
            cclf_seconds = time.perf_counter() - started
            assert response.status_code == 201, response.text[:500]
        csv_rate = args.lines / csv_seconds
        cclf_rate = args.lines / cclf_seconds
        print(f"CSV upload:     {args.lines:,} lines in {csv_seconds:6.2f} s = {csv_rate:9,.0f} lines/s")
        print(f"CCLF delivery:  {args.lines:,} lines in {cclf_seconds:6.2f} s = {cclf_rate:9,.0f} lines/s")
        print(f"service peak RSS: {peak_rss_mb(server.pid):.0f} MB")
        verdict = "met" if cclf_rate >= csv_rate / 2 else "MISSED"
        print(f"CCLF rate / CSV rate: {cclf_rate / csv_rate:.2f} (target >= 0.50: {verdict})")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        with psycopg.connect(args.admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
