"""The settlement arithmetic, as pure functions: no I/O, no clock, no floats.

Everything is ``Decimal``. Cents are rounded half up in exactly three places, as the spec says:
each episode's target, each episode's outlier cap, and the final settlement amount. Everything
in between (the quality score, the shared amount before and after the caps) is carried at
``PRECISION`` significant digits, far beyond what a cent needs, so that the only rounding a
reader has to reason about is the spec's own.

``settle`` returns every intermediate figure, so that a statement can show its working and a
test can check each step.

When an amendment takes effect part way through a period, each episode settles under the terms
version in force on its trigger date (``settle_versions`` / ``summarise_versions``): the episodes
are grouped by version, each group gets its own totals and shared amount with its own
percentages, and the period's one quality score; the shares are added, the loss waiver and the
caps apply once to the sums, and the amount is rounded once. With a single version this is
exactly ``settle`` / ``summarise``, figure for figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, localcontext
from typing import Literal, NamedTuple

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
    """The terms (docs/method.md section 2) and definition fields (section 2) that the arithmetic uses."""

    # One base target for every episode, or (an inpatient anchor's terms) one per risk factor:
    # ``target_prices`` as (risk factor id, base target) pairs, ``target_price`` then None.
    target_price: Decimal | None
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
    target_prices: tuple[tuple[str, Decimal], ...] = ()
    # Each (risk factor, price group)'s target and outlier cap, computed once per terms object
    # (a run builds one per terms version, and HCC scores repeat across thousands of episodes),
    # where a cache keyed by the terms would hash and compare all their fields on every
    # episode. Not part of the terms' value.
    _prices: dict[tuple[Decimal, str | None], tuple[Decimal, Decimal]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def base_target(self, risk_factor_id: str | None) -> Decimal:
        """The base target of an episode of ``risk_factor_id`` (any episode, under one
        ``target_price``); KeyError for a risk factor the terms do not price."""
        if self.target_price is not None:
            return self.target_price
        return dict(self.target_prices)[risk_factor_id or ""]


class EpisodeInput(NamedTuple):
    """One settled (non-excluded) episode: its beneficiary's HCC score and its actual spending.
    (A named tuple, as :class:`EpisodeResult`: one of each per episode, tens of thousands a
    settlement, and a frozen dataclass costs several times as much to build.)"""

    episode_id: str
    hcc_score: Decimal | None  # None: no score on file, which docs/method.md section 4 reads as 1.0
    spending: Decimal
    risk_factor_id: str | None = None  # its price group under target_prices


@dataclass(frozen=True)
class MeasureInput:
    """One quality measure the terms chose, with the reported data (None when nothing was reported)."""

    measure_id: str
    weight: Decimal
    higher_is_better: bool
    numerator: Decimal | None = None
    denominator: Decimal | None = None


class EpisodeResult(NamedTuple):
    episode_id: str
    risk_factor: Decimal
    target: Decimal
    spending: Decimal
    outlier_cap: Decimal
    actual: Decimal
    capped: bool  # the outlier cap lowered the counted spending
    risk_factor_id: str | None = None


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


def bounded_hcc_score(hcc_score: Decimal | None) -> Decimal:
    """The HCC score as a risk-adjusted target reads it: none on file is 1.0, bounded to 0.5 .. 3.0."""
    score = ONE if hcc_score is None else hcc_score
    return min(max(score, RISK_FACTOR_MIN), RISK_FACTOR_MAX)


def risk_factor(terms: SettlementTerms, hcc_score: Decimal | None) -> Decimal:
    return bounded_hcc_score(hcc_score) if terms.hcc_risk_adjustment else ONE


def episode_target(terms: SettlementTerms, factor: Decimal, risk_factor_id: str | None = None) -> Decimal:
    base = terms.base_target(risk_factor_id)
    with localcontext(_context()):
        return round2(base * (ONE + terms.price_adjustment_pct / HUNDRED) * factor)


PRICES_KEPT = 65_536


def _target_and_cap(
    terms: SettlementTerms, factor: Decimal, risk_factor_id: str | None
) -> tuple[Decimal, Decimal]:
    target = episode_target(terms, factor, risk_factor_id)
    with localcontext(_context()):
        return target, round2(terms.outlier_cap_multiple * target)


def settle_episode(terms: SettlementTerms, episode: EpisodeInput) -> EpisodeResult:
    factor = risk_factor(terms, episode.hcc_score)
    # Equal factors give equal targets and caps whatever their exponents (both are rounded to
    # cents), so one entry serves them all.
    key = (factor, episode.risk_factor_id)
    prices = terms._prices
    priced = prices.get(key)
    if priced is None:
        if len(prices) >= PRICES_KEPT:  # bounded, as the lru_cache it replaces was
            prices.clear()
        priced = prices[key] = _target_and_cap(terms, factor, episode.risk_factor_id)
    target, cap = priced
    spending = episode.spending
    # Positional (episode_id, risk_factor, target, spending, outlier_cap, actual, capped,
    # risk_factor_id): keyword arguments cost a named tuple several times as much to build.
    return EpisodeResult(
        episode.episode_id,
        factor,
        target,
        spending,
        cap,
        min(spending, cap),
        spending > cap,
        episode.risk_factor_id,
    )


def measure_rate(measure: MeasureInput) -> Decimal | None:
    if measure.numerator is None or measure.denominator is None or measure.denominator == 0:
        return None
    if not ZERO <= measure.numerator <= measure.denominator:
        raise ValueError(f"{measure.measure_id}: need 0 <= numerator <= denominator")
    with localcontext(_context()):
        rate = measure.numerator / measure.denominator
        return rate if measure.higher_is_better else ONE - rate


def apply_caps(
    shared: Decimal, *, gain_limit: Decimal, loss_limit: Decimal
) -> tuple[Decimal, CapBound | None]:
    """The shared amount after the stop-gain (at most ``gain_limit``) and the stop-loss (at least
    ``loss_limit``, a negative figure), and which of them bound it."""
    if shared > gain_limit:
        return gain_limit, "stop_gain"
    if shared < loss_limit:
        return loss_limit, "stop_loss"
    return shared, None


def quality_score(measures: Iterable[MeasureInput]) -> tuple[Decimal, tuple[MeasureResult, ...]]:
    """The weighted mean of the rates of measures with data; 0 when no measure has data."""
    results = tuple(MeasureResult(m.measure_id, m.weight, measure_rate(m)) for m in measures)
    with localcontext(_context()):
        weight = sum((r.weight for r in results if r.rate is not None), ZERO)
        if weight == 0:
            return ZERO, results
        weighted = sum((r.weight * r.rate for r in results if r.rate is not None), ZERO)
        return weighted / weight, results


def shared_by_formula(terms: SettlementTerms, *, savings: Decimal, q: Decimal) -> Decimal:
    """R from the savings formula (S >= 0) or the loss formula (S < 0): no waiver, no caps."""
    with localcontext(_context()):
        if savings >= 0:
            at_risk = terms.performance_adjustment_pct / HUNDRED * (ONE - q)
            return savings * terms.savings_share_pct / HUNDRED * (ONE - at_risk)
        relief = terms.loss_quality_relief_pct / HUNDRED * q
        return savings * terms.loss_share_pct / HUNDRED * (ONE - relief)


def shared_amount(
    terms: SettlementTerms, *, savings: Decimal, q: Decimal, n_episodes: int
) -> tuple[Decimal, bool]:
    """R before the caps, and whether a loss was waived for having fewer than min_episodes."""
    if savings < 0 and n_episodes < terms.min_episodes:
        return ZERO, True
    return shared_by_formula(terms, savings=savings, q=q), False


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
        after, bound = apply_caps(before, gain_limit=gain_limit, loss_limit=loss_limit)
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
    """Settle one arrangement and period (docs/method.md section 6) from all its episodes at once."""
    results = tuple(settle_episode(terms, e) for e in episodes)
    summary = summarise(
        terms,
        n_episodes=len(results),
        total_target=sum((r.target for r in results), ZERO),
        total_actual=sum((r.actual for r in results), ZERO),
        measures=measures,
    )
    return SettlementResult(**vars(summary), episodes=results)


# ---- several terms versions in one period -------------------------------------------------------


@dataclass(frozen=True)
class VersionGroup:
    """The settled episodes of one terms version: how many, and their summed targets and actuals."""

    version: int
    terms: SettlementTerms
    n_episodes: int
    total_target: Decimal  # T_v
    total_actual: Decimal  # A_v


@dataclass(frozen=True)
class VersionSummary:
    """One version's part of a settlement, before the waiver and the caps (which apply to sums)."""

    version: int
    n_episodes: int
    total_target: Decimal  # T_v
    total_actual: Decimal  # A_v
    savings: Decimal  # S_v = T_v - A_v
    shared: Decimal  # R_v: the savings or loss formula with this version's percentages and the period's q
    stop_gain_limit: Decimal  # stop_gain_pct_v/100 x T_v
    stop_loss_limit: Decimal  # -stop_loss_pct_v/100 x T_v


