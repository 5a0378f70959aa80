"""The delivery worker: outbox events -> deliveries -> signed HTTP POSTs, retried with backoff.

One pass (:func:`run_once`):

1. **Fan-out.** Undispatched outbox events are matched against the enabled endpoints of the
   organisations entitled to them (``recipient_org_ids``) and the endpoints' event patterns;
   one delivery row per (event, endpoint), then the event is marked dispatched.
2. **Claim.** Due pending deliveries of enabled endpoints get a lease (``locked_until``). On
   PostgreSQL the rows are selected ``FOR UPDATE SKIP LOCKED``, so concurrent workers never
   claim the same delivery; a crashed worker's lease simply expires and another worker retries.
   SQLite has a single writer (``BEGIN IMMEDIATE``), which serialises claims just as well.
3. **Send.** Outside any transaction: re-check the URL against the SSRF policy with a fresh DNS
   lookup, connect to that checked address, POST ``{type, timestamp, data}`` signed per
   Standard Webhooks (``webhook-id`` is the event id, the same on every retry).
4. **Record.** Each attempt is stored (status code, latency, error); 2xx marks the delivery
   delivered, 410 disables the endpoint, anything else schedules a retry (:func:`retry_delay`)
   until :data:`MAX_ATTEMPTS` attempts over more than 24 hours have failed.

Delivery is at-least-once: a receiver that answers slower than the lease, or a worker that dies
between the POST and the record, causes a repeat with the same ``webhook-id``; receivers
deduplicate on it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import httpx
from prometheus_client import Counter, Histogram
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from standardwebhooks import Webhook

from service.kit import changes
from service.kit.clock import utcnow
from service.kit.db import Database
from service.kit.ids import new_id
from service.settings import Settings
from service.webhooks import guard, repository
from service.webhooks.models import (
    DeliveryStatus,
    OutboxEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from service.webhooks.schemas import event_matches

log = logging.getLogger("cara.webhooks")

ATTEMPTS = Counter(
    "cara_webhook_attempts_total",
    "Webhook delivery attempts by outcome: 2xx..5xx, or none (timeout, connection error, refused)",
    ["outcome"],
)
ATTEMPT_LATENCY = Histogram(
    "cara_webhook_attempt_duration_seconds",
    "Duration of webhook delivery attempts",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)

WORKER_ACTOR = changes.Actor(org_id=None, key_id="webhook-worker")

MAX_ATTEMPTS = 11
FIRST_RETRY_SECONDS = 10
BACKOFF_FACTOR = 4
MAX_RETRY_SECONDS = 6 * 3600
JITTER = 0.1  # each delay is scaled by a random factor in [0.9, 1.1]
CONCURRENT_SENDS = 16
MAX_ERROR_CHARS = 500
USER_AGENT = "cara-webhooks/1"


def retry_delay(failed_attempts: int, rand: Callable[[], float] = random.random) -> timedelta:
    """The wait after ``failed_attempts`` failures: 10 s, 40 s, 160 s, ... times 4, capped at 6 h,
    each with +-10 % jitter so that receivers recovering from an outage are not hit in lockstep.
    The 10 retries span at least 25 hours (27.8 h without jitter)."""
    base = min(FIRST_RETRY_SECONDS * BACKOFF_FACTOR ** (failed_attempts - 1), MAX_RETRY_SECONDS)
    return timedelta(seconds=base * (1 - JITTER + 2 * JITTER * rand()))


@dataclass(frozen=True, slots=True)
class Job:
    """A claimed delivery with everything needed to send it without the database."""

    delivery_id: str
    endpoint_id: str
    event_id: str
    url: str
    secrets: tuple[str, ...]
    body: str


@dataclass(frozen=True, slots=True)
class Outcome:
    status_code: int | None
    latency_ms: int
    error: str | None


def payload(event: OutboxEvent) -> str:
    """The request body: ``{type, timestamp, data}`` as compact JSON, identical on every retry."""
    body = {
        "type": event.type,
        "timestamp": event.occurred_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "data": event.data,
    }
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False)


def signature_header(secrets: Sequence[str], msg_id: str, timestamp: datetime, body: str) -> str:
    """``v1,<sig>`` per valid secret, space-separated (two during a rotation's grace period)."""
    return " ".join(Webhook(secret).sign(msg_id, timestamp, body) for secret in secrets)


def active_secrets(endpoint: WebhookEndpoint, now: datetime) -> tuple[str, ...]:
    expires = endpoint.previous_secret_expires_at
    if endpoint.previous_secret and expires is not None and expires > now:
        return (endpoint.secret, endpoint.previous_secret)
    return (endpoint.secret,)


async def fan_out(session: AsyncSession, *, now: datetime, limit: int) -> int:
    """Turn up to ``limit`` undispatched events into deliveries; returns the deliveries made."""
    stmt = repository.undispatched_events(limit)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    events = list(await session.scalars(stmt))
    if not events:
        return 0
    org_ids = sorted({org for event in events for org in event.recipient_org_ids})
    endpoints = await repository.enabled_endpoints_of(session, org_ids) if org_ids else []
    made = 0
    for event in events:
        for endpoint in endpoints:
            if endpoint.organization_id in event.recipient_org_ids and event_matches(
                endpoint.events, event.type
            ):
                session.add(
                    WebhookDelivery(
                        id=new_id("whd"),
                        event_id=event.id,
                        endpoint_id=endpoint.id,
                        status=DeliveryStatus.pending,
                        attempt_count=0,
                        next_attempt_at=now,
                        created_at=now,
                    )
                )
                made += 1
        event.dispatched_at = now
    return made


async def claim(session: AsyncSession, *, now: datetime, limit: int, lease: timedelta) -> list[Job]:
    """Lease up to ``limit`` due deliveries to this worker and load what sending them needs."""
    stmt = repository.due_deliveries(now, limit)
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(of=WebhookDelivery, skip_locked=True)
    deliveries = list(await session.scalars(stmt))
    if not deliveries:
        return []
    for delivery in deliveries:
        delivery.locked_until = now + lease
    events = {
        e.id: e
        for e in await session.scalars(
            select(OutboxEvent).where(OutboxEvent.id.in_({d.event_id for d in deliveries}))
        )
    }
    endpoints = {
        e.id: e
        for e in await session.scalars(
            select(WebhookEndpoint).where(WebhookEndpoint.id.in_({d.endpoint_id for d in deliveries}))
        )
    }
    return [
        Job(
            delivery_id=d.id,
            endpoint_id=d.endpoint_id,
            event_id=d.event_id,
            url=endpoints[d.endpoint_id].url,
            secrets=active_secrets(endpoints[d.endpoint_id], now),
            body=payload(events[d.event_id]),
        )
        for d in deliveries
    ]


def _describe(exc: BaseException) -> str:
    # Exception texts of httpx name the exception and the socket error, never the secret; the
    # URL is not included (it may carry a token of the receiver's).
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"[:MAX_ERROR_CHARS]


async def send(
    client: httpx.AsyncClient, job: Job, *, settings: Settings, resolver: guard.Resolver = guard.resolve
) -> Outcome:
    """One attempt: check the URL again, then POST to the checked address."""
    started = time.monotonic()

    def elapsed_ms() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        target = await guard.check_url(
            job.url, allowed_hosts=settings.webhook_allowed_hosts, resolver=resolver
        )
    except guard.UnsafeUrl as exc:
        return Outcome(None, elapsed_ms(), f"refused by the SSRF policy: {exc}"[:MAX_ERROR_CHARS])
    signed_at = utcnow()  # the real clock: receivers reject timestamps more than 5 minutes off
    # Connect to an address just checked, not to whatever a second lookup might return; TLS
    # still verifies the certificate against the host name (SNI). The next checked address is
    # tried only when one refuses the connection outright (say, IPv6 unreachable).
    try:
        headers = {
            "content-type": "application/json",
            "user-agent": USER_AGENT,
            "host": urlsplit(job.url).netloc,
            "webhook-id": job.event_id,
            "webhook-timestamp": str(int(signed_at.timestamp())),
            "webhook-signature": signature_header(job.secrets, job.event_id, signed_at, job.body),
        }
        original = httpx.URL(job.url)
        urls = [original.copy_with(host=a) for a in target.addresses] or [original]
        requests = [
            client.build_request(
                "POST",
                url,
                headers=headers,
                content=job.body.encode(),
                extensions={"sni_hostname": target.host},
            )
            for url in urls
        ]
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        # A URL the guard let through but httpx cannot use: a failed attempt, recorded and
        # retried on the usual schedule until it gives up, like any other failure.
        return Outcome(None, elapsed_ms(), f"the URL cannot be used: {type(exc).__name__}")
    for index, request in enumerate(requests):
        try:
            response = await client.send(request, follow_redirects=False)
            await response.aclose()
        except httpx.TimeoutException:
            return Outcome(None, elapsed_ms(), f"timed out after {settings.webhook_timeout_seconds:g} s")
        except httpx.ConnectError as exc:
            if index + 1 < len(requests):
                continue
            return Outcome(None, elapsed_ms(), _describe(exc))
        except httpx.HTTPError as exc:
            return Outcome(None, elapsed_ms(), _describe(exc))
        return Outcome(response.status_code, elapsed_ms(), None)
    raise AssertionError("unreachable: the last address returns")


async def record(session: AsyncSession, job: Job, outcome: Outcome, *, now: datetime) -> None:
    """Store the attempt and move the delivery on: delivered, retry later, or given up."""
    delivery = await session.get(WebhookDelivery, job.delivery_id, with_for_update=True)
    if delivery is None:
        return
    number = delivery.attempt_count + 1
    session.add(
        WebhookAttempt(
            id=new_id("wha"),
            delivery_id=delivery.id,
            number=number,
            attempted_at=now,
            status_code=outcome.status_code,
            latency_ms=outcome.latency_ms,
            error=outcome.error,
        )
    )
    delivery.attempt_count = number
    delivery.last_status_code = outcome.status_code
    delivery.locked_until = None
    if delivery.status is not DeliveryStatus.pending:
        return  # another worker took over after this one's lease ran out, and finished it
    code = outcome.status_code
    if code is not None and 200 <= code < 300:
        delivery.status = DeliveryStatus.delivered
        delivery.delivered_at = now
        delivery.next_attempt_at = None
    elif code == 410:
        delivery.status = DeliveryStatus.failed
        delivery.next_attempt_at = None
        endpoint = await session.get(WebhookEndpoint, job.endpoint_id, with_for_update=True)
        if endpoint is not None and endpoint.enabled:
            endpoint.enabled = False
            endpoint.disabled_reason = "the receiver answered 410 Gone"
            endpoint.updated_at = now
            changes.record(
                session,
                actor=WORKER_ACTOR,
                action="webhook_endpoint.disabled",
                resource_type="webhook_endpoint",
                resource_id=endpoint.id,
                details={"reason": endpoint.disabled_reason, "event_id": job.event_id},
                party_org_ids=[endpoint.organization_id],
            )
    elif number >= MAX_ATTEMPTS:
        delivery.status = DeliveryStatus.failed
        delivery.next_attempt_at = None
    else:
        delivery.next_attempt_at = now + retry_delay(number)


async def run_once(
    database: Database,
    settings: Settings,
    *,
    now: datetime | None = None,
    batch_size: int = 100,
    resolver: guard.Resolver = guard.resolve,
) -> int:
    """One worker pass: fan out new events, then attempt up to ``batch_size`` due deliveries.

    ``now`` is the scheduling clock (what is due, when to retry, lease and grace expiry); tests
    move it forward instead of sleeping. Signatures always carry the real time. Returns the
    number of attempts made.
    """
    now = now or utcnow()
    lease = timedelta(seconds=settings.webhook_timeout_seconds * 2 + 60)
    async with database.sessionmaker() as session, session.begin():
        made = await fan_out(session, now=now, limit=batch_size * 10)
    if made:
        log.debug("webhook fan-out", extra={"deliveries": made})
    async with database.sessionmaker() as session, session.begin():
        jobs = await claim(session, now=now, limit=batch_size, lease=lease)
    if not jobs:
        return 0
    gate = asyncio.Semaphore(CONCURRENT_SENDS)

    async with httpx.AsyncClient(
        timeout=settings.webhook_timeout_seconds,
        follow_redirects=False,
        trust_env=False,  # no proxy from the environment: it would bypass the address check
        limits=httpx.Limits(max_keepalive_connections=0),  # one connection per checked address
    ) as client:

        async def deliver(job: Job) -> None:
            async with gate:
                outcome = await send(client, job, settings=settings, resolver=resolver)
            code = outcome.status_code
            ATTEMPTS.labels(outcome=f"{code // 100}xx" if code is not None else "none").inc()
            ATTEMPT_LATENCY.observe(outcome.latency_ms / 1000)
            log.info(
                "webhook attempt",
                extra={
                    "delivery_id": job.delivery_id,
                    "event_id": job.event_id,
                    "endpoint_id": job.endpoint_id,
                    "status_code": outcome.status_code,
                    "latency_ms": outcome.latency_ms,
                    "error": outcome.error,
                },
            )
            async with database.sessionmaker() as session, session.begin():
                await record(session, job, outcome, now=now)

        # One failure (say, the database briefly gone while recording) must not abort the other
        # sends; an unrecorded attempt is retried once its lease expires.
        for job, result in zip(
            jobs, await asyncio.gather(*(deliver(job) for job in jobs), return_exceptions=True), strict=True
        ):
            if isinstance(result, BaseException):
                log.error(
                    "webhook attempt not recorded",
                    exc_info=result,
                    extra={"delivery_id": job.delivery_id, "event_id": job.event_id},
                )
    return len(jobs)


async def run_worker(database: Database, settings: Settings, *, stop: asyncio.Event) -> None:
    """Run passes until ``stop`` is set; sleep only when a pass found nothing to do."""
    log.info("webhook worker started")
    while not stop.is_set():
        try:
            attempts = await run_once(database, settings)
        except Exception:
            log.exception("webhook worker pass failed; retrying")
            attempts = 0
        if attempts == 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), settings.webhook_poll_interval_seconds)
    log.info("webhook worker stopped")


async def start_in_process(database: Database, settings: Settings) -> Callable[[], Awaitable[None]]:
    """Start :func:`run_worker` as a task of the running event loop (``cara serve --with-worker``);
    returns the coroutine function that stops it and waits for the current pass to finish."""
    stop = asyncio.Event()
    task = asyncio.create_task(run_worker(database, settings, stop=stop), name="webhook-worker")

    async def stop_worker() -> None:
        stop.set()
        await task

    return stop_worker
