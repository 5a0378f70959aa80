"""Claims completion by the chain-ladder method, as pure functions: no I/O, no clock, no floats.

A *triangle* holds, for each service month (its *origin*), the cumulative amount of claims
received by each *lag*: lag 0 is the service month itself, lag k the k-th month after it. Older
origins have been watched for longer, so their rows are longer. From the rows that have seen both
lag k and lag k+1, the *development factor* f_k is how much the amount grew from one to the next
(volume weighted: the sum at k+1 over the sum at k of the same rows). The *completion factor* of
lag k, the share of the final amount already received k months after service, is
1 / (f_k x f_k+1 x ... x f_last); the last lag observed counts as complete.

The range: each factor's spread is the sample standard deviation of the rows' own ratios
C(k+1) / C(k). The low completion factors use f_k + spread (more still to come: a higher
projection), the high ones max(1, f_k - spread) (less to come: a lower projection), so the
projection's range is read from ``completion_high`` (low end) and ``completion_low`` (high end).

With fewer than ``MIN_ORIGINS`` origins, or no lag beyond 0, history is too short: every factor
is 1 (nothing is completed) and ``sufficient`` is False, for the caller to flag.

docs/settlement.md section 10 works a small triangle through by hand; a unit test checks this
module against it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext

PRECISION = 50
ONE = Decimal(1)
ZERO = Decimal(0)
MIN_ORIGINS = 3


def _context() -> Context:
    return Context(prec=PRECISION, rounding=ROUND_HALF_EVEN)


@dataclass(frozen=True, slots=True)
class Development:
    """The factors of one triangle, per lag (index = lag)."""

    development: tuple[Decimal, ...]  # f_0 .. f_{K-2}
    spread: tuple[Decimal, ...]  # the standard deviation of the rows' own ratios, per f_k
    completion: tuple[Decimal, ...]  # CF_0 .. CF_{K-1}; CF_{K-1} = 1
    completion_low: tuple[Decimal, ...]  # with f_k + spread: the least complete reading
    completion_high: tuple[Decimal, ...]  # with max(1, f_k - spread): the most complete reading
    origins: int
    sufficient: bool

    def factor(self, lag: int, which: str = "central") -> Decimal:
        """The completion factor of ``lag`` (``central``, ``low`` or ``high``); a lag beyond the
        triangle counts as complete (1)."""
        factors = {"central": self.completion, "low": self.completion_low, "high": self.completion_high}[
            which
        ]
        if lag < 0:
            raise ValueError("a lag is never negative")
        return factors[lag] if lag < len(factors) else ONE


def cumulative(increments: Sequence[Sequence[Decimal]]) -> list[list[Decimal]]:
    """Rows of amounts received per lag, made cumulative."""
    rows: list[list[Decimal]] = []
    with localcontext(_context()):
        for row in increments:
            total = ZERO
            running: list[Decimal] = []
            for amount in row:
                total += amount
                running.append(total)
            rows.append(running)
    return rows


def _std_dev(values: Sequence[Decimal]) -> Decimal:
    """Sample standard deviation (n - 1); 0 for fewer than two values."""
    if len(values) < 2:
        return ZERO
    mean = sum(values, ZERO) / len(values)
    variance = sum(((v - mean) ** 2 for v in values), ZERO) / (len(values) - 1)
    return variance.sqrt()


def _completion(factors: Sequence[Decimal]) -> tuple[Decimal, ...]:
    """CF_k = 1 / prod_{j >= k} f_j, and 1 for the last lag."""
    out = [ONE]
    product = ONE
    for factor in reversed(factors):
        product *= factor
        out.append(ONE / product)
    return tuple(reversed(out))


def develop(rows: Sequence[Sequence[Decimal]], *, min_origins: int = MIN_ORIGINS) -> Development:
    """The development and completion factors of a triangle of cumulative amounts (``rows``,
    one per origin; each row as long as that origin has been observed)."""
    lags = max((len(r) for r in rows), default=0)
    if len(rows) < min_origins or lags < 2:
        ones = tuple(ONE for _ in range(max(lags, 1)))
        return Development(
            development=ones[1:],
            spread=tuple(ZERO for _ in ones[1:]),
            completion=ones,
            completion_low=ones,
            completion_high=ones,
            origins=len(rows),
            sufficient=False,
        )
    development: list[Decimal] = []
    spread: list[Decimal] = []
    with localcontext(_context()):
        for k in range(lags - 1):
            pairs = [(r[k], r[k + 1]) for r in rows if len(r) > k + 1]
            before = sum((a for a, _ in pairs), ZERO)
            after = sum((b for _, b in pairs), ZERO)
            # No amount at lag k in any row: nothing to develop from, so nothing grows.
            development.append(after / before if before > 0 else ONE)
            spread.append(_std_dev([b / a for a, b in pairs if a > 0]))
        low = [f + s for f, s in zip(development, spread, strict=True)]
        high = [max(ONE, f - s) for f, s in zip(development, spread, strict=True)]
        return Development(
            development=tuple(development),
            spread=tuple(spread),
            completion=_completion(development),
            completion_low=_completion(low),
            completion_high=_completion(high),
            origins=len(rows),
            sufficient=True,
        )


def completed(amount: Decimal, completion_factor: Decimal) -> Decimal:
    """An amount received so far, grossed up to its expected final value."""
    with localcontext(_context()):
        return amount / completion_factor
