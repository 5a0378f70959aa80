"""Which terms version is in force on which day of an arrangement's period.

Each executed version takes effect on its effective date (an amendment's ``effective_from``; the
period's start for every other version, and for amendments that name no date) and is in force
from then on, until a version executed later takes effect. So the version in force on a day is
the last one executed whose effective date is on or before that day; the first executed version
covers the period from its start. An amendment effective from the period's start therefore
replaces the earlier terms for the whole period (what every amendment did before they had a date),
and one effective later leaves the days before it to the terms in force then.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from service.arrangements import repository
from service.arrangements.models import Arrangement, ArrangementVersion

Days = tuple[int, date, date]  # (version number, first day, last day)


def days_in_force(executed: Sequence[tuple[int, date]], *, start: date, end: date) -> list[Days]:
    """The days ``start .. end`` split by the version in force, in date order.

    ``executed``: (version number, effective date) in the order the versions were executed.
    """
    days: list[Days] = []
    for index, (number, effective) in enumerate(executed):
        first = start if index == 0 else max(effective, start)
        if first > end:
            continue
        days = [(n, a, min(b, first - timedelta(days=1))) for n, a, b in days if a < first]
        days.append((number, first, end))
    return days


def within(days: Sequence[Days], *, start: date, end: date) -> list[Days]:
    """``days`` narrowed to ``start .. end`` (versions in force only outside it left out)."""
    return [(n, max(a, start), min(b, end)) for n, a, b in days if a <= end and b >= start]


def effective_date(arrangement: Arrangement, version: ArrangementVersion) -> date:
    return version.effective_from or arrangement.period_start


async def timeline(
    session: AsyncSession, arrangement: Arrangement
) -> list[tuple[ArrangementVersion, date, date]]:
    """The executed versions over the arrangement's period, each with its days."""
    executed = await repository.executed_versions(session, arrangement)
    rows = {v.number: v for v in executed}
    days = days_in_force(
        [(v.number, effective_date(arrangement, v)) for v in executed],
        start=arrangement.period_start,
        end=arrangement.period_end,
    )
    return [(rows[n], a, b) for n, a, b in days]
