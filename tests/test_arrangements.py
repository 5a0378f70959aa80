"""Arrangements over HTTP: the lifecycle for each role, hashes, ETags, amendments, max flex, documents."""

from __future__ import annotations

import copy
import os
import re
import secrets
import threading
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from service.access import roster
from service.access.auth import Principal
from service.access.models import Role
from service.arrangements import lifecycle
from service.arrangements.in_force import load_in_force
from service.arrangements.schemas import (
    TERMS_EXAMPLE,
    InForceArrangement,
    Period,
    Terms,
    canonical_json,
    terms_sha256,
)
from service.bootstrap import run_with_session
from service.definitions.schemas import EXAMPLE
from service.kit.errors import Conflict, NotFound
from service.settings import Settings
from service.webhooks.models import OutboxEvent
from tests.support.factories import Api, World, create_org, expect

POSTGRES_ONLY = pytest.mark.skipif(
    os.environ.get("CARA_TEST_DB", "sqlite") != "postgresql", reason="needs PostgreSQL row locks"
)


def publish(ops: Api, approach: str) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    data["code"] = "ARR-" + secrets.token_hex(4).upper()
    data["approach"] = approach
    expect(ops.post("/v1/episode-definitions", json=data), 201)
    return {"code": data["code"], "version": 1}


@pytest.fixture(scope="module")
def max_flex(ops: Api) -> dict[str, Any]:
    return publish(ops, "max_flex")


@pytest.fixture(scope="module")
def default_def(ops: Api) -> dict[str, Any]:
    return publish(ops, "default")


def terms(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(TERMS_EXAMPLE), **changes}


def body(world: World, episode: dict[str, Any], **term_changes: Any) -> dict[str, Any]:
    return {
        "aco_id": world.aco_org["id"],
        "provider_id": world.provider_org["id"],
        "episode": episode,
        "period": {"start": "2027-01-01", "end": "2027-12-31"},
        "terms": terms(**term_changes),
    }


def propose(
    world: World, episode: dict[str, Any], by: Api | None = None, **term_changes: Any
) -> httpx.Response:
    return (by or world.aco).post("/v1/arrangements", json=body(world, episode, **term_changes))


def current(api: Api, arr_id: str) -> tuple[dict[str, Any], str]:
    resp = api.get(f"/v1/arrangements/{arr_id}")
    data = expect(resp, 200)
    return data, resp.headers["etag"]


def act(api: Api, arr_id: str, path: str, json: Any = None, method: str = "POST") -> httpx.Response:
    _, etag = current(api, arr_id)
    return api.request(method, f"/v1/arrangements/{arr_id}{path}", json=json, headers={"If-Match": etag})


def sign(api: Api, arr_id: str, name: str = "Dana Reyes") -> httpx.Response:
    data, _ = current(api, arr_id)
    return act(
        api,
        arr_id,
        "/signatures",
        {"signer_name": name, "signer_title": "CEO", "terms_sha256": data["terms_sha256"]},
    )


def executed(world: World, episode: dict[str, Any], **term_changes: Any) -> str:
    arr = expect(propose(world, episode, **term_changes), 201)
    expect(sign(world.aco, arr["id"]), 201)
    expect(sign(world.provider, arr["id"]), 201)
    return str(arr["id"])


# ---- pure logic -------------------------------------------------------------------------------


def test_terms_hash_is_pinned() -> None:
    fixed = Terms.model_validate(terms(target_price="1200.50", stop_gain_pct="20.00"))
    args = dict(
        aco_id="org_A",
        provider_id="org_P",
        definition_code="FALLS-PREV",
        definition_version=1,
        period=Period.model_validate({"start": "2027-01-01", "end": "2027-12-31"}),
        terms=fixed,
    )
    text = canonical_json(**args)  # type: ignore[arg-type]
    assert '"target_price":"1200.5"' in text and '"stop_gain_pct":"20"' in text
    assert " " not in text and text.index('"aco_id"') < text.index('"definition"')
    # Written out by hand from SPEC section 3; the hash is of exactly these bytes.
    assert text == (
        '{"aco_id":"org_A","definition":{"code":"FALLS-PREV","version":1},'
        '"period":{"end":"2027-12-31","start":"2027-01-01"},"provider_id":"org_P",'
        '"terms":{"loss_quality_relief_pct":"10","loss_share_pct":"25","min_episodes":11,'
        '"performance_adjustment_pct":"20","price_adjustment_pct":"-2",'
        '"quality_measures":[{"measure_id":"Q155","weight":"1"},{"measure_id":"Q318","weight":"1"}],'
        '"runout_days":90,"savings_share_pct":"50","stop_gain_pct":"20","stop_loss_pct":"20",'
        '"target_price":"1200.5"}}'
    )
    assert terms_sha256(**args) == "627b9c9f141d4869805d73a80c5d2af3bcef7f4d1b4751580a15fc85c5cfa8bf"  # type: ignore[arg-type]


