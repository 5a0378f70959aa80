"""Reading an organisation's roster over time: which NPIs it held on which days.

The one rule every layer uses: an NPI is on an organisation's roster on a day when one of its
roster entries starts on or before that day and has not ended before it (``effective_to`` is
the last day on the roster, or null). :func:`held_on` writes that rule as a SQL condition over
stays (the episode engine attributes a trigger line to a practice with it); :func:`npis_during` and
:func:`roster_overlaps` answer it for a date range (the "one payment per episode" overlap check
between practices that share clinicians builds on them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, false, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.access.models import RosterEntry

roster_entry = RosterEntry.__table__


def covers(entry: Any, day: Any) -> ColumnElement[bool]:
    """True of a roster entry (``entry``, the table or an alias) that holds its NPI on ``day``
    (a date or a date column)."""
    return and_(
        entry.c.effective_from <= day, or_(entry.c.effective_to.is_(None), entry.c.effective_to >= day)
    )


def held_on(stays: Sequence[Stay], *, npi: Any, day: Any) -> ColumnElement[bool]:
    """True when ``npi`` (a column) was in one of ``stays`` on ``day`` (a date column): the
    roster rule over stays read once (:func:`npis_during`) or recorded by a settlement, so that a
    recompute reads the roster as it was, whatever was back-dated onto it since."""
    if not stays:
        return false()
    return or_(*(and_(npi == s.npi, day >= s.start, day <= s.end) for s in stays))


def history_query(organization_id: str) -> Select[RosterEntry]:
    """Every entry of the roster, ever (paginate by ``RosterEntry.id``: creation order)."""
    return select(RosterEntry).where(RosterEntry.organization_id == organization_id)


async def entries_of(session: AsyncSession, organization_id: str, npi: str) -> Sequence[RosterEntry]:
    """The entries of one NPI on one roster, oldest first."""
    stmt = (
        select(RosterEntry)
        .where(RosterEntry.organization_id == organization_id, RosterEntry.npi == npi)
        .order_by(RosterEntry.effective_from, RosterEntry.id)
    )
    return (await session.scalars(stmt)).all()


@dataclass(frozen=True, slots=True)
class Stay:
    """An NPI on a roster from ``start`` through ``end`` (both included), clipped to the range
    asked about."""

    npi: str
    start: date
    end: date


def _clipped(entry: RosterEntry, start: date, end: date) -> Stay | None:
    first = max(entry.effective_from, start)
    last = end if entry.effective_to is None else min(entry.effective_to, end)
    return Stay(entry.npi, first, last) if first <= last else None


async def npis_during(session: AsyncSession, organization_id: str, *, start: date, end: date) -> list[Stay]:
    """The organisation's NPIs on its roster on some day of ``start`` .. ``end``, each stay
    clipped to that range, ordered by NPI and start."""
    stmt = select(RosterEntry).where(
        RosterEntry.organization_id == organization_id,
        RosterEntry.effective_from <= end,
        or_(RosterEntry.effective_to.is_(None), RosterEntry.effective_to >= start),
    )
    stays = [s for e in (await session.scalars(stmt)).all() if (s := _clipped(e, start, end)) is not None]
    return sorted(stays, key=lambda s: (s.npi, s.start))


async def roster_overlaps(
    session: AsyncSession, *, organization_ids: tuple[str, str], start: date, end: date
) -> list[Stay]:
    """The NPIs both organisations held on their rosters on the same days within ``start`` ..
    ``end``: each shared stretch as a stay (NPI, first and last shared day), ordered by NPI and
    start. Empty when the two practices never shared a clinician in that range."""
    first, second = organization_ids
    theirs: dict[str, list[Stay]] = {}
    for stay in await npis_during(session, second, start=start, end=end):
        theirs.setdefault(stay.npi, []).append(stay)
    shared: list[Stay] = []
    for mine in await npis_during(session, first, start=start, end=end):
        for other in theirs.get(mine.npi, []):
            lo, hi = max(mine.start, other.start), min(mine.end, other.end)
            if lo <= hi:
                shared.append(Stay(mine.npi, lo, hi))
    return sorted(shared, key=lambda s: (s.npi, s.start))
