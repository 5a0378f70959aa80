"""Faults against a real server process (tests/server.py), on SQLite and PostgreSQL alike.

* The process killed with SIGKILL in the middle of a large streamed claims upload, while its
  transaction holds written rows: nothing of the upload survives (no upload row, no claim line),
  and after a restart the same upload succeeds in full.
* The process killed in the middle of a settlement: no settlement or a complete one, never a
  part; the next run succeeds with the next revision.
* Settlements of one arrangement requested concurrently get distinct, consecutive revision
  numbers (service/settlements: a row lock on the arrangement and a unique constraint on the
  revision).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, cast

import httpx
import psycopg
import pytest

from service.ingest.storage import BATCH_ROWS
from tests.support.episode_data import CSV, new_mbi, publish_definition, scenario
from tests.support.factories import Api, World, create_org, expect, new_npi
from tests.support.ingest_data import alignment, claim, to_csv
from tests.support.server import RunningServer, running_server

UPLOAD_ROWS = 3 * BATCH_ROWS
CHUNK_ROWS = 500
WAIT_SECONDS = 60.0


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with running_server() as running:
        yield running


def _api(server: RunningServer, key: str | None = None) -> Api:
    client = httpx.Client(base_url=server.base_url, timeout=120)
    return Api(cast(Any, client), key or server.ops_key)


def _query(server: RunningServer, sql: str, *params: Any) -> Any:
    """One value, read straight from the server's database (committed data only)."""
    url = server.database_url
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///"), timeout=30) as conn:
            return conn.execute(sql.replace("%s", "?"), params).fetchone()[0]
    with psycopg.connect(url) as conn:
        row = conn.execute(sql, params).fetchone()
        assert row is not None
        return row[0]


def _writer_in_progress(server: RunningServer) -> bool:
    """True while some connection holds an open transaction that has written to the database."""
    url = server.database_url
    if url.startswith("sqlite:///"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")  # fails while another connection holds the write lock
        except sqlite3.OperationalError as exc:
            return "locked" in str(exc)
        else:
            conn.execute("ROLLBACK")
            return False
        finally:
            conn.close()
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"
        ).fetchone()
        return bool(row and row[0])


def _counts(server: RunningServer, aco_id: str) -> tuple[int, int]:
    uploads = _query(server, "SELECT count(*) FROM upload WHERE aco_id = %s", aco_id)
    lines = _query(server, "SELECT count(*) FROM claim_line_record WHERE aco_id = %s", aco_id)
    return int(uploads), int(lines)


def _claims_csv(rows: int) -> bytes:
    npi = new_npi()
    mbi = new_mbi()
    lines = [
        claim(claim_id=f"K{n:07d}", mbi=mbi, rendering_npi=npi, allowed_amount="12.34") for n in range(rows)
    ]
    return to_csv(lines)


def test_sigkill_mid_upload_leaves_nothing_and_the_upload_succeeds_after_restart(
    server: RunningServer,
) -> None:
    ops = _api(server)
    aco_org, aco_api = create_org(ops, "aco")
    assert aco_api.key is not None
    body = _claims_csv(UPLOAD_ROWS)
    header, *rows = body.splitlines(keepends=True)
    assert _counts(server, aco_org["id"]) == (0, 0)
    observed = {"writer": False, "sent_rows": 0}

    def slow_body() -> Iterator[bytes]:
        yield header
        # More than one storage batch, so the server has written claim lines in its transaction.
        sent = 0
        for start in range(0, 2 * BATCH_ROWS + CHUNK_ROWS, CHUNK_ROWS):
            yield b"".join(rows[start : start + CHUNK_ROWS])
            sent = start + CHUNK_ROWS
            time.sleep(0.01)
        observed["sent_rows"] = sent
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and not observed["writer"]:
            observed["writer"] = _writer_in_progress(server)
            time.sleep(0.05)
        time.sleep(1.0)  # let it store what has arrived
        server.kill()
        # The rest of the body would follow; the server is gone.
        for start in range(sent, len(rows), CHUNK_ROWS):
            yield b"".join(rows[start : start + CHUNK_ROWS])

    with (
        httpx.Client(base_url=server.base_url, timeout=WAIT_SECONDS) as client,
        pytest.raises(httpx.TransportError),
    ):
        client.post(
            "/v1/claims",
            content=slow_body(),
            headers={**CSV, "Authorization": f"Bearer {aco_api.key}"},
        )
    assert server.process is not None and server.process.returncode == -9
    assert observed["sent_rows"] > BATCH_ROWS
    assert observed["writer"], "the upload's transaction was never seen writing"

    assert _counts(server, aco_org["id"]) == (0, 0)
    server.start()
    assert _counts(server, aco_org["id"]) == (0, 0)
    aco = _api(server, aco_api.key)
    assert expect(aco.get("/v1/uploads"), 200)["items"] == []

    report = expect(aco.post("/v1/claims", content=body, headers=CSV), 201)
    assert report["status"] == "stored"
    assert (report["rows_received"], report["rows_stored"], report["rows_rejected"]) == (
        UPLOAD_ROWS,
        UPLOAD_ROWS,
        0,
    )
    assert _counts(server, aco_org["id"]) == (1, UPLOAD_ROWS)
    assert [u["id"] for u in expect(aco.get("/v1/uploads"), 200)["items"]] == [report["id"]]


