"""Summary statistics of episode spending (docs/analyses.md): percentiles, winsorisation and a
bootstrap interval of the mean. Pure functions, no I/O.

Percentiles interpolate linearly between order statistics, the method numpy calls ``linear``
(its default, "type 7" of Hyndman and Fan): for ``n`` sorted values and percentile ``p`` the
position is ``h = (n - 1) * p / 100`` and the value ``x[floor(h)] + (h - floor(h)) *
(x[floor(h) + 1] - x[floor(h)])``. It is computed in exact decimal arithmetic here, and rounded
to the cent only where a figure is shown.

The bootstrap resamples integer cents with numpy's ``Generator`` (PCG64) seeded by the caller, so
that a stored seed reproduces the interval exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
# Values resampled per numpy call: bounds the memory of one batch of resamples (8 bytes each).
BOOTSTRAP_BATCH_VALUES = 4_000_000


def cents(value: Decimal) -> Decimal:
    """Rounded to the cent, halves away from zero (as every amount the service shows)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def percentile(ordered: Sequence[Decimal], pct: Decimal) -> Decimal:
    """The ``pct``-th percentile (0 .. 100) of ``ordered`` (sorted ascending, not empty), by
    linear interpolation (numpy's default method), exact."""
    if not ordered:
        raise ValueError("the percentile of no values")
    if not Decimal(0) <= pct <= HUNDRED:
        raise ValueError("a percentile lies between 0 and 100")
    position = (len(ordered) - 1) * pct / HUNDRED
    below = int(position)  # floor: position is not negative
    fraction = position - below
    if fraction == 0 or below + 1 >= len(ordered):
        return ordered[below]
    return ordered[below] + fraction * (ordered[below + 1] - ordered[below])


@dataclass(frozen=True, slots=True)
class Bounds:
    """Where values are winsorised: below ``low`` raised to it, above ``high`` lowered to it."""

    low: Decimal
    high: Decimal

    def clip(self, value: Decimal) -> Decimal:
        return min(max(value, self.low), self.high)


def winsorisation_bounds(ordered: Sequence[Decimal], low_pct: Decimal, high_pct: Decimal) -> Bounds:
    """The ``low_pct``-th and ``high_pct``-th percentiles of ``ordered`` (sorted, not empty)."""
    return Bounds(percentile(ordered, low_pct), percentile(ordered, high_pct))


def winsorise(values: Sequence[Decimal], low_pct: Decimal, high_pct: Decimal) -> list[Decimal]:
    """``values`` (any order) with each one clipped to the percentiles of all of them."""
    if not values:
        return []
    bounds = winsorisation_bounds(sorted(values), low_pct, high_pct)
    return [bounds.clip(v) for v in values]


def mean(values: Sequence[Decimal]) -> Decimal:
    """The exact mean (to the context's precision) of ``values`` (not empty)."""
    if not values:
        raise ValueError("the mean of no values")
    return sum(values, Decimal(0)) / len(values)


@dataclass(frozen=True, slots=True)
class Summary:
    """Spending of a group of episodes: count, actual total and mean, the winsorised mean, the
    median and 10th/90th percentiles of actual spending (unrounded)."""

    count: int
    total: Decimal
    mean: Decimal
    winsorised_mean: Decimal
    median: Decimal
    p10: Decimal
    p90: Decimal


def summarise(actual: Sequence[Decimal], winsorised: Sequence[Decimal]) -> Summary:
    """The summary of one group: ``actual`` spending and the same episodes' ``winsorised``
    spending (clipped to bounds taken over the whole population, not over the group)."""
    ordered = sorted(actual)
    total = sum(ordered, Decimal(0))
    return Summary(
        count=len(ordered),
        total=total,
        mean=total / len(ordered),
        winsorised_mean=mean(winsorised),
        median=percentile(ordered, Decimal(50)),
        p10=percentile(ordered, Decimal(10)),
        p90=percentile(ordered, Decimal(90)),
    )


def bootstrap_mean_interval(
    values: Sequence[Decimal], *, seed: int, resamples: int, level: Decimal
) -> tuple[Decimal, Decimal]:
    """A percentile-bootstrap interval of the mean of ``values`` (amounts in cents or finer are
    rounded to the cent first): ``resamples`` samples of ``len(values)`` drawn with replacement
    by ``numpy.random.default_rng(seed)``, the mean of each, then the ``(1 - level) / 2`` and
    ``(1 + level) / 2`` percentiles of those means (``level`` 0.90 -> 5th and 95th). Each mean
    is an exact fraction of integer cents; the ends are exact decimals (not rounded)."""
    if not values:
        raise ValueError("the bootstrap of no values")
    # Imported here: numpy adds about 17 MB to a process, and only an analysis needs it.
    import numpy as np

    amounts = np.array([int(cents(v) / CENT) for v in values], dtype=np.int64)
    rng = np.random.default_rng(seed)
    n = len(amounts)
    per_batch = max(1, BOOTSTRAP_BATCH_VALUES // n)
    sums: list[int] = []
    remaining = resamples
    while remaining > 0:
        batch = min(per_batch, remaining)
        drawn = rng.integers(0, n, size=(batch, n))
        sums.extend(int(s) for s in amounts[drawn].sum(axis=1))
        remaining -= batch
    means = sorted(Decimal(s) * CENT / n for s in sums)
    tail = (1 - level) / 2 * HUNDRED
    return percentile(means, tail), percentile(means, HUNDRED - tail)
