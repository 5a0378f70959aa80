"""The settlement arithmetic of SPEC section 7, as a pure function: no I/O, no clock, no floats.

Everything is ``Decimal``. Cents are rounded half up in exactly three places, as the spec says:
each episode's target, each episode's outlier cap, and the final settlement amount. Everything
in between (the quality score, the shared amount before and after the caps) is carried at
``PRECISION`` significant digits, far beyond what a cent needs, so that the only rounding a
reader has to reason about is the spec's own.

``settle`` returns every intermediate figure, so that a statement can show its working and a
test can check each step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext
from functools import lru_cache
from typing import Literal

PRECISION = 50
CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
RISK_FACTOR_MIN = Decimal("0.5")
RISK_FACTOR_MAX = Decimal("3.0")

CapBound = Literal["stop_gain", "stop_loss"]


def _context() -> Context:
    # A fixed context, so that results never depend on whatever the caller's thread has set.
    return Context(prec=PRECISION, rounding=ROUND_HALF_EVEN)


def round2(value: Decimal) -> Decimal:
    """Round half up to cents (``2.345`` -> ``2.35``, ``-2.345`` -> ``-2.35``: away from zero)."""
    rounded = value.quantize(CENT, rounding=ROUND_HALF_UP)
    return abs(rounded) if rounded == 0 else rounded  # never "-0.00"


@dataclass(frozen=True)
class SettlementTerms:
    """The terms (SPEC section 3) and definition fields (section 2) that the arithmetic uses."""

    target_price: Decimal
    price_adjustment_pct: Decimal
    savings_share_pct: Decimal
    loss_share_pct: Decimal
    performance_adjustment_pct: Decimal
    loss_quality_relief_pct: Decimal
    stop_gain_pct: Decimal
    stop_loss_pct: Decimal
    min_episodes: int
    outlier_cap_multiple: Decimal
    hcc_risk_adjustment: bool


@dataclass(frozen=True)
class EpisodeInput:
    """One settled (non-excluded) episode: its beneficiary's HCC score and its actual spending."""

    episode_id: str
    hcc_score: Decimal | None  # None: no score on file, which SPEC section 5 reads as 1.0
    spending: Decimal


@dataclass(frozen=True)
class MeasureInput:
    """One quality measure the terms chose, with the reported data (None when nothing was reported)."""

    measure_id: str
    weight: Decimal
    higher_is_better: bool
    numerator: Decimal | None = None
    denominator: Decimal | None = None


@dataclass(frozen=True)
class EpisodeResult:
    episode_id: str
    risk_factor: Decimal
    target: Decimal
    spending: Decimal
    outlier_cap: Decimal
    actual: Decimal
    capped: bool  # the outlier cap lowered the counted spending


@dataclass(frozen=True)
class MeasureResult:
    measure_id: str
    weight: Decimal
    rate: Decimal | None  # None: no data or a zero denominator, so the measure's weight is dropped


@dataclass(frozen=True)
class SettlementSummary:
    """Everything after the per-episode step: the totals, quality, sharing, caps and the amount."""

    measures: tuple[MeasureResult, ...]
    n_episodes: int
    total_target: Decimal  # T
    total_actual: Decimal  # A
    savings: Decimal  # S = T - A; negative is a loss
    quality_score: Decimal  # q in [0, 1]
    shared_before_caps: Decimal  # R from the savings or loss formula (0 under min_episodes)
    below_min_episodes: bool  # a loss was waived because n < min_episodes
    stop_gain_limit: Decimal  # stop_gain_pct/100 x T
    stop_loss_limit: Decimal  # -stop_loss_pct/100 x T
    cap_bound: CapBound | None
    shared_after_caps: Decimal
    settlement_amount: Decimal  # round2(R): positive is owed to the provider


@dataclass(frozen=True)
class SettlementResult(SettlementSummary):
    episodes: tuple[EpisodeResult, ...]


def risk_factor(terms: SettlementTerms, hcc_score: Decimal | None) -> Decimal:
    if not terms.hcc_risk_adjustment:
        return ONE
    score = ONE if hcc_score is None else hcc_score
    return min(max(score, RISK_FACTOR_MIN), RISK_FACTOR_MAX)


def episode_target(terms: SettlementTerms, factor: Decimal) -> Decimal:
    with localcontext(_context()):
        return round2(terms.target_price * (ONE + terms.price_adjustment_pct / HUNDRED) * factor)


