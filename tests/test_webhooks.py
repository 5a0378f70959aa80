"""Webhooks: endpoint management, signed delivery to a real HTTP receiver, retries, 410, tenant
isolation of events, secret rotation, the SSRF guard, and concurrent workers (PostgreSQL)."""

from __future__ import annotations

import asyncio
import base64
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.ext.asyncio import AsyncSession
from standardwebhooks import Webhook, WebhookVerificationError

from service.app import create_app
from service.bootstrap import run_with_session
from service.kit import db as kit_db
from service.kit.clock import utcnow
from service.kit.db import Database
from service.settings import Settings
from service.webhooks import guard, outbox, worker
from service.webhooks import repository as webhook_repository
from service.webhooks import service as webhook_service
from service.webhooks.schemas import event_matches
from tests.support.factories import Api, World, create_org, expect, new_npi


class Receiver:
    """A real HTTP server on 127.0.0.1 that records requests and answers with scripted statuses."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.paths: list[str] = []
        self.statuses: list[int] = []  # answered in order; 204 once exhausted
        self.delay = 0.0
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                with receiver.lock:
                    receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                    receiver.paths.append(self.path)
                    status = receiver.statuses.pop(0) if receiver.statuses else 204
                if receiver.delay:
                    threading.Event().wait(receiver.delay)
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/cara"

    def ids(self) -> list[str]:
        with self.lock:
            return [headers["webhook-id"] for headers, _ in self.requests]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def emit(settings: Settings, recipients: list[str], type: str = "arrangement.signed", **data: Any) -> str:
    async def work(session: AsyncSession) -> str:
        return outbox.emit(
            session, type=type, data={"arrangement_id": "arr_x", **data}, recipients=recipients
        ).id

    return run_with_session(settings, work)


@pytest.fixture(scope="module", autouse=True)
def dispatched_backlog(migrated: Settings) -> None:
    """Fan out, before these tests, the events the other test modules left undispatched (over a
    thousand in a full run, more with every test added): a worker pass fans out at most ten
    batches of events, oldest first, so behind such a backlog the events emitted here would wait
    for a later pass."""

    async def work(session: AsyncSession) -> None:
        while (await session.scalars(webhook_repository.undispatched_events(1))).first() is not None:
            await worker.fan_out(session, now=utcnow(), limit=1000)

    run_with_session(migrated, work)


def deliver(settings: Settings, *, now: datetime | None = None, **kwargs: Any) -> int:
    """Worker passes, as `cara worker` runs them, until nothing more is due at ``now`` (which
    drives the retry schedule); the number of attempts made. One pass takes a bounded batch, and
    the suite's database holds other tests' endpoints and events: passes continue until the
    backlog is drained, so a test's own event is not left behind in a later batch."""

    async def run() -> int:
        database = Database(settings.database_url, 2)
        try:
            made = 0
            for _ in range(50):
                attempts = await worker.run_once(database, settings, now=now, **kwargs)
                made += attempts
                if attempts == 0:
                    break
            return made
        finally:
            await database.dispose()

    return asyncio.run(run())


@pytest.fixture(scope="module", autouse=True)
def earlier_events_fanned_out(migrated: Settings) -> None:
    """The events the suite's earlier modules stored are fanned out before these tests run: one
    worker pass fans out at most 1,000 events, oldest first, and each test here expects its own
    event to go out in one pass (however many tests ran before)."""

    async def fan_out_all() -> None:
        database = Database(migrated.database_url, 2)
        try:
            while True:
                async with database.sessionmaker() as session, session.begin():
                    pending = await session.scalars(webhook_repository.undispatched_events(1))
                    if pending.first() is None:
                        return
                    await worker.fan_out(session, now=utcnow(), limit=1000)
        finally:
            await database.dispose()

    asyncio.run(fan_out_all())


def register(api: Api, url: str, events: list[str] | None = None) -> dict[str, Any]:
    return expect(api.post("/v1/webhook-endpoints", json={"url": url, "events": events or ["*"]}), 201)  # type: ignore[no-any-return]


