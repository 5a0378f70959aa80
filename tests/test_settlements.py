"""Quality reporting and settlements over HTTP (SPEC sections 7 and 8, API.md).

Every amount below is worked out in a comment from the SPEC formula with the terms of
tests/episode_data.py (target 1000.00, price adjustment -2 %, so each episode's target is
980.00 x its risk factor; shares 50/50, performance adjustment 20 %, loss relief 10 %, stop-gain
and stop-loss 20 % of T, outlier multiple 3.0, HCC risk adjustment). Each trigger line
(`Scenario.line`) is itself 100.00 of spending.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from service.bootstrap import run_with_session
from service.kit import clock
from service.settings import Settings
from service.webhooks.models import OutboxEvent
from tests.support.episode_data import CSV, TERMS, Scenario, new_mbi, publish_definition, scenario
from tests.support.factories import Api, World, expect
from tests.support.ingest_data import alignment, to_csv

PERIOD = "2027-01-01"
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def falls(ops: Api) -> dict[str, Any]:
    return publish_definition(ops)


@pytest.fixture(scope="module")
def untouched(ops: Api, falls: dict[str, Any]) -> Scenario:
    """An executed arrangement that the validation tests below never manage to change."""
    return scenario(World.create(ops), falls)


def quality(api: Api, s: Scenario, *measures: tuple[str, int, int], status: int = 200) -> Any:
    body = {"measures": [{"measure_id": m, "numerator": n, "denominator": d} for m, n, d in measures]}
    return expect(api.put(f"/v1/quality/{s.arrangement_id}/{PERIOD}", json=body), status)


def beneficiary(s: Scenario, hcc_score: str) -> str:
    """A beneficiary aligned to the scenario's ACO with this HCC score."""
    mbi = new_mbi()
    row = alignment(mbi=mbi, hcc_score=hcc_score)
    expect(s.world.aco.post("/v1/alignment", content=to_csv([row]), headers=CSV), 201)
    return mbi


def worked_example(world: World, falls: dict[str, Any], **terms: Any) -> Scenario:
    """SPEC section 8: three episodes, HCC 1.2 / 0.4 / 1.0, spending 900 / 1600 / 500."""
    s = scenario(world, falls, **terms)
    rows = []
    for hcc, extra, day in (
        ("1.2", "800.00", "2027-02-01"),
        ("0.4", "1500.00", "2027-03-01"),
        ("1.0", "400.00", "2027-04-01"),
    ):
        mbi = beneficiary(s, hcc)
        rows += [s.line(mbi, day), s.spend(mbi, day, extra)]
    s.upload(*rows)
    return s


def one_episode(world: World, falls: dict[str, Any], extra: str, **terms: Any) -> Scenario:
    """One episode (HCC 1.0, target 980.00) with spending 100.00 + ``extra``."""
    s = scenario(world, falls, **terms)
    mbi = s.beneficiary()
    s.upload(s.line(mbi, "2027-05-03"), s.spend(mbi, "2027-05-10", extra))
    return s


# A day after every claims cutoff these tests use: finalising then needs no override.
AFTER_CUTOFFS = date(2030, 1, 2)


def finalize(ops: Api, settlement_id: str, status: int = 200, **body: Any) -> Any:
    """Finalise as ops once the claims cutoff has passed (the clock frozen after it)."""
    with clock.frozen(AFTER_CUTOFFS):
        return expect(ops.post(f"/v1/settlements/{settlement_id}/finalize", json=body or None), status)


def figures(settlement: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "n_episodes", "n_excluded", "total_target", "total_actual", "savings", "quality_score",
        "shared_before_caps", "cap_bound", "below_min_episodes", "stop_gain_limit", "stop_loss_limit",
        "settlement_amount", "claims_cutoff", "inputs_sha256", "inputs", "terms_sha256", "measures",
    )  # fmt: skip
    return {k: settlement[k] for k in keys}


def is_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"] and body["title"]
    return body


# ---- quality --------------------------------------------------------------------------------


def test_quality_round_trip_and_versions(world: World, falls: dict[str, Any]) -> None:
    s = scenario(world, falls)
    path = f"/v1/quality/{s.arrangement_id}/{PERIOD}"
    expect(world.aco.get(path), 404)  # nothing reported yet
    first = quality(world.provider, s, ("Q155", 8, 10), ("Q318", 0, 0))
    assert first["revision"] == 1 and first["reported_by"] == world.provider_org["id"]
    assert first["arrangement_id"] == s.arrangement_id and first["period_start"] == PERIOD
    assert first["measures"] == [
        {"measure_id": "Q155", "numerator": 8, "denominator": 10},
        {"measure_id": "Q318", "numerator": 0, "denominator": 0},
    ]
    assert first["key_id"] and first["version_id"].startswith("qrv_") and first["attestation"]
    for api in (world.aco, world.provider, world.ops):
        assert expect(api.get(path), 200) == first
    # The terms name the provider (the default): the ACO may not report.
    is_problem(
        world.aco.put(path, json={"measures": [{"measure_id": "Q155", "numerator": 3, "denominator": 4}]}),
        403,
    )
    # A new version replaces the whole earlier one as the current data (Q318 is gone, not kept).
    second = quality(world.provider, s, ("Q155", 3, 4))
    assert second["revision"] == 2 and second["reported_by"] == world.provider_org["id"]
    assert second["version_id"] != first["version_id"]
    assert expect(world.aco.get(path), 200)["measures"] == [
        {"measure_id": "Q155", "numerator": 3, "denominator": 4}
    ]
    third = quality(world.ops, s, ("Q318", 1, 1))
    assert third["revision"] == 3
    # Every version stays readable, with who sent it.
    versions_url = f"/v1/arrangements/{s.arrangement_id}/quality-versions"
    versions = expect(world.aco.get(versions_url, params={"period_start": PERIOD}), 200)["items"]
    assert versions == [first, second, third]
    # Every report stays in the audit trail, with the one it replaced.
    params = {"resource_type": "quality_report", "limit": 500}
    events = expect(world.provider.get("/v1/audit-events", params=params), 200)["items"]
    mine = [e for e in events if e["details"]["arrangement_id"] == s.arrangement_id]
    assert [(e["action"], e["details"]["revision"]) for e in mine] == [
        ("quality.reported", 1),
        ("quality.reported", 2),
        ("quality.reported", 3),
    ]
    assert mine[1]["details"]["replaced"] == first["measures"]


