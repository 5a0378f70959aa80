"""The pure statistics of episode spending: percentiles (numpy's linear method), winsorisation,
the bootstrap interval's reproducibility."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.episodes.statistics import (
    bootstrap_mean_interval,
    percentile,
    summarise,
    winsorise,
)

D = Decimal


def test_percentile_interpolates_linearly_between_order_statistics() -> None:
    values = [D(10), D(20), D(30), D(40)]
    # h = 3 * 0.5 = 1.5: halfway between 20 and 30.
    assert percentile(values, D(50)) == D(25)
    # h = 3 * 0.1 = 0.3: 10 + 0.3 * 10.
    assert percentile(values, D(10)) == D(13)
    assert percentile(values, D(90)) == D(37)
    assert percentile(values, D(0)) == D(10)
    assert percentile(values, D(100)) == D(40)
    assert percentile([D("7.5")], D(99)) == D("7.5")


def test_percentile_refuses_no_values_and_out_of_range() -> None:
    with pytest.raises(ValueError):
        percentile([], D(50))
    with pytest.raises(ValueError):
        percentile([D(1)], D(101))


@given(
    st.lists(st.integers(min_value=0, max_value=10_000_000), min_size=1, max_size=60),
    st.integers(min_value=0, max_value=100),
)
def test_percentile_agrees_with_numpy(amounts: list[int], pct: int) -> None:
    ordered = sorted(D(a) / 100 for a in amounts)
    expected = np.percentile(np.array(amounts, dtype=float) / 100, pct)
    assert abs(float(percentile(ordered, D(pct))) - expected) < 1e-6


def test_winsorise_clips_to_the_percentiles_of_all_values() -> None:
    values = [D(v) for v in (0, 100, 100, 100, 100, 100, 100, 100, 100, 10_000)]
    # n = 10: the 10th percentile is at h = 0.9 (0 + 0.9 * 100 = 90), the 90th at h = 8.1
    # (100 + 0.1 * 9,900 = 1,090).
    assert winsorise(values, D(10), D(90)) == [D(90), *[D(100)] * 8, D(1090)]
    assert winsorise([], D(1), D(99)) == []


def test_summary_of_a_group() -> None:
    actual = [D("100.00"), D("300.00"), D("200.00"), D("1000.00")]
    summary = summarise(actual, [D("100.00"), D("300.00"), D("200.00"), D("500.00")])
    assert summary.count == 4
    assert summary.total == D("1600.00")
    assert summary.mean == D("400")
    assert summary.winsorised_mean == D("275")
    assert summary.median == D("250")  # h = 1.5 between 200 and 300
    assert summary.p10 == D("130")  # h = 0.3: 100 + 0.3 * 100
    assert summary.p90 == D("790")  # h = 2.7: 300 + 0.7 * 700


def test_bootstrap_reproduces_with_its_seed_and_brackets_the_mean() -> None:
    values = [D(v) for v in range(100, 10_100, 100)]
    first = bootstrap_mean_interval(values, seed=42, resamples=500, level=D("0.90"))
    again = bootstrap_mean_interval(values, seed=42, resamples=500, level=D("0.90"))
    other = bootstrap_mean_interval(values, seed=43, resamples=500, level=D("0.90"))
    assert first == again
    assert first != other
    low, high = first
    assert low < D(5050) < high
    # The standard error of the mean is about 290: a 90 % interval spans roughly +-1.645 of it.
    assert D(300) < high - low < D(1300)
