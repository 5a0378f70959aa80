"""Settling a period under several terms versions, as pure functions: each episode under the
version in force on its trigger date, the shares added, the waiver and the caps applied once to
the sums, one rounding; and with one version, exactly the single-version method.

Also the timeline of versions (which version is in force on which day), a pure function too.
"""

from __future__ import annotations

import itertools
from dataclasses import fields, replace
from datetime import date, timedelta
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.arrangements.timeline import days_in_force, within
from service.settlements.math import (
    PRECISION,
    EpisodeInput,
    MeasureInput,
    SettlementSummary,
    SettlementTerms,
    VersionGroup,
    settle,
    settle_versions,
    summarise,
    summarise_versions,
)
from tests.test_settlement_math import (
    EXAMPLE_EPISODES,
    EXAMPLE_MEASURES,
    EXAMPLE_TERMS,
    episodes_strategy,
    measures_strategy,
    money,
    terms_strategy,
)

D = Decimal

# Version 2 of the worked example's terms: a higher target price, a larger savings share and a
# tighter stop-gain.
AMENDED = replace(EXAMPLE_TERMS, target_price=D("1100.00"), savings_share_pct=D("60"), stop_gain_pct=D("10"))
Q_08 = [MeasureInput("Q155", D(1), True, D(8), D(10))]  # q = 0.8


def summary_fields(summary: SettlementSummary) -> dict[str, object]:
    return {f.name: getattr(summary, f.name) for f in fields(SettlementSummary)}


def test_two_versions_worked_by_hand() -> None:
    """Version 1: one episode, target 1000 x 0.98 = 980.00, spending 500.00.
    Version 2: one episode, target 1100 x 0.98 = 1078.00, spending 1200.00.
    q = 0.8.
    S_1 = 480.00, R_1 = 480 x 0.5 x (1 - 0.2 x 0.2) = 230.40
    S_2 = -122.00, R_2 = -122 x 0.5 x (1 - 0.1 x 0.8) = -56.12
    R = 174.28; S = 358.00 >= 0; stop-gain 0.2 x 980 + 0.1 x 1078 = 303.80, stop-loss
    -(0.2 x 980 + 0.2 x 1078) = -411.60: neither binds. Amount 174.28."""
    result = settle_versions(
        [
            (1, EXAMPLE_TERMS, [EpisodeInput("e1", D("1.0"), D("500.00"))]),
            (2, AMENDED, [EpisodeInput("e2", D("1.0"), D("1200.00"))]),
        ],
        reference=AMENDED,
        measures=Q_08,
    )
    assert [e.target for e in result.episodes] == [D("980.00"), D("1078.00")]
    first, second = result.versions
    assert (first.version, first.n_episodes, first.total_target, first.total_actual, first.savings) == (
        1, 1, D("980.00"), D("500.00"), D("480.00"),
    )  # fmt: skip
    assert (
        first.shared == D("230.4")
        and first.stop_gain_limit == D("196")
        and first.stop_loss_limit == D("-196")
    )
    assert (second.version, second.n_episodes, second.savings, second.shared) == (
        2,
        1,
        D("-122.00"),
        D("-56.12"),
    )
    assert second.stop_gain_limit == D("107.8") and second.stop_loss_limit == D("-215.6")
    assert (
        result.n_episodes == 2 and result.total_target == D("2058.00") and result.total_actual == D("1700.00")
    )
    assert result.savings == D("358.00") and result.quality_score == D("0.8")
    assert result.shared_before_caps == D("174.28") and not result.below_min_episodes
    assert result.stop_gain_limit == D("303.8") and result.stop_loss_limit == D("-411.6")
    assert result.cap_bound is None and str(result.settlement_amount) == "174.28"
    # Not what either version alone would give: under version 1 throughout, e2's target would be
    # 980.00 and R = (1960 - 1700) x 0.5 x 0.96 = 124.80.
    both = [EpisodeInput("e1", D("1.0"), D("500.00")), EpisodeInput("e2", D("1.0"), D("1200.00"))]
    assert settle(EXAMPLE_TERMS, both, Q_08).settlement_amount == D("124.80")


