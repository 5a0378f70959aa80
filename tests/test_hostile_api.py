"""A hostile but authenticated client against the JSON API: forged cursors on every list,
integers beyond the database's range, If-Match tricks, methods a path does not have, and CCLF
archives whose refusals would show Python reprs or undecodable names."""

from __future__ import annotations

import base64
import io
import json
import re
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from tests.support.episode_data import Scenario, publish_definition, scenario
from tests.support.factories import Api, World, expect
from tests.support.server import PROJECT_DIR

SPEC = yaml.safe_load((PROJECT_DIR / "openapi.yaml").read_text())
LIST_PATHS = sorted(
    path
    for path, operations in SPEC["paths"].items()
    if any(p["name"] == "cursor" for p in operations.get("get", {}).get("parameters", []))
)


@dataclass
class Resources:
    world: World
    scenario: Scenario
    path_ids: dict[str, str]


@pytest.fixture(scope="module")
def resources(ops: Api) -> Resources:
    world = World.create(ops)
    s = scenario(world, publish_definition(ops))
    mbi = s.beneficiary()
    s.upload(s.line(mbi, "2027-03-02"), s.spend(mbi, "2027-03-10", "500.00"))
    settlement = s.settle()
    [line] = expect(world.aco.get(f"/v1/settlements/{settlement['id']}/lines"), 200)["items"]
    upload = expect(world.aco.get("/v1/uploads"), 200)["items"][0]
    endpoint = expect(
        world.aco.post("/v1/webhook-endpoints", json={"url": "http://127.0.0.1:9/h", "events": ["*"]}), 201
    )
    return Resources(
        world,
        s,
        {
            "org_id": str(world.aco_org["id"]),
            "upload_id": str(upload["id"]),
            "arrangement_id": s.arrangement_id,
            "settlement_id": str(settlement["id"]),
            "endpoint_id": str(endpoint["id"]),
            "line_id": str(line["id"]),
            "episode_id": str(line["id"]),
        },
    )


def _cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


FORGED = {
    "true": _cursor("[true]"),
    "lone surrogate": _cursor('["\\ud800"]'),
    "10**30": _cursor(f"[{10**30}]"),
    "2**63": _cursor(f"[{2**63}]"),
    "float": _cursor("[1.5]"),
    "null": _cursor("[null]"),
    "nested list": _cursor("[[1]]"),
    "object": _cursor('[{"a": 1}]'),
    "deep": _cursor("[" * 100 + "]" * 100),
    "nul": _cursor('["x\\u0000"]'),
    "two values": _cursor('["a", "b"]'),
    "not base64": "!!!",
    "not json": _cursor("{not json"),
}


def _url(path: str, ids: dict[str, str]) -> str:
    return re.sub(r"\{([^}]+)\}", lambda m: ids[m.group(1)], path)


def _api_for(path: str, world: World) -> Api:
    return world.ops if path.startswith(("/v1/organizations", "/v1/audit")) else world.aco


def test_every_list_is_found() -> None:
    """The lists are read from openapi.yaml; the eleven of the first review are all among them
    (later lists join the forged-cursor test by themselves)."""
    first_eleven = {
        "/v1/organizations", "/v1/arrangements", "/v1/uploads", "/v1/audit-events",
        "/v1/webhook-endpoints", "/v1/arrangements/{arrangement_id}/episodes",
        "/v1/settlements/{settlement_id}/lines", "/v1/uploads/{upload_id}/cclf-decisions",
        "/v1/webhook-endpoints/{endpoint_id}/deliveries",
    }  # fmt: skip
    assert first_eleven <= set(LIST_PATHS) and len(LIST_PATHS) >= 11, LIST_PATHS


@pytest.mark.parametrize("path", LIST_PATHS)
def test_forged_cursors_are_422_on_every_list(resources: Resources, path: str) -> None:
    api = _api_for(path, resources.world)
    url = _url(path, resources.path_ids)
    params = {"claims_cutoff": "2029-12-31"} if "/episodes" in path else {}
    expect(api.get(url, params=params), 200)
    for name, cursor in FORGED.items():
        problem = expect(api.get(url, params={**params, "cursor": cursor}), 422)
        assert problem["errors"] == [{"location": "query.cursor", "message": "invalid cursor"}], name
    # A value of the other key type (a number where ids are text, text where keys are numbers)
    # is refused or simply finds nothing; never a database error.
    for value in ("[0]", '["zz"]', "[-1]", f"[{2**63 - 1}]"):
        response = api.get(url, params={**params, "cursor": _cursor(value)})
        assert response.status_code in (200, 422), (value, response.text)


def test_an_issued_cursor_still_works(resources: Resources) -> None:
    world = resources.world
    first = expect(world.ops.get("/v1/audit-events", params={"limit": 1}), 200)
    second = expect(
        world.ops.get("/v1/audit-events", params={"limit": 1, "cursor": first["next_cursor"]}), 200
    )
    assert second["items"][0]["seq"] > first["items"][0]["seq"]
    first = expect(world.ops.get("/v1/organizations", params={"limit": 1}), 200)
    second = expect(
        world.ops.get("/v1/organizations", params={"limit": 1, "cursor": first["next_cursor"]}), 200
    )
    assert second["items"][0]["id"] > first["items"][0]["id"]


