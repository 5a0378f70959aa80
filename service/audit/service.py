"""Writing the audit chain at commit, reading it, and verifying it."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import event, exists, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from service.access.auth import Principal
from service.audit.chain import GENESIS_HASH, VerifyResult, event_hash
from service.audit.models import AuditEvent, AuditEventParty, AuditHead
from service.kit import changes
from service.kit.clock import utcnow
from service.kit.context import request_id_var
from service.kit.ids import new_id
from service.kit.pagination import paginate

HEAD_ID = 1


def install() -> None:
    """Make every session (request, CLI, worker) write its pending changes at commit."""
    if not event.contains(Session, "before_commit", write_pending_changes):
        event.listen(Session, "before_commit", write_pending_changes)


def write_pending_changes(session: Session) -> None:
    """``before_commit`` hook: append the transaction's changes to the chain.

    The head row is locked (``FOR UPDATE`` on PostgreSQL; SQLite transactions already hold the
    write lock), so concurrent transactions extend the chain one after the other, never fork it.
    It runs last in the transaction, so the lock is held only for a moment.
    """
    pending = changes.take_pending(session)
    if not pending:
        return
    head = session.execute(
        select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()
    ).scalar_one_or_none()
    if head is None:
        head = AuditHead(id=HEAD_ID, last_seq=0, last_hash=GENESIS_HASH)
        session.add(head)
    request_id = request_id_var.get()
    for change in pending:
        seq = head.last_seq + 1
        occurred_at = utcnow()
        details: dict[str, Any] = json.loads(json.dumps(change.details, default=str))
        event_id = new_id("evt")
        digest = event_hash(
            prev_hash=head.last_hash,
            seq=seq,
            event_id=event_id,
            occurred_at=occurred_at,
            actor_org_id=change.actor.org_id,
            actor_key_id=change.actor.key_id,
            action=change.action,
            resource_type=change.resource_type,
            resource_id=change.resource_id,
            request_id=request_id,
            details=details,
        )
        session.add(
            AuditEvent(
                seq=seq,
                id=event_id,
                occurred_at=occurred_at,
                actor_org_id=change.actor.org_id,
                actor_key_id=change.actor.key_id,
                action=change.action,
                resource_type=change.resource_type,
                resource_id=change.resource_id,
                request_id=request_id,
                details=details,
                prev_hash=head.last_hash,
                hash=digest,
            )
        )
        for org_id in sorted(set(change.party_org_ids) - {change.actor.org_id}):
            session.add(AuditEventParty(event_seq=seq, org_id=org_id))
        head.last_seq = seq
        head.last_hash = digest
    session.flush()


async def list_events(
    session: AsyncSession,
    *,
    viewer: Principal,
    resource_type: str | None,
    resource_id: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[AuditEvent], str | None]:
    stmt = select(AuditEvent)
    if not viewer.is_ops:
        party = exists().where(
            AuditEventParty.event_seq == AuditEvent.seq, AuditEventParty.org_id == viewer.org_id
        )
        stmt = stmt.where(or_(AuditEvent.actor_org_id == viewer.org_id, party))
    if resource_type:
        stmt = stmt.where(AuditEvent.resource_type == resource_type)
    if resource_id:
        stmt = stmt.where(AuditEvent.resource_id == resource_id)
    return await paginate(session, stmt, key=AuditEvent.seq, limit=limit, cursor=cursor)


def recorded(session: Session, actions: Sequence[str]) -> Iterator[AuditEvent]:
    """The events of ``actions``, oldest first (for checking resources against what they recorded)."""
    stmt = select(AuditEvent).where(AuditEvent.action.in_(list(actions))).order_by(AuditEvent.seq)
    yield from session.scalars(stmt.execution_options(yield_per=1000))


def verify_chain(session: Session, batch: int = 5000) -> VerifyResult:
    """Recompute every hash in order; report the first event that does not match."""
    prev = GENESIS_HASH
    count = 0
    last_seq = 0
    while True:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.seq > last_seq).order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            break
        for stored in rows:
            if stored.seq != last_seq + 1:
                return VerifyResult(False, count, stored.seq, f"gap: event {last_seq + 1} is missing")
            expected = event_hash(
                prev_hash=prev,
                seq=stored.seq,
                event_id=stored.id,
                occurred_at=stored.occurred_at,
                actor_org_id=stored.actor_org_id,
                actor_key_id=stored.actor_key_id,
                action=stored.action,
                resource_type=stored.resource_type,
                resource_id=stored.resource_id,
                request_id=stored.request_id,
                details=stored.details,
            )
            if stored.prev_hash != prev or stored.hash != expected:
                return VerifyResult(
                    False, count, stored.seq, "hash mismatch: the event or one before it was altered"
                )
            prev = stored.hash
            last_seq = stored.seq
            count += 1
        session.expunge_all()
    head = session.get(AuditHead, HEAD_ID)
    if head is not None and (head.last_seq != last_seq or head.last_hash != prev):
        return VerifyResult(
            False, count, last_seq + 1, "the chain ends before its recorded head: events were deleted"
        )
    return VerifyResult(True, count)
