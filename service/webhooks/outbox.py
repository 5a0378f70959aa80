"""Recording events for webhook delivery. Domains call :func:`emit` inside their transaction;
the event exists exactly when the change it reports was committed. :func:`announce` is the usual
pair: the audit note and the event, with one payload, for the parties concerned."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.kit import changes
from service.kit.changes import Actor
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
    "organization.roster_changed",
    "settlement.created",
    "settlement.finalized",
    "settlement.accepted",
    "settlement.disputed",
    "settlement.dispute_resolved",
    "quality.reported",
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


def announce(
    session: AsyncSession,
    *,
    actor: Actor,
    event: str,
    resource_type: str,
    resource_id: str,
    data: dict[str, Any],
    parties: Sequence[str],
) -> None:
    """Note the change for the audit trail and queue the event ``event`` for ``parties``, both
    with ``data``: the audit action and the event type are the same name."""
    changes.record(
        session,
        actor=actor,
        action=event,
        resource_type=resource_type,
        resource_id=resource_id,
        details=data,
        party_org_ids=list(parties),
    )
    emit(session, type=event, data=data, recipients=parties)