@pytest.mark.parametrize(
    ("measures", "location"),
    [
        ([{"measure_id": "Q155", "numerator": 11, "denominator": 10}], "body.measures"),
        ([{"measure_id": "Q999", "numerator": 1, "denominator": 2}], "body.measures[0].measure_id"),
        # Q484 is one of the definition's measures but not one the terms chose.
        ([{"measure_id": "Q484", "numerator": 1, "denominator": 2}], "body.measures[0].measure_id"),
        ([{"measure_id": "Q155", "numerator": -1, "denominator": 2}], "body.measures"),
        ([{"measure_id": "Q155", "numerator": 1, "denominator": 2}] * 2, "body"),
        ([{"measure_id": "Q155", "numerator": 1, "denominator": 2, "extra": 1}], "body.measures"),
    ],
)
def test_quality_validation(untouched: Scenario, measures: Any, location: str) -> None:
    s, world = untouched, untouched.world
    problem = is_problem(
        world.provider.put(f"/v1/quality/{s.arrangement_id}/{PERIOD}", json={"measures": measures}), 422
    )
    assert any(e["location"].startswith(location) for e in problem["errors"]), problem
    expect(world.provider.get(f"/v1/quality/{s.arrangement_id}/{PERIOD}"), 404)  # nothing stored


def test_quality_path_and_tenancy(world: World, falls: dict[str, Any]) -> None:
    s = scenario(world, falls)
    body = {"measures": [{"measure_id": "Q155", "numerator": 1, "denominator": 2}]}
    for period_start in ("2027-13-01", "soon"):
        is_problem(world.provider.put(f"/v1/quality/{s.arrangement_id}/{period_start}", json=body), 422)
    is_problem(
        world.provider.put(f"/v1/quality/{s.arrangement_id}/2028-01-01", json=body), 422
    )  # outside the period
    is_problem(world.provider.put("/v1/quality/arr_nope/2027-01-01", json=body), 404)
    quality(world.provider, s, ("Q155", 1, 2))
    for stranger in (world.other_aco, world.other_provider):
        is_problem(stranger.put(f"/v1/quality/{s.arrangement_id}/{PERIOD}", json=body), 404)
        is_problem(stranger.get(f"/v1/quality/{s.arrangement_id}/{PERIOD}"), 404)
    expect(world.anonymous.get(f"/v1/quality/{s.arrangement_id}/{PERIOD}"), 401)


# ---- create, preview, read, lines, statement, finalize ------------------------------------------


