"""Renewals: the same parties and episode, the following period, the terms in force or changed
ones, as a new arrangement linked to the one it renews; the usual lifecycle from then on."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import httpx
import pytest

from service.arrangements.renewal import following_period
from tests.support.episode_data import TERMS, Scenario, execute, publish_definition
from tests.support.factories import Api, World, expect


@pytest.fixture(scope="module")
def falls(ops: Api) -> dict[str, Any]:
    return publish_definition(ops)


def read(api: Api, arr_id: str) -> tuple[dict[str, Any], str]:
    response = api.get(f"/v1/arrangements/{arr_id}")
    return expect(response, 200), response.headers["etag"]


def renew(
    api: Api, arr_id: str, body: dict[str, Any] | None = None, etag: str | None = None
) -> httpx.Response:
    if etag is None:
        _, etag = read(api, arr_id)
    return api.post(f"/v1/arrangements/{arr_id}/renewals", json=body, headers={"If-Match": etag})


def act(api: Api, arr_id: str, path: str, json: Any = None) -> Any:
    _, etag = read(api, arr_id)
    return api.post(f"/v1/arrangements/{arr_id}{path}", json=json, headers={"If-Match": etag})


def sign(api: Api, arr_id: str) -> Any:
    data, _ = read(api, arr_id)
    body = {"signer_name": "Dana Reyes", "signer_title": "CEO", "terms_sha256": data["terms_sha256"]}
    return expect(act(api, arr_id, "/signatures", body), 201)


def test_the_following_period_is_as_long_as_the_one_renewed() -> None:
    assert following_period(date(2027, 1, 1), date(2027, 12, 31)) == (date(2028, 1, 1), date(2028, 12, 31))
    assert following_period(date(2027, 1, 1), date(2027, 6, 30)) == (date(2027, 7, 1), date(2027, 12, 31))
    assert following_period(date(2028, 2, 1), date(2028, 2, 29)) == (date(2028, 3, 1), date(2028, 3, 31))
    assert following_period(date(2027, 10, 1), date(2028, 3, 31)) == (date(2028, 4, 1), date(2028, 9, 30))
    # Not whole months: as many days.
    assert following_period(date(2027, 1, 15), date(2027, 2, 14)) == (date(2027, 2, 15), date(2027, 3, 17))


def test_a_renewal_is_proposed_signed_and_executed_like_any_arrangement(
    world: World, falls: dict[str, Any]
) -> None:
    previous_id = execute(world, falls, ("2027-01-01", "2027-12-31"))
    previous, _ = read(world.aco, previous_id)
    response = renew(world.aco, previous_id)
    renewal = expect(response, 201)
    assert response.headers["location"] == f"/v1/arrangements/{renewal['id']}"
    assert renewal["id"] != previous_id
    assert (renewal["status"], renewal["version"], renewal["version_in_force"]) == ("draft", 1, None)
    assert renewal["period"] == {"start": "2028-01-01", "end": "2028-12-31"}
    assert renewal["terms"] == previous["terms"] and renewal["episode"] == previous["episode"]
    assert (renewal["aco_id"], renewal["provider_id"], renewal["proposer_id"]) == (
        world.aco_org["id"],
        world.provider_org["id"],
        world.aco_org["id"],
    )
    assert renewal["terms_sha256"] != previous["terms_sha256"]  # another period, another hash
    assert (renewal["renewal_of"], renewal["renewed_by"]) == (previous_id, None)
    after, _ = read(world.provider, previous_id)
    assert (after["renewed_by"], after["renewal_of"], after["status"]) == (renewal["id"], None, "executed")
    # The counterparty sees it and may act on it; then both sign.
    assert "decline" in read(world.provider, renewal["id"])[0]["allowed_actions"]
    sign(world.provider, renewal["id"])
    sign(world.aco, renewal["id"])
    executed, _ = read(world.aco, renewal["id"])
    assert (executed["status"], executed["version_in_force"]) == ("executed", 1)
    # Renewing the renewal carries on the chain.
    third = expect(renew(world.provider, renewal["id"]), 201)
    assert (
        third["period"] == {"start": "2029-01-01", "end": "2029-12-31"}
        and third["renewal_of"] == renewal["id"]
    )
    assert third["proposer_id"] == world.provider_org["id"]


def test_a_renewal_settles_its_own_period(world: World, falls: dict[str, Any]) -> None:
    previous_id = execute(world, falls, ("2027-01-01", "2027-12-31"))
    renewal = expect(renew(world.aco, previous_id), 201)
    sign(world.provider, renewal["id"])
    sign(world.aco, renewal["id"])
    first, second = Scenario(world, previous_id), Scenario(world, renewal["id"])
    mbi = first.beneficiary()
    first.upload(first.line(mbi, "2027-11-20"), first.line(mbi, "2028-03-01", received_date="2028-04-01"))
    assert [e["trigger_date"] for e in first.episodes() if e["mbi"] == mbi] == ["2027-11-20"]
    assert [e["trigger_date"] for e in second.episodes() if e["mbi"] == mbi] == ["2028-03-01"]


def test_changed_terms_and_period_and_one_renewal_at_a_time(world: World, falls: dict[str, Any]) -> None:
    previous_id = execute(world, falls, ("2027-01-01", "2027-12-31"))
    first = expect(renew(world.aco, previous_id), 201)
    problem = expect(renew(world.provider, previous_id), 409)
    assert problem["renewed_by"] == first["id"]
    expect(act(world.provider, first["id"], "/decline", {"reason": "price"}), 200)
    # Declined: another may be proposed, here with other terms and a half year.
    changed = {**copy.deepcopy(TERMS), "target_price": "1100.00"}
    body = {"period": {"start": "2028-01-01", "end": "2028-06-30"}, "terms": changed}
    second = expect(renew(world.provider, previous_id, body), 201)
    assert second["terms"]["target_price"] == "1100.00"
    assert second["period"] == {"start": "2028-01-01", "end": "2028-06-30"}
    assert read(world.aco, previous_id)[0]["renewed_by"] == second["id"]
    expect(act(world.provider, second["id"], "/withdraw"), 200)
    # A renewal's period begins after the renewed one ends; its terms are checked as usual.
    problem = expect(
        renew(world.aco, previous_id, {"period": {"start": "2027-12-31", "end": "2028-12-31"}}), 422
    )
    assert problem["errors"][0]["location"] == "body.period.start"
    bad_terms = {**copy.deepcopy(TERMS), "quality_measures": [{"measure_id": "Q999", "weight": "1"}]}
    problem = expect(renew(world.aco, previous_id, {"terms": bad_terms}), 422)
    assert problem["errors"][0]["location"].startswith("body.terms.quality_measures")


def test_who_when_and_preconditions(world: World, falls: dict[str, Any]) -> None:
    body = {
        "aco_id": world.aco_org["id"],
        "provider_id": world.provider_org["id"],
        "episode": falls,
        "period": {"start": "2027-01-01", "end": "2027-12-31"},
        "terms": copy.deepcopy(TERMS),
    }
    draft = expect(world.aco.post("/v1/arrangements", json=body), 201)
    problem = expect(renew(world.aco, draft["id"]), 409)
    assert problem["current_state"] == "draft"
    executed_id = execute(world, falls, ("2027-01-01", "2027-12-31"))
    _, etag = read(world.aco, executed_id)
    expect(world.aco.post(f"/v1/arrangements/{executed_id}/renewals"), 428)
    expect(renew(world.aco, executed_id, etag='"stale"'), 412)
    for stranger in (world.other_aco, world.other_provider):
        expect(renew(stranger, executed_id, etag=etag), 404)
    expect(renew(world.ops, executed_id, etag=etag), 403)
    # The last year of the model has no following year.
    last = execute(world, falls, ("2036-01-01", "2036-12-31"))
    problem = expect(renew(world.aco, last), 422)
    assert problem["errors"][0]["location"] == "body.period"
    # An ETag read before the renewal is stale after it: the renewed arrangement changed.
    expect(renew(world.aco, executed_id, etag=etag), 201)
    assert read(world.aco, executed_id)[1] != etag
