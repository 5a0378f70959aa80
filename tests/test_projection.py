"""A preview's projected final settlement over HTTP: the claims of docs/settlement.md section 10
(its triangle and episodes), whose projection was worked by hand there."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.episode_data import Scenario, publish_definition, scenario
from tests.support.factories import Api, World


@pytest.fixture(scope="module")
def falls(ops: Api) -> dict[str, Any]:
    return publish_definition(ops)


def _worked_example(world: World, falls: dict[str, Any]) -> Scenario:
    """Four beneficiaries, one episode each; the ACO's claims make the section 10 triangle:
    service months January to April 2027, amounts by month of receipt."""
    s = scenario(world, falls)
    a, b, c, d = (s.beneficiary() for _ in range(4))
    s.upload(
        # January: A's episode (5 January .. 4 April): 400 received in January, 240 in February,
        # 64 in March; and 100 of A's on 20 March (day 74 of its episode).
        s.line(a, "2027-01-05", received_date="2027-01-06"),
        s.spend(a, "2027-01-10", "300.00", received_date="2027-01-20"),
        s.spend(a, "2027-01-20", "240.00", received_date="2027-02-10"),
        s.spend(a, "2027-01-25", "64.00", received_date="2027-03-05"),
        s.spend(a, "2027-03-20", "100.00", received_date="2027-03-25"),
        # February: B (3 February .. 3 May): 400, then 160 in March, 56 in April.
        s.line(b, "2027-02-03", received_date="2027-02-04"),
        s.spend(b, "2027-02-10", "300.00", received_date="2027-02-20"),
        s.spend(b, "2027-02-15", "160.00", received_date="2027-03-01"),
        s.spend(b, "2027-02-20", "56.00", received_date="2027-04-02"),
        # March: C (2 March .. 30 May): 300 (with A's 100, March's 400), then 200 in April.
        s.line(c, "2027-03-02", received_date="2027-03-03"),
        s.spend(c, "2027-03-05", "200.00", received_date="2027-03-20"),
        s.spend(c, "2027-03-10", "200.00", received_date="2027-04-01"),
        # April: D (1 April .. 29 June): 300.
        s.line(d, "2027-04-01", received_date="2027-04-02"),
        s.spend(d, "2027-04-05", "200.00", received_date="2027-04-20"),
        # Received after the cutoff: neither today's figure nor the triangle reads it.
        s.spend(d, "2027-04-06", "999.00", received_date="2027-05-02"),
    )
    return s


def test_preview_reports_today_and_the_hand_worked_projection(world: World, falls: dict[str, Any]) -> None:
    s = _worked_example(world, falls)
    preview = s.settle(status=200, preview=True, claims_cutoff="2027-04-30")
    # Today: 804 + 616 + 500 + 300 = 2220 of spending against 4 x 980.00; q = 0:
    # 1700 x 50 % x (1 - 20 %) = 680.00.
    assert (preview["status"], preview["n_episodes"]) == ("preview", 4)
    assert (preview["total_actual"], preview["settlement_amount"]) == ("2220.00", "680.00")
    projected = preview["projection"]
    assert projected["today_settlement_amount"] == "680.00" and projected["today_total_actual"] == "2220.00"
    assert projected["evaluation_month"] == "2027-04" and projected["flags"] == []

    completion = projected["claims_completion"]
    assert completion["sufficient_history"] is True and completion["origin_months"] == 4
    factors = [
        (
            f["lag"],
            f["development_factor"],
            f["development_spread"],
            f["completion_factor"],
            f["completion_factor_low"],
            f["completion_factor_high"],
        )
        for f in completion["factors"]
    ]
    assert factors == [
        (0, "1.500000", "0.100000", "0.606061", "0.568182", "0.649351"),
        (1, "1.100000", "0.000000", "0.909091", "0.909091", "0.909091"),
        (2, "1.000000", "0.000000", "1.000000", "1.000000", "1.000000"),
        (3, None, None, "1.000000", "1.000000", "1.000000"),
    ]
    # A (closed): 704 + 100 x 1.1 = 814; B: 616 (complete, nothing to come after day 86);
    # C: 500 x 1.1 + 110 (A's day 74) = 660; D: 300 x 1.65 + 110 = 605. 2695 in all.
    assert projected["open_episodes"] == {
        "completed": 3,
        "closed_episodes_used": 1,
        "expected_spending": "220.00",
    }
    assert (projected["total_target"], projected["total_actual"]) == ("3920.00", "2695.00")
    # 1225 x 0.5 x 0.8 = 490.00. D at 1.54 or 1.76 instead of 1.65: 2662 or 2728.
    assert projected["settlement_amount"] == "490.00"
    assert (projected["total_actual_low"], projected["total_actual_high"]) == ("2662.00", "2728.00")
    assert (projected["settlement_amount_low"], projected["settlement_amount_high"]) == ("476.80", "503.20")

    # The settlement of record is what it always was: no projection, the preview's hash.
    stored = s.settle(claims_cutoff="2027-04-30")
    assert stored["projection"] is None
    assert (stored["inputs_sha256"], stored["settlement_amount"]) == (preview["inputs_sha256"], "680.00")
    assert "projection" not in stored["inputs"]


def test_too_short_a_history_projects_nothing_and_says_so(world: World, falls: dict[str, Any]) -> None:
    s = _worked_example(world, falls)
    # At the end of February: two service months, and both episodes still open.
    preview = s.settle(status=200, preview=True, claims_cutoff="2027-02-28")
    projected = preview["projection"]
    assert projected["flags"] == ["insufficient_history", "no_closed_episodes"]
    assert projected["claims_completion"]["sufficient_history"] is False
    assert {f["completion_factor"] for f in projected["claims_completion"]["factors"]} == {"1.000000"}
    assert projected["open_episodes"] == {
        "completed": 0,
        "closed_episodes_used": 0,
        "expected_spending": "0.00",
    }
    assert (
        projected["settlement_amount"] == projected["today_settlement_amount"] == preview["settlement_amount"]
    )
    assert projected["total_actual"] == preview["total_actual"] == "1040.00"  # 640 + 400 received by then
