"""The settlement of record over HTTP: one payment per episode, listing, finality, reproducible
finals, acceptance and disputes, quality data with provenance, and money in the audit chain.

Amounts follow tests/test_settlements.py: each episode's target is 980.00 (HCC 1.0), a trigger
line is 100.00 of spending, no quality data scores q = 0, so an episode with spending 580.00
settles at R = (980 - 580) x 0.5 x (1 - 0.2) = 160.00.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from service.arrangements.models import Arrangement, ArrangementVersion
from service.arrangements.schemas import Period, Terms, terms_sha256
from service.cli import main as cara
from service.demo.synthetic import new_npi
from service.kit import clock
from service.settings import Settings
from service.settlements.models import QualityReportVersion, Settlement, SettlementLine
from service.webhooks.models import OutboxEvent
from tests.support.episode_data import TERMS, Scenario, _act, execute, publish_definition, scenario
from tests.support.factories import Api, World, create_org, expect

PERIOD = {"period_start": "2027-01-01", "period_end": "2027-12-31"}
OVERRIDE = {"override_reason": "both parties asked to settle before the run-out ends"}
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


def one_episode(world: World, falls: dict[str, Any], extra: str = "480.00", **terms: Any) -> Scenario:
    """An executed arrangement with one episode (trigger 2027-05-03), spending 100.00 + ``extra``."""
    s = scenario(world, falls, **terms)
    mbi = s.beneficiary()
    s.upload(s.line(mbi, "2027-05-03"), s.spend(mbi, "2027-05-10", extra))
    return s


def propose(world: World, falls: dict[str, Any], provider: Api, period: tuple[str, str], **terms: Any) -> str:
    body = {
        "aco_id": world.aco_org["id"],
        "provider_id": provider.org_id,
        "episode": falls,
        "period": {"start": period[0], "end": period[1]},
        "terms": {**TERMS, **terms},
    }
    return str(expect(world.aco.post("/v1/arrangements", json=body), 201)["id"])


def sign(api: Api, arrangement_id: str) -> httpx.Response:
    current = expect(api.get(f"/v1/arrangements/{arrangement_id}"), 200)
    body = {"signer_name": "Dana Reyes", "signer_title": "CEO", "terms_sha256": current["terms_sha256"]}
    response: httpx.Response = _act(api, arrangement_id, "/signatures", body)
    return response


def finalize(ops: Api, settlement_id: str, status: int = 200, **body: Any) -> Any:
    """Finalise once every cutoff of these tests has passed (the clock frozen after them)."""
    with clock.frozen(AFTER_CUTOFFS):
        return expect(ops.post(f"/v1/settlements/{settlement_id}/finalize", json=body or None), status)


def outbox(engine: Engine, types: tuple[str, ...], settlement_or_arrangement: str) -> list[OutboxEvent]:
    with Session(engine) as session:
        rows = session.scalars(
            select(OutboxEvent).where(OutboxEvent.type.in_(types)).order_by(OutboxEvent.id)
        )
        return [
            r
            for r in rows
            if settlement_or_arrangement in (r.data.get("settlement_id"), r.data.get("arrangement_id"))
        ]


# ---- 1. one payment per episode ---------------------------------------------------------------


def test_the_double_execution_is_refused_naming_the_arrangement_in_force(
    world: World, falls: dict[str, Any]
) -> None:
    first = execute(world, falls, ("2027-01-01", "2027-12-31"))
    second = propose(world, falls, world.provider, ("2027-07-01", "2028-06-30"))
    expect(sign(world.provider, second), 201)
    refused = problem(sign(world.aco, second), 409)
    assert refused["conflicting_arrangement_id"] == first and first in refused["detail"]
    assert refused["overlap"] == {"start": "2027-07-01", "end": "2027-12-31"}
    # Nothing of the refused signature stayed: still waiting for the ACO.
    after = expect(world.aco.get(f"/v1/arrangements/{second}"), 200)
    assert after["status"] == "partially_signed" and len(after["signatures"]) == 1
    # A following period does not overlap: executed.
    following = propose(world, falls, world.provider, ("2028-01-01", "2028-12-31"))
    for api in (world.provider, world.aco):
        expect(sign(api, following), 201)
    assert expect(world.aco.get(f"/v1/arrangements/{following}"), 200)["status"] == "executed"


def test_a_practice_sharing_an_npi_conflicts_and_a_terminated_one_stops_covering(
    ops: Api, world: World, falls: dict[str, Any]
) -> None:
    first = execute(world, falls, ("2027-01-01", "2027-12-31"))
    shared_npi = world.provider_org["npis"][1]
    sharing_org, sharing = create_org(
        ops, "provider", npis=[shared_npi, new_npi()], aco_id=world.aco_org["id"]
    )
    other_org, other = create_org(ops, "provider", npis=[new_npi()], aco_id=world.aco_org["id"])
    blocked = propose(world, falls, sharing, ("2027-01-01", "2027-12-31"))
    expect(sign(sharing, blocked), 201)
    refused = problem(sign(world.aco, blocked), 409)
    assert refused["conflicting_arrangement_id"] == first and refused["shared_npis"] == [shared_npi]
    # A practice with none of the NPIs covers other episodes: executed beside it.
    separate = propose(world, falls, other, ("2027-01-01", "2027-12-31"))
    expect(sign(other, separate), 201)
    expect(sign(world.aco, separate), 201)
    # Terminating the first on 2027-07-01 frees the days from then on, not those before.
    expect(_act(world.aco, first, "/terminate", {"effective_date": "2027-07-01", "reason": "moving"}), 200)
    earlier = propose(world, falls, sharing, ("2027-06-01", "2027-12-31"))
    expect(sign(sharing, earlier), 201)
    assert problem(sign(world.aco, earlier), 409)["overlap"] == {"start": "2027-06-01", "end": "2027-06-30"}
    later = propose(world, falls, sharing, ("2027-07-01", "2027-12-31"))
    expect(sign(sharing, later), 201)
    expect(sign(world.aco, later), 201)
    assert sharing_org["id"] and other_org["id"]


def test_a_clinician_who_moved_between_practices_joins_them_only_while_on_both_rosters(
    ops: Api, world: World, falls: dict[str, Any]
) -> None:
    """Rosters over time: the first practice's clinician leaves on 2027-03-31 and joins another
    practice on 2027-04-01. Their arrangements share no NPI on any day, so both execute; a third
    practice that adds the clinician from 2027-03-01 overlaps a month and is refused, naming it."""
    first = execute(world, falls, ("2027-01-01", "2027-12-31"))
    npi = world.provider_org["npis"][1]
    ended = {"effective_to": "2027-03-31"}
    expect(ops.post(f"/v1/organizations/{world.provider_org['id']}/npis/{npi}/end", json=ended), 200)
    _, later = create_org(
        ops, "provider", npis=[npi], npis_effective_from="2027-04-01", aco_id=world.aco_org["id"]
    )
    beside = propose(world, falls, later, ("2027-01-01", "2027-12-31"))
    expect(sign(later, beside), 201)
    expect(sign(world.aco, beside), 201)
    assert expect(world.aco.get(f"/v1/arrangements/{beside}"), 200)["status"] == "executed"
    _, early = create_org(
        ops, "provider", npis=[npi], npis_effective_from="2027-03-01", aco_id=world.aco_org["id"]
    )
    refused_id = propose(world, falls, early, ("2027-01-01", "2027-12-31"))
    expect(sign(early, refused_id), 201)
    refused = problem(sign(world.aco, refused_id), 409)
    assert refused["conflicting_arrangement_id"] in (first, beside)
    assert refused["shared_npis"] == [npi]


def test_an_amendment_that_would_cover_another_practices_episodes_is_refused(
    ops: Api, world: World, falls: dict[str, Any]
) -> None:
    mine = execute(world, falls, ("2027-01-01", "2027-12-31"))
    _, other = create_org(ops, "provider", npis=[new_npi()], aco_id=world.aco_org["id"])
    theirs = propose(world, falls, other, ("2027-01-01", "2027-12-31"))
    expect(sign(other, theirs), 201)
    expect(sign(world.aco, theirs), 201)
    # An amendment untying the trigger from the practice's NPIs would count every practice's
    # trigger lines, the other practice's included: ops approval (the execution) is refused.
    untied = {**falls_trigger(ops, falls), "rendering_npi_in_arrangement": False}
    expect(_act(world.aco, mine, "/amendments", {"terms": {**TERMS, "overrides": {"trigger": untied}}}), 201)
    for api in (world.aco, world.provider):
        expect(sign(api, mine), 201)
    refused = problem(_act(ops, mine, "/approve", {"reason": "reviewed"}), 409)
    assert refused["conflicting_arrangement_id"] == theirs
    assert expect(world.aco.get(f"/v1/arrangements/{mine}"), 200)["version_in_force"] == 1


def falls_trigger(ops: Api, falls: dict[str, Any]) -> dict[str, Any]:
    definition = expect(ops.get(f"/v1/episode-definitions/{falls['code']}/{falls['version']}"), 200)
    return dict(definition["trigger"])


def test_an_episode_settled_in_another_arrangements_final_is_excluded(
    world: World, falls: dict[str, Any], engine: Engine
) -> None:
    s = one_episode(world, falls)
    # An overlapping arrangement executed before the rule existed (made so in the database).
    legacy_id = propose(world, falls, world.provider, ("2027-01-01", "2027-12-31"))
    expect(sign(world.provider, legacy_id), 201)
    with engine.begin() as conn:
        conn.execute(
            update(Arrangement)
            .where(Arrangement.id == legacy_id)
            .values(status="executed", version_in_force=1)
        )
    legacy = Scenario(world, legacy_id)
    before = legacy.settle()
    assert (before["n_episodes"], before["n_excluded"]) == (1, 0)  # nothing final elsewhere yet
    final = finalize(world.ops, s.settle()["id"])
    assert final["n_episodes"] == 1
    after = legacy.settle()
    assert (after["n_episodes"], after["n_excluded"], after["settlement_amount"]) == (0, 1, "0.00")
    assert after["sources"]["settled_elsewhere"] == [final["id"]]
    # The arrangement whose final counts it still settles it.
    assert s.settle(status=200, preview=True)["n_episodes"] == 1
    recomputed = expect(world.aco.post(f"/v1/settlements/{after['id']}/recompute"), 200)
    assert recomputed["matches"] is True and recomputed["recomputed"]["n_excluded"] == 1


# ---- 2. listing ---------------------------------------------------------------------------------


def test_listing_settlements_newest_first_with_filters_and_tenancy(
    world: World, falls: dict[str, Any]
) -> None:
    s = one_episode(world, falls)
    first = s.settle()
    second = s.settle(claims_cutoff="2028-04-15")
    half = s.settle(period_end="2027-06-30")
    finalize(world.ops, second["id"])
    url = f"/v1/arrangements/{s.arrangement_id}/settlements"
    listed = expect(world.provider.get(url), 200)
    assert [x["id"] for x in listed["items"]] == [half["id"], second["id"], first["id"]]
    assert listed["next_cursor"] is None
    assert listed["items"][1]["status"] == "final" and listed["items"][0]["acceptance"] == {
        "aco": None,
        "provider": None,
    }
    # Pages of one, in the same order.
    seen, cursor = [], None
    while True:
        page = expect(world.aco.get(url, params={"limit": 1, **({"cursor": cursor} if cursor else {})}), 200)
        seen += [x["id"] for x in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [x["id"] for x in listed["items"]]
    finals = expect(world.aco.get(url, params={"status": "final"}), 200)["items"]
    assert [x["id"] for x in finals] == [second["id"]]
    halves = expect(world.aco.get("/v1/settlements", params={"period_start": "2027-01-01"}), 200)["items"]
    assert {x["id"] for x in halves} >= {first["id"], second["id"], half["id"]}
    mine = expect(world.aco.get("/v1/settlements", params={"arrangement_id": s.arrangement_id}), 200)
    assert [x["id"] for x in mine["items"]] == [half["id"], second["id"], first["id"]]
    assert [x["id"] for x in expect(world.ops.get(url), 200)["items"]] == [
        half["id"],
        second["id"],
        first["id"],
    ]
    drafts = expect(
        world.ops.get("/v1/settlements", params={"arrangement_id": s.arrangement_id, "status": "draft"}), 200
    )
    assert [x["id"] for x in drafts["items"]] == [half["id"], first["id"]]
    # Strangers: 404 for the arrangement's list, nothing of it in theirs.
    problem(world.other_aco.get(url), 404)
    assert expect(
        world.other_aco.get("/v1/settlements", params={"arrangement_id": s.arrangement_id}), 200
    ) == {
        "items": [],
        "next_cursor": None,
    }
    problem(world.aco.get("/v1/settlements", params={"status": "paid"}), 422)
    problem(world.aco.get("/v1/settlements", params={"cursor": "nope"}), 422)
    problem(world.anonymous.get("/v1/settlements"), 401)


# ---- 3. finality --------------------------------------------------------------------------------


def test_finalising_waits_for_the_cutoff_unless_ops_gives_a_reason(
    world: World, falls: dict[str, Any]
) -> None:
    s = one_episode(world, falls)
    draft = s.settle()
    path = f"/v1/settlements/{draft['id']}/finalize"
    with clock.frozen(date(2028, 3, 30)):  # the cutoff day itself: claims may still arrive
        early = problem(world.ops.post(path), 409)
    assert "2028-03-30" in early["detail"] and early["claims_cutoff"] == "2028-03-30"
    problem(world.ops.post(path, json={"override_reason": ""}), 422)
    problem(world.ops.post(path, json={"override_reason": "x", "extra": 1}), 422)
    problem(world.aco.post(path, json=OVERRIDE), 403)
    with clock.frozen(date(2028, 3, 30)):
        final = expect(world.ops.post(path, json=OVERRIDE), 200)
    assert final["status"] == "final" and final["override_reason"] == OVERRIDE["override_reason"]
    events = expect(
        world.ops.get("/v1/audit-events", params={"resource_id": draft["id"], "resource_type": "settlement"}),
        200,
    )["items"]
    finalized = [e for e in events if e["action"] == "settlement.finalized"]
    assert finalized[0]["details"]["override_reason"] == OVERRIDE["override_reason"]
    # The day after the cutoff no reason is needed.
    later = one_episode(World.create(world.ops), falls)
    with clock.frozen(date(2028, 3, 31)):
        assert (
            expect(world.ops.post(f"/v1/settlements/{later.settle()['id']}/finalize"), 200)["override_reason"]
            is None
        )


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.integers(0, 900), st.booleans()), min_size=1, max_size=4))
def test_the_deltas_of_the_finals_add_up_to_the_latest_final_amount(
    ops: Api, falls: dict[str, Any], steps: list[tuple[int, bool]]
) -> None:
    """Runs with more spending each time, some finalised: at every moment the deltas of the
    period's final and superseded revisions add up to its one final's amount."""
    world = World.create(ops)
    s = one_episode(world, falls, "0.00")
    mbi = s.episodes()[0]["mbi"]
    for extra, make_final in steps:
        if extra:
            s.upload(s.spend(mbi, "2027-05-20", f"{extra}.00"))
        run = world.aco.post(f"/v1/arrangements/{s.arrangement_id}/settlements", json=PERIOD)
        assert run.status_code in (200, 201), run.text
        if make_final and run.json()["status"] == "draft":
            finalize(ops, run.json()["id"])
        listed = expect(
            world.aco.get(f"/v1/arrangements/{s.arrangement_id}/settlements", params={"limit": 500}), 200
        )["items"]
        finals = [x for x in listed if x["status"] == "final"]
        made_final = [x for x in listed if x["status"] in ("final", "superseded")]
        assert len(finals) <= 1
        if finals:
            assert sum(Decimal(x["delta"]) for x in made_final) == Decimal(finals[0]["settlement_amount"])


def test_concurrent_runs_and_finalisations_leave_one_final_per_period(
    world: World, falls: dict[str, Any], engine: Engine
) -> None:
    s = one_episode(world, falls)
    first = s.settle()
    base = f"/v1/arrangements/{s.arrangement_id}/settlements"

    def at_once(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
        barrier = threading.Barrier(len(calls))

        def one(call: Callable[[], httpx.Response]) -> httpx.Response:
            barrier.wait(timeout=30)
            return call()

        with ThreadPoolExecutor(len(calls)) as pool:
            return list(pool.map(one, calls))

    def finalising(settlement_id: str) -> Callable[[], httpx.Response]:
        return lambda: world.ops.post(f"/v1/settlements/{settlement_id}/finalize", json=OVERRIDE)

    def running(cutoff: str) -> Callable[[], httpx.Response]:
        return lambda: world.aco.post(base, json={**PERIOD, "claims_cutoff": cutoff})

    mixed = at_once(
        [finalising(first["id"]) for _ in range(3)] + [running(f"2028-04-0{d}") for d in (1, 2, 3)]
    )
    assert all(r.status_code in (200, 201, 409) for r in mixed), [r.text for r in mixed]
    assert sum(r.status_code == 200 for r in mixed[:3]) <= 1
    assert sorted(r.status_code for r in mixed[3:]) == [201, 201, 201]
    latest = expect(world.aco.get(base, params={"limit": 1}), 200)["items"][0]
    assert latest["revision"] == 4
    race = at_once([finalising(latest["id"]) for _ in range(4)])
    assert sorted(r.status_code for r in race) == [200, 409, 409, 409]
    with Session(engine) as session:
        counts = dict(
            session.execute(
                select(Settlement.status, func.count())
                .where(Settlement.arrangement_id == s.arrangement_id)
                .group_by(Settlement.status)
            ).all()
        )
    assert counts.get("final") == 1
    assert counts.get("superseded", 0) == sum(r.status_code == 200 for r in mixed[:3])
    assert sum(counts.values()) == 4


# ---- 4. reproducible finals ---------------------------------------------------------------------


def test_a_back_dated_upload_after_a_final_does_not_change_its_recompute(
    world: World, falls: dict[str, Any]
) -> None:
    s = one_episode(world, falls)
    final = finalize(world.ops, s.settle()["id"])
    assert final["settlement_amount"] == "160.00"
    recorded = {u["id"] for u in final["sources"]["uploads"]}
    assert len(recorded) == 2 and {u["kind"] for u in final["sources"]["uploads"]} == {"alignment", "claims"}
    assert all(len(u["content_sha256"]) == 64 for u in final["sources"]["uploads"])
    mbi = s.episodes()[0]["mbi"]
    # Back-dated spending (received long before the cutoff), a replacement of the trigger line's
    # amount and a new alignment row with another HCC score: all uploaded after the final.
    s.upload(s.spend(mbi, "2027-05-12", "300.00", received_date="2027-06-01"))
    s.beneficiary(mbi=mbi, hcc_score="2.0")
    for api in (world.aco, world.provider, world.ops):
        again = expect(api.post(f"/v1/settlements/{final['id']}/recompute"), 200)
        assert again["matches"] is True and again["differences"] == []
        assert again["recomputed"]["inputs_sha256"] == final["inputs_sha256"]
        assert again["recomputed"]["settlement_amount"] == "160.00"
        assert again["recomputed"]["status"] == "recomputed" and again["recomputed"]["id"] is None
    # A new run reads them: target 1960.00, spending 880.00, S = 1080: R = 432 > 392.00 (stop-gain).
    fresh = s.settle()
    assert fresh["inputs_sha256"] != final["inputs_sha256"] and fresh["settlement_amount"] == "392.00"
    assert len(fresh["sources"]["uploads"]) == 4
    # Recomputing stored nothing: still two settlements.
    listed = expect(world.aco.get(f"/v1/arrangements/{s.arrangement_id}/settlements"), 200)["items"]
    assert [x["id"] for x in listed] == [fresh["id"], final["id"]]
    problem(world.other_provider.post(f"/v1/settlements/{final['id']}/recompute"), 404)


def test_a_settlement_stored_before_sources_recomputes_from_the_uploads_before_it(
    world: World, falls: dict[str, Any], engine: Engine
) -> None:
    s = one_episode(world, falls)
    draft = s.settle()
    with engine.begin() as conn:  # as the migration leaves a settlement stored before it
        conn.execute(update(Settlement).where(Settlement.id == draft["id"]).values(sources=None))
    s.upload(s.spend(s.episodes()[0]["mbi"], "2027-05-12", "300.00", received_date="2027-06-01"))
    again = expect(world.provider.post(f"/v1/settlements/{draft['id']}/recompute"), 200)
    assert again["matches"] is True and again["recomputed"]["settlement_amount"] == "160.00"
    # When a recorded figure no longer matches, the recompute says which.
    with engine.begin() as conn:
        conn.execute(
            update(Settlement).where(Settlement.id == draft["id"]).values(settlement_amount=Decimal("161.00"))
        )
    changed = expect(world.provider.post(f"/v1/settlements/{draft['id']}/recompute"), 200)
    assert changed["matches"] is False and changed["differences"] == ["settlement_amount"]


# ---- 5. acceptance and disputes -----------------------------------------------------------------


def test_acceptance_and_disputes(world: World, falls: dict[str, Any], engine: Engine) -> None:
    s = one_episode(world, falls)
    draft = s.settle()
    sid = draft["id"]
    [line] = expect(world.aco.get(f"/v1/settlements/{sid}/lines"), 200)["items"]
    assert line["id"] == line["episode_id"]

    accepted = world.provider.post(f"/v1/settlements/{sid}/accept")
    body = expect(accepted, 200)
    assert body["acceptance"]["provider"]["organization_id"] == world.provider_org["id"]
    assert body["acceptance"]["aco"] is None and accepted.headers["etag"] != f'"{sid}.1"'
    problem(world.provider.post(f"/v1/settlements/{sid}/accept"), 409)  # once
    problem(world.ops.post(f"/v1/settlements/{sid}/accept"), 403)
    problem(world.other_aco.post(f"/v1/settlements/{sid}/accept"), 404)

    bad = problem(
        world.aco.post(f"/v1/settlements/{sid}/disputes", json={"reason": "x", "line_ids": ["epi_no"]}), 422
    )
    assert bad["errors"][0]["location"] == "body.line_ids[0]"
    problem(world.aco.post(f"/v1/settlements/{sid}/disputes", json={"line_ids": [line["id"]]}), 422)
    created = world.aco.post(
        f"/v1/settlements/{sid}/disputes", json={"reason": "moved away in January", "line_ids": [line["id"]]}
    )
    dispute = expect(created, 201)
    assert created.headers["location"] == f"/v1/settlement-disputes/{dispute['id']}"
    assert (dispute["party"], dispute["status"], dispute["line_ids"]) == ("aco", "open", [line["id"]])
    problem(world.aco.post(f"/v1/settlements/{sid}/accept"), 409)  # its own dispute is open
    shown = expect(world.provider.get(f"/v1/settlements/{sid}"), 200)
    assert [d["id"] for d in shown["disputes"]] == [dispute["id"]]
    assert expect(world.provider.get(f"/v1/settlement-disputes/{dispute['id']}"), 200) == dispute
    problem(world.other_provider.get(f"/v1/settlement-disputes/{dispute['id']}"), 404)

    # An open dispute blocks finalising, whatever the override and whatever the day.
    blocked = finalize(world.ops, sid, 409, **OVERRIDE)
    assert dispute["id"] in blocked["detail"] and blocked["open_dispute_ids"] == [dispute["id"]]
    resolve = f"/v1/settlement-disputes/{dispute['id']}/resolve"
    problem(world.aco.post(resolve, json={"outcome": "rejected", "note": "mine"}), 403)
    problem(world.ops.post(resolve, json={"outcome": "maybe", "note": "n"}), 422)
    upheld = expect(world.ops.post(resolve, json={"outcome": "upheld", "note": "alignment corrected"}), 200)
    assert upheld["status"] == "upheld" and upheld["resolution_note"] == "alignment corrected"
    problem(world.ops.post(resolve, json={"outcome": "rejected", "note": "again"}), 409)
    # Upheld: this revision cannot be finalised; a new run (even on the same inputs) is needed.
    assert "run the settlement again" in finalize(world.ops, sid, 409)["detail"]
    rerun = s.settle()
    assert rerun["revision"] == 2 and rerun["inputs_sha256"] == draft["inputs_sha256"]
    # A rejected dispute of the new revision does not block it.
    second = expect(world.provider.post(f"/v1/settlements/{rerun['id']}/disputes", json={"reason": "q"}), 201)
    assert second["line_ids"] == [] and second["party"] == "provider"
    expect(
        world.ops.post(
            f"/v1/settlement-disputes/{second['id']}/resolve", json={"outcome": "rejected", "note": "no"}
        ),
        200,
    )
    final = finalize(world.ops, rerun["id"])
    assert [d["status"] for d in final["disputes"]] == ["rejected"]
    problem(world.aco.post(f"/v1/settlements/{rerun['id']}/accept"), 409)  # final: nothing to accept
    problem(world.aco.post(f"/v1/settlements/{rerun['id']}/disputes", json={"reason": "late"}), 409)

    events = outbox(
        engine,
        ("settlement.accepted", "settlement.disputed", "settlement.dispute_resolved"),
        s.arrangement_id,
    )
    parties = sorted([world.aco_org["id"], world.provider_org["id"]])
    assert [(e.type, list(e.recipient_org_ids)) for e in events] == [
        ("settlement.accepted", parties),
        ("settlement.disputed", parties),
        ("settlement.dispute_resolved", parties),
        ("settlement.disputed", parties),
        ("settlement.dispute_resolved", parties),
    ]
    assert events[2].data["outcome"] == "upheld" and events[2].data["new_run_needed"] is True


# ---- 6. quality data with provenance ------------------------------------------------------------


def test_quality_reporter_and_provenance(world: World, falls: dict[str, Any], engine: Engine) -> None:
    s = one_episode(world, falls, quality_reporter="aco")
    path = f"/v1/quality/{s.arrangement_id}/2027-01-01"
    body = {"measures": [{"measure_id": "Q155", "numerator": 8, "denominator": 10}]}
    refused = problem(world.provider.put(path, json=body), 403)
    assert refused["quality_reporter"] == "aco"
    reported = expect(world.aco.put(path, json={**body, "attestation": "Counted from our registry."}), 200)
    assert (
        reported["reported_by"] == world.aco_org["id"]
        and reported["attestation"] == "Counted from our registry."
    )
    [event] = outbox(engine, ("quality.reported",), s.arrangement_id)
    assert list(event.recipient_org_ids) == [world.provider_org["id"]]  # the counterparty only
    assert event.data["version_id"] == reported["version_id"]
    settled = s.settle()
    assert settled["sources"]["quality_report"]["version_id"] == reported["version_id"]
    # q = 0.8: R = 400 x 0.5 x (1 - 0.2 x 0.2) = 192.00
    assert settled["settlement_amount"] == "192.00"
    # A later version does not change what the settlement recomputes to.
    expect(
        world.aco.put(path, json={"measures": [{"measure_id": "Q155", "numerator": 10, "denominator": 10}]}),
        200,
    )
    again = expect(world.provider.post(f"/v1/settlements/{settled['id']}/recompute"), 200)
    assert again["matches"] is True
    versions = expect(world.provider.get(f"/v1/arrangements/{s.arrangement_id}/quality-versions"), 200)[
        "items"
    ]
    assert [v["revision"] for v in versions] == [1, 2]
    # Either party when the terms say so.
    either = one_episode(World.create(world.ops), falls, quality_reporter="either")
    for api in (either.world.aco, either.world.provider):
        expect(api.put(f"/v1/quality/{either.arrangement_id}/2027-01-01", json=body), 200)


def test_a_new_term_leaves_the_hash_of_existing_terms_alone() -> None:
    parties: dict[str, Any] = {
        "aco_id": "org_A",
        "provider_id": "org_P",
        "definition_code": "FALLS-PREV",
        "definition_version": 1,
        "period": Period(start=date(2027, 1, 1), end=date(2027, 12, 31)),
    }
    absent = terms_sha256(**parties, terms=Terms.model_validate(TERMS))
    default = terms_sha256(**parties, terms=Terms.model_validate({**TERMS, "quality_reporter": "provider"}))
    aco = terms_sha256(**parties, terms=Terms.model_validate({**TERMS, "quality_reporter": "aco"}))
    assert absent == default != aco


# ---- 7. audit covers money ----------------------------------------------------------------------


def verification(ops: Api) -> dict[str, Any]:
    return dict(expect(ops.get("/v1/audit/verification"), 200))


def test_tampering_with_money_is_reported(
    world: World, falls: dict[str, Any], engine: Engine, migrated: Settings, capsys: Any
) -> None:
    s = one_episode(world, falls)
    final = finalize(world.ops, s.settle()["id"])
    arrangement = expect(world.aco.get(f"/v1/arrangements/{s.arrangement_id}"), 200)
    events = expect(world.ops.get("/v1/audit-events", params={"resource_id": s.arrangement_id}), 200)["items"]
    executed = [e for e in events if e["action"] == "arrangement.executed"]
    assert executed[0]["details"]["terms_sha256"] == arrangement["terms_sha256"]
    assert executed[0]["details"]["executed_version"] == 1
    sealed = expect(world.ops.get("/v1/audit-events", params={"resource_id": final["id"]}), 200)["items"]
    assert len(next(e for e in sealed if e["action"] == "settlement.finalized")["details"]["digest"]) == 64

    clean = verification(world.ops)
    assert clean["ok"] is True and clean["findings"] == [] and clean["chain"]["ok"] is True
    assert clean["settlements_checked"] >= 1 and clean["terms_versions_checked"] >= 1
    assert cara(["audit", "verify"], settings=migrated) == 0
    problem(world.aco.get("/v1/audit/verification"), 403)

    with Session(engine) as session:
        [line_key] = session.scalars(
            select(SettlementLine.episode_id).where(SettlementLine.settlement_id == final["id"])
        ).all()
        version_id = session.scalars(
            select(ArrangementVersion.id).where(ArrangementVersion.arrangement_id == s.arrangement_id)
        ).one()
    tampering: list[tuple[Any, str, str]] = [
        (
            update(Settlement)
            .where(Settlement.id == final["id"])
            .values(settlement_amount=Decimal("1160.00")),
            final["id"],
            "160.00",
        ),
        (
            update(SettlementLine)
            .where(SettlementLine.settlement_id == final["id"], SettlementLine.episode_id == line_key)
            .values(spending=Decimal("1.00")),
            final["id"],
            "580.00",
        ),
        (
            update(ArrangementVersion)
            .where(ArrangementVersion.id == version_id)
            .values(terms={**arrangement["terms"], "target_price": "2000.00"}),
            version_id,
            "",
        ),
    ]
    for statement, resource_id, _ in tampering:
        with engine.begin() as conn:
            original = _snapshot(conn, resource_id, line_key)
            conn.execute(statement)
        try:
            found = verification(world.ops)
            assert found["ok"] is False
            assert resource_id in [f["resource_id"] for f in found["findings"]], found
            capsys.readouterr()
            assert cara(["audit", "verify"], settings=migrated) == 1
            assert resource_id in capsys.readouterr().err
        finally:
            with engine.begin() as conn:
                _restore(conn, original)
    assert verification(world.ops)["ok"] is True
    assert cara(["audit", "verify"], settings=migrated) == 0


def _snapshot(conn: Any, resource_id: str, line_key: str) -> tuple[str, Any]:
    if resource_id.startswith("stl_"):
        row = conn.execute(
            select(Settlement.settlement_amount).where(Settlement.id == resource_id)
        ).scalar_one()
        spending = conn.execute(
            select(SettlementLine.spending).where(
                SettlementLine.settlement_id == resource_id, SettlementLine.episode_id == line_key
            )
        ).scalar_one()
        return resource_id, (row, line_key, spending)
    terms = conn.execute(
        select(ArrangementVersion.terms).where(ArrangementVersion.id == resource_id)
    ).scalar_one()
    return resource_id, terms


def _restore(conn: Any, original: tuple[str, Any]) -> None:
    resource_id, value = original
    if resource_id.startswith("stl_"):
        amount, line_key, spending = value
        conn.execute(update(Settlement).where(Settlement.id == resource_id).values(settlement_amount=amount))
        conn.execute(
            update(SettlementLine)
            .where(SettlementLine.settlement_id == resource_id, SettlementLine.episode_id == line_key)
            .values(spending=spending)
        )
    else:
        conn.execute(
            update(ArrangementVersion).where(ArrangementVersion.id == resource_id).values(terms=value)
        )


# ---- the upgrade --------------------------------------------------------------------------------


def test_existing_settlements_and_quality_reports_survive_the_upgrade() -> None:
    """A database at the revision before this one, with a final settlement and a quality report,
    upgraded: the settlement keeps its status and figures (``sources`` NULL), the report becomes
    its first version."""
    from alembic import command
    from sqlalchemy import MetaData

    from service.kit.db import make_sync_engine
    from service.kit.migrations import alembic_config
    from tests.test_schema_and_spec import _fresh_url

    url, handle = _fresh_url()
    try:
        config = alembic_config(url)
        command.upgrade(config, "0008")
        engine = make_sync_engine(url)
        old = MetaData()
        old.reflect(engine)
        now = clock.utcnow()
        money = Decimal("-103.04")
        with engine.begin() as conn:
            for org, kind in (("org_A", "aco"), ("org_P", "provider")):
                conn.execute(
                    old.tables["organization"].insert().values(id=org, kind=kind, name=org, created_at=now)
                )
            conn.execute(
                old.tables["episode_definition"].insert().values(
                    id="def_1", code="FALLS-PREV", version=1, approach="max_flex", name="Falls",
                    content={}, content_sha256="0" * 64, published_at=now,
                )
            )  # fmt: skip
            conn.execute(
                old.tables["arrangement"].insert().values(
                    id="arr_1", aco_id="org_A", provider_id="org_P", proposer_id="org_A",
                    definition_id="def_1", definition_code="FALLS-PREV", definition_version=1,
                    period_start=date(2027, 1, 1), period_end=date(2027, 12, 31), status="executed",
                    revision=3, latest_version=1, version_in_force=1, created_at=now, updated_at=now,
                )
            )  # fmt: skip
            conn.execute(
                old.tables["quality_report"].insert().values(
                    id="qr_1", arrangement_id="arr_1", period_start=date(2027, 1, 1),
                    measures=[{"measure_id": "Q155", "numerator": 8, "denominator": 10}], revision=2,
                    reported_by="org_P", updated_at=now,
                )
            )  # fmt: skip
        with Session(engine) as session:  # money through the service's own column types
            session.execute(
                Settlement.__table__.insert().values(
                    id="stl_1", arrangement_id="arr_1", revision=1, status="final",
                    period_start=date(2027, 1, 1), period_end=date(2027, 12, 31),
                    claims_cutoff=date(2028, 3, 30), terms_version=1, terms_sha256="a" * 64,
                    definition_code="FALLS-PREV", definition_version=1, n_episodes=3, n_excluded=0,
                    total_target=Decimal("2646.00"), total_actual=Decimal("2870.00"),
                    savings=Decimal("-224.00"), quality_score=Decimal("0.8"),
                    shared_before_caps=money, stop_gain_limit=Decimal("529.2"),
                    stop_loss_limit=Decimal("-529.2"), cap_bound=None, below_min_episodes=False,
                    settlement_amount=money, delta=None, delta_against=None, inputs={},
                    inputs_sha256="b" * 64, created_by="org_A", created_at=now,
                    finalized_by="ops", finalized_at=now,
                )  # only the columns of revision 0008
            )  # fmt: skip
            session.commit()
        engine.dispose()
        command.upgrade(config, "head")
        engine = make_sync_engine(url)
        with Session(engine) as session:
            kept = session.get(Settlement, "stl_1")
            assert kept is not None and kept.status == "final" and kept.settlement_amount == money
            assert kept.sources is None and kept.override_reason is None and kept.superseded_by is None
            [version] = session.scalars(select(QualityReportVersion)).all()
            assert (version.report_id, version.version, version.organization_id) == ("qr_1", 2, "org_P")
            assert version.measures == [{"measure_id": "Q155", "numerator": 8, "denominator": 10}]
        engine.dispose()
    finally:
        if isinstance(handle, tuple):
            import psycopg

            admin, name = handle
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            handle.cleanup()  # type: ignore[attr-defined]
