"""How an arrangement ends before its period does: the counterparty declines a proposal, the
proposer withdraws it, or a party terminates an arrangement in force from a date (an unsigned
amendment then lapses). Each is a lifecycle transition, checked, audited and announced like the
others in :mod:`service.arrangements.service`."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.arrangements.models import Arrangement
from service.arrangements.schemas import outside_period
from service.arrangements.service import Precondition, for_change, notify, touch
from service.kit.errors import Unprocessable


async def decline(
    session: AsyncSession, *, viewer: Principal, arrangement_id: str, reason: str, precondition: Precondition
) -> Arrangement:
    arrangement, transition = await for_change(
        session, viewer=viewer, arrangement_id=arrangement_id, precondition=precondition, action="decline"
    )
    arrangement.status = transition.targets[0]
    arrangement.decline_reason = reason
    touch(arrangement)
    notify(session, viewer, arrangement, "declined", reason=reason)
    return arrangement


async def withdraw(
    session: AsyncSession, *, viewer: Principal, arrangement_id: str, precondition: Precondition
) -> Arrangement:
    arrangement, transition = await for_change(
        session, viewer=viewer, arrangement_id=arrangement_id, precondition=precondition, action="withdraw"
    )
    arrangement.status = transition.targets[0]
    touch(arrangement)
    notify(session, viewer, arrangement, "withdrawn")
    return arrangement


async def terminate(
    session: AsyncSession,
    *,
    viewer: Principal,
    arrangement_id: str,
    effective_date: date,
    reason: str,
    precondition: Precondition,
) -> Arrangement:
    arrangement, transition = await for_change(
        session, viewer=viewer, arrangement_id=arrangement_id, precondition=precondition, action="terminate"
    )
    errors = outside_period(
        start=arrangement.period_start,
        end=arrangement.period_end,
        days={"body.effective_date": effective_date},
        message="must be between {start} and {end}",
    )
    if errors:
        raise Unprocessable("the termination date must fall within the performance period", errors=errors)
    arrangement.status = transition.targets[0]
    arrangement.termination_date = effective_date
    arrangement.termination_reason = reason
    arrangement.pending_version = None  # an unsigned amendment lapses
    touch(arrangement)
    notify(
        session, viewer, arrangement, "terminated", effective_date=effective_date.isoformat(), reason=reason
    )
    return arrangement
