"""Renewing an arrangement: the same parties and episode definition, the following period, the
terms in force (or changed ones), proposed as a new arrangement linked to the one it renews.

The renewal is an ordinary draft from then on: the counterparty revises, signs, declines; both
sign before it is executed; max-flex overrides wait for ops again. One renewal at a time: while
one is proposed, signed or in force, another is a 409; after it was declined, withdrawn or
rejected, a party may propose another.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.arrangements import repository, target_prices
from service.arrangements.models import Arrangement
from service.arrangements.schemas import PERIOD_MAX, Period, RenewalCreate, Terms
from service.arrangements.service import Precondition, check_terms, definition_of, get, open_draft, touch
from service.arrangements.views import etag_of
from service.definitions.models import EpisodeDefinition
from service.kit.errors import Conflict, FieldError, Unprocessable


def _months_later(day: date, months: int) -> date:
    """The first of the month ``months`` after ``day``'s month (``day`` is a first of a month)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def following_period(start: date, end: date) -> tuple[date, date]:
    """The period right after ``start`` .. ``end``, as long: a period of whole calendar months
    (a calendar year, a half, a quarter) is followed by as many whole months; any other by as
    many days."""
    first = end + timedelta(days=1)
    if start.day == 1 and first.day == 1:
        months = (first.year - start.year) * 12 + first.month - start.month
        return first, _months_later(first, months) - timedelta(days=1)
    return first, first + (end - start)


def _period_for(previous: Arrangement, asked: Period | None) -> Period:
    if asked is not None:
        if asked.start <= previous.period_end:
            raise Unprocessable(
                "a renewal covers a later period",
                errors=[
                    FieldError(
                        location="body.period.start",
                        message=f"must be after {previous.period_end.isoformat()}, the end of the period renewed",
                    )
                ],
            )
        return asked
    start, end = following_period(previous.period_start, previous.period_end)
    if end > PERIOD_MAX:
        raise Unprocessable(
            "the following period of the same length would end after the model does",
            errors=[
                FieldError(
                    location="body.period",
                    message=f"{start.isoformat()} .. {end.isoformat()} ends after {PERIOD_MAX.isoformat()}; "
                    "send the period",
                )
            ],
        )
    return Period(start=start, end=end)


async def renew(
    session: AsyncSession,
    *,
    viewer: Principal,
    arrangement_id: str,
    data: RenewalCreate,
    precondition: Precondition,
) -> Arrangement:
    """Propose the renewal of an executed arrangement to its counterparty (the viewer proposes).
    ``precondition`` checks the caller's ``If-Match`` against the renewed arrangement: the terms
    carried over are those the caller saw in force."""
    previous = await get(session, viewer=viewer, arrangement_id=arrangement_id, for_update=True)
    precondition(etag_of(previous))
    if previous.status != "executed" or previous.version_in_force is None:
        raise Conflict(
            f"only an executed arrangement is renewed; {previous.id} is {previous.status}",
            current_state=previous.status,
        )
    live = [r for r in await repository.renewals_of(session, previous.id) if repository.is_live_renewal(r)]
    if live:
        raise Conflict(
            f"{previous.id} is being renewed already by {live[0].id} ({live[0].status})",
            renewed_by=live[0].id,
        )
    period = _period_for(previous, data.period)
    in_force = await repository.get_version(session, previous.id, previous.version_in_force)
    assert in_force is not None
    if data.terms is not None:
        terms = data.terms
        check_terms(terms, await definition_of(session, previous), location="body.terms")
        target_prices.check_kept_source(terms, Terms.model_validate(in_force.terms), location="body.terms")
    else:
        terms = Terms.model_validate(in_force.terms)
    definition = await session.get(EpisodeDefinition, previous.definition_id)
    assert definition is not None  # a foreign key
    renewal = await open_draft(
        session,
        viewer=viewer,
        aco_id=previous.aco_id,
        provider_id=previous.provider_id,
        definition=definition,
        period=period,
        terms=terms,
        renewal_of=previous.id,
    )
    # The previous arrangement now shows ``renewed_by``: a new ETag.
    touch(previous)
    return renewal
