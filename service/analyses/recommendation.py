"""The target-price recommendation of an analysis (docs/analyses.md): pure arithmetic, no I/O.

    recommended target price = baseline mean x trend x risk ratio

- baseline mean: the winsorised mean spending of the baseline's episodes, to the cent;
- trend: the factor from baseline prices to the performance year, given by the caller;
- risk ratio: target mean risk score / baseline mean risk score, to six places. For a definition
  risk-adjusted by HCC score, settlement multiplies each episode's target by its beneficiary's
  score, so the contract's price is the price of a beneficiary scoring 1.0: the target mean is
  1.0 and the ratio takes the baseline's case mix out. Otherwise the target mean is the caller's
  (default: the baseline's own, a ratio of 1).

Each factor is rounded as shown, and the price is computed from the rounded factors, so that the
figures shown reproduce it by hand. The 90 % interval is the percentile bootstrap of the
winsorised mean (service/episodes/statistics.py, seeded), times the same trend and ratio. The
entries are keyed by risk factor; a definition without risk factors has one entry, ``all``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from service.episodes.statistics import bootstrap_mean_interval, cents, mean

ALL = "all"
LEVEL = Decimal("0.90")
RESAMPLES = 1000
# Below this many episodes the mean of a skewed spending distribution moves a lot between years.
MIN_SAMPLE = 30
RATIO_PLACES = Decimal("0.000001")
SCORE_PLACES = Decimal("0.0001")
HUNDRED = Decimal(100)
METHOD = (
    "recommended_target_price = baseline_mean x trend x risk_ratio; baseline_mean = mean of the "
    "episodes' spending winsorised at the definition's percentiles; risk_ratio = "
    "target_mean_risk_score / baseline_mean_risk_score; interval: percentile bootstrap of the "
    "winsorised mean (numpy default_rng(seed)), times trend x risk_ratio"
)


@dataclass(frozen=True, slots=True)
class Parameters:
    trend: Decimal
    target_mean_risk_score: Decimal | None  # None: the baseline's own
    price_adjustment_pct: Decimal
    seed: int
    resamples: int = RESAMPLES


def _interval(low: Decimal, high: Decimal) -> dict[str, str]:
    return {"level": str(LEVEL), "low": str(low), "high": str(high)}


def entry(
    risk_factor: str, winsorised: Sequence[Decimal], risk_scores: Sequence[Decimal], parameters: Parameters
) -> dict[str, object]:
    """One entry of the recommendation, as stored and shown (decimals as strings)."""
    baseline_mean = cents(mean(winsorised))
    baseline_score = mean(risk_scores).quantize(SCORE_PLACES)
    target_score = (
        baseline_score if parameters.target_mean_risk_score is None else parameters.target_mean_risk_score
    ).quantize(SCORE_PLACES)
    ratio = (target_score / baseline_score).quantize(RATIO_PLACES)
    factor = parameters.trend * ratio
    recommended = cents(baseline_mean * factor)
    low, high = bootstrap_mean_interval(
        winsorised, seed=parameters.seed, resamples=parameters.resamples, level=LEVEL
    )
    low, high = cents(low * factor), cents(high * factor)
    adjustment = 1 + parameters.price_adjustment_pct / HUNDRED
    warnings = []
    if len(winsorised) < MIN_SAMPLE:
        warnings.append(
            f"only {len(winsorised)} episodes (fewer than {MIN_SAMPLE}): the mean is uncertain; "
            "widen the baseline or read the interval"
        )
    return {
        "risk_factor": risk_factor,
        "episodes": len(winsorised),
        "baseline_mean": str(baseline_mean),
        "trend": str(parameters.trend),
        "baseline_mean_risk_score": str(baseline_score),
        "target_mean_risk_score": str(target_score),
        "risk_ratio": str(ratio),
        "recommended_target_price": str(recommended),
        "interval": _interval(low, high),
        "price_adjustment_pct": str(parameters.price_adjustment_pct),
        "adjusted_target_price": str(cents(recommended * adjustment)),
        "adjusted_interval": _interval(cents(low * adjustment), cents(high * adjustment)),
        "warnings": warnings,
    }


def recommendation(
    groups: Mapping[str, tuple[Sequence[Decimal], Sequence[Decimal]]], parameters: Parameters
) -> dict[str, object]:
    """The recommendation over ``groups`` (risk factor -> winsorised spending, risk scores; each
    non-empty)."""
    return {
        "method": METHOD,
        "seed": parameters.seed,
        "resamples": parameters.resamples,
        "entries": [entry(factor, w, s, parameters) for factor, (w, s) in groups.items()],
    }
