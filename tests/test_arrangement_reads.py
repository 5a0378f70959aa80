"""The arrangement reads write their JSON straight to bytes (orjson), without building the
response model: these tests hold those bytes equal to what Pydantic renders of ``ArrangementOut``
for the same data, over every state whose fields differ (draft, signed, executed, amended with an
effective date, terminated, renewed), one arrangement at a time and as a list."""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, update

from service.arrangements.models import Arrangement
from service.arrangements.schemas import ArrangementOut
from service.kit import clock
from service.kit.pagination import Page
from tests.support.episode_data import TERMS, execute, publish_definition
from tests.support.factories import Api, World, expect


@pytest.fixture(scope="module")
def falls(ops: Api) -> dict[str, Any]:
    return publish_definition(ops)


def _act(api: Api, arrangement_id: str, path: str, body: Any) -> httpx.Response:
    etag = api.get(f"/v1/arrangements/{arrangement_id}").headers["etag"]
    return api.post(f"/v1/arrangements/{arrangement_id}{path}", json=body, headers={"If-Match": etag})


def _sign(api: Api, arrangement_id: str) -> None:
    current = expect(api.get(f"/v1/arrangements/{arrangement_id}"), 200)
    body = {"signer_name": "Dana Reyes", "signer_title": "CEO", "terms_sha256": current["terms_sha256"]}
    expect(_act(api, arrangement_id, "/signatures", body), 201)


def _as_pydantic_renders(body: bytes, model: type[Any]) -> bytes:
    rendered: bytes = model.model_validate_json(body).model_dump_json().encode()
    return rendered


def test_read_bytes_are_what_the_response_model_renders(world: World, falls: dict[str, Any]) -> None:
    def propose(year: int) -> str:
        body = {
            "aco_id": world.aco_org["id"],
            "provider_id": world.provider_org["id"],
            "episode": falls,
            "period": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
            "terms": TERMS,
        }
        arrangement_id: str = expect(world.aco.post("/v1/arrangements", json=body), 201)["id"]
        return arrangement_id

    draft = propose(2029)
    half_signed = propose(2030)
    _sign(world.provider, half_signed)
    amended = execute(world, falls, ("2031-01-01", "2031-12-31"))
    expect(
        _act(
            world.aco,
            amended,
            "/amendments",
            {"terms": {**TERMS, "target_price": "1999.99"}, "effective_from": "2031-07-01"},
        ),
        201,
    )
    for api in (world.aco, world.provider):
        _sign(api, amended)
    terminated = execute(world, falls, ("2032-01-01", "2032-12-31"))
    expect(
        _act(world.aco, terminated, "/terminate", {"effective_date": "2032-06-30", "reason": "test"}),
        200,
    )
    renewed = execute(world, falls, ("2033-01-01", "2033-12-31"))
    expect(_act(world.aco, renewed, "/renewals", None), 201)

    shown = {}
    for arrangement_id in (draft, half_signed, amended, terminated, renewed):
        for api in (world.ops, world.provider, world.aco):
            response = api.get(f"/v1/arrangements/{arrangement_id}")
            assert response.status_code == 200, response.text
            assert response.headers["content-type"] == "application/json"
            assert response.content == _as_pydantic_renders(response.content, ArrangementOut)
        shown[arrangement_id] = response.json()  # as the ACO sees it, as its list shows it
    assert len(shown[amended]["terms_in_force"]) == 2
    assert shown[terminated]["termination_date"] == "2032-06-30"
    assert shown[renewed]["renewed_by"] is not None
    assert shown[draft]["signatures"] == [] and shown[draft]["version_in_force"] is None

    listed = world.aco.get("/v1/arrangements", params={"limit": 3})
    assert listed.content == _as_pydantic_renders(listed.content, Page[ArrangementOut])
    first = listed.json()
    assert len(first["items"]) == 3 and first["next_cursor"] is not None
    rest = world.aco.get("/v1/arrangements", params={"limit": 500, "cursor": first["next_cursor"]})
    assert rest.content == _as_pydantic_renders(rest.content, Page[ArrangementOut])
    everything = [*first["items"], *rest.json()["items"]]
    ids = [item["id"] for item in everything]
    assert ids == sorted(set(ids)) and set(shown) <= set(ids)
    for item in everything:
        if item["id"] in shown:
            assert item == shown[item["id"]]
    assert len(shown[half_signed]["signatures"]) == 1
    # The signatures the arrangement's one statement reads (a row each) are exactly those the
    # version's own read (through the ORM, in signing order) shows: the same timestamps to the
    # microsecond, in UTC, in the same order.
    for arrangement_id, signed in ((half_signed, 1), (amended, 2), (renewed, 2)):
        latest = shown[arrangement_id]["version"]
        version = expect(world.aco.get(f"/v1/arrangements/{arrangement_id}/versions/{latest}"), 200)
        assert len(version["signatures"]) == signed
        assert shown[arrangement_id]["signatures"] == version["signatures"]


def test_reads_show_each_change_each_viewer_and_each_day(
    world: World, falls: dict[str, Any], engine: Engine
) -> None:
    """A read writes an arrangement's JSON once per revision, day and viewer and keeps it: each
    repeated read answers the same bytes; a change made elsewhere (another process, here straight
    in the database) shows at once, as its revision grows; each viewer sees its own actions, each
    day its own ``active``, in one arrangement's read and in the list alike."""
    arrangement_id = execute(world, falls, ("2034-01-01", "2034-12-31"))

    def read(api: Api) -> httpx.Response:
        one = api.get(f"/v1/arrangements/{arrangement_id}")
        assert one.status_code == 200, one.text
        listed = expect(api.get("/v1/arrangements", params={"limit": 500}), 200)
        assert [item for item in listed["items"] if item["id"] == arrangement_id] == [one.json()]
        return one

    first = read(world.aco)
    assert read(world.aco).content == first.content
    assert first.json()["active"] is False  # before its period
    # Each viewer its own actions, whoever read first.
    viewers = {"provider": world.provider, "ops": world.ops, "aco": world.aco}
    actions = {name: read(api).json()["allowed_actions"] for name, api in viewers.items()}
    assert actions == {"provider": ["amend", "sign", "terminate"], "ops": [], "aco": actions["provider"]}
    assert world.other_aco.get(f"/v1/arrangements/{arrangement_id}").status_code == 404
    assert read(world.aco).content == first.content

    with clock.frozen(date(2034, 3, 1)):
        assert read(world.aco).json()["active"] is True
    assert read(world.aco).content == first.content

    # Changed in the database by another writer, which increases the revision as every change does.
    with engine.begin() as conn:
        conn.execute(
            update(Arrangement)
            .where(Arrangement.id == arrangement_id)
            .values(termination_reason="changed elsewhere", revision=Arrangement.revision + 1)
        )
    for api in (world.aco, world.provider):
        changed = read(api)
        assert changed.json()["termination_reason"] == "changed elsewhere"
        assert changed.headers["etag"] != first.headers["etag"]