def test_the_waiver_reads_the_last_versions_min_episodes_and_the_summed_savings() -> None:
    """Both versions lose: S_1 = 980 - 1500 = -520, S_2 = 1078 - 1500 = -422; n = 2."""
    losing = [
        (1, replace(EXAMPLE_TERMS, min_episodes=0), [EpisodeInput("e1", None, D("1500.00"))]),
        (2, replace(AMENDED, min_episodes=3), [EpisodeInput("e2", None, D("1500.00"))]),
    ]
    waived = settle_versions(losing, reference=losing[-1][1], measures=Q_08)
    assert waived.below_min_episodes and waived.shared_before_caps == 0 and waived.settlement_amount == 0
    # The per-version shares are still shown: -520 x 0.5 x 0.92 = -239.20, -422 x 0.5 x 0.92 = -194.12.
    assert [v.shared for v in waived.versions] == [D("-239.2"), D("-194.12")]
    # Version 1 asking for 10 episodes does not matter: the last version's min_episodes decides.
    swapped = [
        (1, replace(EXAMPLE_TERMS, min_episodes=10), losing[0][2]),
        (2, replace(AMENDED, min_episodes=0), losing[1][2]),
    ]
    owed = settle_versions(swapped, reference=swapped[-1][1], measures=Q_08)
    assert not owed.below_min_episodes
    # R = -239.20 - 194.12 = -433.32, below the summed stop-loss -(196 + 215.60) = -411.60.
    assert owed.shared_before_caps == D("-433.32") and owed.cap_bound == "stop_loss"
    assert str(owed.settlement_amount) == "-411.60"
    # A version's loss inside overall savings is never waived: S = 480 - 122 >= 0 (see above).
    gaining = settle_versions(
        [
            (1, replace(EXAMPLE_TERMS, min_episodes=5), [EpisodeInput("e1", D("1.0"), D("500.00"))]),
            (2, replace(AMENDED, min_episodes=5), [EpisodeInput("e2", D("1.0"), D("1200.00"))]),
        ],
        reference=replace(AMENDED, min_episodes=5),
        measures=Q_08,
    )
    assert not gaining.below_min_episodes and str(gaining.settlement_amount) == "174.28"


def test_the_caps_are_summed_over_versions() -> None:
    """Spending 0 everywhere, perfect quality: R_1 = 980 x 0.5 = 490, R_2 = 1078 x 0.6 = 646.80;
    R = 1136.80 above the summed stop-gain 196 + 107.80 = 303.80, which binds."""
    perfect = [MeasureInput("Q155", D(1), True, D(10), D(10))]
    result = settle_versions(
        [
            (1, EXAMPLE_TERMS, [EpisodeInput("e1", None, D("0.00"))]),
            (2, AMENDED, [EpisodeInput("e2", None, D("0.00"))]),
        ],
        reference=AMENDED,
        measures=perfect,
    )
    assert [v.shared for v in result.versions] == [D("490"), D("646.8")]
    assert result.cap_bound == "stop_gain" and str(result.settlement_amount) == "303.80"
    # Losses: spending 3 x target (the outlier cap), q = 0: R_1 = -1960 x 0.5 = -980, R_2 =
    # -2156 x 0.5 = -1078; stop-loss -(196 + 215.60) = -411.60 binds.
    none = [MeasureInput("Q155", D(1), True, D(0), D(10))]
    lost = settle_versions(
        [
            (1, EXAMPLE_TERMS, [EpisodeInput("e1", None, D("9000.00"))]),
            (2, AMENDED, [EpisodeInput("e2", None, D("9000.00"))]),
        ],
        reference=AMENDED,
        measures=none,
    )
    assert [v.total_actual for v in lost.versions] == [D("2940.00"), D("3234.00")]
    assert lost.cap_bound == "stop_loss" and str(lost.settlement_amount) == "-411.60"


def test_a_version_without_episodes_adds_nothing() -> None:
    alone = settle(EXAMPLE_TERMS, EXAMPLE_EPISODES, EXAMPLE_MEASURES)
    with_empty = settle_versions(
        [(1, AMENDED, []), (2, EXAMPLE_TERMS, EXAMPLE_EPISODES)],
        reference=EXAMPLE_TERMS,
        measures=EXAMPLE_MEASURES,
    )
    assert with_empty.settlement_amount == alone.settlement_amount == D("-103.04")
    assert with_empty.versions[0].n_episodes == 0 and with_empty.versions[0].shared == 0