def test_worked_example_create_preview_get_lines_statement(world: World, falls: dict[str, Any]) -> None:
    s = worked_example(world, falls)
    quality(world.provider, s, ("Q155", 8, 10), ("Q318", 0, 0))
    url = f"/v1/arrangements/{s.arrangement_id}/settlements"
    body = {"period_start": "2027-01-01", "period_end": "2027-12-31"}

    preview_response = world.aco.post(url, json={**body, "preview": True})
    preview = expect(preview_response, 200)
    assert preview["id"] is None and preview["revision"] is None and preview["status"] == "preview"
    assert "location" not in preview_response.headers
    expect(world.provider.post(url, json={**body, "preview": True}), 200)

    response = world.aco.post(url, json=body)
    created = expect(response, 201)
    assert response.headers["location"] == f"/v1/settlements/{created['id']}"
    # The previews stored nothing: this is the first revision.
    assert created["revision"] == 1 and created["status"] == "draft"
    assert created["arrangement_id"] == s.arrangement_id and created["finalized_at"] is None
    assert created["delta"] is None and created["delta_against"] is None  # nothing final yet
    assert created["claims_cutoff"] == "2028-03-30"  # 2027-12-31 + 90 run-out days
    # targets 980 x 1.2 = 1176.00, 980 x 0.5 (0.4 clamped) = 490.00, 980 x 1.0 = 980.00
    # T = 2646.00; counted 900.00 + min(1600.00, 3 x 490 = 1470.00) + 500.00: A = 2870.00
    # S = -224.00; q = Q155 8/10 = 0.8 (Q318 0/0 dropped)
    # R = -224 x 0.5 x (1 - 0.10 x 0.8) = -103.04; floor -0.2 x 2646 = -529.20 does not bind
    assert created["n_episodes"] == 3 and created["n_excluded"] == 0
    assert created["total_target"] == "2646.00"
    assert created["total_actual"] == "2870.00"
    assert created["savings"] == "-224.00"
    assert created["quality_score"] == "0.8"
    assert created["shared_before_caps"] == "-103.04"
    assert created["stop_gain_limit"] == "529.2" and created["stop_loss_limit"] == "-529.2"
    assert created["cap_bound"] is None and created["below_min_episodes"] is False
    assert created["settlement_amount"] == "-103.04"
    assert [(m["measure_id"], m["rate"]) for m in created["measures"]] == [("Q155", "0.8"), ("Q318", None)]
    assert created["definition"] == falls and created["terms_version"] == 1
    assert len(created["inputs_sha256"]) == 64
    # The preview computed exactly the same figures.
    assert figures(preview) == figures(created)

    assert expect(world.provider.get(f"/v1/settlements/{created['id']}"), 200) == created
    assert expect(world.ops.get(f"/v1/settlements/{created['id']}"), 200) == created

    # Lines, two per page, ordered by episode id.
    lines_url = f"/v1/settlements/{created['id']}/lines"
    page1 = expect(world.aco.get(lines_url, params={"limit": 2}), 200)
    assert len(page1["items"]) == 2 and page1["next_cursor"]
    page2 = expect(world.aco.get(lines_url, params={"limit": 2, "cursor": page1["next_cursor"]}), 200)
    assert len(page2["items"]) == 1 and page2["next_cursor"] is None
    lines = page1["items"] + page2["items"]
    assert [x["episode_id"] for x in lines] == sorted(x["episode_id"] for x in lines)
    assert expect(world.provider.get(lines_url), 200)["items"] == lines
    by_trigger = {x["trigger_date"]: x for x in lines}
    got = {
        day: (x["risk_factor"], x["target"], x["spending"], x["outlier_cap"], x["actual"], x["capped"])
        for day, x in by_trigger.items()
    }
    assert got == {
        "2027-02-01": ("1.2", "1176.00", "900.00", "3528.00", "900.00", False),
        "2027-03-01": ("0.5", "490.00", "1600.00", "1470.00", "1470.00", True),
        "2027-04-01": ("1", "980.00", "500.00", "2940.00", "500.00", False),
    }
    assert by_trigger["2027-02-01"]["end_date"] == "2027-05-01"  # day 89

    # The statement: a header, then one row per episode (all three settled) in line order.
    response = world.provider.get(f"/v1/settlements/{created['id']}/statement.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert created["id"] in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == [
        "settlement_id", "line_id", "status", "exclusion_reason", "terms_version", "mbi", "trigger_date", "end_date",
        "trigger_claim_id", "risk_factor", "risk_factor_exact", "target", "spending", "outlier_cap",
        "actual", "capped", "risk_score_source", "price_group",
    ]  # fmt: skip
    assert len(rows) == 4
    assert [r[1] for r in rows[1:4]] == [x["episode_id"] for x in lines]
    assert [[r[0], *r[2:8]] for r in rows[1:4]] == [
        [created["id"], "settled", "", "1", x["mbi"], x["trigger_date"], x["end_date"]] for x in lines
    ]
    assert all(r[8].startswith("CL") for r in rows[1:4])  # the trigger lines' claim ids
    assert [[r[9], *r[11:]] for r in rows[1:4]] == [
        [
            x["risk_factor"],
            x["target"],
            x["spending"],
            x["outlier_cap"],
            x["actual"],
            str(x["capped"]).lower(),
            "uploaded",
            "",  # no price group under a single target price
        ]
        for x in lines
    ]
    assert {x["risk_score_source"] for x in lines} == {"uploaded"}
    # The totals: the summary's one row.
    summary = world.provider.get(f"/v1/settlements/{created['id']}/summary.csv")
    assert summary.status_code == 200 and summary.headers["content-type"].startswith("text/csv")
    [totals] = list(csv.DictReader(io.StringIO(summary.text)))
    assert totals["total_target"] == "2646.00" and totals["total_actual"] == "2870.00"
    assert totals["savings"] == "-224.00" and totals["quality_score"] == "0.8"
    assert totals["settlement_amount"] == "-103.04" and totals["delta"] == ""
    assert totals["status"] == "draft" and totals["revision"] == "1"
    assert totals["inputs_sha256"] == created["inputs_sha256"]


def test_finalize_is_ops_only_and_once(world: World, falls: dict[str, Any]) -> None:
    s = one_episode(world, falls, "400.00")
    response = world.aco.post(
        f"/v1/arrangements/{s.arrangement_id}/settlements",
        json={"period_start": "2027-01-01", "period_end": "2027-12-31"},
    )
    created = expect(response, 201)
    draft_etag = response.headers["etag"]
    path = f"/v1/settlements/{created['id']}/finalize"
    is_problem(world.aco.post(path), 403)
    is_problem(world.provider.post(path), 403)
    read = world.aco.get(f"/v1/settlements/{created['id']}")
    assert expect(read, 200)["status"] == "draft" and read.headers["etag"] == draft_etag
    with clock.frozen(AFTER_CUTOFFS):
        finalized = world.ops.post(path)
    final = expect(finalized, 200)
    assert finalized.headers["etag"] != draft_etag
    assert world.provider.get(f"/v1/settlements/{created['id']}").headers["etag"] == finalized.headers["etag"]
    assert final["status"] == "final" and final["finalized_at"] is not None
    assert figures(final) == figures(created)
    with clock.frozen(AFTER_CUTOFFS):
        problem = is_problem(world.ops.post(path), 409)
    assert "final" in problem["detail"]
    assert expect(world.provider.get(f"/v1/settlements/{created['id']}"), 200) == final


# ---- the arithmetic through HTTP ----------------------------------------------------------------


def test_weighted_quality_with_a_lower_is_better_measure(world: World, falls: dict[str, Any]) -> None:
    s = worked_example(
        world,
        falls,
        quality_measures=[{"measure_id": "Q155", "weight": "3"}, {"measure_id": "Q484", "weight": "1"}],
    )
    quality(world.provider, s, ("Q155", 8, 10), ("Q484", 1, 4))
    # q = (3 x 8/10 + 1 x (1 - 1/4)) / (3 + 1) = (2.4 + 0.75) / 4 = 0.7875
    # Worked example data: S = -224.00, a loss: R = -224 x 0.5 x (1 - 0.1 x 0.7875)
    loss = s.settle()
    assert loss["quality_score"] == "0.7875"
    assert [(m["measure_id"], m["rate"]) for m in loss["measures"]] == [("Q155", "0.8"), ("Q484", "0.75")]
    # = -112 x 0.92125 = -103.18
    assert loss["settlement_amount"] == "-103.18"


