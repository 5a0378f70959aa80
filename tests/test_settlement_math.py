"""The settlement arithmetic (SPEC section 7) as a pure function: the worked example of section 8,
each branch, and properties that must hold for any input."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.settlements.math import (
    EpisodeInput,
    MeasureInput,
    SettlementTerms,
    quality_score,
    round2,
    settle,
)

D = Decimal

EXAMPLE_TERMS = SettlementTerms(
    target_price=D("1000.00"),
    price_adjustment_pct=D("-2"),
    savings_share_pct=D("50"),
    loss_share_pct=D("50"),
    performance_adjustment_pct=D("20"),
    loss_quality_relief_pct=D("10"),
    stop_gain_pct=D("20"),
    stop_loss_pct=D("20"),
    min_episodes=0,
    outlier_cap_multiple=D("3.0"),
    hcc_risk_adjustment=True,
)
EXAMPLE_EPISODES = [
    EpisodeInput("e1", D("1.2"), D("900.00")),
    EpisodeInput("e2", D("0.4"), D("1600.00")),
    EpisodeInput("e3", D("1.0"), D("500.00")),
]
EXAMPLE_MEASURES = [
    MeasureInput("Q155", D(1), True, D(8), D(10)),
    MeasureInput("Q318", D(1), True, D(0), D(0)),
]


def test_worked_example_of_section_8() -> None:
    result = settle(EXAMPLE_TERMS, EXAMPLE_EPISODES, EXAMPLE_MEASURES)

    assert [e.risk_factor for e in result.episodes] == [D("1.2"), D("0.5"), D("1.0")]
    assert [e.target for e in result.episodes] == [D("1176.00"), D("490.00"), D("980.00")]
    assert [e.actual for e in result.episodes] == [D("900.00"), D("1470.00"), D("500.00")]
    assert [e.capped for e in result.episodes] == [False, True, False]
    assert result.episodes[1].outlier_cap == D("1470.00")
    assert result.total_target == D("2646.00")
    assert result.total_actual == D("2870.00")
    assert result.savings == D("-224.00")
    assert result.n_episodes == 3
    assert result.quality_score == D("0.8")
    assert [m.rate for m in result.measures] == [D("0.8"), None]
    assert result.shared_before_caps == D("-103.04")
    assert result.stop_loss_limit == D("-529.20")
    assert result.cap_bound is None
    assert result.settlement_amount == D("-103.04")
    assert str(result.settlement_amount) == "-103.04"


def test_round2_rounds_half_up_away_from_zero_and_never_gives_negative_zero() -> None:
    assert round2(D("2.345")) == D("2.35")
    assert round2(D("2.344999")) == D("2.34")
    assert round2(D("-2.345")) == D("-2.35")
    assert str(round2(D("-0.001"))) == "0.00"


def test_targets_are_rounded_half_up_per_episode() -> None:
    # 1000 x 0.98 x 1.2345 = 1209.81 exactly; x 1.23456 = 1209.8688 -> 1209.87
    terms = EXAMPLE_TERMS
    result = settle(terms, [EpisodeInput("a", D("1.23456"), D(0))], [])
    assert result.episodes[0].target == D("1209.87")
    # 100.005 rounds up to 100.01, not to the even 100.00
    terms = replace(EXAMPLE_TERMS, target_price=D("100.005"), price_adjustment_pct=D(0))
    assert settle(terms, [EpisodeInput("a", None, D(0))], []).episodes[0].target == D("100.01")


def test_without_risk_adjustment_the_factor_is_one() -> None:
    terms = replace(EXAMPLE_TERMS, hcc_risk_adjustment=False)
    result = settle(terms, [EpisodeInput("a", D("2.5"), D(0))], [])
    assert result.episodes[0].risk_factor == D(1)
    assert result.episodes[0].target == D("980.00")


def test_missing_hcc_score_means_one_and_scores_are_clamped() -> None:
    result = settle(EXAMPLE_TERMS, [EpisodeInput("a", None, D(0)), EpisodeInput("b", D("7"), D(0))], [])
    assert [e.risk_factor for e in result.episodes] == [D(1), D("3.0")]


def test_a_table_of_targets_prices_each_episode_by_its_risk_factor() -> None:
    terms = replace(
        EXAMPLE_TERMS,
        target_price=None,
        target_prices=(("DRG469", D("33000.00")), ("DRG470", D("24500.00"))),
    )
    episodes = [
        EpisodeInput("knee", D("1.0"), D("20000.00"), "DRG470"),
        EpisodeInput("hip", D("1.5"), D("200000.00"), "DRG469"),
    ]
    result = settle(terms, episodes, [])
    knee, hip = result.episodes
    # 24500 x 0.98 x 1.0 = 24010.00; 33000 x 0.98 x 1.5 = 48510.00, capped at 3 x = 145530.00.
    assert (knee.target, knee.actual, knee.risk_factor_id) == (D("24010.00"), D("20000.00"), "DRG470")
    assert (hip.target, hip.outlier_cap, hip.actual, hip.capped) == (
        D("48510.00"),
        D("145530.00"),
        D("145530.00"),
        True,
    )
    assert result.total_target == D("72520.00") and result.total_actual == D("165530.00")
    # T = 72520, S = -93010: R = -46505 x (1 - 0.1 x 0) = -46505, below the stop-loss -14504.00.
    assert result.settlement_amount == D("-14504.00")
    with pytest.raises(KeyError):
        settle(terms, [EpisodeInput("other", None, D(0), "DRG521")], [])


def test_savings_are_shared_with_quality_at_risk() -> None:
    # T = 980, A = 880, S = 100; q = 0.8: R = 100 x 0.5 x (1 - 0.2 x 0.2) = 48 (cap 196)
    result = settle(EXAMPLE_TERMS, [EpisodeInput("a", None, D("880.00"))], EXAMPLE_MEASURES)
    assert result.savings == D("100.00")
    assert result.settlement_amount == D("48.00")
    assert result.cap_bound is None


def test_stop_gain_binds() -> None:
    # S = 980 (no spending), R = 980 x 0.5 x 1 = 490 at q = 1; cap 20% x 980 = 196
    measures = [MeasureInput("Q155", D(1), True, D(5), D(5))]
    result = settle(EXAMPLE_TERMS, [EpisodeInput("a", None, D(0))], measures)
    assert result.quality_score == D(1)
    assert result.shared_before_caps == D("490.00")
    assert result.cap_bound == "stop_gain"
    assert result.stop_gain_limit == D("196.00")
    assert result.settlement_amount == D("196.00")


def test_stop_loss_binds() -> None:
    # T = 980, A = cap 2940, S = -1960, q = 0: R = -980; floor -196
    result = settle(EXAMPLE_TERMS, [EpisodeInput("a", None, D("5000.00"))], [])
    assert result.episodes[0].capped
    assert result.shared_before_caps == D("-980.00")
    assert result.cap_bound == "stop_loss"
    assert result.settlement_amount == D("-196.00")


def test_min_episodes_waives_a_loss_but_not_savings() -> None:
    terms = replace(EXAMPLE_TERMS, min_episodes=4)
    loss = settle(terms, EXAMPLE_EPISODES, EXAMPLE_MEASURES)
    assert loss.savings < 0
    assert loss.below_min_episodes
    assert loss.settlement_amount == D("0.00")
    gain = settle(terms, [EpisodeInput("a", None, D("880.00"))], EXAMPLE_MEASURES)
    assert not gain.below_min_episodes
    assert gain.settlement_amount == D("48.00")
    # at exactly min_episodes the loss is owed
    exactly = settle(replace(EXAMPLE_TERMS, min_episodes=3), EXAMPLE_EPISODES, EXAMPLE_MEASURES)
    assert exactly.settlement_amount == D("-103.04")


def test_no_quality_data_gives_q_zero() -> None:
    q, results = quality_score(
        [MeasureInput("Q155", D(1), True), MeasureInput("Q318", D(2), True, D(0), D(0))]
    )
    assert q == 0
    assert [r.rate for r in results] == [None, None]
    # and a loss then gets no relief: -224 x 0.5 = -112
    assert settle(EXAMPLE_TERMS, EXAMPLE_EPISODES, []).settlement_amount == D("-112.00")


def test_quality_is_a_weighted_mean_and_lower_is_better_inverts() -> None:
    measures = [
        MeasureInput("Q155", D(3), True, D(9), D(10)),  # 0.9
        MeasureInput("Q484", D(1), False, D(1), D(4)),  # 1 - 0.25 = 0.75
        MeasureInput("Q318", D(5), True),  # no data: weight dropped
    ]
    q, _ = quality_score(measures)
    assert q == (D(3) * D("0.9") + D("0.75")) / D(4)


def test_numerator_above_denominator_is_refused() -> None:
    with pytest.raises(ValueError):
        quality_score([MeasureInput("Q155", D(1), True, D(11), D(10))])


def test_zero_episodes_settle_to_zero() -> None:
    result = settle(EXAMPLE_TERMS, [], EXAMPLE_MEASURES)
    assert (result.total_target, result.total_actual, result.savings) == (0, 0, 0)
    assert str(result.settlement_amount) == "0.00"


# Properties -------------------------------------------------------------------------------------

money = st.decimals(min_value=D(0), max_value=D("20000"), places=2, allow_nan=False, allow_infinity=False)
pct = st.decimals(min_value=D(0), max_value=D(100), places=1, allow_nan=False, allow_infinity=False)
hcc = st.one_of(st.none(), st.decimals(min_value=D("0.1"), max_value=D("5"), places=3))


@st.composite
def terms_strategy(draw: st.DrawFn) -> SettlementTerms:
    return SettlementTerms(
        target_price=draw(st.decimals(min_value=D("1"), max_value=D("10000"), places=2)),
        price_adjustment_pct=draw(st.decimals(min_value=D(-50), max_value=D(50), places=1)),
        savings_share_pct=draw(pct),
        loss_share_pct=draw(pct),
        performance_adjustment_pct=draw(st.decimals(min_value=D(10), max_value=D(100), places=1)),
        loss_quality_relief_pct=draw(st.decimals(min_value=D(0), max_value=D(10), places=1)),
        stop_gain_pct=draw(pct),
        stop_loss_pct=draw(pct),
        min_episodes=draw(st.integers(min_value=0, max_value=5)),
        outlier_cap_multiple=draw(st.decimals(min_value=D(1), max_value=D(5), places=1)),
        hcc_risk_adjustment=draw(st.booleans()),
    )


episodes_strategy = st.lists(
    st.builds(EpisodeInput, episode_id=st.just("e"), hcc_score=hcc, spending=money), max_size=8
)


@st.composite
def measures_strategy(draw: st.DrawFn) -> list[MeasureInput]:
    measures = []
    for index in range(draw(st.integers(min_value=0, max_value=3))):
        denominator = draw(st.integers(min_value=0, max_value=50))
        numerator = draw(st.integers(min_value=0, max_value=denominator))
        reported = draw(st.booleans())
        measures.append(
            MeasureInput(
                f"Q{index}",
                D(draw(st.integers(min_value=1, max_value=5))),
                draw(st.booleans()),
                D(numerator) if reported else None,
                D(denominator) if reported else None,
            )
        )
    return measures


def _with_quality(measures: list[MeasureInput], perfect: bool) -> list[MeasureInput]:
    rate = D(1) if perfect else D(0)
    return [MeasureInput("Q", D(1), True, rate, D(1))] + [replace(m, numerator=None) for m in measures]


@settings(max_examples=300, deadline=None)
@given(terms=terms_strategy(), episodes=episodes_strategy, measures=measures_strategy())
def test_caps_always_hold(
    terms: SettlementTerms, episodes: list[EpisodeInput], measures: list[MeasureInput]
) -> None:
    result = settle(terms, episodes, measures)
    assert result.stop_loss_limit <= result.shared_after_caps <= result.stop_gain_limit
    assert round2(result.stop_loss_limit) <= result.settlement_amount <= round2(result.stop_gain_limit)
    assert D(0) <= result.quality_score <= D(1)
    for episode in result.episodes:
        assert episode.actual <= episode.outlier_cap
        assert episode.actual <= episode.spending


@settings(max_examples=300, deadline=None)
@given(
    terms=terms_strategy(),
    episodes=episodes_strategy.filter(bool),
    measures=measures_strategy(),
    which=st.integers(min_value=0),
    extra=money,
)
def test_more_spending_never_raises_the_amount(
    terms: SettlementTerms,
    episodes: list[EpisodeInput],
    measures: list[MeasureInput],
    which: int,
    extra: Decimal,
) -> None:
    index = which % len(episodes)
    more = list(episodes)
    more[index] = more[index]._replace(spending=more[index].spending + extra)
    assert (
        settle(terms, more, measures).settlement_amount <= settle(terms, episodes, measures).settlement_amount
    )


@settings(max_examples=300, deadline=None)
@given(terms=terms_strategy(), episodes=episodes_strategy, measures=measures_strategy())
def test_perfect_and_zero_quality_bound_the_result(
    terms: SettlementTerms, episodes: list[EpisodeInput], measures: list[MeasureInput]
) -> None:
    amount = settle(terms, episodes, measures).settlement_amount
    assert settle(terms, episodes, _with_quality(measures, False)).settlement_amount <= amount
    assert amount <= settle(terms, episodes, _with_quality(measures, True)).settlement_amount


@settings(max_examples=100, deadline=None)
@given(terms=terms_strategy(), measures=measures_strategy())
def test_zero_episodes_always_settle_to_zero(terms: SettlementTerms, measures: list[MeasureInput]) -> None:
    assert settle(terms, [], measures).settlement_amount == 0
