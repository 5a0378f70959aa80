"""Changing a roster: an NPI joins from a date, or leaves after a date.

Ops, or the organisation itself, changes its roster; each change is audited and announced
(``organization.roster_changed``) to the organisation and to every organisation it has an
arrangement with, because the roster decides which of its clinicians' services open episodes.
Reading the roster, and the rule "on the roster on a day", are in :mod:`service.access.roster`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from service.access import repository as access_repository
from service.access import roster
from service.access.auth import Principal
from service.access.models import Organization, OrgKind, RosterEntry
from service.arrangements.repository import counterparties_of
from service.kit.clock import utcnow
from service.kit.errors import Conflict, FieldError, NotFound, Unprocessable
from service.kit.ids import new_id
from service.kit.pagination import paginate
from service.webhooks.outbox import announce


async def _roster_owner(
    session: AsyncSession, *, viewer: Principal, org_id: str, for_update: bool = False
) -> Organization:
    """The organisation whose roster the viewer may read and change: ops, or the organisation
    itself; anyone else is answered as if it did not exist."""
    if not viewer.may_see(org_id):
        raise NotFound(f"organization {org_id} does not exist")
    org = await access_repository.get_organization(session, org_id, for_update=for_update)
    if org is None or org.kind is OrgKind.ops:
        raise NotFound(f"organization {org_id} does not exist")
    return org


async def list_roster(
    session: AsyncSession,
    *,
    viewer: Principal,
    org_id: str,
    on: date | None,
    npi: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[RosterEntry], str | None]:
    await _roster_owner(session, viewer=viewer, org_id=org_id)
    stmt = roster.history_query(org_id)
    conditions: list[ColumnElement[bool]] = []
    if on is not None:
        conditions.append(roster.covers(roster.roster_entry, on))
    if npi is not None:
        conditions.append(RosterEntry.npi == npi)
    return await paginate(session, stmt.where(*conditions), key=RosterEntry.id, limit=limit, cursor=cursor)


async def _announce(
    session: AsyncSession, viewer: Principal, org: Organization, change: str, entry: RosterEntry
) -> None:
    data: dict[str, Any] = {
        "organization_id": org.id,
        "change": change,
        "npi": entry.npi,
        "roster_entry_id": entry.id,
        "effective_from": entry.effective_from.isoformat(),
        "effective_to": entry.effective_to.isoformat() if entry.effective_to else None,
    }
    announce(
        session,
        actor=viewer.actor,
        event="organization.roster_changed",
        resource_type="organization",
        resource_id=org.id,
        data=data,
        parties=[org.id, *await counterparties_of(session, org.id)],
    )


def _stay(entry: RosterEntry) -> str:
    through = entry.effective_to.isoformat() if entry.effective_to else "with no end date"
    return f"from {entry.effective_from.isoformat()} through {through}"


async def add_npi(
    session: AsyncSession, *, viewer: Principal, org_id: str, npi: str, effective_from: date
) -> RosterEntry:
    """Put ``npi`` on the roster from ``effective_from`` on, with no end date. A stay of the same
    NPI that is still open, or ends on or after that day, is a 409: stays never overlap."""
    org = await _roster_owner(session, viewer=viewer, org_id=org_id, for_update=True)
    for existing in await roster.entries_of(session, org.id, npi):
        if existing.effective_to is None or existing.effective_to >= effective_from:
            raise Conflict(
                f"NPI {npi} is already on the roster {_stay(existing)}; "
                "end that stay before the new one begins",
                roster_entry_id=existing.id,
            )
    entry = RosterEntry(
        id=new_id("ros"),
        organization_id=org.id,
        npi=npi,
        effective_from=effective_from,
        effective_to=None,
        created_at=utcnow(),
        ended_at=None,
    )
    session.add(entry)
    await session.flush()
    await _announce(session, viewer, org, "added", entry)
    return entry


async def end_npi(
    session: AsyncSession, *, viewer: Principal, org_id: str, npi: str, effective_to: date
) -> RosterEntry:
    """End the open stay of ``npi``: ``effective_to`` is its last day on the roster. 404 when the
    NPI was never on the roster, 409 when its stays have all ended already."""
    org = await _roster_owner(session, viewer=viewer, org_id=org_id, for_update=True)
    entries = await roster.entries_of(session, org.id, npi)
    if not entries:
        raise NotFound(f"NPI {npi} is not on the roster of {org.id}")
    entry = next((e for e in entries if e.effective_to is None), None)
    if entry is None:
        raise Conflict(
            f"NPI {npi} has left the roster already: its last stay ran {_stay(entries[-1])}",
            roster_entry_id=entries[-1].id,
        )
    if effective_to < entry.effective_from:
        raise Unprocessable(
            "a stay cannot end before it begins",
            errors=[
                FieldError(
                    location="body.effective_to",
                    message=f"must be on or after {entry.effective_from.isoformat()}, the day NPI {npi} joined",
                )
            ],
        )
    entry.effective_to = effective_to
    entry.ended_at = utcnow()
    await session.flush()
    await _announce(session, viewer, org, "ended", entry)
    return entry
