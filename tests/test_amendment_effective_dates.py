"""Amendments with an effective date, over HTTP: the amendment, its hash, which episodes settle
under which terms (checked against amounts worked out by hand), the boundary day, the figures
per terms version, exact recompute, the audit chain, and the overlap rule.

The terms are those of tests/support/episode_data.py: target 1000.00 at -2 %, so an HCC 1.0
episode's target is 980.00; shares 50/50, performance adjustment 20 %, caps 20 %. The amendment
raises the target to 1100.00 (an episode's target 1078.00), the savings share to 60 % and lowers
the stop-gain to 10 %. No quality data is reported, so q = 0 and a saving is shared at
share x (1 - 0.2). Each trigger line is itself 100.00 of spending.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session

from service.arrangements.models import ArrangementVersion
from service.arrangements.schemas import Period, Terms, terms_sha256
from service.demo.synthetic import new_npi
from service.kit import clock
from service.settlements.models import Settlement, SettlementLine
from tests.support.episode_data import TERMS, Scenario, _act, execute, publish_definition, scenario
from tests.support.factories import Api, World, create_org, expect

AMENDED = {**TERMS, "target_price": "1100.00", "savings_share_pct": "60", "stop_gain_pct": "10"}
JULY = "2027-07-01"
AFTER_CUTOFFS = date(2030, 1, 2)


@pytest.fixture(scope="module")
def falls(ops: Api) -> dict[str, Any]:
    return publish_definition(ops)


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


def sign(api: Api, arrangement_id: str) -> httpx.Response:
    current = expect(api.get(f"/v1/arrangements/{arrangement_id}"), 200)
    body = {"signer_name": "Dana Reyes", "signer_title": "CEO", "terms_sha256": current["terms_sha256"]}
    response: httpx.Response = _act(api, arrangement_id, "/signatures", body)
    return response


def amend(world: World, arrangement_id: str, terms: dict[str, Any], **body: Any) -> dict[str, Any]:
    """Propose (as the ACO) and execute (both sign) an amendment."""
    expect(_act(world.aco, arrangement_id, "/amendments", {"terms": terms, **body}), 201)
    for api in (world.aco, world.provider):
        expect(sign(api, arrangement_id), 201)
    return dict(expect(world.aco.get(f"/v1/arrangements/{arrangement_id}"), 200))


def june_and_july(world: World, falls: dict[str, Any]) -> tuple[Scenario, dict[str, str]]:
    """Three episodes (HCC 1.0): triggered on 30 June (spending 480.00), on 1 July, the effective
    date itself (1300.00), and on 20 July (578.00)."""
    s = scenario(world, falls)
    mbis = {day: s.beneficiary() for day in ("2027-06-30", JULY, "2027-07-20")}
    rows = []
    for (day, mbi), extra in zip(mbis.items(), ("380.00", "1200.00", "478.00"), strict=True):
        rows += [s.line(mbi, day), s.spend(mbi, "2027-07-25", extra)]
    s.upload(*rows)
    return s, mbis


def lines(api: Api, settlement_id: str) -> dict[str, dict[str, Any]]:
    page = expect(api.get(f"/v1/settlements/{settlement_id}/lines", params={"limit": 100}), 200)
    return {line["trigger_date"]: line for line in page["items"]}


def test_an_amendment_effective_1_july_settles_june_on_the_old_target_and_july_on_the_new(
    world: World, falls: dict[str, Any]
) -> None:
    s, _ = june_and_july(world, falls)
    # Before the amendment, all three under version 1: T = 3 x 980 = 2940.00, A = 480 + 1300 +
    # 578 = 2358.00, S = 582.00, R = 582 x 0.5 x 0.8 = 232.80.
    before = s.settle()
    assert before["terms_version"] == 1 and before["settlement_amount"] == "232.80"
    assert [v["version"] for v in before["terms_versions"]] == [1]

    arrangement = amend(world, s.arrangement_id, AMENDED, effective_from=JULY)
    assert arrangement["version_in_force"] == 2 and arrangement["effective_from"] == JULY
    v1_hash = before["terms_sha256"]
    v2_hash = arrangement["terms_sha256"]
    assert arrangement["terms_in_force"] == [
        {"version": 1, "terms_sha256": v1_hash, "start": "2027-01-01", "end": "2027-06-30"},
        {"version": 2, "terms_sha256": v2_hash, "start": JULY, "end": "2027-12-31"},
    ]

    # Version 1 (30 June): T_1 = 980.00, A_1 = 480.00, S_1 = 500.00, R_1 = 500 x 0.5 x 0.8 = 200.
    # Version 2 (1 and 20 July): targets 1100 x 0.98 = 1078.00 each, T_2 = 2156.00, A_2 = 1300 +
    # 578 = 1878.00, S_2 = 278.00, R_2 = 278 x 0.6 x 0.8 = 133.44.
    # R = 333.44; stop-gain 0.2 x 980 + 0.1 x 2156 = 411.60, stop-loss -(0.2 x 980 + 0.2 x 2156)
    # = -627.20: neither binds. Amount 333.44 (one version throughout would give 232.80 or, under
    # version 2, (3234 - 2358) x 0.6 x 0.8 = 420.48).
    after = s.settle()
    assert after["revision"] == 2 and after["terms_version"] == 2 and after["terms_sha256"] == v2_hash
    assert (
        after["n_episodes"] == 3 and after["total_target"] == "3136.00" and after["total_actual"] == "2358.00"
    )
    assert after["savings"] == "778.00" and after["quality_score"] == "0"
    assert after["shared_before_caps"] == "333.44" and after["cap_bound"] is None
    assert after["stop_gain_limit"] == "411.6" and after["stop_loss_limit"] == "-627.2"
    assert after["settlement_amount"] == "333.44"
    assert after["terms_versions"] == [
        {
            "version": 1,
            "terms_sha256": v1_hash,
            "start": "2027-01-01",
            "end": "2027-06-30",
            "n_episodes": 1,
            "total_target": "980.00",
            "total_actual": "480.00",
            "savings": "500.00",
            "shared": "200",
            "stop_gain_limit": "196",
            "stop_loss_limit": "-196",
        },
        {
            "version": 2,
            "terms_sha256": v2_hash,
            "start": JULY,
            "end": "2027-12-31",
            "n_episodes": 2,
            "total_target": "2156.00",
            "total_actual": "1878.00",
            "savings": "278.00",
            "shared": "133.44",
            "stop_gain_limit": "215.6",
            "stop_loss_limit": "-431.2",
        },
    ]
    # The boundary: the episode triggered on the effective date itself is under the new terms,
    # the one the day before under the old.
    by_day = lines(world.provider, after["id"])
    assert {day: (line["terms_version"], line["target"]) for day, line in by_day.items()} == {
        "2027-06-30": (1, "980.00"),
        JULY: (2, "1078.00"),
        "2027-07-20": (2, "1078.00"),
    }
    # The inputs name both versions and their days (so the hash differs from a one-version run),
    # and the sources keep them for a recompute.
    assert after["inputs"]["terms"] == {"version": 2, "sha256": v2_hash}
    assert after["inputs"]["terms_versions"] == [
        {"version": 1, "sha256": v1_hash, "from": "2027-01-01", "through": "2027-06-30"},
        {"version": 2, "sha256": v2_hash, "from": JULY, "through": "2027-12-31"},
    ]
    assert after["sources"]["terms_versions"] == [
        {"version": 1, "from": "2027-01-01", "through": "2027-06-30"},
        {"version": 2, "from": JULY, "through": "2027-12-31"},
    ]

    # Both recompute exactly: the earlier one under version 1 alone (as recorded, although
    # version 2 is in force now), the later one under both.
    for settlement in (before, after):
        again = expect(world.aco.post(f"/v1/settlements/{settlement['id']}/recompute"), 200)
        assert again["matches"] is True and again["differences"] == []
        assert again["recomputed"]["terms_versions"] == settlement["terms_versions"]
        assert again["recomputed"]["settlement_amount"] == settlement["settlement_amount"]
    # Running again on the same data is the same draft.
    assert s.settle(status=200)["id"] == after["id"]

    # The statement shows a section per terms version, and each episode row its version.
    html = world.aco.get(f"/v1/settlements/{after['id']}/statement.html")
    assert html.status_code == 200
    section = html.text.split("<h2>Terms versions</h2>", 1)[1].split("<h2>", 1)[0]
    assert v1_hash in section and v2_hash in section
    assert "2027-01-01 to 2027-06-30" in section and f"{JULY} to 2027-12-31" in section
    assert "$2,156.00" in section and "$133.44" in section
    single = world.aco.get(f"/v1/settlements/{before['id']}/statement.html")
    assert "<h2>Terms versions</h2>" not in single.text
    rows = list(
        csv.DictReader(io.StringIO(world.aco.get(f"/v1/settlements/{after['id']}/statement.csv").text))
    )
    assert {r["trigger_date"]: r["terms_version"] for r in rows if r["status"] == "settled"} == {
        "2027-06-30": "1",
        JULY: "2",
        "2027-07-20": "2",
    }


def test_settlement_periods_inside_one_version_use_it_alone(world: World, falls: dict[str, Any]) -> None:
    s, _ = june_and_july(world, falls)
    amend(world, s.arrangement_id, AMENDED, effective_from=JULY)
    # January to June: version 1 only, the method of one version: R = 200, above the stop-gain
    # 0.2 x 980 = 196.00, which binds.
    # (The claims are received on 31 December: the cutoff is set after it.)
    first_half = s.settle(period_end="2027-06-30", claims_cutoff="2027-12-31")
    assert first_half["terms_version"] == 1 and first_half["n_episodes"] == 1
    assert first_half["shared_before_caps"] == "200" and first_half["cap_bound"] == "stop_gain"
    assert first_half["settlement_amount"] == "196.00" and first_half["stop_gain_limit"] == "196"
    assert [v["version"] for v in first_half["terms_versions"]] == [1]
    assert "terms_versions" not in first_half["inputs"]
    # By default the cutoff is the half's end plus the run-out of the version in force then.
    preview = s.settle(status=200, period_end="2027-06-30", preview=True)
    assert preview["claims_cutoff"] == "2027-09-28" and preview["terms_version"] == 1
    # July to December: version 2 only: R = 278 x 0.6 x 0.8 = 133.44 (stop-gain 215.60).
    second_half = s.settle(period_start=JULY)
    assert second_half["terms_version"] == 2 and second_half["n_episodes"] == 2
    assert second_half["settlement_amount"] == "133.44" and second_half["stop_gain_limit"] == "215.6"
    assert second_half["terms_versions"][0]["start"] == JULY
    assert "terms_versions" not in second_half["inputs"]
    # The year is not the sum of its halves: its caps are summed over both versions (411.60),
    # so the 200 of the first half no longer binds: 200 + 133.44 = 333.44.
    whole = s.settle()
    assert whole["settlement_amount"] == "333.44" and whole["cap_bound"] is None


def test_an_amendment_from_the_periods_start_replaces_the_terms_for_the_whole_period(
    world: World, falls: dict[str, Any]
) -> None:
    """No effective date (the default) is the period's start: every episode under version 2, as
    amendments always did. T = 3 x 1078 = 3234.00, A = 2358.00, S = 876.00, R = 876 x 0.6 x 0.8
    = 420.48 (stop-gain 323.40 binds: 0.1 x 3234)."""
    s, _ = june_and_july(world, falls)
    arrangement = amend(world, s.arrangement_id, AMENDED)
    assert arrangement["effective_from"] == "2027-01-01"
    assert [d["version"] for d in arrangement["terms_in_force"]] == [2]
    result = s.settle()
    assert result["shared_before_caps"] == "420.48" and result["cap_bound"] == "stop_gain"
    assert result["settlement_amount"] == "323.40"
    assert [v["version"] for v in result["terms_versions"]] == [2]
    assert "terms_versions" not in result["inputs"]
    assert {line["terms_version"] for line in lines(world.aco, result["id"]).values()} == {2}


def test_a_later_amendment_takes_over_from_its_own_date(world: World, falls: dict[str, Any]) -> None:
    """Version 2 from 1 July, then version 3 (target 1200.00: 1176.00 per episode) from 20 July:
    30 June under version 1, 1 July under version 2, 20 July under version 3."""
    s, _ = june_and_july(world, falls)
    amend(world, s.arrangement_id, AMENDED, effective_from=JULY)
    third = amend(
        world, s.arrangement_id, {**AMENDED, "target_price": "1200.00"}, effective_from="2027-07-20"
    )
    assert [(d["version"], d["start"], d["end"]) for d in third["terms_in_force"]] == [
        (1, "2027-01-01", "2027-06-30"),
        (2, JULY, "2027-07-19"),
        (3, "2027-07-20", "2027-12-31"),
    ]
    result = s.settle()
    assert {
        day: (line["terms_version"], line["target"]) for day, line in lines(world.aco, result["id"]).items()
    } == {
        "2027-06-30": (1, "980.00"),
        JULY: (2, "1078.00"),
        "2027-07-20": (3, "1176.00"),
    }
    # R_1 = 200; R_2 = (1078 - 1300) x 0.5 x 1 = -111 (a loss, no relief at q = 0); R_3 =
    # (1176 - 578) x 0.6 x 0.8 = 287.04; R = 376.04; stop-gain 196 + 107.80 + 117.60 = 421.40.
    assert [v["shared"] for v in result["terms_versions"]] == ["200", "-111", "287.04"]
    assert result["stop_gain_limit"] == "421.4" and result["settlement_amount"] == "376.04"


def test_the_effective_date_is_checked_and_bound_by_the_signatures(
    world: World, falls: dict[str, Any]
) -> None:
    s = scenario(world, falls)
    arr = s.arrangement_id
    for outside in ("2026-12-31", "2028-01-01"):
        refused = problem(
            _act(world.aco, arr, "/amendments", {"terms": AMENDED, "effective_from": outside}), 422
        )
        assert [e["location"] for e in refused["errors"]] == ["body.effective_from"]
    # A later effective date may not change how episodes are detected (max-flex overrides).
    changed = {**AMENDED, "overrides": {"episode_length_days": 30}}
    refused = problem(_act(world.aco, arr, "/amendments", {"terms": changed, "effective_from": JULY}), 422)
    assert [e["location"] for e in refused["errors"]] == ["body.terms.overrides"]

    head = expect(world.aco.get(f"/v1/arrangements/{arr}"), 200)

    def expected_hash(effective_from: date | None) -> str:
        return terms_sha256(
            aco_id=head["aco_id"],
            provider_id=head["provider_id"],
            definition_code=falls["code"],
            definition_version=falls["version"],
            period=Period.model_validate(head["period"]),
            terms=Terms.model_validate(AMENDED),
            effective_from=effective_from,
        )

    # The period's start, named or not, hashes as before effective dates existed; a later day
    # enters the hash, so a signature binds the day too.
    hashes = {}
    for body in ({}, {"effective_from": "2027-01-01"}, {"effective_from": JULY}):
        proposed = expect(_act(world.aco, arr, "/amendments", {"terms": AMENDED, **body}), 201)
        hashes[body.get("effective_from")] = proposed["terms_sha256"]
        version = expect(world.aco.get(f"/v1/arrangements/{arr}/versions/{proposed['version']}"), 200)
        assert version["effective_from"] == body.get("effective_from", "2027-01-01")
        assert version["kind"] == "amendment"
    assert hashes[None] == hashes["2027-01-01"] == expected_hash(None) == expected_hash(date(2027, 1, 1))
    assert hashes[JULY] == expected_hash(date(2027, 7, 1)) != hashes[None]
    # The latest proposal (effective 1 July) is signed by its hash, executed, and announced with
    # its date.
    for api in (world.provider, world.aco):
        expect(sign(api, arr), 201)
    events = expect(world.aco.get("/v1/audit-events", params={"resource_id": arr, "limit": 100}), 200)[
        "items"
    ]
    amended = [e["details"] for e in events if e["action"] == "arrangement.amended"]
    assert [d["effective_from"] for d in amended] == ["2027-01-01", "2027-01-01", JULY, JULY]
    assert amended[-1]["stage"] == "executed" and amended[-1]["terms_sha256"] == hashes[JULY]
    # The initial version keeps the period's start.
    first = expect(world.aco.get(f"/v1/arrangements/{arr}/versions/1"), 200)
    assert first["effective_from"] == "2027-01-01"


def test_finals_under_two_versions_verify_in_the_audit_chain(world: World, falls: dict[str, Any]) -> None:
    s, _ = june_and_july(world, falls)
    amend(world, s.arrangement_id, AMENDED, effective_from=JULY)
    draft = s.settle()
    with clock.frozen(AFTER_CUTOFFS):
        final = expect(world.ops.post(f"/v1/settlements/{draft['id']}/finalize"), 200)
    assert final["status"] == "final" and final["terms_versions"] == draft["terms_versions"]
    report = expect(world.ops.get("/v1/audit/verification"), 200)
    mine = [
        f
        for f in report["findings"]
        if final["id"] in str(f) or s.arrangement_id in str(f)  # other tests tamper on purpose
    ]
    assert mine == [] and report["chain"]["ok"] is True


def test_an_amendment_covers_from_its_effective_date_in_the_overlap_check(
    ops: Api, world: World, falls: dict[str, Any]
) -> None:
    """One payment per episode. A clinician of the first practice also worked for a second
    practice from January to March, after both practices' arrangements were executed. Amending
    the first from 1 July covers only July to December, where no NPI is shared: executed. The
    same amendment from the period's start would cover January to March again: refused."""
    mine = execute(world, falls, ("2027-01-01", "2027-12-31"))
    second_org, second = create_org(ops, "provider", npis=[new_npi()], aco_id=world.aco_org["id"])
    body = {
        "aco_id": world.aco_org["id"],
        "provider_id": second_org["id"],
        "episode": falls,
        "period": {"start": "2027-01-01", "end": "2027-12-31"},
        "terms": TERMS,
    }
    theirs = expect(world.aco.post("/v1/arrangements", json=body), 201)["id"]
    for api in (second, world.aco):
        expect(sign(api, theirs), 201)
    shared = world.provider_org["npis"][1]
    roster = f"/v1/organizations/{second_org['id']}/npis"
    expect(ops.post(roster, json={"npi": shared, "effective_from": "2027-01-01"}), 201)
    expect(ops.post(f"{roster}/{shared}/end", json={"effective_to": "2027-03-31"}), 200)

    executed = amend(world, mine, AMENDED, effective_from=JULY)
    assert executed["version_in_force"] == 2

    expect(_act(world.aco, mine, "/amendments", {"terms": {**AMENDED, "target_price": "1300.00"}}), 201)
    expect(sign(world.provider, mine), 201)
    refused = problem(sign(world.aco, mine), 409)
    assert refused["conflicting_arrangement_id"] == theirs and refused["shared_npis"] == [shared]
    assert refused["overlap"] == {"start": "2027-01-01", "end": "2027-12-31"}  # the days both cover
    assert expect(world.aco.get(f"/v1/arrangements/{mine}"), 200)["version_in_force"] == 2