def test_at_least_one_version() -> None:
    with pytest.raises(ValueError):
        summarise_versions([], reference=EXAMPLE_TERMS, measures=EXAMPLE_MEASURES)


# ---- one version is the single-version method, figure for figure ----------------------------


@settings(max_examples=400, deadline=None)
@given(terms=terms_strategy(), episodes=episodes_strategy, measures=measures_strategy())
def test_one_version_is_the_single_version_method(
    terms: SettlementTerms, episodes: list[EpisodeInput], measures: list[MeasureInput]
) -> None:
    single = settle(terms, episodes, measures)
    versioned = settle_versions([(7, terms, episodes)], reference=terms, measures=measures)
    assert summary_fields(versioned) == summary_fields(single)
    # The same Decimals, not merely equal values: the same digits are stored and shown.
    assert {k: str(v) for k, v in summary_fields(versioned).items()} == {
        k: str(v) for k, v in summary_fields(single).items()
    }
    assert versioned.episodes == single.episodes
    (only,) = versioned.versions
    assert (only.version, only.n_episodes, only.total_target, only.total_actual) == (
        7, single.n_episodes, single.total_target, single.total_actual,
    )  # fmt: skip
    assert (only.stop_gain_limit, only.stop_loss_limit) == (single.stop_gain_limit, single.stop_loss_limit)
    if not single.below_min_episodes:
        assert only.shared == single.shared_before_caps


@settings(max_examples=200, deadline=None)
@given(
    terms=terms_strategy(),
    n=st.integers(min_value=0, max_value=40),
    target=money,
    actual=money,
    measures=measures_strategy(),
)
def test_one_group_summarises_like_summarise(
    terms: SettlementTerms, n: int, target: Decimal, actual: Decimal, measures: list[MeasureInput]
) -> None:
    alone = summarise(terms, n_episodes=n, total_target=target, total_actual=actual, measures=measures)
    grouped = summarise_versions(
        [VersionGroup(1, terms, n, target, actual)], reference=terms, measures=measures
    )
    assert {k: str(v) for k, v in summary_fields(grouped).items()} == {
        k: str(v) for k, v in summary_fields(alone).items()
    }


# ---- properties of several versions -------------------------------------------------------------

versions_strategy = st.lists(st.tuples(terms_strategy(), episodes_strategy), min_size=1, max_size=4)


@settings(max_examples=300, deadline=None)
@given(versions=versions_strategy, measures=measures_strategy())
def test_several_versions_sum_and_stay_within_the_summed_caps(
    versions: list[tuple[SettlementTerms, list[EpisodeInput]]], measures: list[MeasureInput]
) -> None:
    def total(values: list[Decimal]) -> Decimal:
        with localcontext() as context:
            context.prec = PRECISION  # the arithmetic's own precision
            return sum(values, D(0))

    numbered = [(i + 1, t, e) for i, (t, e) in enumerate(versions)]
    result = settle_versions(numbered, reference=versions[-1][0], measures=measures)
    parts = result.versions
    assert [v.version for v in parts] == [i + 1 for i in range(len(versions))]
    assert result.n_episodes == sum(v.n_episodes for v in parts) == sum(len(e) for _, e in versions)
    assert result.total_target == total([v.total_target for v in parts])
    assert result.total_actual == total([v.total_actual for v in parts])
    assert result.savings == total([v.savings for v in parts])
    assert result.stop_gain_limit == total([v.stop_gain_limit for v in parts])
    assert result.stop_loss_limit == total([v.stop_loss_limit for v in parts])
    if result.below_min_episodes:
        assert result.savings < 0 and result.n_episodes < versions[-1][0].min_episodes
        assert result.shared_before_caps == 0
    else:
        assert result.shared_before_caps == total([v.shared for v in parts])
    assert result.stop_loss_limit <= result.shared_after_caps <= result.stop_gain_limit
    # Rounded once, from the unrounded R.
    assert result.settlement_amount == result.shared_after_caps.quantize(D("0.01"), rounding="ROUND_HALF_UP")


