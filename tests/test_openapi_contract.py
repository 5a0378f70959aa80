"""The OpenAPI document as a client generator reads it: names, problems, headers, ids, uploads,
money as text, the version. (tests/test_client.py generates a client from it and uses it.)"""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI

from service.kit.openapi import finish_document
from tests.support.factories import Api, World, expect
from tests.test_arrangements import body, publish

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT: dict[str, Any] = yaml.safe_load((ROOT / "openapi.yaml").read_text())
METHODS = ("get", "put", "post", "delete", "patch")


def operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    return {
        op["operationId"]: (method, path, op)
        for path, item in DOCUMENT["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }


def resolve(ref_or_value: dict[str, Any]) -> dict[str, Any]:
    if "$ref" not in ref_or_value:
        return ref_or_value
    _, _, section, name = ref_or_value["$ref"].split("/")
    resolved: dict[str, Any] = DOCUMENT["components"][section][name]
    return resolved


def header_names(op: dict[str, Any]) -> dict[str, dict[str, Any]]:
    params = [resolve(p) for p in op.get("parameters", [])]
    return {p["name"]: p for p in params if p["in"] == "header"}


def test_operation_ids_are_unique_camel_case_and_stable() -> None:
    ids = [op["operationId"] for _, _, op in operations().values()]
    counted = Counter(op["operationId"] for item in DOCUMENT["paths"].values() for op in item.values())
    assert [i for i, n in counted.items() if n > 1] == []
    assert all(i[:1].islower() and "_" not in i for i in ids), ids
    expected = {
        "createArrangement": ("post", "/v1/arrangements"),
        "signArrangement": ("post", "/v1/arrangements/{arrangement_id}/signatures"),
        "reviseArrangement": ("patch", "/v1/arrangements/{arrangement_id}"),
        "createSettlement": ("post", "/v1/arrangements/{arrangement_id}/settlements"),
        "listSettlementLines": ("get", "/v1/settlements/{settlement_id}/lines"),
        "uploadClaims": ("post", "/v1/claims"),
        "createOrganization": ("post", "/v1/organizations"),
        "listWebhookDeliveries": ("get", "/v1/webhook-endpoints/{endpoint_id}/deliveries"),
    }
    found = operations()
    assert {i: found[i][:2] for i in expected} == expected


def test_two_routes_of_one_name_are_refused() -> None:
    app = FastAPI(generate_unique_id_function=lambda route: route.name)

    @app.get("/a", name="same")
    def first() -> None: ...

    @app.get("/b", name="same")
    def second() -> None: ...

    with pytest.warns(UserWarning, match="Duplicate Operation ID"):
        document = app.openapi()
    with pytest.raises(ValueError, match="two operations are called same"):
        finish_document(
            document,
            if_match=(),
            etag=(),
            location=(),
            is_idempotent_post=lambda _: True,
            is_upload=lambda _: False,
            is_rate_limited=lambda _: True,
        )


def test_schema_names_and_titles_are_distinct() -> None:
    schemas = DOCUMENT["components"]["schemas"]
    titles = Counter(s.get("title", name) for name, s in schemas.items())
    assert [t for t, n in titles.items() if n > 1] == []
    assert not [n for n in schemas if n.endswith(("-Input", "-Output"))]
    # One schema of the terms serves requests and responses alike.
    assert "Terms" in schemas and "QualityMeasureChoice" in schemas


def test_every_error_is_a_typed_problem() -> None:
    checked = 0
    for op_id, (_, _, op) in operations().items():
        for code, response in op["responses"].items():
            if code[0] not in "45":
                continue
            content = response["content"]
            assert list(content) == ["application/problem+json"], (op_id, code)
            assert content["application/problem+json"]["schema"] == {
                "$ref": "#/components/schemas/ProblemDetails"
            }, (op_id, code)
            checked += 1
    assert checked > 200


def test_request_headers_are_declared_where_they_apply() -> None:
    ops = operations()
    for op_id in ("signArrangement", "reviseArrangement", "amendArrangement", "terminateArrangement"):
        headers = header_names(ops[op_id][2])
        assert headers["If-Match"]["required"] is True, op_id
    for op_id in ("createArrangement", "signArrangement", "createSettlement", "createOrganization"):
        headers = header_names(ops[op_id][2])
        assert headers["Idempotency-Key"]["required"] is False, op_id
    assert "If-Match" not in header_names(ops["createArrangement"][2])
    assert "Idempotency-Key" not in header_names(ops["getArrangement"][2])
    # Uploads deduplicate by content, not by key; they take Content-Encoding instead.
    claims = header_names(ops["uploadClaims"][2])
    assert "Idempotency-Key" not in claims
    assert claims["Content-Encoding"]["schema"]["enum"] == ["gzip", "identity"]


def test_response_headers_are_declared_where_they_apply() -> None:
    ops = operations()
    assert set(ops["getArrangement"][2]["responses"]["200"]["headers"]) >= {"ETag", "RateLimit-Remaining"}
    created = ops["createArrangement"][2]["responses"]["201"]["headers"]
    assert {"ETag", "Location", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} <= set(created)
    assert "Location" not in ops["createSettlement"][2]["responses"]["200"].get("headers", {})
    assert "ETag" not in ops["listArrangements"][2]["responses"]["200"].get("headers", {})
    for op_id, (_, path, op) in ops.items():
        limited = path.startswith("/v1/")
        assert ("429" in op["responses"]) == limited, op_id
        if limited:
            assert set(op["responses"]["429"]["headers"]) == {
                "Retry-After",
                "RateLimit-Limit",
                "RateLimit-Remaining",
                "RateLimit-Reset",
            }


def test_uploads_are_binary_bodies_of_their_media_types() -> None:
    ops = operations()
    for op_id in ("uploadClaims", "uploadAlignment"):
        content = ops[op_id][2]["requestBody"]["content"]
        assert list(content) == ["text/csv", "application/x-ndjson"], op_id
        assert all(c["schema"] == {"type": "string", "format": "binary"} for c in content.values())
    cclf = ops["uploadCclfDelivery"][2]["requestBody"]["content"]
    assert cclf["application/octet-stream"]["schema"]["format"] == "binary"


def test_money_is_a_decimal_string_in_the_document() -> None:
    schemas = DOCUMENT["components"]["schemas"]
    for name, field in (
        ("Terms", "target_price"),
        ("Terms", "stop_loss_pct"),
        ("QualityMeasureChoice", "weight"),
    ):
        prop = schemas[name]["properties"][field]
        assert prop["type"] == "string" and "anyOf" not in prop, (name, field)
        assert prop["pattern"] == r"^-?[0-9]+(\.[0-9]+)?$"


def test_info_version_is_the_package_version() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert DOCUMENT["info"]["version"] == project["version"]


@pytest.fixture(scope="module")
def max_flex(ops: Api) -> dict[str, Any]:
    return publish(ops, "max_flex")


@pytest.mark.parametrize(
    ("where", "value"),
    [("target_price", 2150.1), ("savings_share_pct", 50), ("weight", 1)],
)
def test_a_json_number_for_money_is_a_422_that_says_so(
    world: World, max_flex: dict[str, Any], where: str, value: Any
) -> None:
    data = body(world, max_flex)
    if where == "weight":
        data["terms"]["quality_measures"] = [{"measure_id": "Q155", "weight": value}]
        location = "body.terms.quality_measures.0.weight"
    else:
        data["terms"][where] = value
        location = f"body.terms.{where}"
    response = world.aco.post("/v1/arrangements", json=data)
    problem = expect(response, 422)
    assert response.headers["content-type"] == "application/problem+json"
    assert problem["errors"] == [
        {"location": location, "message": 'must be a decimal string such as "2150.10", not a JSON number'}
    ]
    data = body(world, max_flex, target_price="2150.10")
    assert expect(world.aco.post("/v1/arrangements", json=data), 201)["terms"]["target_price"] == "2150.10"
