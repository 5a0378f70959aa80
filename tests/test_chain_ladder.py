"""The chain-ladder claims completion (service/settlements/chain_ladder.py) against the triangle
worked by hand in docs/settlement.md section 10, and the projection's pure helpers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from service.settlements import chain_ladder, projection

D = Decimal
# docs/settlement.md section 10: allowed amounts received by lag, service months January to
# April 2027, evaluated in April.
INCREMENTS = [
    [D(400), D(240), D(64), D(0)],  # January
    [D(400), D(160), D(56)],  # February
    [D(400), D(200)],  # March
    [D(300)],  # April
]


def six(value: Decimal) -> Decimal:
    return value.quantize(D("0.000001"))


def test_the_hand_worked_triangle() -> None:
    rows = chain_ladder.cumulative(INCREMENTS)
    assert rows == [[400, 640, 704, 704], [400, 560, 616], [400, 600], [300]]
    developed = chain_ladder.develop(rows)
    assert developed.sufficient and developed.origins == 4
    # f0 = (640 + 560 + 600) / (400 + 400 + 400); f1 = (704 + 616) / (640 + 560); f2 = 704 / 704.
    assert developed.development == (D("1.5"), D("1.1"), D(1))
    # The rows' own ratios at lag 0 are 1.6, 1.4 and 1.5: standard deviation 0.1.
    assert [six(s) for s in developed.spread] == [D("0.1"), D(0), D(0)]
    # CF3 = 1, CF2 = 1 / 1, CF1 = 1 / 1.1, CF0 = 1 / (1.5 x 1.1) = 1 / 1.65.
    assert [six(c) for c in developed.completion] == [D("0.606061"), D("0.909091"), D(1), D(1)]
    assert developed.completion[0] * D("1.65") == pytest.approx(1)
    # Low: f0 + 0.1 = 1.6, 1 / 1.76; high: f0 - 0.1 = 1.4, 1 / 1.54.
    assert six(developed.completion_low[0]) == D("0.568182")
    assert six(developed.completion_high[0]) == D("0.649351")
    # April's 300 at lag 0 is expected to end at 300 x 1.65 = 495, March's 600 at lag 1 at 660.
    assert chain_ladder.completed(D(300), developed.factor(0)).quantize(D("0.01")) == D("495.00")
    assert chain_ladder.completed(D(600), developed.factor(1)).quantize(D("0.01")) == D("660.00")
    assert chain_ladder.completed(D(300), developed.factor(0, "low")).quantize(D("0.01")) == D("528.00")
    assert chain_ladder.completed(D(300), developed.factor(0, "high")).quantize(D("0.01")) == D("462.00")
    # Beyond the triangle every lag is complete.
    assert developed.factor(9) == 1


def test_too_short_a_history_completes_nothing() -> None:
    developed = chain_ladder.develop(chain_ladder.cumulative(INCREMENTS[2:]))
    assert not developed.sufficient
    assert all(developed.factor(lag, which) == 1 for lag in range(3) for which in ("central", "low", "high"))
    assert not chain_ladder.develop([]).sufficient


def test_high_reading_never_goes_below_one() -> None:
    # Ratios 1.0 and 3.0: f0 = 2, spread 1.41..., so f0 - spread < 1 and the high reading stops at 1.
    developed = chain_ladder.develop([[D(100), D(100)], [D(100), D(300)], [D(50)]])
    assert developed.development == (D(2),)
    assert developed.completion_high[0] == 1 and six(developed.completion[0]) == D("0.5")


def test_triangle_from_cells() -> None:
    cells = [
        (date(2027, 1, 5), date(2027, 1, 20), D(400)),
        (date(2027, 1, 20), date(2027, 2, 10), D(240)),
        (date(2027, 1, 25), date(2027, 3, 5), D(64)),
        (date(2027, 2, 3), date(2027, 2, 3), D(400)),
        (date(2027, 2, 15), date(2027, 3, 1), D(160)),
        (date(2027, 2, 20), date(2027, 4, 2), D(56)),
        (date(2027, 3, 2), date(2027, 3, 31), D(400)),
        (date(2027, 3, 10), date(2027, 4, 1), D(200)),
        (date(2027, 4, 1), date(2027, 4, 30), D(300)),
        # Received before its service date (a data error): counted at lag 0.
        (date(2027, 4, 9), date(2027, 4, 8), D(0)),
    ]
    rows = projection.triangle(cells, evaluation_month=projection.month_index(date(2027, 4, 30)))
    assert rows == chain_ladder.cumulative(INCREMENTS)
    # A lag beyond the cap counts at the cap.
    late = projection.triangle(
        [(date(2026, 1, 5), date(2027, 4, 1), D(10))],
        evaluation_month=projection.month_index(date(2027, 4, 1)),
        max_lag=2,
    )
    assert late[0] == [0, 0, 10] and len(late) == 16


def test_open_episode_helpers() -> None:
    developed = chain_ladder.develop(chain_ladder.cumulative(INCREMENTS))
    april = projection.month_index(date(2027, 4, 30))
    by_day = projection.completed_by_day(
        [(0, date(2027, 3, 2), D(100)), (8, date(2027, 3, 10), D(400)), (30, date(2027, 4, 1), D(300))],
        developed,
        april,
        "central",
    )
    assert {day: amount.quantize(D("0.01")) for day, amount in by_day.items()} == {
        0: D("110.00"),
        8: D("440.00"),
        30: D("495.00"),
    }
    assert projection.expected_remaining({74: D(110), 10: D(5)}, 30, 90) == D(110)
    assert projection.month_text(april) == "2027-04"