@settings(max_examples=200, deadline=None)
@given(
    terms=terms_strategy(),
    episodes=episodes_strategy,
    split=st.integers(min_value=0),
    measures=measures_strategy(),
)
def test_splitting_one_terms_version_in_two_changes_nothing_while_savings_keep_their_sign(
    terms: SettlementTerms, episodes: list[EpisodeInput], split: int, measures: list[MeasureInput]
) -> None:
    """The same terms under two version numbers: the formulas are linear on each side of zero,
    so when both parts save (or both lose) the amount is that of one version (to the cent: q
    may be a repeating decimal, carried to 50 digits either way)."""
    cut = split % (len(episodes) + 1)
    parts = settle_versions(
        [(1, terms, episodes[:cut]), (2, terms, episodes[cut:])], reference=terms, measures=measures
    )
    savings = [v.savings for v in parts.versions]
    if all(s >= 0 for s in savings) or all(s < 0 for s in savings):
        whole = settle(terms, episodes, measures)
        assert abs(parts.settlement_amount - whole.settlement_amount) <= D("0.01")
        assert abs(parts.shared_before_caps - whole.shared_before_caps) < D("1e-40")


# ---- the timeline of versions -------------------------------------------------------------------

JAN1, DEC31 = date(2027, 1, 1), date(2027, 12, 31)


def test_each_version_is_in_force_from_its_effective_date() -> None:
    assert days_in_force([(1, JAN1)], start=JAN1, end=DEC31) == [(1, JAN1, DEC31)]
    # An amendment effective 1 July leaves January to June to version 1.
    amended = days_in_force([(1, JAN1), (2, date(2027, 7, 1))], start=JAN1, end=DEC31)
    assert amended == [(1, JAN1, date(2027, 6, 30)), (2, date(2027, 7, 1), DEC31)]
    # One effective from the period's start replaces everything before it (what amendments did
    # before they had a date).
    assert days_in_force([(1, JAN1), (2, date(2027, 7, 1)), (3, JAN1)], start=JAN1, end=DEC31) == [
        (3, JAN1, DEC31)
    ]
    # A later amendment with an earlier date takes over from its date: version 2 is never in force.
    assert days_in_force(
        [(1, JAN1), (2, date(2027, 7, 1)), (3, date(2027, 3, 1))], start=JAN1, end=DEC31
    ) == [
        (1, JAN1, date(2027, 2, 28)),
        (3, date(2027, 3, 1), DEC31),
    ]
    # An amendment effective on the last day covers that day only.
    assert days_in_force([(1, JAN1), (2, DEC31)], start=JAN1, end=DEC31)[-1] == (2, DEC31, DEC31)
    # The first executed version covers the period from its start, whatever its own date.
    assert days_in_force([(4, date(2027, 5, 1))], start=JAN1, end=DEC31) == [(4, JAN1, DEC31)]


def test_a_settlement_period_reads_the_versions_of_its_days() -> None:
    days = [(1, JAN1, date(2027, 6, 30)), (2, date(2027, 7, 1), DEC31)]
    assert within(days, start=JAN1, end=date(2027, 6, 30)) == [(1, JAN1, date(2027, 6, 30))]
    assert within(days, start=date(2027, 6, 30), end=date(2027, 7, 1)) == [
        (1, date(2027, 6, 30), date(2027, 6, 30)),
        (2, date(2027, 7, 1), date(2027, 7, 1)),
    ]
    assert within(days, start=date(2027, 8, 1), end=date(2027, 9, 30)) == [
        (2, date(2027, 8, 1), date(2027, 9, 30))
    ]


@settings(max_examples=200, deadline=None)
@given(
    effective=st.lists(st.integers(min_value=-30, max_value=400), min_size=1, max_size=6),
    day=st.integers(min_value=0, max_value=364),
)
def test_the_timeline_covers_every_day_once_with_the_last_version_executed_by_then(
    effective: list[int], day: int
) -> None:
    executed = [(i + 1, JAN1 + timedelta(days=d)) for i, d in enumerate(effective)]
    days = days_in_force(executed, start=JAN1, end=DEC31)
    # Contiguous, in date order, from the start to the end.
    assert days[0][1] == JAN1 and days[-1][2] == DEC31
    for (_, _, end), (_, start, _) in itertools.pairwise(days):
        assert start == end + timedelta(days=1)
    on = JAN1 + timedelta(days=day)
    (version,) = [n for n, a, b in days if a <= on <= b]
    # The version in force is the last executed whose date is on or before the day (the first
    # executed counting from the start).
    eligible = [n for n, e in executed if n == 1 or e <= on]
    assert version == max(eligible)