def deliveries(api: Api, endpoint_id: str) -> list[dict[str, Any]]:
    return expect(api.get(f"/v1/webhook-endpoints/{endpoint_id}/deliveries"), 200)["items"]  # type: ignore[no-any-return]


# --- endpoints -------------------------------------------------------------------------------


def test_register_read_and_isolate_endpoints(world: World, receiver: Receiver) -> None:
    endpoint = register(world.aco, receiver.url, ["arrangement.*", "settlement.finalized"])
    secret = endpoint["secret"]
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[len("whsec_") :])) == 24
    assert endpoint["enabled"] and endpoint["events"] == ["arrangement.*", "settlement.finalized"]
    assert endpoint["organization_id"] == world.aco_org["id"]

    shown = expect(world.aco.get(f"/v1/webhook-endpoints/{endpoint['id']}"), 200)
    assert "secret" not in shown and shown["url"] == receiver.url
    listed = expect(world.aco.get("/v1/webhook-endpoints"), 200)["items"]
    assert [e["id"] for e in listed] == [endpoint["id"]] and "secret" not in listed[0]

    # Another tenant sees nothing and can change nothing; ops may not register at all.
    assert expect(world.other_aco.get("/v1/webhook-endpoints"), 200)["items"] == []
    for method, suffix in [
        ("GET", ""),
        ("GET", "/deliveries"),
        ("POST", "/disable"),
        ("POST", "/enable"),
        ("POST", "/rotate-secret"),
    ]:
        expect(world.provider.request(method, f"/v1/webhook-endpoints/{endpoint['id']}{suffix}"), 404)
    expect(world.ops.post("/v1/webhook-endpoints", json={"url": receiver.url, "events": ["*"]}), 403)

    disabled = expect(world.aco.post(f"/v1/webhook-endpoints/{endpoint['id']}/disable"), 200)
    assert not disabled["enabled"] and disabled["disabled_reason"] == "disabled by the owner"
    enabled = expect(world.aco.post(f"/v1/webhook-endpoints/{endpoint['id']}/enable"), 200)
    assert enabled["enabled"] and enabled["disabled_reason"] is None
    actions = [
        e["action"] for e in expect(world.aco.get("/v1/audit-events", params={"limit": 500}), 200)["items"]
    ]
    assert {"webhook_endpoint.created", "webhook_endpoint.disabled", "webhook_endpoint.enabled"} <= set(
        actions
    )


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"url": "http://127.0.0.1:9/x", "events": ["arrangement.nonsense"]}, "body.events"),
        ({"url": "http://127.0.0.1:9/x", "events": ["claims.*"]}, "body.events"),
        ({"url": "http://127.0.0.1:9/x", "events": []}, "body.events"),
        ({"url": "ftp://127.0.0.1/x", "events": ["*"]}, "body.url"),
        ({"url": "http://10.0.0.1/x", "events": ["*"]}, "body.url"),
        ({"url": "http://169.254.169.254/latest/meta-data", "events": ["*"]}, "body.url"),
        ({"url": "http://user:pw@127.0.0.1:9/x", "events": ["*"]}, "body.url"),
    ],
)
def test_registration_refuses_bad_events_and_urls(world: World, body: dict[str, Any], location: str) -> None:
    problem = expect(world.aco.post("/v1/webhook-endpoints", json=body), 422)
    assert any(e["location"].startswith(location) for e in problem["errors"]), problem