def test_equal_decimals_hash_equally() -> None:
    period = Period.model_validate({"start": "2027-01-01", "end": "2027-12-31"})
    a = Terms.model_validate(terms(target_price="100.00"))
    b = Terms.model_validate(terms(target_price="100"))
    kw: dict[str, Any] = dict(
        aco_id="a", provider_id="p", definition_code="X", definition_version=1, period=period
    )
    assert terms_sha256(terms=a, **kw) == terms_sha256(terms=b, **kw)
    assert terms_sha256(terms=a, **kw) != terms_sha256(
        terms=Terms.model_validate(terms(target_price="100.01")), **kw
    )


def test_lifecycle_table_refuses_unknown_moves() -> None:
    assert lifecycle.allowed_actions("draft", {"party", "proposer"}) == ["revise", "sign", "withdraw"]
    assert lifecycle.allowed_actions("draft", {"party", "counterparty"}) == ["decline", "revise", "sign"]
    assert lifecycle.allowed_actions("pending_approval", {"ops"}) == ["approve", "reject"]
    for final in ("declined", "withdrawn", "rejected", "terminated"):
        assert lifecycle.allowed_actions(final, {"party", "proposer", "counterparty", "ops"}) == []


# ---- terms validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("target_price", "0"),
        ("target_price", "12.345"),
        ("price_adjustment_pct", "-50.01"),
        ("savings_share_pct", "100.5"),
        ("loss_share_pct", "-1"),
        ("performance_adjustment_pct", "9.99"),
        ("loss_quality_relief_pct", "10.5"),
        ("stop_gain_pct", "101"),
        ("stop_loss_pct", "-0.1"),
        ("min_episodes", -1),
        ("runout_days", 366),
        ("quality_measures", []),
    ],
)
def test_out_of_range_terms_are_precise_422(
    world: World, max_flex: dict[str, Any], field: str, value: Any
) -> None:
    problem = expect(propose(world, max_flex, **{field: value}), 422)
    assert any(e["location"].startswith(f"body.terms.{field}") for e in problem["errors"]), problem


def test_decimals_round_trip_and_defaults(world: World, max_flex: dict[str, Any]) -> None:
    sent = terms(target_price="12.50")
    for key in ("loss_quality_relief_pct", "stop_gain_pct", "stop_loss_pct", "min_episodes", "runout_days"):
        sent.pop(key)
    arr = expect(world.aco.post("/v1/arrangements", json={**body(world, max_flex), "terms": sent}), 201)
    assert arr["terms"]["target_price"] == "12.50"
    assert (
        arr["terms"]["loss_quality_relief_pct"],
        arr["terms"]["stop_gain_pct"],
        arr["terms"]["runout_days"],
    ) == (
        "10",
        "20",
        90,
    )
    assert Decimal(arr["terms"]["price_adjustment_pct"]) == Decimal("-2")


def test_unknown_measure_and_bad_period_and_unpublished_definition(
    world: World, max_flex: dict[str, Any]
) -> None:
    problem = expect(propose(world, max_flex, quality_measures=[{"measure_id": "Q999", "weight": "1"}]), 422)
    assert problem["errors"][0]["location"] == "body.terms.quality_measures[0].measure_id"
    bad_period = {**body(world, max_flex), "period": {"start": "2027-06-01", "end": "2027-01-01"}}
    expect(world.aco.post("/v1/arrangements", json=bad_period), 422)
    early = {**body(world, max_flex), "period": {"start": "2026-12-31", "end": "2027-01-01"}}
    expect(world.aco.post("/v1/arrangements", json=early), 422)
    problem = expect(propose(world, {"code": "NOPE-NOPE", "version": 1}), 422)
    assert problem["errors"][0]["location"] == "body.episode"