@dataclass(frozen=True)
class VersionedSummary(SettlementSummary):
    versions: tuple[VersionSummary, ...]


@dataclass(frozen=True)
class VersionedResult(VersionedSummary):
    episodes: tuple[EpisodeResult, ...]


def _total(values: Iterable[Decimal]) -> Decimal:
    """The sum of ``values`` starting from the first (one value is returned as it is, so that a
    single version's figures are the very same ``Decimal``s as the single-version method's)."""
    items = list(values)
    if not items:
        return ZERO
    with localcontext(_context()):
        total = items[0]
        for item in items[1:]:
            total += item
        return total


def version_summary(group: VersionGroup, *, q: Decimal) -> VersionSummary:
    with localcontext(_context()):
        return VersionSummary(
            version=group.version,
            n_episodes=group.n_episodes,
            total_target=group.total_target,
            total_actual=group.total_actual,
            savings=group.total_target - group.total_actual,
            shared=shared_by_formula(group.terms, savings=group.total_target - group.total_actual, q=q),
            stop_gain_limit=group.terms.stop_gain_pct / HUNDRED * group.total_target,
            stop_loss_limit=-(group.terms.stop_loss_pct / HUNDRED * group.total_target),
        )


def summarise_versions(
    groups: Sequence[VersionGroup], *, reference: SettlementTerms, measures: Sequence[MeasureInput]
) -> VersionedSummary:
    """The settlement of a period whose episodes settle under several terms versions.

    ``groups``: one per version in force during the period (a version may have no episodes).
    ``reference``: the terms of the version in force at the period's end, whose ``min_episodes``
    decides the waiver (its quality measures and weights are the ``measures`` given). The period
    has one quality score q. Then R = sum of R_v; R = 0 when S = sum of S_v < 0 and n <
    reference.min_episodes; R = min(R, sum of stop-gain limits), R = max(R, sum of stop-loss
    limits); the amount is round2(R), rounded once.
    """
    if not groups:
        raise ValueError("a settlement has at least one terms version")
    with localcontext(_context()):
        q, measure_results = quality_score(measures)
        versions = tuple(version_summary(g, q=q) for g in groups)
        n_episodes = sum(g.n_episodes for g in groups)
        total_target = _total(v.total_target for v in versions)
        total_actual = _total(v.total_actual for v in versions)
        savings = total_target - total_actual
        waived = savings < 0 and n_episodes < reference.min_episodes
        before = ZERO if waived else _total(v.shared for v in versions)
        gain_limit = _total(v.stop_gain_limit for v in versions)
        loss_limit = _total(v.stop_loss_limit for v in versions)
        after, bound = apply_caps(before, gain_limit=gain_limit, loss_limit=loss_limit)
        return VersionedSummary(
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
            versions=versions,
        )


def settle_versions(
    versions: Sequence[tuple[int, SettlementTerms, Sequence[EpisodeInput]]],
    *,
    reference: SettlementTerms,
    measures: Sequence[MeasureInput],
) -> VersionedResult:
    """Settle a period from all its episodes at once, each version's episodes under its terms:
    ``versions`` is ``(version number, terms, episodes triggered while it was in force)``."""
    results: list[EpisodeResult] = []
    groups: list[VersionGroup] = []
    for number, terms, episodes in versions:
        settled = tuple(settle_episode(terms, e) for e in episodes)
        results.extend(settled)
        groups.append(
            VersionGroup(
                version=number,
                terms=terms,
                n_episodes=len(settled),
                total_target=sum((r.target for r in settled), ZERO),
                total_actual=sum((r.actual for r in settled), ZERO),
            )
        )
    summary = summarise_versions(groups, reference=reference, measures=measures)
    return VersionedResult(**vars(summary), episodes=tuple(results))