@lru_cache(maxsize=65_536)
def _target_and_cap(terms: SettlementTerms, factor: Decimal) -> tuple[Decimal, Decimal]:
    # Pure in (terms, factor), and HCC scores repeat across thousands of episodes: computed once.
    target = episode_target(terms, factor)
    with localcontext(_context()):
        return target, round2(terms.outlier_cap_multiple * target)


def settle_episode(terms: SettlementTerms, episode: EpisodeInput) -> EpisodeResult:
    factor = risk_factor(terms, episode.hcc_score)
    target, cap = _target_and_cap(terms, factor)
    actual = min(episode.spending, cap)
    return EpisodeResult(
        episode_id=episode.episode_id,
        risk_factor=factor,
        target=target,
        spending=episode.spending,
        outlier_cap=cap,
        actual=actual,
        capped=episode.spending > cap,
    )


def measure_rate(measure: MeasureInput) -> Decimal | None:
    if measure.numerator is None or measure.denominator is None or measure.denominator == 0:
        return None
    if not ZERO <= measure.numerator <= measure.denominator:
        raise ValueError(f"{measure.measure_id}: need 0 <= numerator <= denominator")
    with localcontext(_context()):
        rate = measure.numerator / measure.denominator
        return rate if measure.higher_is_better else ONE - rate


def quality_score(measures: Iterable[MeasureInput]) -> tuple[Decimal, tuple[MeasureResult, ...]]:
    """The weighted mean of the rates of measures with data; 0 when no measure has data."""
    results = tuple(MeasureResult(m.measure_id, m.weight, measure_rate(m)) for m in measures)
    with localcontext(_context()):
        weight = sum((r.weight for r in results if r.rate is not None), ZERO)
        if weight == 0:
            return ZERO, results
        weighted = sum((r.weight * r.rate for r in results if r.rate is not None), ZERO)
        return weighted / weight, results


def shared_amount(
    terms: SettlementTerms, *, savings: Decimal, q: Decimal, n_episodes: int
) -> tuple[Decimal, bool]:
    """R before the caps, and whether a loss was waived for having fewer than min_episodes."""
    with localcontext(_context()):
        if savings >= 0:
            at_risk = terms.performance_adjustment_pct / HUNDRED * (ONE - q)
            return savings * terms.savings_share_pct / HUNDRED * (ONE - at_risk), False
        if n_episodes < terms.min_episodes:
            return ZERO, True
        relief = terms.loss_quality_relief_pct / HUNDRED * q
        return savings * terms.loss_share_pct / HUNDRED * (ONE - relief), False


def summarise(
    terms: SettlementTerms,
    *,
    n_episodes: int,
    total_target: Decimal,
    total_actual: Decimal,
    measures: Sequence[MeasureInput],
) -> SettlementSummary:
    """The settlement from the episode totals (so that callers can stream episodes and keep only
    running sums: memory stays flat however many episodes there are)."""
    with localcontext(_context()):
        savings = total_target - total_actual
        q, measure_results = quality_score(measures)
        before, waived = shared_amount(terms, savings=savings, q=q, n_episodes=n_episodes)
        gain_limit = terms.stop_gain_pct / HUNDRED * total_target
        loss_limit = -(terms.stop_loss_pct / HUNDRED * total_target)
        after = before
        bound: CapBound | None = None
        if after > gain_limit:
            after, bound = gain_limit, "stop_gain"
        if after < loss_limit:
            after, bound = loss_limit, "stop_loss"
        return SettlementSummary(
            measures=measure_results,
            n_episodes=n_episodes,
            total_target=total_target,
            total_actual=total_actual,
            savings=savings,
            quality_score=q,
            shared_before_caps=before,
            below_min_episodes=waived,
            stop_gain_limit=gain_limit,
            stop_loss_limit=loss_limit,
            cap_bound=bound,
            shared_after_caps=after,
            settlement_amount=round2(after),
        )


def settle(
    terms: SettlementTerms, episodes: Sequence[EpisodeInput], measures: Sequence[MeasureInput]
) -> SettlementResult:
    """Settle one arrangement and period (SPEC section 7) from all its episodes at once."""
    results = tuple(settle_episode(terms, e) for e in episodes)
    summary = summarise(
        terms,
        n_episodes=len(results),
        total_target=sum((r.target for r in results), ZERO),
        total_actual=sum((r.actual for r in results), ZERO),
        measures=measures,
    )
    return SettlementResult(**vars(summary), episodes=results)