def test_enabled_endpoints_per_organisation_are_bounded(ops: Api, receiver: Receiver) -> None:
    _, provider = create_org(ops, "provider", npis=[new_npi()])
    endpoints = [
        register(provider, receiver.url) for _ in range(webhook_service.MAX_ENDPOINTS_PER_ORGANIZATION)
    ]
    problem = expect(provider.post("/v1/webhook-endpoints", json={"url": receiver.url, "events": ["*"]}), 409)
    assert problem["limit"] == webhook_service.MAX_ENDPOINTS_PER_ORGANIZATION
    expect(provider.post(f"/v1/webhook-endpoints/{endpoints[0]['id']}/disable"), 200)
    spare = register(provider, receiver.url)
    expect(provider.post(f"/v1/webhook-endpoints/{endpoints[0]['id']}/enable"), 409)
    expect(provider.post(f"/v1/webhook-endpoints/{spare['id']}/disable"), 200)
    expect(provider.post(f"/v1/webhook-endpoints/{endpoints[0]['id']}/enable"), 200)
    for endpoint in endpoints:  # no deliveries for other tests' events: none are addressed to it
        expect(provider.post(f"/v1/webhook-endpoints/{endpoint['id']}/disable"), 200)


def test_event_patterns() -> None:
    assert event_matches(["*"], "upload.failed")
    assert event_matches(["arrangement.*"], "arrangement.signed")
    assert not event_matches(["arrangement.*"], "settlement.created")
    assert event_matches(["settlement.finalized"], "settlement.finalized")
    assert not event_matches(["settlement.finalized"], "settlement.created")


# --- delivery --------------------------------------------------------------------------------


def test_delivery_is_signed_per_standard_webhooks_and_verifies(
    world: World, receiver: Receiver, migrated: Settings
) -> None:
    endpoint = register(world.aco, receiver.url, ["arrangement.*"])
    event_id = emit(migrated, [world.aco_org["id"]], target_price="1176.00")
    assert deliver(migrated) >= 1
    assert receiver.ids() == [event_id]
    headers, body = receiver.requests[0]

    # Exactly what a receiver does (the README's example): verify, then trust the payload.
    payload = Webhook(endpoint["secret"]).verify(body, headers)
    assert payload["type"] == "arrangement.signed"
    assert payload["data"] == {"arrangement_id": "arr_x", "target_price": "1176.00"}
    assert datetime.fromisoformat(payload["timestamp"]) <= utcnow()
    assert headers["content-type"] == "application/json" and headers["webhook-id"] == event_id
    assert abs(int(headers["webhook-timestamp"]) - utcnow().timestamp()) < 60
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint["secret"]).verify(body.replace(b"1176.00", b"9999.00"), headers)

    [delivery] = deliveries(world.aco, endpoint["id"])
    assert delivery["event_id"] == event_id and delivery["status"] == "delivered"
    assert delivery["event_type"] == "arrangement.signed" and delivery["attempt_count"] == 1
    [attempt] = delivery["attempts"]
    assert attempt["status_code"] == 204 and attempt["error"] is None and attempt["latency_ms"] >= 0


def readme_receiver_example() -> dict[str, Any]:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    match = re.search(r"<!-- webhook-receiver-example -->\n```python\n(.*?)```", readme, re.S)
    assert match, "the README's receiver example is missing"
    namespace: dict[str, Any] = {}
    exec(compile(match.group(1), "README.md", "exec"), namespace)
    return namespace