def test_counterparty_must_exist_and_be_of_other_kind(world: World, max_flex: dict[str, Any]) -> None:
    wrong = {**body(world, max_flex), "provider_id": world.other_aco_org["id"]}
    expect(world.aco.post("/v1/arrangements", json=wrong), 422)
    missing = {**body(world, max_flex), "provider_id": "org_nope"}
    expect(world.aco.post("/v1/arrangements", json=missing), 422)
    not_mine = {**body(world, max_flex), "aco_id": world.other_aco_org["id"]}
    expect(world.aco.post("/v1/arrangements", json=not_mine), 422)
    expect(world.ops.post("/v1/arrangements", json=body(world, max_flex)), 403)
    # A provider may propose too.
    arr = expect(propose(world, max_flex, by=world.provider), 201)
    assert arr["proposer_id"] == world.provider_org["id"]


def test_overrides_only_for_max_flex(
    world: World, max_flex: dict[str, Any], default_def: dict[str, Any]
) -> None:
    problem = expect(propose(world, default_def, overrides={"episode_length_days": 60}), 422)
    assert problem["errors"][0]["location"] == "body.terms.overrides"
    bad_code = {"trigger": {**EXAMPLE["trigger"], "diagnosis_prefixes": ["QQQ"]}}
    expect(propose(world, max_flex, overrides=bad_code), 422)
    expect(propose(world, max_flex, overrides={"episode_length_days": 60}), 201)


# ---- lifecycle over HTTP ----------------------------------------------------------------------


def test_sign_both_executes_with_signatures_and_events(world: World, max_flex: dict[str, Any]) -> None:
    arr = expect(propose(world, max_flex), 201)
    assert arr["status"] == "draft" and arr["version"] == 1 and arr["active"] is False
    first = expect(sign(world.aco, arr["id"]), 201)
    assert first["status"] == "partially_signed"
    problem = expect(sign(world.aco, arr["id"]), 409)
    assert "already signed" in problem["detail"]
    done = expect(sign(world.provider, arr["id"], name="Sam Okafor"), 201)
    assert done["status"] == "executed" and done["version_in_force"] == 1
    sigs = done["signatures"]
    assert {s["organization_id"] for s in sigs} == {world.aco_org["id"], world.provider_org["id"]}
    assert all(s["terms_sha256"] == done["terms_sha256"] and s["key_id"] for s in sigs)
    # Executed: signing again, revising, declining and withdrawing are refused naming the state.
    problem = expect(act(world.provider, arr["id"], "", {"terms": terms()}, method="PATCH"), 409)
    assert problem["current_state"] == "executed" and "amend" in problem["allowed_actions"]
    expect(act(world.provider, arr["id"], "/decline", {"reason": "no"}), 409)
    expect(act(world.aco, arr["id"], "/withdraw"), 409)
    expect(sign(world.aco, arr["id"]), 409)
    audit = expect(world.provider.get("/v1/audit-events", params={"resource_id": arr["id"]}), 200)
    actions = [e["action"] for e in audit["items"]]
    assert {"arrangement.proposed", "arrangement.signed", "arrangement.executed"} <= set(actions)


def test_stale_hash_is_409_with_current_hash(world: World, max_flex: dict[str, Any]) -> None:
    arr = expect(propose(world, max_flex), 201)
    stale = arr["terms_sha256"]
    expect(act(world.provider, arr["id"], "", {"terms": terms(target_price="1300.00")}, method="PATCH"), 200)
    problem = expect(
        act(
            world.aco,
            arr["id"],
            "/signatures",
            {"signer_name": "A", "signer_title": "B", "terms_sha256": stale},
        ),
        409,
    )
    now, _ = current(world.aco, arr["id"])
    assert problem["current_terms_sha256"] == now["terms_sha256"] != stale


def test_revision_clears_signatures_and_keeps_versions(world: World, max_flex: dict[str, Any]) -> None:
    arr = expect(propose(world, max_flex), 201)
    expect(sign(world.aco, arr["id"]), 201)
    revised = expect(
        act(world.provider, arr["id"], "", {"terms": terms(savings_share_pct="60")}, method="PATCH"), 200
    )
    assert revised["status"] == "draft" and revised["version"] == 2 and revised["signatures"] == []
    v1 = expect(world.provider.get(f"/v1/arrangements/{arr['id']}/versions/1"), 200)
    assert len(v1["signatures"]) == 1 and v1["terms"]["savings_share_pct"] == "50"
    expect(world.provider.get(f"/v1/arrangements/{arr['id']}/versions/3"), 404)