def test_savings_not_capped(world: World, falls: dict[str, Any]) -> None:
    s = scenario(world, falls)
    rows = []
    for hcc, extra, day in (
        ("1.2", "900.00", "2027-02-01"),
        ("0.4", "300.00", "2027-03-01"),
        ("1.0", "804.00", "2027-04-01"),
    ):
        mbi = beneficiary(s, hcc)
        rows += [s.line(mbi, day), s.spend(mbi, day, extra)]
    s.upload(*rows)
    quality(world.provider, s, ("Q155", 8, 10), ("Q318", 3, 4))
    # T = 1176.00 + 490.00 + 980.00 = 2646.00; A = 1000.00 + 400.00 + 904.00 = 2304.00; S = 342.00
    # q = (0.8 + 0.75) / 2 = 0.775
    # R = 342 x 0.5 x (1 - 0.2 x (1 - 0.775)) = 171 x 0.955 = 163.305 -> 163.31 (half up; half
    # even would give 163.30)
    # stop-gain 0.2 x 2646 = 529.20 does not bind
    got = s.settle()
    assert (got["total_target"], got["total_actual"], got["savings"]) == ("2646.00", "2304.00", "342.00")
    assert got["quality_score"] == "0.775" and got["shared_before_caps"] == "163.305"
    assert got["cap_bound"] is None
    assert got["settlement_amount"] == "163.31"


def test_stop_gain_binds(world: World, falls: dict[str, Any]) -> None:
    s = one_episode(world, falls, "0.00")
    quality(world.provider, s, ("Q155", 10, 10), ("Q318", 5, 5))
    # T = 980.00, A = 100.00, S = 880.00, q = 1: R = 880 x 0.5 x 1 = 440
    # stop-gain 0.2 x 980 = 196.00 binds
    got = s.settle()
    assert got["savings"] == "880.00" and got["quality_score"] == "1"
    assert got["shared_before_caps"] == "440" and got["stop_gain_limit"] == "196"
    assert got["cap_bound"] == "stop_gain"
    assert got["settlement_amount"] == "196.00"


def test_stop_loss_binds(world: World, falls: dict[str, Any]) -> None:
    s = one_episode(world, falls, "2000.00")
    quality(world.provider, s, ("Q155", 1, 2))
    # T = 980.00, A = 2100.00 (cap 2940.00 does not bind), S = -1120.00, q = 0.5
    # R = -1120 x 0.5 x (1 - 0.1 x 0.5) = -560 x 0.95 = -532; floor -0.2 x 980 = -196.00 binds
    got = s.settle()
    assert got["savings"] == "-1120.00" and got["shared_before_caps"] == "-532"
    assert got["stop_loss_limit"] == "-196" and got["cap_bound"] == "stop_loss"
    assert got["settlement_amount"] == "-196.00"


def test_min_episodes_waives_a_loss_but_not_a_gain(world: World, falls: dict[str, Any]) -> None:
    s = one_episode(world, falls, "1000.00", min_episodes=2)
    # n = 1 < 2 and S = 980 - 1100 = -120.00: no repayment
    got = s.settle()
    assert got["n_episodes"] == 1 and got["savings"] == "-120.00"
    assert got["below_min_episodes"] is True and got["cap_bound"] is None
    assert got["settlement_amount"] == "0.00"
    # Without the minimum, the same loss is owed: R = -120 x 0.5 x (1 - 0.1 x 0) = -60.00
    # (each arrangement with its own ACO and practice: one arrangement in force per episode)
    plain = one_episode(World.create(world.ops), falls, "1000.00")
    assert plain.settle()["settlement_amount"] == "-60.00"
    # A gain is shared whatever the count: S = 980 - 500 = 480, q = 0: R = 480 x 0.5 x 0.8 = 192.00
    gain = one_episode(World.create(world.ops), falls, "400.00", min_episodes=2)
    got = gain.settle()
    assert got["below_min_episodes"] is False and got["settlement_amount"] == "192.00"


def test_no_quality_data_scores_zero(world: World, falls: dict[str, Any]) -> None:
    s = one_episode(world, falls, "480.00")
    # T = 980.00, A = 580.00, S = 400.00, q = 0: R = 400 x 0.5 x (1 - 0.2 x 1) = 160.00
    got = s.settle()
    assert got["quality_score"] == "0" and [m["rate"] for m in got["measures"]] == [None, None]
    assert got["settlement_amount"] == "160.00"
    # Only zero denominators is no data too.
    quality(world.provider, s, ("Q155", 0, 0), ("Q318", 0, 0))
    again = s.settle()
    assert again["quality_score"] == "0" and again["settlement_amount"] == "160.00"
    # q = (1/2 + 1/2) / 2 = 0.5: R = 200 x (1 - 0.2 x 0.5) = 180.00
    quality(world.provider, s, ("Q155", 1, 2), ("Q318", 2, 4))
    assert s.settle()["settlement_amount"] == "180.00"


def test_outlier_episode_is_capped(world: World, falls: dict[str, Any]) -> None:
    s = one_episode(world, falls, "9900.00")
    quality(world.provider, s, ("Q155", 1, 1))
    # target 980.00, spending 10000.00, counted min(10000.00, 3 x 980 = 2940.00) = 2940.00
    # S = 980 - 2940 = -1960; R = -1960 x 0.5 x (1 - 0.1 x 1) = -882; floor -196.00 binds
    got = s.settle()
    assert got["total_actual"] == "2940.00" and got["settlement_amount"] == "-196.00"
    [line] = expect(world.aco.get(f"/v1/settlements/{got['id']}/lines"), 200)["items"]
    assert (line["spending"], line["outlier_cap"], line["actual"], line["capped"]) == (
        "10000.00",
        "2940.00",
        "2940.00",
        True,
    )


