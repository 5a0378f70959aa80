"""What a transaction changed, noted by domain code and written by the audit domain at commit.

Domains call :func:`record` (every state-changing request must); the audit domain registers a
``before_commit`` hook that turns the notes into hash-chained audit events inside the same
transaction. This keeps the lowest domain (access) free of an import of the audit domain above
it, and it takes the audit chain's lock only for the last moment of a transaction.

A note belongs to the (sub)transaction it was made in: rolling back a savepoint
(``begin_nested``) discards the notes made inside it, and rolling back the transaction discards
them all, so the audit trail never tells of a change that was not stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, SessionTransaction

PENDING_KEY = "cara.pending_changes"


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acted: an organisation and the API key it used (``key_id`` "cli" for the command line)."""

    org_id: str | None
    key_id: str


CLI_ACTOR = Actor(org_id=None, key_id="cli")


@dataclass(frozen=True, slots=True)
class Change:
    actor: Actor
    action: str
    resource_type: str
    resource_id: str
    details: dict[str, Any] = field(default_factory=dict)
    # Organisations the change concerns besides the actor's (they see it in their audit list).
    party_org_ids: tuple[str, ...] = ()


def record(
    session: AsyncSession | Session,
    *,
    actor: Actor,
    action: str,
    resource_type: str,
    resource_id: str,
    details: dict[str, Any] | None = None,
    party_org_ids: tuple[str, ...] | list[str] = (),
) -> None:
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    within = sync.get_nested_transaction() or sync.get_transaction()
    sync.info.setdefault(PENDING_KEY, []).append(
        (within, Change(actor, action, resource_type, resource_id, details or {}, tuple(party_org_ids)))
    )


def take_pending(session: Session) -> list[Change]:
    pending: list[tuple[SessionTransaction | None, Change]] = session.info.pop(PENDING_KEY, [])
    return [change for _, change in pending]


def _inside(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


def _discard_rolled_back(session: Session, previous_transaction: SessionTransaction) -> None:
    """``after_soft_rollback``: forget the notes made in the transaction or savepoint rolled back."""
    pending: list[tuple[SessionTransaction | None, Change]] | None = session.info.get(PENDING_KEY)
    if not pending:
        return
    if previous_transaction.parent is None:
        session.info.pop(PENDING_KEY, None)
        return
    session.info[PENDING_KEY] = [
        (within, change) for within, change in pending if not _inside(within, previous_transaction)
    ]


if not event.contains(Session, "after_soft_rollback", _discard_rolled_back):
    event.listen(Session, "after_soft_rollback", _discard_rolled_back)