def test_decline_and_withdraw_by_the_right_party_only(world: World, max_flex: dict[str, Any]) -> None:
    arr = expect(propose(world, max_flex), 201)
    problem = expect(act(world.aco, arr["id"], "/decline", {"reason": "mine"}), 409)
    assert problem["current_state"] == "draft" and problem["allowed_actions"] == [
        "revise",
        "sign",
        "withdraw",
    ]
    expect(act(world.provider, arr["id"], "/withdraw"), 409)
    declined = expect(act(world.provider, arr["id"], "/decline", {"reason": "too low"}), 200)
    assert declined["status"] == "declined" and declined["decline_reason"] == "too low"
    expect(sign(world.aco, arr["id"]), 409)

    arr = expect(propose(world, max_flex), 201)
    expect(sign(world.provider, arr["id"]), 201)
    assert expect(act(world.aco, arr["id"], "/withdraw"), 200)["status"] == "withdrawn"
    expect(act(world.aco, arr["id"], "", {"terms": terms()}, method="PATCH"), 409)


def test_ops_reads_but_cannot_act_as_party(world: World, max_flex: dict[str, Any]) -> None:
    arr = expect(propose(world, max_flex), 201)
    expect(world.ops.get(f"/v1/arrangements/{arr['id']}"), 200)
    expect(world.ops.post(f"/v1/arrangements/{arr['id']}/withdraw", headers={"If-Match": "*"}), 403)
    _, etag = current(world.ops, arr["id"])
    problem = expect(world.ops.post(f"/v1/arrangements/{arr['id']}/approve", headers={"If-Match": etag}), 409)
    assert problem["current_state"] == "draft"


def test_etag_missing_and_stale(world: World, max_flex: dict[str, Any]) -> None:
    arr = expect(propose(world, max_flex), 201)
    _, etag = current(world.aco, arr["id"])
    expect(world.aco.post(f"/v1/arrangements/{arr['id']}/withdraw"), 428)
    expect(
        world.provider.patch(
            f"/v1/arrangements/{arr['id']}", json={"terms": terms()}, headers={"If-Match": etag}
        ),
        200,
    )
    problem = expect(
        world.aco.post(f"/v1/arrangements/{arr['id']}/withdraw", headers={"If-Match": etag}), 412
    )
    assert problem["current_etag"] != etag