def test_empty_period_settles_to_zero(world: World, falls: dict[str, Any]) -> None:
    s = scenario(world, falls)
    preview = s.settle(status=200, preview=True)
    got = s.settle()
    assert got["n_episodes"] == 0 and got["total_target"] == "0.00" and got["savings"] == "0.00"
    assert got["settlement_amount"] == "0.00"
    assert figures(preview) == figures(got)
    assert expect(world.provider.get(f"/v1/settlements/{got['id']}"), 200) == got
    assert expect(world.aco.get(f"/v1/settlements/{got['id']}/lines"), 200) == {
        "items": [],
        "next_cursor": None,
    }


# ---- revisions, reproducibility, finality -------------------------------------------------------


def test_revisions_and_delta_against_the_last_final(world: World, falls: dict[str, Any]) -> None:
    s = one_episode(world, falls, "480.00")
    first = s.settle()  # 160.00 (see test_no_quality_data_scores_zero)
    assert first["revision"] == 1 and first["settlement_amount"] == "160.00"
    # Unchanged inputs: the same draft again (200), no copy stored.
    again = s.settle(world.provider, status=200)
    assert again["id"] == first["id"] and again["revision"] == 1
    # Another cutoff is another input: the next revision.
    second = s.settle(world.provider, claims_cutoff="2028-03-31")
    assert second["revision"] == 2 and second["delta"] is None  # nothing final yet
    # Only the latest revision may be finalised.
    stale = finalize(world.ops, first["id"], status=409)
    assert stale["latest_settlement_id"] == second["id"] and second["id"] in stale["detail"]
    made_final = finalize(world.ops, second["id"])
    # The first final's delta is against zero: its whole amount.
    assert made_final["delta"] == "160.00" and made_final["delta_against"] is None
    # Late spending: S = 980 - 680 = 300; R = 300 x 0.5 x 0.8 = 120.00; delta 120 - 160 = -40.00
    episode = s.episodes()[0]
    s.upload(s.spend(episode["mbi"], "2027-06-01", "100.00", received_date="2028-01-15"))
    third = s.settle(world.ops)
    assert third["revision"] == 3 and third["settlement_amount"] == "120.00"
    assert third["delta"] == "-40.00" and third["delta_against"] == second["id"]
    # Revision 1 (a draft) still reports no delta.
    assert expect(world.aco.get(f"/v1/settlements/{first['id']}"), 200)["delta"] is None
    finalize(world.ops, third["id"])
    superseded = expect(world.aco.get(f"/v1/settlements/{second['id']}"), 200)
    assert superseded["status"] == "superseded" and superseded["superseded_by"] == third["id"]
    # After a final the same inputs are run again as a new draft, with delta 0.00.
    fourth = s.settle()
    assert fourth["revision"] == 4 and fourth["delta"] == "0.00" and fourth["delta_against"] == third["id"]
    # A different period of the same arrangement numbers its own revisions.
    other = s.settle(period_start="2027-01-01", period_end="2027-06-30")
    assert other["revision"] == 1 and other["delta"] is None


def test_rerun_is_reproducible_and_inputs_change_the_hash(world: World, falls: dict[str, Any]) -> None:
    s = worked_example(world, falls)
    quality(world.provider, s, ("Q155", 8, 10))
    first = s.settle()
    # A rerun on unchanged data computes the same figures and hash, so it returns the draft.
    again = s.settle(world.provider, status=200)
    assert again["id"] == first["id"] and again["revision"] == 1
    assert figures(again) == figures(first)
    first_lines = expect(world.aco.get(f"/v1/settlements/{first['id']}/lines"), 200)["items"]
    preview = s.settle(status=200, preview=True)
    assert figures(preview) == figures(first)
    # The same quality data sent again (a new version) is the same input.
    quality(world.provider, s, ("Q155", 8, 10))
    assert s.settle(status=200)["inputs_sha256"] == first["inputs_sha256"]
    # New quality data: q = 0.9, R = -224 x 0.5 x (1 - 0.1 x 0.9) = -101.92
    quality(world.provider, s, ("Q155", 9, 10))
    changed_quality = s.settle()
    assert changed_quality["settlement_amount"] == "-101.92"
    assert changed_quality["inputs_sha256"] != first["inputs_sha256"]
    # A new claim line inside an episode window.
    ep = next(x for x in first_lines if x["trigger_date"] == "2027-04-01")
    s.upload(s.spend(ep["mbi"], "2027-04-15", "0.01"))
    changed_claims = s.settle()
    # A = 2870.01, S = -224.01, R = -112.005 x 0.91 = -101.92455 -> -101.92
    assert changed_claims["total_actual"] == "2870.01"
    assert changed_claims["settlement_amount"] == "-101.92"
    assert changed_claims["inputs_sha256"] not in (first["inputs_sha256"], changed_quality["inputs_sha256"])
    # An explicit cutoff equal to the default is the same input as the default.
    assert (
        s.settle(status=200, claims_cutoff="2028-03-30")["inputs_sha256"] == changed_claims["inputs_sha256"]
    )