def _settle_concurrently(
    world: World, arrangement_id: str, bodies: list[dict[str, Any]]
) -> list[httpx.Response]:
    barrier = threading.Barrier(len(bodies))
    path = f"/v1/arrangements/{arrangement_id}/settlements"

    def one(body: dict[str, Any]) -> httpx.Response:
        with httpx.Client(base_url=str(world.aco.client.base_url), timeout=120) as client:
            barrier.wait(timeout=30)
            return client.post(path, json=body, headers={"Authorization": f"Bearer {world.aco.key}"})

    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(one, bodies))


def test_concurrent_settlements_get_distinct_revisions(server: RunningServer) -> None:
    ops = _api(server)
    world = World.create(ops)
    s = scenario(world, publish_definition(ops))
    mbi = s.beneficiary()
    s.upload(s.line(mbi, "2027-03-02"), s.spend(mbi, "2027-03-10", "500.00"))
    body = {"period_start": "2027-01-01", "period_end": "2027-12-31"}

    # The same run twice at once: one revision is stored, the other run returns it (200).
    same = _settle_concurrently(world, s.arrangement_id, [body, body])
    assert sorted(r.status_code for r in same) == [200, 201]
    first = [r.json() for r in same]
    assert first[0]["id"] == first[1]["id"] and first[0]["revision"] == 1

    # Four runs with different inputs (cutoffs) at once: four distinct revisions.
    bodies = [{**body, "claims_cutoff": f"2028-04-0{day}"} for day in range(1, 5)]
    more = [expect(r, 201) for r in _settle_concurrently(world, s.arrangement_id, bodies)]
    assert sorted(x["revision"] for x in more) == [2, 3, 4, 5]

    for settlement in [first[0], *more]:
        assert expect(world.aco.get(f"/v1/settlements/{settlement['id']}"), 200) == settlement
    stored = _query(
        server,
        "SELECT count(*) * 100 + count(DISTINCT revision) FROM settlement WHERE arrangement_id = %s",
        s.arrangement_id,
    )
    assert stored == 505  # five rows, five distinct revisions


SETTLED_EPISODES = 1500


def test_sigkill_mid_settlement_leaves_all_or_nothing_and_the_next_run_succeeds(
    server: RunningServer,
) -> None:
    ops = _api(server)
    world = World.create(ops)
    s = scenario(world, publish_definition(ops))
    mbis = [new_mbi() for _ in range(SETTLED_EPISODES)]
    beneficiaries = [alignment(mbi=mbi, hcc_score="1.0") for mbi in mbis]
    expect(world.aco.post("/v1/alignment", content=to_csv(beneficiaries), headers=CSV), 201)
    lines = [s.line(mbi, "2027-03-02") for mbi in mbis] + [
        s.spend(mbi, "2027-03-20", "750.00") for mbi in mbis
    ]
    s.upload(*lines)
    path = f"/v1/arrangements/{s.arrangement_id}/settlements"
    body = {"period_start": "2027-01-01", "period_end": "2027-12-31"}
    started = time.monotonic()
    preview = expect(world.aco.post(path, json={**body, "preview": True}), 200)
    preview_seconds = time.monotonic() - started
    assert preview["n_episodes"] == SETTLED_EPISODES

    outcome: dict[str, Any] = {}

    def settle() -> None:
        try:
            with httpx.Client(base_url=server.base_url, timeout=WAIT_SECONDS) as client:
                outcome["response"] = client.post(
                    path, json=body, headers={"Authorization": f"Bearer {world.aco.key}"}
                )
        except httpx.TransportError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=settle)
    thread.start()
    # Kill while the settlement's transaction is writing, or halfway through its expected time.
    deadline = time.monotonic() + preview_seconds / 2
    while time.monotonic() < deadline and not _writer_in_progress(server):
        time.sleep(0.005)
    server.kill()
    thread.join(timeout=WAIT_SECONDS)

    def stored() -> tuple[int, int]:
        settlements = _query(
            server, "SELECT count(*) FROM settlement WHERE arrangement_id = %s", s.arrangement_id
        )
        lines = _query(
            server,
            "SELECT count(*) FROM settlement_line JOIN settlement ON settlement.id = settlement_line.settlement_id "
            "WHERE settlement.arrangement_id = %s",
            s.arrangement_id,
        )
        return int(settlements), int(lines)

    before = stored()
    # All or nothing: no settlement, or one complete one (if the commit beat the kill).
    assert before in ((0, 0), (1, SETTLED_EPISODES)), before
    if "response" not in outcome:
        assert before == (0, 0)

    server.start()
    again = expect(world.aco.post(path, json=body), 201)
    assert again["revision"] == before[0] + 1
    assert again["n_episodes"] == SETTLED_EPISODES
    assert again["settlement_amount"] == preview["settlement_amount"]
    assert stored() == (before[0] + 1, (before[0] + 1) * SETTLED_EPISODES)
