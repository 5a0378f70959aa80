"""A preview's projected final settlement (docs/settlement.md section 10).

Beside today's figure a preview reports what the settlement is expected to be once every claim
is in and every open episode has run its course:

1. **Claims completion.** A triangle of the ACO's own counted claim lines (those an episode's
   spending sums: included claim types, principal diagnosis not excluded, each line's version
   counting as of the cutoff), the allowed amount by service month and lag (months from service
   to receipt), over the ``HISTORY_MONTHS`` up to the cutoff's month; lags beyond ``MAX_LAG``
   count at ``MAX_LAG``. ``chain_ladder.develop`` gives a completion factor per lag; each
   episode's spending of service month m is divided by the factor of lag (cutoff month - m).
2. **Open episodes** (the cutoff on or before their last day): their completed spending so far
   plus, for each day of the episode still to come, the mean completed spending on that day of
   episode of the period's closed episodes (same arrangement, hence same definition).
3. Each episode's projected spending, rounded to cents, settles through the same arithmetic
   (``math.settle_episode`` under the terms version of its trigger date, then
   ``math.summarise_versions`` with the same quality data).

The low and high ends repeat steps 1-3 with the completion factors read from the spread of the
development factors (``chain_ladder``): more complete claims give less spending, so the low
projected spending and (as more spending never raises the amount) the high amount. Nothing here
is stored, hashed or part of a settlement of record.

Fallbacks, flagged in the response: with too short a history (``chain_ladder.MIN_ORIGINS``) no
claims are completed (``insufficient_history``); with no closed episode to learn from, open
episodes keep the spending they have (``no_closed_episodes``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, localcontext

from sqlalchemy.ext.asyncio import AsyncSession

from service.definitions.service import compile_definition
from service.episodes.service import EpisodeSpending
from service.settlements import chain_ladder, math, quality, repository
from service.settlements.run import Basis, settlement_terms
from service.settlements.schemas import (
    ClaimsCompletion,
    CompletionAtLag,
    OpenEpisodeCompletion,
    SettlementProjection,
)

MAX_LAG = 12
HISTORY_MONTHS = 36
INSUFFICIENT_HISTORY = "insufficient_history"
NO_CLOSED_EPISODES = "no_closed_episodes"
SCENARIOS = ("central", "high", "low")  # chain_ladder.Development.factor's readings
FACTOR_PLACES = Decimal("0.000001")


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_text(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def triangle(
    cells: Iterable[tuple[date, date, Decimal]], *, evaluation_month: int, max_lag: int = MAX_LAG
) -> list[list[Decimal]]:
    """Cumulative rows by service month (oldest first, from the first with an amount through
    ``evaluation_month``) of (service date, received date, amount) cells; each row as long as
    its month has been observed (at most ``max_lag`` + 1 lags)."""
    increments: dict[int, list[Decimal]] = {}
    for served, received, amount in cells:
        origin = month_index(served)
        if origin > evaluation_month:
            continue
        length = min(evaluation_month - origin, max_lag) + 1
        row = increments.setdefault(origin, [Decimal(0)] * length)
        lag = min(max(month_index(received) - origin, 0), length - 1)
        row[lag] += amount
    if not increments:
        return []
    first = min(increments)
    rows = [
        increments.get(origin, [Decimal(0)] * (min(evaluation_month - origin, max_lag) + 1))
        for origin in range(first, evaluation_month + 1)
    ]
    return chain_ladder.cumulative(rows)


@dataclass(slots=True)
class _Scenario:
    """One reading of the completion factors, and what it makes of the episodes."""

    which: str
    daily_total: dict[int, Decimal] = field(default_factory=dict)  # day of episode -> completed spending
    spending: dict[str, Decimal] = field(default_factory=dict)  # episode id -> projected
    remaining: Decimal = Decimal(0)  # open episodes' expected spending on days still to come


def completed_by_day(
    days: Iterable[tuple[int, date, Decimal]],
    development: chain_ladder.Development,
    evaluation_month: int,
    which: str,
) -> dict[int, Decimal]:
    """(day of episode, service date, amount) -> completed amount per day of episode."""
    out: dict[int, Decimal] = {}
    for day, served, amount in days:
        factor = development.factor(max(evaluation_month - month_index(served), 0), which)
        out[day] = out.get(day, Decimal(0)) + chain_ladder.completed(amount, factor)
    return out


def expected_remaining(daily_means: dict[int, Decimal], first_day: int, length_days: int) -> Decimal:
    """The sum of the mean daily spending over days ``first_day`` .. ``length_days`` - 1."""
    return sum((daily_means.get(day, Decimal(0)) for day in range(first_day, length_days)), Decimal(0))


async def project(
    session: AsyncSession,
    *,
    basis: Basis,
    settled: Sequence[tuple[int, EpisodeSpending]],
    today: math.VersionedSummary,
) -> SettlementProjection:
    """The projected final settlement of a preview run on ``basis`` (``settled``: its settled
    episodes with their terms version's index; ``today``: its figures)."""
    arrangement, cutoff = basis.arrangement, basis.cutoff
    definition = compile_definition(arrangement.definition)
    evaluation = month_index(cutoff)
    history_start = date(
        (evaluation - HISTORY_MONTHS + 1) // 12, (evaluation - HISTORY_MONTHS + 1) % 12 + 1, 1
    )
    cells = (
        await session.execute(
            repository.received_by_day(
                aco_id=arrangement.aco_id,
                cutoff=cutoff,
                definition=definition,
                uploads=basis.upload_ids,
                first=history_start,
            )
        )
    ).all()
    development = chain_ladder.develop(
        triangle(((s, r, Decimal(a)) for s, r, a in cells), evaluation_month=evaluation)
    )

    by_mbi: dict[str, list[tuple[date, Decimal]]] = {}
    if settled:
        first = min(e.trigger_date for _, e in settled)
        last = max(e.end_date for _, e in settled)
        rows = await session.execute(
            repository.spending_by_day(
                aco_id=arrangement.aco_id,
                cutoff=cutoff,
                definition=definition,
                uploads=basis.upload_ids,
                first=first,
                last=min(last, cutoff),
            )
        )
        for mbi, served, amount in rows.all():
            by_mbi.setdefault(mbi, []).append((served, Decimal(amount)))

    def days_of(episode: EpisodeSpending) -> list[tuple[int, date, Decimal]]:
        return [
            ((served - episode.trigger_date).days, served, amount)
            for served, amount in by_mbi.get(episode.mbi, [])
            if episode.trigger_date <= served <= episode.end_date
        ]

    length = definition.episode_length_days
    closed = [e for _, e in settled if e.end_date < cutoff]
    open_ = [e for _, e in settled if e.end_date >= cutoff]
    scenarios = {which: _Scenario(which) for which in SCENARIOS}
    with localcontext() as context:
        context.prec = chain_ladder.PRECISION
        for scenario in scenarios.values():
            for episode in closed:
                completed = completed_by_day(days_of(episode), development, evaluation, scenario.which)
                for day, amount in completed.items():
                    scenario.daily_total[day] = scenario.daily_total.get(day, Decimal(0)) + amount
                scenario.spending[episode.id] = sum(completed.values(), Decimal(0))
            means = (
                {day: total / len(closed) for day, total in scenario.daily_total.items()} if closed else {}
            )
            for episode in open_:
                completed = completed_by_day(days_of(episode), development, evaluation, scenario.which)
                so_far = sum(completed.values(), Decimal(0))
                to_come = expected_remaining(means, (cutoff - episode.trigger_date).days + 1, length)
                scenario.remaining += to_come
                scenario.spending[episode.id] = so_far + to_come

    versions = arrangement.terms_versions
    terms = [settlement_terms(arrangement, v.terms) for v in versions]
    measures = quality.measure_inputs(arrangement, basis.quality_measures)
    summaries: dict[str, math.VersionedSummary] = {}
    for which, scenario in scenarios.items():
        targets = [Decimal("0.00") for _ in versions]
        actuals = [Decimal("0.00") for _ in versions]
        counts = [0 for _ in versions]
        for index, episode in settled:
            spending = math.round2(scenario.spending[episode.id])
            result = math.settle_episode(
                terms[index],
                math.EpisodeInput(episode.id, episode.hcc_score, spending, episode.risk_factor_id),
            )
            targets[index] += result.target
            actuals[index] += result.actual
            counts[index] += 1
        summaries[which] = math.summarise_versions(
            [
                math.VersionGroup(v.version, t, counts[i], targets[i], actuals[i])
                for i, (v, t) in enumerate(zip(versions, terms, strict=True))
            ],
            reference=terms[-1],
            measures=measures,
        )

    flags = []
    if not development.sufficient:
        flags.append(INSUFFICIENT_HISTORY)
    if open_ and not closed:
        flags.append(NO_CLOSED_EPISODES)
    central, low_spending, high_spending = summaries["central"], summaries["high"], summaries["low"]
    lags = len(development.completion)

    def shown(value: Decimal) -> Decimal:
        return value.quantize(FACTOR_PLACES)

    return SettlementProjection(
        evaluation_month=month_text(evaluation),
        settlement_amount=central.settlement_amount,
        settlement_amount_low=min(low_spending.settlement_amount, high_spending.settlement_amount),
        settlement_amount_high=max(low_spending.settlement_amount, high_spending.settlement_amount),
        total_actual=central.total_actual,
        total_actual_low=low_spending.total_actual,
        total_actual_high=high_spending.total_actual,
        total_target=central.total_target,
        today_settlement_amount=today.settlement_amount,
        today_total_actual=today.total_actual,
        claims_completion=ClaimsCompletion(
            sufficient_history=development.sufficient,
            origin_months=development.origins,
            max_lag=MAX_LAG,
            factors=[
                CompletionAtLag(
                    lag=lag,
                    development_factor=None if lag >= lags - 1 else shown(development.development[lag]),
                    development_spread=None if lag >= lags - 1 else shown(development.spread[lag]),
                    completion_factor=shown(development.completion[lag]),
                    completion_factor_low=shown(development.completion_low[lag]),
                    completion_factor_high=shown(development.completion_high[lag]),
                )
                for lag in range(lags)
            ],
        ),
        open_episodes=OpenEpisodeCompletion(
            completed=len(open_) if closed else 0,
            closed_episodes_used=len(closed),
            expected_spending=math.round2(scenarios["central"].remaining),
        ),
        flags=flags,
    )