def test_a_final_settlement_never_changes(world: World, falls: dict[str, Any]) -> None:
    s = worked_example(world, falls)
    quality(world.provider, s, ("Q155", 8, 10))
    created = s.settle()
    final = finalize(world.ops, created["id"])
    lines = expect(world.aco.get(f"/v1/settlements/{created['id']}/lines"), 200)["items"]
    statement = expect(world.aco.get(f"/v1/settlements/{created['id']}/statement.csv"), 200)
    summary = expect(world.aco.get(f"/v1/settlements/{created['id']}/summary.csv"), 200)
    document = expect(world.aco.get(f"/v1/settlements/{created['id']}/statement.html"), 200)
    # Everything changes afterwards: quality, claims, and a later revision is run.
    quality(world.provider, s, ("Q155", 1, 10))
    s.upload(s.spend(lines[0]["mbi"], lines[0]["trigger_date"], "5000.00", received_date="2028-01-02"))
    later = s.settle()
    assert later["revision"] == 2 and later["inputs_sha256"] != final["inputs_sha256"]
    assert later["delta"] is not None and later["delta_against"] == final["id"]
    assert expect(world.provider.get(f"/v1/settlements/{created['id']}"), 200) == final
    assert expect(world.aco.get(f"/v1/settlements/{created['id']}/lines"), 200)["items"] == lines
    assert expect(world.aco.get(f"/v1/settlements/{created['id']}/statement.csv"), 200) == statement
    assert expect(world.aco.get(f"/v1/settlements/{created['id']}/summary.csv"), 200) == summary
    assert expect(world.aco.get(f"/v1/settlements/{created['id']}/statement.html"), 200) == document


def test_claims_cutoff_default_and_explicit(world: World, falls: dict[str, Any]) -> None:
    s = scenario(world, falls, runout_days=30)
    mbi = s.beneficiary()
    s.upload(
        s.line(mbi, "2027-05-03", received_date="2027-05-20"),
        s.spend(mbi, "2027-05-10", "200.00", received_date="2028-01-20"),
        s.spend(mbi, "2027-05-11", "300.00", received_date="2028-01-30"),  # the last day of run-out
        s.spend(mbi, "2027-05-12", "400.00", received_date="2028-01-31"),  # after it
    )
    # Default cutoff 2027-12-31 + 30 = 2028-01-30: spending 100 + 200 + 300 = 600.00
    # S = 380.00, q = 0: R = 380 x 0.5 x 0.8 = 152.00
    default = s.settle()
    assert default["claims_cutoff"] == "2028-01-30"
    assert default["total_actual"] == "600.00" and default["settlement_amount"] == "152.00"
    # Explicit 2028-01-25: 100 + 200 = 300.00; S = 680.00, R = 272 > 196.00 -> stop-gain
    early = s.settle(claims_cutoff="2028-01-25")
    assert early["claims_cutoff"] == "2028-01-25" and early["total_actual"] == "300.00"
    assert early["settlement_amount"] == "196.00" and early["cap_bound"] == "stop_gain"
    # Explicit 2028-06-30: all of it, 1000.00; S = -20.00, R = -20 x 0.5 = -10.00
    late = s.settle(claims_cutoff="2028-06-30")
    assert late["total_actual"] == "1000.00" and late["settlement_amount"] == "-10.00"
    # Before the trigger line arrived there is no episode at all.
    none = s.settle(claims_cutoff="2027-05-19")
    assert none["n_episodes"] == 0 and none["settlement_amount"] == "0.00"
    assert (
        len({default["inputs_sha256"], early["inputs_sha256"], late["inputs_sha256"], none["inputs_sha256"]})
        == 4
    )


# ---- state, tenancy, bad input ------------------------------------------------------------------


def test_only_executed_arrangements_are_settled(world: World, falls: dict[str, Any]) -> None:
    body = {
        "aco_id": world.aco_org["id"],
        "provider_id": world.provider_org["id"],
        "episode": falls,
        "period": {"start": "2027-01-01", "end": "2027-12-31"},
        "terms": TERMS,
    }
    proposed = expect(world.aco.post("/v1/arrangements", json=body), 201)
    url = f"/v1/arrangements/{proposed['id']}/settlements"
    request = {"period_start": "2027-01-01", "period_end": "2027-12-31"}
    for api in (world.aco, world.provider, world.ops):
        is_problem(api.post(url, json=request), 409)
        is_problem(api.post(url, json={**request, "preview": True}), 409)


def test_settlements_are_visible_to_parties_and_ops_only(world: World, falls: dict[str, Any]) -> None:
    s = one_episode(world, falls, "100.00")
    created = s.settle()
    url = f"/v1/arrangements/{s.arrangement_id}/settlements"
    request = {"period_start": "2027-01-01", "period_end": "2027-12-31"}
    for stranger in (world.other_aco, world.other_provider):
        is_problem(stranger.post(url, json=request), 404)
        is_problem(stranger.post(url, json={**request, "preview": True}), 404)
        for suffix in ("", "/lines", "/statement.csv", "/summary.csv", "/statement.html"):
            body = is_problem(stranger.get(f"/v1/settlements/{created['id']}{suffix}"), 404)
            assert created["settlement_amount"] not in body["detail"]
        # Finalising is for ops only: the role check answers first, and says nothing of the settlement.
        is_problem(stranger.post(f"/v1/settlements/{created['id']}/finalize"), 403)
    for api in (world.aco, world.provider, world.ops):
        expect(api.get(f"/v1/settlements/{created['id']}"), 200)
    expect(world.anonymous.get(f"/v1/settlements/{created['id']}"), 401)
    # Ops runs it too: unchanged inputs give the same draft; new spending, the next revision.
    assert s.settle(world.ops, status=200)["id"] == created["id"]
    s.upload(s.spend(s.episodes()[0]["mbi"], "2027-06-01", "10.00"))
    assert s.settle(world.ops)["revision"] == 2


@pytest.mark.parametrize(
    "body",
    [
        {"period_start": "2027-02-30", "period_end": "2027-12-31"},
        {"period_start": "2027-01-01", "period_end": "31/12/2027"},
        {"period_start": "2027-06-01", "period_end": "2027-05-31"},
        {"period_start": "2026-12-31", "period_end": "2027-12-31"},
        {"period_start": "2027-01-01", "period_end": "2028-01-01"},
        {"period_start": "2027-01-01", "period_end": "2027-12-31", "claims_cutoff": "2026-12-31"},
        {"period_start": "2027-01-01", "period_end": "2027-12-31", "claims_cutoff": "someday"},
        {"period_start": "2027-01-01", "period_end": "2027-12-31", "preview": "perhaps"},
        {"period_start": "2027-01-01", "period_end": "2027-12-31", "surprise": 1},
        {"period_start": "2027-01-01"},
    ],
)
def test_bad_settlement_requests_are_problems(untouched: Scenario, body: dict[str, Any]) -> None:
    s, world = untouched, untouched.world
    url = f"/v1/arrangements/{s.arrangement_id}/settlements"
    problem = is_problem(world.aco.post(url, json=body), 422)
    assert problem["errors"]
    is_problem(world.aco.post(url, json={**body, "preview": True} if "preview" not in body else body), 422)


