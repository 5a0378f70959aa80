"""Named queries of the webhooks domain."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.webhooks.models import (
    DeliveryStatus,
    OutboxEvent,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


async def get_endpoint(session: AsyncSession, endpoint_id: str) -> WebhookEndpoint | None:
    return await session.get(WebhookEndpoint, endpoint_id)


async def count_enabled_endpoints_of(session: AsyncSession, org_id: str) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(WebhookEndpoint)
        .where(WebhookEndpoint.organization_id == org_id, WebhookEndpoint.enabled.is_(True))
    )
    return int(count or 0)


def endpoints_of(org_id: str) -> Select[WebhookEndpoint]:
    return select(WebhookEndpoint).where(WebhookEndpoint.organization_id == org_id)


def deliveries_of(endpoint_id: str) -> Select[WebhookDelivery]:
    return select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)


async def event_types(session: AsyncSession, event_ids: Sequence[str]) -> dict[str, str]:
    rows = await session.execute(
        select(OutboxEvent.id, OutboxEvent.type).where(OutboxEvent.id.in_(event_ids))
    )
    return {event_id: event_type for event_id, event_type in rows}


async def attempts_of(session: AsyncSession, delivery_ids: Sequence[str]) -> list[WebhookAttempt]:
    rows = await session.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id.in_(delivery_ids))
        .order_by(WebhookAttempt.delivery_id, WebhookAttempt.number)
    )
    return list(rows)


def undispatched_events(limit: int) -> Select[OutboxEvent]:
    return (
        select(OutboxEvent).where(OutboxEvent.dispatched_at.is_(None)).order_by(OutboxEvent.id).limit(limit)
    )


async def enabled_endpoints_of(session: AsyncSession, org_ids: Sequence[str]) -> list[WebhookEndpoint]:
    rows = await session.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.organization_id.in_(org_ids), WebhookEndpoint.enabled.is_(True))
        .order_by(WebhookEndpoint.id)
    )
    return list(rows)


def due_deliveries(now: datetime, limit: int) -> Select[WebhookDelivery]:
    """Pending deliveries whose time has come, of enabled endpoints, not claimed by a live worker."""
    return (
        select(WebhookDelivery)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(
            WebhookDelivery.status == DeliveryStatus.pending,
            WebhookDelivery.next_attempt_at <= now,
            or_(WebhookDelivery.locked_until.is_(None), WebhookDelivery.locked_until < now),
            WebhookEndpoint.enabled.is_(True),
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    )