def test_integers_beyond_the_database_range_are_422(resources: Resources) -> None:
    world, arrangement_id = resources.world, resources.scenario.arrangement_id
    expect(world.aco.get(f"/v1/arrangements/{arrangement_id}/versions/1"), 200)
    for number in ("2147483648", "99999999999999999999", "0", "-1"):
        problem = expect(world.aco.get(f"/v1/arrangements/{arrangement_id}/versions/{number}"), 422)
        assert problem["errors"][0]["location"] == "path.number"
    body = expect(world.aco.get(f"/v1/arrangements/{arrangement_id}"), 200)
    proposal = {
        "aco_id": world.aco_org["id"],
        "provider_id": world.provider_org["id"],
        "episode": {"code": body["episode"]["code"], "version": 2147483648},
        "period": {"start": "2028-01-01", "end": "2028-12-31"},
        "terms": body["terms"],
    }
    problem = expect(world.aco.post("/v1/arrangements", json=proposal), 422)
    assert problem["errors"][0]["location"] == "body.episode.version"


def test_if_match_is_compared_strongly(resources: Resources) -> None:
    world = resources.world
    proposal = {
        "aco_id": world.aco_org["id"],
        "provider_id": world.provider_org["id"],
        "episode": expect(world.aco.get(f"/v1/arrangements/{resources.scenario.arrangement_id}"), 200)[
            "episode"
        ],
        "period": {"start": "2029-01-01", "end": "2029-12-31"},
        "terms": expect(world.aco.get(f"/v1/arrangements/{resources.scenario.arrangement_id}"), 200)["terms"],
    }
    arrangement = expect(world.aco.post("/v1/arrangements", json=proposal), 201)
    url = f"/v1/arrangements/{arrangement['id']}/withdraw"
    etag = world.aco.get(f"/v1/arrangements/{arrangement['id']}").headers["etag"]
    for header in ("*", f"{etag}, {etag}", f'"stale", {etag}', "", " , "):
        problem = expect(world.aco.post(url, headers={"If-Match": header}), 428)
        assert problem["current_etag"] == etag
    for header in (f"W/{etag}", '"stale"', etag.strip('"')):
        problem = expect(world.aco.post(url, headers={"If-Match": header}), 412)
        assert problem["current_etag"] == etag
    assert expect(world.aco.post(url, headers={"If-Match": etag}), 200)["status"] == "withdrawn"


METHODS = ("DELETE", "GET", "PATCH", "POST", "PUT")


def test_405_names_every_method_of_the_path(client: TestClient, resources: Resources) -> None:
    api = resources.world.aco
    checked = 0
    for path, operations in SPEC["paths"].items():
        allowed = sorted(m.upper() for m in operations if m.upper() in METHODS)
        url = re.sub(r"\{[^}]+\}", "zz", path)
        for method in METHODS:
            if method in allowed:
                continue
            response = api.request(method, url)
            assert response.status_code == 405, (method, path, response.status_code)
            assert response.headers["allow"] == ", ".join(allowed), (method, path)
            assert response.headers["content-type"] == "application/problem+json"
            checked += 1
    assert checked > 100
    # A path with one route for GET and another for POST: both are named.
    assert api.request("DELETE", "/v1/arrangements").headers["allow"] == "GET, POST"


def _zip_of(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, content in files.items():
            bundle.writestr(name, content)
    return buffer.getvalue()


def test_cclf_refusals_show_no_python_reprs(resources: Resources, tmp_path: Path) -> None:
    aco = resources.world.aco
    zipped = bytearray(_zip_of({"P.A9999.ACO.ZC0Y27.D270115.T1200000": b"x" * 100}))
    zipped[6] |= 1  # encrypted (local and central header flags)
    zipped[zipped.find(b"PK\x01\x02") + 8] |= 1
    problem = expect(
        aco.post("/v1/cclf-deliveries", content=bytes(zipped), headers={"content-type": "application/zip"}),
        422,
    )
    message = problem["errors"][0]["message"]
    assert "encrypted" in message and "P.A9999.ACO.ZC0Y27.D270115.T1200000" in message
    assert "<" not in message and "ZipInfo" not in message
    # A CRC mismatch names the member, not its repr.
    damaged = bytearray(_zip_of({"a.txt": b"hello world" * 50}))
    damaged[14] ^= 0xFF  # the CRC-32 in the local header
    damaged[damaged.find(b"PK\x01\x02") + 16] ^= 0xFF
    problem = expect(
        aco.post("/v1/cclf-deliveries", content=bytes(damaged), headers={"content-type": "application/zip"}),
        422,
    )
    assert all("<" not in e["message"] for e in problem["errors"]), problem


def test_cclf_member_names_that_are_not_utf8_are_reported_readably(resources: Resources) -> None:
    name = b"\xff\xfe.txt".decode("utf-8", "surrogateescape")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for folder in ("a", "b"):
            info = tarfile.TarInfo(f"{folder}/{name}")
            info.size = 3
            tar.addfile(info, io.BytesIO(b"abc"))
    response = resources.world.aco.post(
        "/v1/cclf-deliveries", content=buffer.getvalue(), headers={"content-type": "application/x-tar"}
    )
    problem = expect(response, 422)
    assert "more than one file named ??.txt" in problem["errors"][0]["message"], problem
    json.dumps(problem, ensure_ascii=False).encode("utf-8")