def test_malformed_bodies_are_problems(untouched: Scenario) -> None:
    s, aco = untouched, untouched.world.aco
    json_type = {"content-type": "application/json"}
    urls = (
        (f"/v1/arrangements/{s.arrangement_id}/settlements", "POST"),
        (f"/v1/quality/{s.arrangement_id}/{PERIOD}", "PUT"),
    )
    for url, method in urls:
        for content in (b"[]", b"null", b'{"measures": "many"}', b'{"period_start": 2027}'):
            is_problem(aco.request(method, url, content=content, headers=json_type), 422)
        # Not JSON at all: a 400 problem (the body could not be parsed), never a 500.
        for content in (b"{", '{"a": "\u00e9"}'.encode("latin-1")):
            response = aco.request(method, url, content=content, headers=json_type)
            is_problem(response, response.status_code if response.status_code in (400, 422) else 400)


def test_unknown_ids_are_problems(world: World) -> None:
    request = {"period_start": "2027-01-01", "period_end": "2027-12-31"}
    is_problem(world.aco.post("/v1/arrangements/arr_nope/settlements", json=request), 404)
    for api in (world.aco, world.ops):
        for suffix in ("", "/lines", "/statement.csv", "/summary.csv", "/statement.html"):
            is_problem(api.get(f"/v1/settlements/stl_nope{suffix}"), 404)
    is_problem(world.ops.post("/v1/settlements/stl_nope/finalize"), 404)
    is_problem(world.ops.get("/v1/settlements/" + "x" * 5000), 404)


def test_bad_line_cursor_and_limit_are_problems(world: World, falls: dict[str, Any]) -> None:
    s = one_episode(world, falls, "0.00")
    created = s.settle()
    lines_url = f"/v1/settlements/{created['id']}/lines"
    for params in ({"cursor": "not-a-cursor"}, {"limit": 0}, {"limit": 501}, {"limit": "many"}):
        is_problem(world.aco.get(lines_url, params=params), 422)


# ---- audit and events ---------------------------------------------------------------------------


def outbox_events(settings: Settings, arrangement_id: str) -> list[tuple[str, dict[str, Any], list[str]]]:
    """The settlement events recorded for delivery about one arrangement, oldest first."""

    async def work(session: AsyncSession) -> list[tuple[str, dict[str, Any], list[str]]]:
        rows = (
            await session.scalars(
                select(OutboxEvent)
                .where(OutboxEvent.type.in_(("settlement.created", "settlement.finalized")))
                .order_by(OutboxEvent.occurred_at, OutboxEvent.id)
            )
        ).all()
        return [
            (r.type, r.data, list(r.recipient_org_ids))
            for r in rows
            if r.data.get("arrangement_id") == arrangement_id
        ]

    return run_with_session(settings, work)


def test_audit_events_and_outbox(world: World, falls: dict[str, Any], migrated: Settings) -> None:
    s = one_episode(world, falls, "480.00")
    preview = s.settle(status=200, preview=True)
    created = s.settle()
    finalize(world.ops, created["id"])
    params = {"resource_type": "settlement", "resource_id": created["id"], "limit": 500}
    events = expect(world.ops.get("/v1/audit-events", params=params), 200)["items"]
    assert [e["action"] for e in events] == ["settlement.created", "settlement.finalized"]
    # The parties see them too; a stranger does not.
    assert len(expect(world.provider.get("/v1/audit-events", params=params), 200)["items"]) == 2
    assert expect(world.other_aco.get("/v1/audit-events", params=params), 200)["items"] == []
    parties = sorted([world.aco_org["id"], world.provider_org["id"]])
    recorded = outbox_events(migrated, s.arrangement_id)  # none for the preview
    assert [(t, r) for t, _, r in recorded] == [
        ("settlement.created", parties),
        ("settlement.finalized", parties),
    ]
    assert all(data["settlement_id"] == created["id"] for _, data, _ in recorded)
    assert recorded[0][1]["settlement_amount"] == "160.00" and recorded[0][1]["status"] == "draft"
    assert recorded[1][1]["status"] == "final" and recorded[1][1]["inputs_sha256"] == created["inputs_sha256"]
    # The preview left no trace.
    assert preview["id"] is None
    everything = expect(
        world.provider.get("/v1/audit-events", params={"resource_type": "settlement", "limit": 500}), 200
    )
    ours = [e for e in everything["items"] if e["details"].get("arrangement_id") == s.arrangement_id]
    assert [e["resource_id"] for e in ours] == [created["id"], created["id"]]


# ---- the arrangement in force, exclusions, idempotency -------------------------------------------


def act(api: Api, arrangement_id: str, path: str, json: Any = None) -> Any:
    etag = api.get(f"/v1/arrangements/{arrangement_id}").headers["etag"]
    return api.post(f"/v1/arrangements/{arrangement_id}{path}", json=json, headers={"If-Match": etag})


