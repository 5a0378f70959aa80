"""Organisations that change: the profile (name, contact, CMS ACO id) over PATCH, a TIN that
belongs to one organisation of a kind, and signed documents that keep the names and TINs they
were signed with."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from service.demo.synthetic import new_npi, new_tin
from tests.support.episode_data import TERMS, execute, publish_definition
from tests.support.factories import Api, World, create_org, expect


@pytest.fixture(scope="module")
def falls(ops: Api) -> dict[str, Any]:
    return publish_definition(ops)


def org_path(org: dict[str, Any]) -> str:
    return f"/v1/organizations/{org['id']}"


def cms_id(n: int) -> str:
    return f"Z{n:04d}"


# ---- a TIN belongs to one organisation of a kind -----------------------------------------------


def test_a_second_organisation_of_a_kind_with_the_same_tin_is_a_409_naming_the_first(ops: Api) -> None:
    tin = new_tin()
    first = expect(ops.post("/v1/organizations", json={"kind": "aco", "name": "First ACO", "tin": tin}), 201)
    problem = expect(
        ops.post("/v1/organizations", json={"kind": "aco", "name": "Second ACO", "tin": tin}), 409
    )
    assert problem["existing_organization_id"] == first["id"]
    assert first["id"] in problem["detail"] and "First ACO" in problem["detail"] and tin in problem["detail"]
    # Another kind may carry it (an ACO and a practice of one parent company).
    expect(ops.post("/v1/organizations", json={"kind": "provider", "name": "Practice", "tin": tin}), 201)
    expect(ops.post("/v1/organizations", json={"kind": "provider", "name": "Practice 2", "tin": tin}), 409)
    # Nothing of the refused one was stored.
    names = [o["name"] for o in expect(ops.get("/v1/organizations", params={"limit": 500}), 200)["items"]]
    assert "Second ACO" not in names and "Practice 2" not in names


# ---- PATCH: name, contact email, CMS ACO id ---------------------------------------------------


def test_ops_changes_the_profile_and_only_what_is_sent(world: World) -> None:
    aco = world.aco_org
    changed = expect(
        world.ops.patch(
            org_path(aco), json={"name": "Lakeview ACO LLC", "contact_email": "contracts@lakeview.example"}
        ),
        200,
    )
    assert (changed["name"], changed["contact_email"], changed["tin"]) == (
        "Lakeview ACO LLC",
        "contracts@lakeview.example",
        aco["tin"],
    )
    code = cms_id(int(new_tin()) % 10_000)
    changed = expect(world.ops.patch(org_path(aco), json={"cms_aco_id": code}), 200)
    assert (changed["name"], changed["contact_email"], changed["cms_aco_id"]) == (
        "Lakeview ACO LLC",
        "contracts@lakeview.example",
        code,
    )
    # The organisation itself sees its contact; others the directory fields and the CMS id only.
    mine = expect(world.aco.get(org_path(aco)), 200)
    assert mine["contact_email"] == "contracts@lakeview.example"
    theirs = expect(world.provider.get(org_path(aco)), 200)
    assert (theirs["name"], theirs["cms_aco_id"], theirs["contact_email"], theirs["tin"]) == (
        "Lakeview ACO LLC",
        code,
        None,
        None,
    )
    # null clears the contact; the name cannot be cleared.
    cleared = expect(world.ops.patch(org_path(aco), json={"contact_email": None}), 200)
    assert cleared["contact_email"] is None and cleared["cms_aco_id"] == code
    problem = expect(world.ops.patch(org_path(aco), json={"name": None}), 422)
    assert problem["errors"][0]["location"] == "body.name"


def test_the_change_is_audited_with_old_and_new_values(world: World) -> None:
    old = world.provider_org["name"]
    expect(world.ops.patch(org_path(world.provider_org), json={"name": "Renamed PC"}), 200)
    page = expect(
        world.provider.get("/v1/audit-events", params={"resource_id": world.provider_org["id"]}), 200
    )
    [event] = [e for e in page["items"] if e["action"] == "organization.updated"]
    assert event["details"] == {"changed": {"name": {"from": old, "to": "Renamed PC"}}}


def test_profile_changes_are_validated(world: World, ops: Api) -> None:
    aco = world.aco_org
    for bad in ("A123", "a1234", "A12345", "AB123", "1234A"):
        problem = expect(world.ops.patch(org_path(aco), json={"cms_aco_id": bad}), 422)
        assert problem["errors"][0]["location"] == "body.cms_aco_id", bad
    problem = expect(world.ops.patch(org_path(aco), json={"contact_email": "not an email"}), 422)
    assert problem["errors"][0]["location"] == "body.contact_email"
    expect(world.ops.patch(org_path(aco), json={"tin": new_tin()}), 422)  # never changes
    # Only an ACO has a CMS ACO id.
    problem = expect(world.ops.patch(org_path(world.provider_org), json={"cms_aco_id": "A0001"}), 422)
    assert problem["errors"][0]["location"] == "body.cms_aco_id"
    # Unique: another ACO's is a 409 naming it; setting one's own again is harmless.
    code = cms_id(int(new_tin()) % 10_000)
    expect(world.ops.patch(org_path(aco), json={"cms_aco_id": code}), 200)
    expect(world.ops.patch(org_path(aco), json={"cms_aco_id": code}), 200)
    problem = expect(world.ops.patch(org_path(world.other_aco_org), json={"cms_aco_id": code}), 409)
    assert problem["existing_organization_id"] == aco["id"]
    problem = expect(
        ops.post(
            "/v1/organizations", json={"kind": "aco", "name": "X", "tin": new_tin(), "cms_aco_id": code}
        ),
        409,
    )
    assert problem["existing_organization_id"] == aco["id"]
    # Who may: ops only; an unknown organisation is a 404.
    for api in (world.aco, world.provider):
        expect(api.patch(org_path(aco), json={"name": "Mine now"}), 403)
    expect(world.ops.patch("/v1/organizations/org_nope", json={"name": "x"}), 404)


def test_an_aco_may_be_onboarded_with_its_cms_id_and_contact(ops: Api) -> None:
    code = cms_id(int(new_tin()) % 10_000)
    body = {
        "kind": "aco",
        "name": "Onboarded",
        "tin": new_tin(),
        "cms_aco_id": code,
        "contact_email": "a@b.example",
    }
    org = expect(ops.post("/v1/organizations", json=body), 201)
    assert (org["cms_aco_id"], org["contact_email"]) == (code, "a@b.example")
    problem = expect(
        ops.post(
            "/v1/organizations",
            json={"kind": "provider", "name": "P", "tin": new_tin(), "cms_aco_id": "A0002"},
        ),
        422,
    )
    assert problem["errors"][0]["location"] == "body.cms_aco_id"


# ---- documents keep the names they were signed with --------------------------------------------


def test_documents_keep_the_names_and_tins_they_were_signed_with(ops: Api, falls: dict[str, Any]) -> None:
    aco_org, aco = create_org(ops, "aco", name="Riverbend ACO")
    provider_org, provider = create_org(ops, "provider", name="Hilltop Geriatrics", npis=[new_npi()])
    other_aco_org, other_aco = create_org(ops, "aco")
    world = World(ops, aco, aco_org, provider, provider_org, provider, provider_org, other_aco, other_aco_org)
    arr_id = execute(world, falls, ("2027-01-01", "2027-12-31"))
    expect(ops.patch(org_path(aco_org), json={"name": "Riverbend Health ACO"}), 200)
    expect(ops.patch(org_path(provider_org), json={"name": "Hilltop Senior Care"}), 200)
    joined = new_npi()
    expect(
        provider.post(f"{org_path(provider_org)}/npis", json={"npi": joined, "effective_from": "2027-05-01"}),
        201,
    )

    html = expect(aco.get(f"/v1/arrangements/{arr_id}/document"), 200)
    assert "<strong>Riverbend ACO</strong>, taxpayer identification number " + aco_org["tin"] in html
    assert (
        "<strong>Hilltop Geriatrics</strong>, taxpayer identification number " + provider_org["tin"] in html
    )
    assert "Riverbend Health ACO" not in html and "Hilltop Senior Care" not in html
    assert provider_org["npis"][0] in html and joined not in html  # the roster when it signed
    arrangement = expect(aco.get(f"/v1/arrangements/{arr_id}"), 200)
    assert sorted(s["organization_name"] for s in arrangement["signatures"]) == [
        "Hilltop Geriatrics",
        "Riverbend ACO",
    ]

    # A version signed after the rename carries the new names.
    current = expect(aco.get(f"/v1/arrangements/{arr_id}"), 200)
    etag = aco.get(f"/v1/arrangements/{arr_id}").headers["etag"]
    amended = {**current["terms"], "target_price": "1111.00"}
    expect(
        aco.post(
            f"/v1/arrangements/{arr_id}/amendments", json={"terms": amended}, headers={"If-Match": etag}
        ),
        201,
    )
    for api in (aco, provider):
        now = aco.get(f"/v1/arrangements/{arr_id}")
        expect(
            api.post(
                f"/v1/arrangements/{arr_id}/signatures",
                json={
                    "signer_name": "Dana",
                    "signer_title": "CEO",
                    "terms_sha256": now.json()["terms_sha256"],
                },
                headers={"If-Match": now.headers["etag"]},
            ),
            201,
        )
    html = expect(aco.get(f"/v1/arrangements/{arr_id}/document"), 200)
    assert "<strong>Riverbend Health ACO</strong>, taxpayer identification number " in html
    assert "<strong>Hilltop Senior Care</strong>, taxpayer identification number " in html
    assert joined in html
    # The first version keeps its signers' names.
    first = expect(aco.get(f"/v1/arrangements/{arr_id}/versions/1"), 200)
    assert sorted(s["organization_name"] for s in first["signatures"]) == [
        "Hilltop Geriatrics",
        "Riverbend ACO",
    ]


def test_an_unsigned_party_appears_as_it_is_today(ops: Api, falls: dict[str, Any], world: World) -> None:
    body = {
        "aco_id": world.aco_org["id"],
        "provider_id": world.provider_org["id"],
        "episode": falls,
        "period": {"start": "2027-01-01", "end": "2027-12-31"},
        "terms": TERMS,
    }
    arr = expect(world.aco.post("/v1/arrangements", json=body), 201)
    expect(ops.patch(org_path(world.provider_org), json={"name": "Renamed Before Signing"}), 200)
    html = expect(world.aco.get(f"/v1/arrangements/{arr['id']}/document"), 200)
    assert (
        "<strong>Renamed Before Signing</strong>, taxpayer identification number " in html
        and "Not yet signed" in html
    )


# ---- races (PostgreSQL: concurrent transactions) -----------------------------------------------

POSTGRES_ONLY = pytest.mark.skipif(
    os.environ.get("CARA_TEST_DB", "sqlite") != "postgresql", reason="needs concurrent transactions"
)


def _race(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    results: list[httpx.Response | None] = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def run(i: int) -> None:
        barrier.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [r for r in results if r is not None]


@POSTGRES_ONLY
def test_concurrent_onboardings_with_one_tin_make_one_organisation(ops: Api) -> None:
    tin = new_tin()
    results = _race(
        [
            lambda n=n: ops.post("/v1/organizations", json={"kind": "aco", "name": f"Racer {n}", "tin": tin})
            for n in range(4)
        ]
    )
    assert sorted(r.status_code for r in results) == [201, 409, 409, 409]


@POSTGRES_ONLY
def test_concurrent_roster_additions_of_one_npi_make_one_stay(world: World) -> None:
    npi = new_npi()
    path = f"{org_path(world.provider_org)}/npis"
    results = _race(
        [
            lambda day=day: world.provider.post(path, json={"npi": npi, "effective_from": day})
            for day in ("2027-03-01", "2027-04-01", "2027-05-01")
        ]
    )
    assert sorted(r.status_code for r in results) == [201, 409, 409]
    stays = expect(world.provider.get(path, params={"npi": npi}), 200)["items"]
    assert len(stays) == 1