def test_readme_receiver_example_verifies_a_real_delivery(
    world: World, receiver: Receiver, migrated: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint = register(world.provider, receiver.url, ["upload.*"])
    event_id = emit(migrated, [world.provider_org["id"]], type="upload.completed", upload_id="upl_1")
    deliver(migrated)
    [(headers, body)] = receiver.requests
    handle = readme_receiver_example()["handle_cara_webhook"]
    assert handle(endpoint["secret"], body, headers) == 204
    assert "upload.completed" in capsys.readouterr().out
    assert handle(endpoint["secret"], body, headers) == 200  # the same webhook-id again
    assert handle(endpoint["secret"], body.replace(b"upl_1", b"upl_2"), headers) == 400
    other_secret = register(world.provider, receiver.url, ["upload.*"])["secret"]
    assert handle(other_secret, body, headers) == 400
    assert headers["webhook-id"] == event_id


def test_retry_after_500_then_success_keeps_the_event_id(
    world: World, receiver: Receiver, migrated: Settings
) -> None:
    endpoint = register(world.aco, receiver.url)
    receiver.statuses = [500]
    event_id = emit(migrated, [world.aco_org["id"]])
    start = utcnow()
    deliver(migrated, now=start)
    assert receiver.ids() == [event_id]
    [delivery] = deliveries(world.aco, endpoint["id"])
    assert delivery["status"] == "pending" and delivery["attempts"][0]["status_code"] == 500
    retry_at = datetime.fromisoformat(delivery["next_attempt_at"])
    assert timedelta(seconds=8) <= retry_at - start <= timedelta(seconds=12)

    deliver(migrated, now=start + timedelta(seconds=5))  # not due yet
    assert receiver.ids() == [event_id]
    deliver(migrated, now=start + timedelta(seconds=15))
    assert receiver.ids() == [event_id, event_id]
    for headers, body in receiver.requests:
        assert Webhook(endpoint["secret"]).verify(body, headers)["type"] == "arrangement.signed"
    assert receiver.requests[0][1] == receiver.requests[1][1]  # the same body on every attempt

    [delivery] = deliveries(world.aco, endpoint["id"])
    assert delivery["status"] == "delivered" and delivery["next_attempt_at"] is None
    assert [(a["number"], a["status_code"]) for a in delivery["attempts"]] == [(1, 500), (2, 204)]
    metrics = world.anonymous.get("/metrics").text
    assert 'cara_webhook_attempts_total{outcome="5xx"}' in metrics
    assert 'cara_webhook_attempts_total{outcome="2xx"}' in metrics


def test_a_crashed_workers_claim_expires_and_another_delivers(
    world: World, receiver: Receiver, migrated: Settings
) -> None:
    register(world.aco, receiver.url)
    event_id = emit(migrated, [world.aco_org["id"]])
    start = utcnow()

    async def claim_and_crash() -> list[worker.Job]:
        database = Database(migrated.database_url, 2)
        try:
            async with database.sessionmaker() as session, session.begin():
                await worker.fan_out(session, now=start, limit=1000)
            async with database.sessionmaker() as session, session.begin():
                return await worker.claim(session, now=start, limit=1000, lease=timedelta(minutes=2))
        finally:
            await database.dispose()  # "crashes": never sends, never records

    assert event_id in [job.event_id for job in asyncio.run(claim_and_crash())]
    deliver(migrated, now=start + timedelta(minutes=1))
    assert receiver.ids() == []  # still leased to the crashed worker
    deliver(migrated, now=start + timedelta(minutes=3))
    assert receiver.ids() == [event_id]


def test_gives_up_after_the_last_attempt(world: World, receiver: Receiver, migrated: Settings) -> None:
    endpoint = register(world.aco, receiver.url)
    receiver.statuses = [503] * worker.MAX_ATTEMPTS
    emit(migrated, [world.aco_org["id"]])
    clock = utcnow()
    for _ in range(worker.MAX_ATTEMPTS):
        deliver(migrated, now=clock)
        clock += timedelta(hours=7)  # beyond the longest wait
    [delivery] = deliveries(world.aco, endpoint["id"])
    assert delivery["status"] == "failed" and delivery["attempt_count"] == worker.MAX_ATTEMPTS
    assert len(receiver.requests) == worker.MAX_ATTEMPTS
    deliver(migrated, now=clock + timedelta(days=2))
    assert len(receiver.requests) == worker.MAX_ATTEMPTS


def test_retry_schedule_spans_more_than_a_day() -> None:
    retries = range(1, worker.MAX_ATTEMPTS)
    shortest = sum((worker.retry_delay(n, lambda: 0.0) for n in retries), timedelta())
    longest = sum((worker.retry_delay(n, lambda: 1.0) for n in retries), timedelta())
    assert timedelta(hours=24) < shortest < longest < timedelta(hours=31)
    delays = [worker.retry_delay(n, lambda: 0.5) for n in retries]
    assert delays == sorted(delays) and delays[0] == timedelta(seconds=10)
    assert delays[-1] == timedelta(hours=6)


def test_410_disables_the_endpoint(world: World, receiver: Receiver, migrated: Settings) -> None:
    endpoint = register(world.provider, receiver.url)
    receiver.statuses = [410]
    emit(migrated, [world.provider_org["id"]])
    deliver(migrated)
    shown = expect(world.provider.get(f"/v1/webhook-endpoints/{endpoint['id']}"), 200)
    assert not shown["enabled"] and "410" in shown["disabled_reason"]
    [delivery] = deliveries(world.provider, endpoint["id"])
    assert delivery["status"] == "failed" and delivery["attempts"][0]["status_code"] == 410

    emit(migrated, [world.provider_org["id"]])
    deliver(migrated, now=utcnow() + timedelta(hours=1))
    assert len(receiver.requests) == 1  # nothing more to a disabled endpoint
    audit = expect(world.provider.get("/v1/audit-events", params={"limit": 500}), 200)["items"]
    assert any(e["action"] == "webhook_endpoint.disabled" for e in audit)


def test_events_reach_only_the_entitled_organisations(
    world: World, receiver: Receiver, migrated: Settings
) -> None:
    other = Receiver()
    try:
        mine = register(world.aco, receiver.url, ["arrangement.*"])
        theirs = register(world.other_aco, other.url, ["*"])
        settlements_only = register(world.provider, other.url, ["settlement.*"])
        event_id = emit(migrated, [world.aco_org["id"], world.provider_org["id"]])
        deliver(migrated)
        assert receiver.ids() == [event_id]
        assert other.ids() == []  # another tenant's endpoint, and a provider not subscribed to it
        assert deliveries(world.other_aco, theirs["id"]) == []
        assert deliveries(world.provider, settlements_only["id"]) == []
        assert len(deliveries(world.aco, mine["id"])) == 1
    finally:
        other.close()


def test_secret_rotation_signs_with_both_secrets_during_grace(
    world: World, receiver: Receiver, migrated: Settings
) -> None:
    endpoint = register(world.aco, receiver.url)
    old = endpoint["secret"]
    rotated = expect(world.aco.post(f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret"), 200)
    new = rotated["secret"]
    assert new != old and new.startswith("whsec_")
    grace_end = datetime.fromisoformat(rotated["previous_secret_expires_at"])
    assert timedelta(hours=23) < grace_end - utcnow() <= timedelta(hours=24)

    emit(migrated, [world.aco_org["id"]])
    deliver(migrated)
    headers, body = receiver.requests[-1]
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify(body, headers)
    Webhook(new).verify(body, headers)

    emit(migrated, [world.aco_org["id"]])
    deliver(migrated, now=grace_end + timedelta(minutes=1))
    headers, body = receiver.requests[-1]
    assert len(headers["webhook-signature"].split(" ")) == 1
    Webhook(new).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(body, headers)


def test_rotation_without_grace_revokes_the_old_secret_at_once(
    world: World, receiver: Receiver, migrated: Settings
) -> None:
    endpoint = register(world.aco, receiver.url)
    rotated = expect(
        world.aco.post(f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret", params={"grace_hours": 0}),
        200,
    )
    emit(migrated, [world.aco_org["id"]])
    deliver(migrated)
    headers, body = receiver.requests[-1]
    assert len(headers["webhook-signature"].split(" ")) == 1
    Webhook(rotated["secret"]).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint["secret"]).verify(body, headers)


# --- SSRF guard ------------------------------------------------------------------------------


async def _fake_resolver(host: str, port: int) -> list[str]:
    table = {
        "internal.example": ["127.0.0.1"],
        "mixed.example": ["93.184.216.34", "10.1.2.3"],
        "public.example": ["93.184.216.34"],
    }
    if host not in table:
        raise OSError("no such host")
    return table[host]


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/hook",
        "http://127.0.0.1:8000/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:10.0.0.1]/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "https://internal.example/hook",
        "https://mixed.example/hook",
        "https://unknown.example/hook",
        "ftp://public.example/hook",
        "file:///etc/passwd",
        # IETF protocol assignments, and IPv6 addresses that lead to an internal IPv4 one.
        "http://192.0.0.8/",
        "http://192.0.0.9/",
        "http://[2002:7f00:1::]/",
        "http://[2002:0808:0808::]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[64:ff9b::a00:1]/",
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",
        "http://[::7f00:1]/",
        "http://[::ffff:127.0.0.1]/",
        # Whitespace and control characters (httpx could not even parse some of them later).
        "https://8.8.8.8\t/x",
        "https://8.8.8.8/x\r\nHost: evil",
        "https://8.8.8.8/\x7f",
        "https://8.8.8.8/a b",
        "https://8.8.8.8/\x00",
    ],
)
def test_ssrf_guard_refuses_non_public_targets_by_default(url: str) -> None:
    with pytest.raises(guard.UnsafeUrl):
        asyncio.run(guard.check_url(url, allowed_hosts=[], resolver=_fake_resolver))


def test_ssrf_guard_tells_nothing_of_how_a_name_resolves() -> None:
    # A name that resolves to a private address, to a loopback one, or not at all: one answer,
    # so that registering URLs cannot map a network's internal DNS.
    messages = []
    for host in ("mixed.example", "internal.example", "unknown.example"):
        with pytest.raises(guard.UnsafeUrl) as refused:
            asyncio.run(guard.check_url(f"https://{host}/h", allowed_hosts=[], resolver=_fake_resolver))
        messages.append(str(refused.value).replace(host, "HOST"))
    assert messages == ["the host HOST does not resolve to public addresses only"] * 3
    # A literal address is no secret: its reason is given.
    with pytest.raises(guard.UnsafeUrl, match="is a private address"):
        asyncio.run(guard.check_url("https://10.1.2.3/h", allowed_hosts=[], resolver=_fake_resolver))


def test_ssrf_guard_refuses_localhost_by_real_resolution() -> None:
    with pytest.raises(guard.UnsafeUrl, match="does not resolve to public addresses only"):
        asyncio.run(
            guard.check_url("http://localhost:8080/hook", allowed_hosts=Settings().webhook_allowed_hosts)
        )


def test_ssrf_guard_admits_public_and_allowed_hosts() -> None:
    # NAT64 of a public address is as public as the address.
    nat64 = asyncio.run(
        guard.check_url("http://[64:ff9b::808:808]/h", allowed_hosts=[], resolver=_fake_resolver)
    )
    assert nat64.addresses == ("64:ff9b::808:808",)
    target = asyncio.run(
        guard.check_url("https://public.example/h", allowed_hosts=[], resolver=_fake_resolver)
    )
    assert (target.addresses, target.port, target.host) == (("93.184.216.34",), 443, "public.example")
    local = asyncio.run(guard.check_url("http://localhost:8080/h", allowed_hosts=["localhost"]))
    assert local.addresses == () and local.port == 8080  # reached by name, not pinned


def test_delivery_connects_to_the_checked_address_with_the_original_host(
    receiver: Receiver, migrated: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pretend loopback is public for this test only, so that the pinned-address path (used for
    # every host not in the allow list) can be exercised against the local receiver.
    monkeypatch.setattr(guard, "address_problem", lambda address: None)
    port = receiver.server.server_address[1]

    async def resolver(host: str, port: int) -> list[str]:
        assert host == "hooks.example"
        return ["127.0.0.2", "127.0.0.1"]  # nothing listens on the first: the second is tried

    secret = webhook_service.new_secret()
    job = worker.Job(
        delivery_id="whd_test",
        endpoint_id="whe_test",
        event_id="msg_pinned",
        url=f"http://hooks.example:{port}/hooks/cara",
        secrets=(secret,),
        body='{"type":"upload.completed","timestamp":"2026-11-23T10:00:00Z","data":{}}',
    )
    strict = migrated.model_copy(update={"webhook_allowed_hosts": []})

    async def run() -> worker.Outcome:
        async with httpx.AsyncClient(follow_redirects=False, trust_env=False) as client:
            return await worker.send(client, job, settings=strict, resolver=resolver)

    outcome = asyncio.run(run())
    assert outcome.status_code == 204 and outcome.error is None
    [(headers, body)] = receiver.requests
    assert headers["host"] == f"hooks.example:{port}"
    assert Webhook(secret).verify(body, headers)["type"] == "upload.completed"


def test_ssrf_guard_is_applied_again_at_delivery(
    world: World, receiver: Receiver, migrated: Settings
) -> None:
    endpoint = register(world.aco, receiver.url)  # admitted: the test settings allow 127.0.0.1
    emit(migrated, [world.aco_org["id"]])
    strict = migrated.model_copy(update={"webhook_allowed_hosts": []})
    deliver(strict)
    assert receiver.requests == []
    [delivery] = deliveries(world.aco, endpoint["id"])
    [attempt] = delivery["attempts"]
    assert attempt["status_code"] is None and "SSRF" in attempt["error"] and "loopback" in attempt["error"]
    assert delivery["status"] == "pending"
    expect(world.aco.post(f"/v1/webhook-endpoints/{endpoint['id']}/disable"), 200)


def test_a_slow_receiver_times_out_and_is_retried(
    world: World, receiver: Receiver, migrated: Settings
) -> None:
    endpoint = register(world.aco, receiver.url)
    receiver.delay = 1.5
    emit(migrated, [world.aco_org["id"]])
    deliver(migrated.model_copy(update={"webhook_timeout_seconds": 0.3}))
    [delivery] = deliveries(world.aco, endpoint["id"])
    assert delivery["status"] == "pending" and "timed out" in delivery["attempts"][0]["error"]
    receiver.delay = 0
    deliver(migrated, now=utcnow() + timedelta(minutes=1))
    assert deliveries(world.aco, endpoint["id"])[0]["status"] == "delivered"


# --- concurrency -----------------------------------------------------------------------------


@pytest.mark.skipif(
    os.environ.get("CARA_TEST_DB", "sqlite") != "postgresql", reason="SKIP LOCKED: PostgreSQL"
)
def test_two_workers_never_deliver_one_attempt_twice(
    world: World, receiver: Receiver, migrated: Settings
) -> None:
    register(world.aco, receiver.url)
    register(world.aco, receiver.url.replace("/hooks/cara", "/hooks/second"))
    receiver.delay = 0.01
    event_ids = [emit(migrated, [world.aco_org["id"]], n=n) for n in range(30)]
    ours = set(event_ids)

    async def both() -> list[int]:
        databases = [Database(migrated.database_url, 4), Database(migrated.database_url, 4)]

        async def drain(database: Database) -> int:
            # Keep passing until every delivery is made: a pass finding nothing (the other worker
            # holds it all for the moment) is not the end.
            total = 0
            deadline = asyncio.get_running_loop().time() + 30
            while sum(1 for i in receiver.ids() if i in ours) < 60:
                total += await worker.run_once(database, migrated, batch_size=4)
                await asyncio.sleep(0.005)
                assert asyncio.get_running_loop().time() < deadline, "deliveries did not finish"
            return total

        try:
            return list(await asyncio.gather(*(drain(d) for d in databases)))
        finally:
            for database in databases:
                await database.dispose()

    counts = asyncio.run(both())
    assert all(c > 0 for c in counts), f"both workers should have worked: {counts}"
    hits: dict[tuple[str, str], int] = {}
    for (headers, _), path in zip(receiver.requests, receiver.paths, strict=True):
        if headers["webhook-id"] in ours:
            hits[(headers["webhook-id"], path)] = hits.get((headers["webhook-id"], path), 0) + 1
    # 60 deliveries (30 events x 2 endpoints), each exactly once.
    assert len(hits) == 60 and set(hits.values()) == {1}, hits


# --- running the worker ----------------------------------------------------------------------


def wait_for(condition: Any, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def test_serve_with_worker_delivers_in_process(world: World, receiver: Receiver, migrated: Settings) -> None:
    register(world.aco, receiver.url)
    settings = migrated.model_copy(
        update={"webhook_worker_in_process": True, "webhook_poll_interval_seconds": 0.05}
    )
    # A second app replaces the process-wide database handle for its lifetime and clears it on
    # shutdown; give the session's app its own back afterwards.
    session_database = kit_db.get_database()
    try:
        with TestClient(create_app(settings)):
            event_id = emit(migrated, [world.aco_org["id"]])
            wait_for(lambda: event_id in receiver.ids())
    finally:
        kit_db.set_database(session_database)
    # Leaving the block stopped the worker: nothing is delivered any more.
    later = emit(migrated, [world.aco_org["id"]])
    time.sleep(0.3)
    assert later not in receiver.ids()
    deliver(migrated)  # leave nothing behind for other tests


def test_cara_worker_command_delivers_until_terminated(
    world: World, receiver: Receiver, migrated: Settings
) -> None:
    register(world.aco, receiver.url)
    event_id = emit(migrated, [world.aco_org["id"]])
    env = {
        **os.environ,
        "CARA_DATABASE_URL": migrated.database_url,
        "CARA_WEBHOOK_ALLOWED_HOSTS": '["127.0.0.1"]',
        "CARA_WEBHOOK_POLL_INTERVAL_SECONDS": "0.1",
        "CARA_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "service.cli", "worker"], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        wait_for(lambda: event_id in receiver.ids() or process.poll() is not None, 60)
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
    assert code == 0
    assert receiver.ids() == [event_id]


# --- hostile URLs ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["https://8.8.8.8\t/x", "http://127.0.0.1:9/a\r\nb", "http://127.0.0.1:9/\x7f", "http://192.0.0.8/"],
)
def test_registration_refuses_control_characters_and_special_addresses(world: World, url: str) -> None:
    problem = expect(world.aco.post("/v1/webhook-endpoints", json={"url": url, "events": ["*"]}), 422)
    assert problem["errors"][0]["location"] == "body.url"


def test_a_stored_url_the_worker_cannot_use_is_a_recorded_failure(world: World, migrated: Settings) -> None:
    # Registered before registration refused such URLs: a tab inside (httpx refuses to parse it).
    endpoint = register(world.aco, "http://127.0.0.1:9/hook")

    async def corrupt(session: AsyncSession) -> None:
        from sqlalchemy import text

        await session.execute(
            text("UPDATE webhook_endpoint SET url = :u WHERE id = :i"),
            {"u": "http://127.0.0.1:9/ho\tok", "i": endpoint["id"]},
        )

    run_with_session(migrated, corrupt)
    emit(migrated, [world.aco_org["id"]])
    clock = utcnow()
    for _ in range(worker.MAX_ATTEMPTS):
        assert deliver(migrated, now=clock) == 1
        clock += timedelta(hours=7)
    [delivery] = deliveries(world.aco, endpoint["id"])
    assert delivery["status"] == "failed" and delivery["attempt_count"] == worker.MAX_ATTEMPTS
    assert all("whitespace or control characters" in a["error"] for a in delivery["attempts"])
    assert deliver(migrated, now=clock + timedelta(days=2)) == 0  # given up: no endless retries


def test_a_url_httpx_cannot_build_is_an_outcome_not_an_exception(
    migrated: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def anything_goes(url: str, **_: Any) -> guard.Target:
        return guard.Target(host="h", port=80, addresses=("127.0.0.1",))

    monkeypatch.setattr(guard, "check_url", anything_goes)
    job = worker.Job("whd_x", "whe_x", "msg_x", "http://[not-an-address/", ("whsec_" + "A" * 32,), "{}")

    async def run() -> worker.Outcome:
        async with httpx.AsyncClient() as client:
            return await worker.send(client, job, settings=migrated)

    outcome = asyncio.run(run())
    assert outcome.status_code is None and outcome.error is not None
    assert outcome.error.startswith("the URL cannot be used")