def test_data_stored_before_effective_dates_reads_and_recomputes_as_before(
    world: World, falls: dict[str, Any], engine: Engine
) -> None:
    """Rows written before migration 0014 have no effective dates, no execution times, no terms
    version on settlement lines, no figures per version and no versions in the sources: the
    version in force covers the whole period, and a settlement recomputes exactly."""
    s, _ = june_and_july(world, falls)
    amend(world, s.arrangement_id, AMENDED)  # executed before effective dates: the whole period
    stored = s.settle()
    with Session(engine) as session, session.begin():
        session.execute(
            update(ArrangementVersion)
            .where(ArrangementVersion.arrangement_id == s.arrangement_id)
            .values(executed_at=None, effective_from=None)
        )
        session.execute(
            update(SettlementLine)
            .where(SettlementLine.settlement_id == stored["id"])
            .values(terms_version=None)
        )
        sources = {k: v for k, v in stored["sources"].items() if k != "terms_versions"}
        session.execute(
            update(Settlement)
            .where(Settlement.id == stored["id"])
            .values(terms_versions=None, sources=sources)
        )
    arrangement = expect(world.aco.get(f"/v1/arrangements/{s.arrangement_id}"), 200)
    assert arrangement["terms_in_force"] == [
        {
            "version": 2,
            "terms_sha256": arrangement["terms_sha256"],
            "start": "2027-01-01",
            "end": "2027-12-31",
        }
    ]
    read = expect(world.aco.get(f"/v1/settlements/{stored['id']}"), 200)
    assert read["terms_versions"] is None and read["settlement_amount"] == stored["settlement_amount"]
    assert {line["terms_version"] for line in lines(world.aco, stored["id"]).values()} == {None}
    again = expect(world.aco.post(f"/v1/settlements/{stored['id']}/recompute"), 200)
    assert again["matches"] is True and again["differences"] == []
    assert again["recomputed"]["terms_versions"] == stored["terms_versions"]
    # A new run on the same data is recognisably the same (its inputs hash is unchanged).
    assert s.settle(status=200)["id"] == stored["id"]