def test_idempotent_replay(world: World, max_flex: dict[str, Any]) -> None:
    key = {"Idempotency-Key": secrets.token_hex(8)}
    payload = body(world, max_flex)
    first = world.aco.post("/v1/arrangements", json=payload, headers=key)
    again = world.aco.post("/v1/arrangements", json=payload, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    listed = expect(
        world.aco.get("/v1/arrangements", params={"counterparty_id": world.provider_org["id"]}), 200
    )
    assert [a["id"] for a in listed["items"]].count(first.json()["id"]) == 1
    expect(world.aco.post("/v1/arrangements", json=body(world, max_flex, runout_days=1), headers=key), 422)


def test_amendment_keeps_old_version_in_force(world: World, max_flex: dict[str, Any]) -> None:
    arr_id = executed(world, max_flex)
    amended = expect(
        act(world.provider, arr_id, "/amendments", {"terms": terms(target_price="1500.00")}), 201
    )
    assert amended["status"] == "executed" and amended["version"] == 2 and amended["version_in_force"] == 1
    expect(sign(world.provider, arr_id), 201)
    halfway, _ = current(world.aco, arr_id)
    assert halfway["version_in_force"] == 1 and halfway["status"] == "executed"
    doc = world.aco.get(f"/v1/arrangements/{arr_id}/document").text
    assert "$1,200.00" in doc and "$1,500.00" not in doc
    done = expect(sign(world.aco, arr_id), 201)
    assert done["version_in_force"] == 2 and done["status"] == "executed"
    assert "$1,500.00" in world.aco.get(f"/v1/arrangements/{arr_id}/document").text


def test_terminate(world: World, max_flex: dict[str, Any]) -> None:
    arr_id = executed(world, max_flex)
    expect(act(world.aco, arr_id, "/terminate", {"effective_date": "2028-01-01", "reason": "x"}), 422)
    done = expect(
        act(world.provider, arr_id, "/terminate", {"effective_date": "2027-07-01", "reason": "closing"}), 200
    )
    assert done["status"] == "terminated" and done["termination_date"] == "2027-07-01"
    expect(act(world.aco, arr_id, "/terminate", {"effective_date": "2027-08-01", "reason": "again"}), 409)
    expect(act(world.aco, arr_id, "/amendments", {"terms": terms()}), 409)


def test_max_flex_approval_and_rejection(world: World, max_flex: dict[str, Any]) -> None:
    arr_id = executed(world, max_flex, overrides={"episode_length_days": 60})
    pending, _ = current(world.aco, arr_id)
    assert pending["status"] == "pending_approval" and pending["version_in_force"] is None
    expect(act(world.aco, arr_id, "/approve"), 403)
    approved = expect(act(world.ops, arr_id, "/approve", {"reason": "ok"}), 200)
    assert approved["status"] == "executed" and approved["version_in_force"] == 1
    expect(act(world.ops, arr_id, "/reject"), 409)

    arr_id = executed(world, max_flex, overrides={"episode_length_days": 45})
    assert expect(act(world.ops, arr_id, "/reject", {"reason": "too short"}), 200)["status"] == "rejected"


def test_document_escapes_hostile_names(ops: Api, max_flex: dict[str, Any]) -> None:
    hostile = '<script>alert("x")</script>'
    aco_org, aco = create_org(ops, "aco", name="ACO " + hostile)
    provider_org, provider = create_org(ops, "provider", name="Prov <img src=x onerror=alert(1)>", npis=[])
    payload = {
        "aco_id": aco_org["id"],
        "provider_id": provider_org["id"],
        "episode": max_flex,
        "period": {"start": "2027-01-01", "end": "2027-12-31"},
        "terms": terms(),
    }
    arr = expect(aco.post("/v1/arrangements", json=payload), 201)
    expect(sign(aco, arr["id"], name=hostile), 201)
    resp = provider.get(f"/v1/arrangements/{arr['id']}/document")
    assert resp.status_code == 200 and resp.headers["content-type"].startswith("text/html")
    html = resp.text
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html and arr["terms_sha256"] in html and aco_org["tin"] in html


def test_foreign_arrangement_is_404_and_lists_are_own(world: World, max_flex: dict[str, Any]) -> None:
    arr = expect(propose(world, max_flex), 201)
    for stranger in (world.other_aco, world.other_provider):
        expect(stranger.get(f"/v1/arrangements/{arr['id']}"), 404)
        expect(stranger.get(f"/v1/arrangements/{arr['id']}/document"), 404)
        expect(stranger.post(f"/v1/arrangements/{arr['id']}/withdraw", headers={"If-Match": "*"}), 404)
        assert expect(stranger.get("/v1/arrangements"), 200)["items"] == []
    expect(world.anonymous.get("/v1/arrangements"), 401)
    seen = expect(world.ops.get("/v1/arrangements", params={"counterparty_id": world.aco_org["id"]}), 200)
    assert arr["id"] in {a["id"] for a in seen["items"]}
    expect(world.ops.get(f"/v1/arrangements/{arr['id']}"), 200)


def test_list_filters_and_pagination(
    world: World, max_flex: dict[str, Any], default_def: dict[str, Any]
) -> None:
    a = expect(propose(world, max_flex), 201)
    b = expect(propose(world, default_def), 201)
    c = expect(propose(world, max_flex), 201)
    expect(act(world.provider, c["id"], "/decline", {"reason": "no"}), 200)
    page1 = expect(world.aco.get("/v1/arrangements", params={"limit": 2}), 200)
    page2 = expect(
        world.aco.get("/v1/arrangements", params={"limit": 2, "cursor": page1["next_cursor"]}), 200
    )
    assert [x["id"] for x in page1["items"] + page2["items"]] == [a["id"], b["id"], c["id"]]
    drafts = expect(world.provider.get("/v1/arrangements", params={"status": "draft"}), 200)
    assert [x["id"] for x in drafts["items"]] == [a["id"], b["id"]]
    by_code = expect(world.aco.get("/v1/arrangements", params={"episode_code": default_def["code"]}), 200)
    assert [x["id"] for x in by_code["items"]] == [b["id"]]


# ---- concurrency (PostgreSQL) -----------------------------------------------------------------


def _race(calls: list[Any]) -> list[httpx.Response]:
    results: list[httpx.Response] = [None] * len(calls)  # type: ignore[list-item]
    barrier = threading.Barrier(len(calls))

    def run(i: int) -> None:
        barrier.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@POSTGRES_ONLY
def test_concurrent_signatures_execute_once(world: World, max_flex: dict[str, Any]) -> None:
    arr = expect(propose(world, max_flex), 201)
    data, etag = current(world.aco, arr["id"])
    sig = {"signer_title": "CEO", "terms_sha256": data["terms_sha256"]}

    def signer(api: Api, name: str) -> Any:
        return lambda: api.post(
            f"/v1/arrangements/{arr['id']}/signatures",
            json={**sig, "signer_name": name},
            headers={"If-Match": etag},
        )

    results = _race([signer(world.aco, "A"), signer(world.provider, "P")])
    codes = sorted(r.status_code for r in results)
    assert codes in ([201, 201], [201, 412]), codes
    for r, api, name in zip(results, (world.aco, world.provider), ("A", "P"), strict=True):
        if r.status_code == 412:  # the loser re-reads and signs the same version
            expect(sign(api, arr["id"], name=name), 201)
    final, _ = current(world.aco, arr["id"])
    assert final["status"] == "executed" and len(final["signatures"]) == 2


@POSTGRES_ONLY
def test_concurrent_revisions_one_wins(world: World, max_flex: dict[str, Any]) -> None:
    arr = expect(propose(world, max_flex), 201)
    _, etag = current(world.aco, arr["id"])

    def revise(api: Api, price: str) -> Any:
        return lambda: api.patch(
            f"/v1/arrangements/{arr['id']}",
            json={"terms": terms(target_price=price)},
            headers={"If-Match": etag},
        )

    results = _race([revise(world.aco, "1300.00"), revise(world.provider, "1400.00")])
    assert sorted(r.status_code for r in results) == [200, 412]
    final, _ = current(world.aco, arr["id"])
    assert final["version"] == 2


# ---- load_in_force (what episodes and settlements read) -------------------------------------


def _in_force(settings: Settings, viewer: Principal, arr_id: str) -> InForceArrangement:
    async def work(session: Any) -> InForceArrangement:
        return await load_in_force(session, viewer=viewer, arrangement_id=arr_id)

    return run_with_session(settings, work)


def test_load_in_force(world: World, max_flex: dict[str, Any], migrated: Settings) -> None:
    arr_id = executed(world, max_flex, overrides={"episode_length_days": 60})
    aco = Principal(org_id=world.aco_org["id"], role=Role.aco, key_id="test")
    stranger = Principal(org_id=world.other_aco_org["id"], role=Role.aco, key_id="test")
    with pytest.raises(Conflict):  # awaiting approval: nothing executed yet
        _in_force(migrated, aco, arr_id)
    expect(act(world.ops, arr_id, "/approve"), 200)
    first = _in_force(migrated, aco, arr_id)
    assert first.version == 1 and first.definition.episode_length_days == 60
    assert first.terms.target_price == Decimal("1200.00") and first.status == "executed"
    # The provider's clinicians come from its roster over time (whole period, as onboarded).
    assert first.provider_id == world.provider_org["id"] and first.aco_id == world.aco_org["id"]
    stays = run_with_session(
        migrated,
        lambda session: roster.npis_during(
            session, first.provider_id, start=first.period_start, end=first.period_end
        ),
    )
    assert [(s.npi, s.start, s.end) for s in stays] == [
        (npi, first.period_start, first.period_end) for npi in sorted(world.provider_org["npis"])
    ]
    expect(act(world.aco, arr_id, "/amendments", {"terms": terms(target_price="999.99")}), 201)
    assert _in_force(migrated, aco, arr_id).terms.target_price == Decimal("1200.00")
    with pytest.raises(NotFound):
        _in_force(migrated, stranger, arr_id)


def test_outbox_events_go_to_both_parties(world: World, max_flex: dict[str, Any], migrated: Settings) -> None:
    arr = expect(propose(world, max_flex), 201)
    expect(sign(world.provider, arr["id"]), 201)
    expect(act(world.aco, arr["id"], "/withdraw"), 200)

    async def work(session: Any) -> list[tuple[str, list[str]]]:
        rows = await session.scalars(
            select(OutboxEvent).where(OutboxEvent.type.like("arrangement.%")).order_by(OutboxEvent.id)
        )
        return [(e.type, e.recipient_org_ids) for e in rows if e.data.get("arrangement_id") == arr["id"]]

    events = run_with_session(migrated, work)
    parties = sorted([world.aco_org["id"], world.provider_org["id"]])
    assert [t for t, _ in events] == ["arrangement.proposed", "arrangement.signed", "arrangement.withdrawn"]
    assert all(sorted(r) == parties for _, r in events)


def test_document_is_an_agreement_in_plain_words(world: World, default_def: dict[str, Any]) -> None:
    arr_id = executed(world, default_def)
    first, _ = current(world.aco, arr_id)
    expect(act(world.provider, arr_id, "/amendments", {"terms": terms(target_price="1350.00")}), 201)
    expect(sign(world.provider, arr_id, name="Priya Natarajan"), 201)
    expect(sign(world.aco, arr_id, name="Morgan Ellis"), 201)
    data, _ = current(world.aco, arr_id)
    response = world.provider.get(f"/v1/arrangements/{arr_id}/document")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    body = html.split("</style>", 1)[1]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body))
    # Parties, with names, TINs and the practice's NPIs.
    for value in (
        world.aco_org["name"], world.aco_org["tin"], world.provider_org["name"], world.provider_org["tin"],
        *world.provider_org["npis"],
    ):  # fmt: skip
        assert value in text
    # Recitals, the episode in words with its codes, every term as a sentence.
    for phrase in (
        "LEAD model", "CMS-Administered Risk Arrangements", "An episode is a defined span",
        "99202 to 99205", "97161 to 97163", "Z91.81", "W00 to W19", "aged 65 or older",
        "physician and other professional (Part B carrier) or hospital outpatient claim",
        "skilled nursing facility, home health agency, durable medical equipment",
        "following 89 days (90 days in all)", "elects hospice", "alignment to the ACO ends",
        "The target price of an episode is $1,350.00, reduced by a discount of 2%",
        "CMS-HCC risk score", "more than 3 times its target price",
        "the Practice receives 50% of the difference; up to 20% of that share depends on quality",
        "the Practice repays 25% of the difference, reduced by up to 10%",
        "fewer than 11 settled episodes", "at most 20% of the total target price",
        "Falls: plan of care (Q155)", "90 days after the end of a performance period",
        "claims cutoff is 2028-03-30",
        "Worked example", "$2,646.00", "$103.04", "within thirty (30) days", "The Practice reports",
        "may dispute it", "Either party may terminate", "Notices under this Agreement",
    ):  # fmt: skip
        assert phrase in text, phrase
    # Signatures: signer, title, organisation, time, the hash they signed; the version history.
    assert data["terms_sha256"] != first["terms_sha256"]
    for s in data["signatures"]:
        assert f"{s['signer_name']}, {s['signer_title']}" in text
        assert s["signed_at"][:10] in text
    assert "Priya Natarajan" in text and "Morgan Ellis" in text
    assert (
        f"for {world.provider_org['name']} (taxpayer identification number {world.provider_org['tin']})"
        in text
    )
    assert text.count(data["terms_sha256"]) >= 3  # the version's hash, each signature's, the history's
    assert first["terms_sha256"] in text
    assert "Original terms" in text and "replaced by a later version" in text
    assert "Amendment" in text and "in force" in text
    # No internal ids, enum names or field names.
    for internal in (
        arr_id,
        world.aco_org["id"],
        world.provider_org["id"],
        *(s["key_id"] for s in data["signatures"]),
    ):
        assert internal not in html
    assert not re.search(r"\b(org|key|arr|arv|upl|stl)_[0-9A-Za-z]", text)
    assert not re.search(
        r"max_flex|default approach|partially_signed|pending_approval|quality_reporter|_pct|_days|"
        r"rendering_npi|\b(snf|hha|dme|hcc|None|True|False)\b",
        text,
    ), re.findall(r"\b\w+_\w+\b", text)