def test_settles_under_the_terms_version_in_force(world: World, falls: dict[str, Any]) -> None:
    s = one_episode(world, falls, "480.00")
    before = s.settle()  # 160.00 (see test_no_quality_data_scores_zero)
    assert before["terms_version"] == 1 and before["settlement_amount"] == "160.00"
    expect(
        act(world.aco, s.arrangement_id, "/amendments", {"terms": {**TERMS, "target_price": "1100.00"}}), 201
    )
    # Pending until both have signed: version 1 stays in force, nothing changes.
    pending = s.settle(status=200)
    assert (
        pending["id"] == before["id"]
        and pending["terms_version"] == 1
        and pending["inputs_sha256"] == before["inputs_sha256"]
    )
    for api in (world.aco, world.provider):
        current = expect(api.get(f"/v1/arrangements/{s.arrangement_id}"), 200)
        signature = {
            "signer_name": "Dana Reyes",
            "signer_title": "CEO",
            "terms_sha256": current["terms_sha256"],
        }
        expect(act(api, s.arrangement_id, "/signatures", signature), 201)
    # target 1100 x 0.98 = 1078.00; S = 1078 - 580 = 498.00; R = 498 x 0.5 x 0.8 = 199.20 (cap 215.60)
    after = s.settle()
    assert after["terms_version"] == 2 and after["terms_sha256"] != before["terms_sha256"]
    assert after["total_target"] == "1078.00" and after["stop_gain_limit"] == "215.6"
    assert after["settlement_amount"] == "199.20"
    assert after["inputs_sha256"] != before["inputs_sha256"]


def test_terminated_arrangement_settles_episodes_triggered_before_termination(
    world: World, falls: dict[str, Any]
) -> None:
    s = scenario(world, falls)
    early, late = beneficiary(s, "1.0"), beneficiary(s, "1.0")
    s.upload(
        s.line(early, "2027-06-20"),
        s.spend(early, "2027-07-15", "380.00"),  # after termination, inside the open episode
        s.line(late, "2027-07-02"),  # after termination: opens nothing
    )
    done = act(
        world.provider, s.arrangement_id, "/terminate", {"effective_date": "2027-07-01", "reason": "closing"}
    )
    expect(done, 200)
    # One episode: target 980.00, spending 480.00, S = 500.00, q = 0: R = 250 x 0.8 = 200.00 > 196.00
    got = s.settle()
    assert got["n_episodes"] == 1 and got["total_actual"] == "480.00"
    assert got["settlement_amount"] == "196.00" and got["cap_bound"] == "stop_gain"


def test_excluded_episodes_are_counted_but_not_settled(world: World, falls: dict[str, Any]) -> None:
    s = scenario(world, falls)
    kept = beneficiary(s, "1.0")
    hospice = new_mbi()
    row = alignment(mbi=hospice, hcc_score="1.0", hospice_start="2027-05-20")
    expect(world.aco.post("/v1/alignment", content=to_csv([row]), headers=CSV), 201)
    s.upload(
        s.line(kept, "2027-05-03"),
        s.spend(kept, "2027-05-10", "880.00"),
        s.line(hospice, "2027-05-03"),
        s.spend(hospice, "2027-05-10", "9000.00"),
    )
    # Only the kept episode: T = 980.00, A = 980.00, S = 0: R = 0.00
    got = s.settle()
    assert (got["n_episodes"], got["n_excluded"]) == (1, 1)
    assert (got["total_target"], got["total_actual"], got["savings"]) == ("980.00", "980.00", "0.00")
    assert got["settlement_amount"] == "0.00"
    lines = expect(world.aco.get(f"/v1/settlements/{got['id']}/lines"), 200)["items"]
    assert [x["mbi"] for x in lines] == [kept]


def test_a_repeated_idempotency_key_replays_the_settlement(world: World, falls: dict[str, Any]) -> None:
    s = one_episode(world, falls, "480.00")
    url = f"/v1/arrangements/{s.arrangement_id}/settlements"
    body = {"period_start": "2027-01-01", "period_end": "2027-12-31"}
    key = {"Idempotency-Key": f"stl-{s.arrangement_id}"}
    first = world.aco.post(url, json=body, headers=key)
    again = world.aco.post(url, json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.json()["revision"] == 1
    assert again.headers["location"] == first.headers["location"] == f"/v1/settlements/{first.json()['id']}"
    is_problem(world.aco.post(url, json={**body, "period_end": "2027-06-30"}, headers=key), 422)
    # Without the key, the same inputs give the same draft back (200), not a second revision.
    assert s.settle(status=200)["id"] == first.json()["id"]


def test_a_sub_period_settles_the_episodes_triggered_in_it(world: World, falls: dict[str, Any]) -> None:
    s = scenario(world, falls)
    mbi = beneficiary(s, "1.0")
    # An episode 2027-06-20 .. 2027-09-17; the line of 2027-08-01 falls inside it and opens nothing.
    s.upload(
        s.line(mbi, "2027-06-20", received_date="2027-09-01"),
        s.line(mbi, "2027-08-01", received_date="2027-09-01"),
        s.line(mbi, "2027-10-01", received_date="2027-10-15"),
    )
    first_half = s.settle(period_end="2027-06-30")
    assert first_half["claims_cutoff"] == "2027-09-28"  # 2027-06-30 + 90
    # T = 980.00, A = 100.00 + 100.00 = 200.00, S = 780.00, q = 0: R = 390 x 0.8 = 312 > 196.00
    assert first_half["n_episodes"] == 1 and first_half["total_actual"] == "200.00"
    assert first_half["settlement_amount"] == "196.00"
    # Second half: only the episode of 2027-10-01. S = 980 - 100 = 880: R = 352 > 196.00
    second_half = s.settle(period_start="2027-07-01")
    assert second_half["n_episodes"] == 1 and second_half["total_actual"] == "100.00"
    [line] = expect(world.aco.get(f"/v1/settlements/{second_half['id']}/lines"), 200)["items"]
    assert line["trigger_date"] == "2027-10-01"
    assert first_half["revision"] == second_half["revision"] == 1
