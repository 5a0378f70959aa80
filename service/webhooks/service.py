"""Webhook endpoints: registration, listing, enabling and disabling, secret rotation, deliveries.

An endpoint belongs to one organisation; every other organisation (ops included: the routes
admit only ACOs and providers) finds it absent.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.kit import changes
from service.kit.clock import utcnow
from service.kit.errors import Conflict, FieldError, NotFound, Unprocessable
from service.kit.ids import new_id
from service.kit.pagination import paginate
from service.webhooks import guard, repository
from service.webhooks.models import WebhookDelivery, WebhookEndpoint
from service.webhooks.schemas import WebhookAttempt as WebhookAttemptOut
from service.webhooks.schemas import WebhookDelivery as WebhookDeliveryOut
from service.webhooks.schemas import WebhookEndpoint as WebhookEndpointOut
from service.webhooks.schemas import WebhookEndpointCreate, WebhookEndpointWithSecret

SECRET_PREFIX = "whsec_"  # noqa: S105 - the Standard Webhooks prefix, not a secret
SECRET_BYTES = 24
# Each event is sent once per matching endpoint: a bound keeps one tenant from multiplying the work.
MAX_ENDPOINTS_PER_ORGANIZATION = 20


def new_secret() -> str:
    """A Standard Webhooks secret: ``whsec_`` + base64 of 192 random bits."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def to_schema(endpoint: WebhookEndpoint) -> WebhookEndpointOut:
    return WebhookEndpointOut.model_validate(endpoint, from_attributes=True)


def with_secret(endpoint: WebhookEndpoint) -> WebhookEndpointWithSecret:
    return WebhookEndpointWithSecret.model_validate(endpoint, from_attributes=True)


async def _check_room_for_one_more(session: AsyncSession, org_id: str) -> None:
    if await repository.count_enabled_endpoints_of(session, org_id) >= MAX_ENDPOINTS_PER_ORGANIZATION:
        raise Conflict(
            f"an organisation may have at most {MAX_ENDPOINTS_PER_ORGANIZATION} enabled webhook "
            "endpoints; disable one first (one endpoint can subscribe to several event types)",
            limit=MAX_ENDPOINTS_PER_ORGANIZATION,
        )


async def create_endpoint(
    session: AsyncSession,
    *,
    viewer: Principal,
    data: WebhookEndpointCreate,
    allowed_hosts: Sequence[str],
) -> WebhookEndpoint:
    await _check_room_for_one_more(session, viewer.org_id)
    try:
        await guard.check_url(data.url, allowed_hosts=allowed_hosts)
    except guard.UnsafeUrl as exc:
        raise Unprocessable(
            f"webhook URL refused: {exc}", errors=[FieldError(location="body.url", message=str(exc))]
        ) from exc
    now = utcnow()
    endpoint = WebhookEndpoint(
        id=new_id("whe"),
        organization_id=viewer.org_id,
        url=data.url,
        description=data.description,
        events=data.events,
        enabled=True,
        disabled_reason=None,
        secret=new_secret(),
        previous_secret=None,
        previous_secret_expires_at=None,
        secret_rotated_at=None,
        created_at=now,
        updated_at=now,
    )
    session.add(endpoint)
    await session.flush()
    changes.record(
        session,
        actor=viewer.actor,
        action="webhook_endpoint.created",
        resource_type="webhook_endpoint",
        resource_id=endpoint.id,
        details={"url": data.url, "events": data.events},
    )
    return endpoint


async def get_endpoint(session: AsyncSession, *, viewer: Principal, endpoint_id: str) -> WebhookEndpoint:
    endpoint = await repository.get_endpoint(session, endpoint_id)
    if endpoint is None or endpoint.organization_id != viewer.org_id:
        raise NotFound(f"webhook endpoint {endpoint_id} does not exist")
    return endpoint


async def list_endpoints(
    session: AsyncSession, *, viewer: Principal, limit: int, cursor: str | None
) -> tuple[Sequence[WebhookEndpoint], str | None]:
    return await paginate(
        session, repository.endpoints_of(viewer.org_id), key=WebhookEndpoint.id, limit=limit, cursor=cursor
    )


async def set_enabled(
    session: AsyncSession, *, viewer: Principal, endpoint_id: str, enabled: bool
) -> WebhookEndpoint:
    """Enable or disable; a no-op (and no audit event) when already so. Deliveries queued for a
    disabled endpoint wait and resume when it is enabled again."""
    endpoint = await get_endpoint(session, viewer=viewer, endpoint_id=endpoint_id)
    if endpoint.enabled == enabled:
        return endpoint
    if enabled:
        await _check_room_for_one_more(session, viewer.org_id)
    endpoint.enabled = enabled
    endpoint.disabled_reason = None if enabled else "disabled by the owner"
    endpoint.updated_at = utcnow()
    changes.record(
        session,
        actor=viewer.actor,
        action="webhook_endpoint.enabled" if enabled else "webhook_endpoint.disabled",
        resource_type="webhook_endpoint",
        resource_id=endpoint.id,
    )
    return endpoint


async def rotate_secret(
    session: AsyncSession,
    *,
    viewer: Principal,
    endpoint_id: str,
    grace: timedelta,
    now: datetime | None = None,
) -> WebhookEndpoint:
    """A new secret; the one it replaces stays valid for ``grace`` (deliveries carry both
    signatures meanwhile). A secret replaced earlier and still in its grace period is dropped."""
    endpoint = await get_endpoint(session, viewer=viewer, endpoint_id=endpoint_id)
    now = now or utcnow()
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = now + grace
    endpoint.secret = new_secret()
    endpoint.secret_rotated_at = now
    endpoint.updated_at = now
    changes.record(
        session,
        actor=viewer.actor,
        action="webhook_endpoint.secret_rotated",
        resource_type="webhook_endpoint",
        resource_id=endpoint.id,
        details={"previous_secret_expires_at": endpoint.previous_secret_expires_at.isoformat()},
    )
    return endpoint


async def list_deliveries(
    session: AsyncSession, *, viewer: Principal, endpoint_id: str, limit: int, cursor: str | None
) -> tuple[list[WebhookDeliveryOut], str | None]:
    """The endpoint's deliveries, newest first, each with all its attempts."""
    await get_endpoint(session, viewer=viewer, endpoint_id=endpoint_id)
    rows, next_cursor = await paginate(
        session,
        repository.deliveries_of(endpoint_id),
        key=WebhookDelivery.id,
        limit=limit,
        cursor=cursor,
        descending=True,
    )
    deliveries: Sequence[WebhookDelivery] = rows
    ids = [d.id for d in deliveries]
    types = await repository.event_types(session, [d.event_id for d in deliveries])
    attempts: dict[str, list[WebhookAttemptOut]] = {i: [] for i in ids}
    for attempt in await repository.attempts_of(session, ids):
        attempts[attempt.delivery_id].append(WebhookAttemptOut.model_validate(attempt, from_attributes=True))
    items = [
        WebhookDeliveryOut(
            id=d.id,
            event_id=d.event_id,
            event_type=types.get(d.event_id, ""),
            status=d.status.value,
            attempt_count=d.attempt_count,
            next_attempt_at=d.next_attempt_at,
            delivered_at=d.delivered_at,
            created_at=d.created_at,
            attempts=attempts[d.id],
        )
        for d in deliveries
    ]
    return items, next_cursor
