"""Recording events for webhook delivery. Domains call :func:`emit` inside their transaction;
the event exists exactly when the change it reports was committed."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.kit.clock import utcnow
from service.kit.ids import new_id
from service.webhooks.models import OutboxEvent

EVENT_TYPES = (
    "arrangement.proposed",
    "arrangement.revised",
    "arrangement.signed",
    "arrangement.executed",
    "arrangement.declined",
    "arrangement.withdrawn",
    "arrangement.amended",
    "arrangement.terminated",
    "arrangement.approved",
    "arrangement.rejected",
    "settlement.created",
    "settlement.finalized",
    "upload.completed",
    "upload.failed",
)


def emit(
    session: AsyncSession, *, type: str, data: dict[str, Any], recipients: Iterable[str | None]
) -> OutboxEvent:
    """Queue ``type`` with ``data`` (JSON-ready; decimals and dates become strings) for ``recipients``."""
    if type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {type}")
    event = OutboxEvent(
        id=new_id("msg"),
        type=type,
        occurred_at=utcnow(),
        recipient_org_ids=sorted({r for r in recipients if r}),
        data=json.loads(json.dumps(data, default=str)),
        dispatched_at=None,
    )
    session.add(event)
    return event
