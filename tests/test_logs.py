"""What a real server process writes to its log, and the security headers it sends.

A flow against ``cara serve`` (tests/server.py) handles secrets and personal data: API keys made
by the CLI and over HTTP (and a revoked one, and a made-up one, sent back), claims and alignment
uploaded with a recognisable MBI and claim id (accepted, and rejected with the values in the
problem), a webhook endpoint whose secret is created and rotated and whose deliveries fail
(in-process worker). Then no line of the server's captured stdout and stderr may contain any key,
webhook secret, MBI or claim id. The server runs at INFO and, in a second run, at DEBUG: an
operator turning up the log level must not start leaking.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any, cast

import httpx
import pytest

from tests.support.episode_data import CSV, publish_definition, scenario
from tests.support.factories import Api, World, create_org, expect, new_npi
from tests.support.ingest_data import alignment, claim, to_csv
from tests.support.server import RunningServer, create_key, running_server

MBI = "7QX4TE5MK79"  # a valid MBI that appears nowhere else
CLAIM_ID = "ZQXCLAIM90817"
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "strict-transport-security": "max-age=63072000; includeSubDomains",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
}


def _api(server: RunningServer, key: str | None) -> Api:
    return Api(cast(Any, httpx.Client(base_url=server.base_url, timeout=60)), key)


def _secret_parts(value: str, public_prefix: int) -> list[str]:
    """The whole value and its secret part (what follows a public prefix)."""
    return [value, value[public_prefix:]]


def _flow(server: RunningServer) -> dict[str, list[str]]:
    """Exercise the server with secrets and personal data; return what must never be logged."""
    cli_key = create_key(server.env, org="ops", role="ops")
    ops = _api(server, cli_key)
    world = World.create(ops)
    aco = world.aco
    revoked = expect(
        ops.post(f"/v1/organizations/{world.aco_org['id']}/api-keys", json={"name": "old", "role": "aco"}),
        201,
    )
    expect(ops.delete(f"/v1/api-keys/{revoked['id']}"), 204)
    made_up = "cara_" + "Zq9" * 14
    for key in (revoked["key"], made_up):
        expect(_api(server, key).get("/v1/arrangements"), 401)
    expect(_api(server, None).get("/v1/arrangements", headers={"Authorization": f"Basic {made_up}"}), 401)

    # Personal data: alignment and claims with the MBI and claim id, accepted and rejected.
    s = scenario(world, publish_definition(ops))
    expect(aco.post("/v1/alignment", content=to_csv([alignment(mbi=MBI, hcc_score="1.1")]), headers=CSV), 201)
    good = claim(
        claim_id=CLAIM_ID, mbi=MBI, rendering_npi=s.npi, from_date="2027-03-02", thru_date="2027-03-02"
    )
    expect(aco.post("/v1/claims", content=to_csv([good]), headers=CSV), 201)
    bad = claim(
        claim_id=CLAIM_ID, mbi=MBI, rendering_npi=new_npi(), allowed_amount="not money", line_number="2"
    )
    problem = expect(aco.post("/v1/claims", content=to_csv([bad]), headers=CSV), 422)
    assert problem["rows_rejected"] == 1
    bad_mbi = claim(claim_id=CLAIM_ID, mbi=MBI[:-1] + "S", line_number="3")
    expect(aco.post("/v1/claims?on_error=skip", content=to_csv([good, bad_mbi]), headers=CSV), 201)
    episodes = s.episodes()
    assert [e["mbi"] for e in episodes] == [MBI]
    settlement = s.settle()
    lines = expect(aco.get(f"/v1/settlements/{settlement['id']}/lines"), 200)["items"]
    assert [line["mbi"] for line in lines] == [MBI]
    assert MBI in expect(aco.get(f"/v1/settlements/{settlement['id']}/statement.csv"), 200)

    # Webhook secrets: created, rotated; deliveries attempted to a closed port by the worker.
    endpoint = expect(
        aco.post("/v1/webhook-endpoints", json={"url": "http://127.0.0.1:9/hook", "events": ["*"]}), 201
    )
    rotated = expect(aco.post(f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret"), 200)
    expect(
        aco.post("/v1/claims", content=to_csv([claim(claim_id=CLAIM_ID + "B", mbi=MBI)]), headers=CSV), 201
    )
    deadline = time.monotonic() + 30
    attempted = False
    while not attempted and time.monotonic() < deadline:
        deliveries = expect(aco.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries"), 200)["items"]
        attempted = any(d["attempt_count"] > 0 for d in deliveries)
        time.sleep(0.2)
    assert attempted, "the in-process worker never tried a delivery"

    _, other = create_org(ops, "provider", npis=[new_npi()])
    assert other.key is not None
    return {
        "API key": [
            *_secret_parts(cli_key, 12),
            *_secret_parts(ops.key or "", 12),
            *_secret_parts(str(aco.key), 12),
            *_secret_parts(str(world.provider.key), 12),
            *_secret_parts(other.key, 12),
            *_secret_parts(revoked["key"], 12),
            made_up,
        ],
        "webhook secret": [
            *_secret_parts(endpoint["secret"], len("whsec_")),
            *_secret_parts(rotated["secret"], len("whsec_")),
        ],
        "MBI": [MBI, MBI[:-1] + "S"],
        "claim id": [CLAIM_ID],
    }


@pytest.fixture(scope="module", params=["INFO", "DEBUG"])
def logged(request: pytest.FixtureRequest) -> Iterator[tuple[RunningServer, dict[str, list[str]]]]:
    extra = {"CARA_LOG_LEVEL": request.param, "CARA_WEBHOOK_WORKER_IN_PROCESS": "true"}
    with running_server(extra) as server:
        secrets = _flow(server)
        yield server, secrets


def test_no_secret_or_personal_data_in_the_log(logged: tuple[RunningServer, dict[str, list[str]]]) -> None:
    server, forbidden = logged
    log = server.logs()
    lines = log.splitlines()
    # The log did capture the flow: one JSON access line per request, with routes and statuses.
    access = [json.loads(line) for line in lines if line.startswith("{") and '"cara.access"' in line]
    routes = {(entry["route"], entry["status"]) for entry in access}
    for seen in (
        ("/v1/claims", 201),
        ("/v1/claims", 422),
        ("/v1/arrangements", 401),
        ("/v1/webhook-endpoints", 201),
    ):
        assert seen in routes, f"{seen} missing from the access log"
    leaks = [
        f"{what} {value[:8]}... in line {number}: {line[:200]}"
        for what, values in forbidden.items()
        for value in values
        if value
        for number, line in enumerate(lines, 1)
        if value in line
    ]
    assert not leaks, "\n".join(leaks)


def test_security_headers_on_success_not_found_and_unauthorized(
    logged: tuple[RunningServer, dict[str, list[str]]],
) -> None:
    server, _ = logged
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        ok = client.get("/v1/episode-definitions", headers=server.ops_headers)
        missing = client.get("/v1/arrangements/arr_00000000000000000000000000", headers=server.ops_headers)
        no_route = client.get("/v1/no-such-thing", headers=server.ops_headers)
        unauthorized = client.get("/v1/arrangements")
        health = client.get("/healthz")
    expect(ok, 200)
    for response, status in ((missing, 404), (no_route, 404), (unauthorized, 401)):
        problem = expect(response, status)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert problem["request_id"] == response.headers["x-request-id"]
    for response in (ok, missing, no_route, unauthorized, health):
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, f"{response.request.url}: {name}"
        assert response.headers["x-request-id"]
        assert "server" not in response.headers  # no product banner
    for response in (ok, missing, no_route, unauthorized):
        assert response.headers["cache-control"] == "no-store"
