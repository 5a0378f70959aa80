"""Organisations and API keys: each role against each endpoint, revocation, tenant isolation."""

from __future__ import annotations

import pytest

from tests.support.factories import Api, World, create_org, expect, new_npi, new_tin


def test_ops_creates_organisations_and_keys(ops: Api) -> None:
    aco, _ = create_org(ops, "aco", name="Valley ACO")
    assert aco["kind"] == "aco" and aco["name"] == "Valley ACO" and aco["id"].startswith("org_")
    npi = new_npi()
    provider = expect(
        ops.post(
            "/v1/organizations",
            json={
                "kind": "provider",
                "name": "Falls Clinic",
                "tin": new_tin(),
                "aco_id": aco["id"],
                "npis": [npi],
            },
        ),
        201,
    )
    assert provider["npis"] == [npi] and provider["aco_id"] == aco["id"]
    key = expect(
        ops.post(f"/v1/organizations/{provider['id']}/api-keys", json={"name": "portal", "role": "provider"}),
        201,
    )
    assert key["key"].startswith("cara_") and len(key["key"]) >= 43 and key["key"].startswith(key["prefix"])
    me = expect(Api(ops.client, key["key"]).get(f"/v1/organizations/{provider['id']}"), 200)
    assert me["tin"] == provider["tin"]


@pytest.mark.parametrize("role", ["aco", "provider"])
def test_non_ops_may_not_onboard_or_issue_keys(world: World, role: str) -> None:
    api = world.aco if role == "aco" else world.provider
    problem = expect(api.post("/v1/organizations", json={"kind": "aco", "name": "x", "tin": new_tin()}), 403)
    assert problem["status"] == 403 and "ops" in problem["detail"]
    expect(
        api.post(f"/v1/organizations/{world.aco_org['id']}/api-keys", json={"name": "x", "role": "aco"}), 403
    )
    expect(api.get(f"/v1/organizations/{world.aco_org['id']}/api-keys"), 403)
    expect(api.delete("/v1/api-keys/key_x"), 403)


def test_directory_hides_tin_of_others_and_the_ops_org(world: World) -> None:
    seen = expect(world.provider.get(f"/v1/organizations/{world.aco_org['id']}"), 200)
    assert seen["name"] == world.aco_org["name"] and seen["tin"] is None
    ids = set()
    cursor = None
    while True:
        page = expect(
            world.provider.get(
                "/v1/organizations", params={"limit": 500, **({"cursor": cursor} if cursor else {})}
            ),
            200,
        )
        ids |= {o["id"] for o in page["items"]}
        assert all(o["kind"] != "ops" for o in page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert {world.aco_org["id"], world.provider_org["id"]} <= ids


def test_ops_organisation_is_not_found_for_others(world: World, ops: Api) -> None:
    ops_org = next(o for o in expect(ops.get("/v1/organizations", params={"kind": "ops"}), 200)["items"])
    expect(world.aco.get(f"/v1/organizations/{ops_org['id']}"), 404)
    expect(ops.get(f"/v1/organizations/{ops_org['id']}"), 200)


def test_validation_of_npi_tin_and_key_role(ops: Api) -> None:
    problem = expect(
        ops.post(
            "/v1/organizations",
            json={"kind": "provider", "name": "x", "tin": "12-345", "npis": ["1234567890"]},
        ),
        422,
    )
    locations = {e["location"] for e in problem["errors"]}
    assert "body.tin" in locations and "body.npis.0" in locations
    assert any("Luhn" in e["message"] for e in problem["errors"])
    aco, _ = create_org(ops, "aco")
    problem = expect(
        ops.post(f"/v1/organizations/{aco['id']}/api-keys", json={"name": "x", "role": "provider"}), 422
    )
    assert problem["errors"][0]["location"] == "body.role"
    expect(ops.post("/v1/organizations/org_missing/api-keys", json={"name": "x", "role": "aco"}), 404)


def test_revoked_key_fails_from_the_next_request(ops: Api) -> None:
    org, api = create_org(ops, "aco")
    expect(api.get("/v1/organizations"), 200)
    keys = expect(ops.get(f"/v1/organizations/{org['id']}/api-keys"), 200)["items"]
    assert len(keys) == 1 and "key" not in keys[0]
    expect(ops.delete(f"/v1/api-keys/{keys[0]['id']}"), 204)
    problem = expect(api.get("/v1/organizations"), 401)
    assert problem["type"].endswith("/unauthorized")
    expect(ops.delete(f"/v1/api-keys/{keys[0]['id']}"), 204)
    expect(ops.delete("/v1/api-keys/key_missing"), 404)


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Bearer cara_unknownkeyvalue", "Basic abc"])
def test_missing_or_bad_keys_are_401(ops: Api, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = ops.client.get("/v1/organizations", headers=headers)
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"].startswith("Bearer")
