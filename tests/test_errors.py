"""Every error is an RFC 9457 problem; nothing leaks internals; every response has the headers."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError

from service.kit.body_limits import JsonBodyGuard, json_depth_exceeds
from service.kit.errors import install_error_handlers, unexpected_error_response
from service.kit.middleware import ServiceMiddleware
from tests.support.factories import Api, expect

PROBLEM = "application/problem+json"


def _assert_problem(response, status: int) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["type"].startswith("https://") and body["title"]
    assert "Traceback" not in response.text
    return body


def test_unknown_route_and_wrong_method(ops: Api) -> None:
    body = _assert_problem(ops.get("/v1/no-such-thing"), 404)
    assert "no route" in body["detail"]
    body = _assert_problem(ops.request("PUT", "/v1/organizations"), 405)
    assert "PUT" in body["detail"]


def test_malformed_json_and_schema_errors(ops: Api) -> None:
    body = _assert_problem(
        ops.post("/v1/organizations", content=b'{"kind":', headers={"content-type": "application/json"}), 422
    )
    assert "malformed JSON" in body["errors"][0]["message"]
    body = _assert_problem(
        ops.post("/v1/organizations", json={"kind": "hospital", "name": "", "tin": "1"}), 422
    )
    locations = {e["location"] for e in body["errors"]}
    assert {"body.kind", "body.name", "body.tin"} <= locations
    body = _assert_problem(ops.get("/v1/organizations", params={"limit": 501}), 422)
    assert body["errors"][0]["location"] == "query.limit"
    _assert_problem(ops.get("/v1/organizations", params={"cursor": "!!not-a-cursor"}), 422)


def test_body_limits(ops: Api) -> None:
    deep = "[" * 100 + "]" * 100
    body = _assert_problem(
        ops.post("/v1/organizations", content=deep.encode(), headers={"content-type": "application/json"}),
        422,
    )
    assert "deeper" in body["detail"]
    huge = b'{"name": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    _assert_problem(
        ops.post("/v1/organizations", content=huge, headers={"content-type": "application/json"}), 413
    )

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b"x" * 65536

    _assert_problem(
        ops.post("/v1/organizations", content=chunks(), headers={"content-type": "application/json"}), 413
    )


def test_json_depth_ignores_brackets_in_strings() -> None:
    assert not json_depth_exceeds(b'{"a": "[[[[[[[["}', 3)
    assert json_depth_exceeds(b'{"a": [[[1]]]}', 3)
    assert not json_depth_exceeds(b'{"a": "\\"[[[["}', 2)


def test_request_id_and_security_headers(ops: Api) -> None:
    response = ops.get("/v1/organizations", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert response.headers["cache-control"] == "no-store"
    generated = ops.get("/healthz", headers={"X-Request-ID": "bad id with spaces"}).headers["x-request-id"]
    assert generated != "bad id with spaces" and len(generated) == 16
    problem = ops.get("/v1/nothing", headers={"X-Request-ID": "req-9"}).json()
    assert problem["request_id"] == "req-9"


def _failing_app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("secret internals: password=hunter2")

    @app.get("/db-down")
    async def db_down() -> None:
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("refused"))

    app.add_middleware(
        JsonBodyGuard, max_body_bytes=1024, max_json_depth=8, is_streaming_path=lambda p: False
    )
    app.add_middleware(
        ServiceMiddleware,
        max_body_bytes=1024,
        body_read_timeout=5,
        is_streaming_path=lambda p: False,
        error_response=unexpected_error_response,
    )
    return app


def test_unexpected_exception_is_a_500_problem_without_internals(caplog) -> None:  # type: ignore[no-untyped-def]
    with TestClient(_failing_app(), raise_server_exceptions=False) as client:
        response = client.get("/boom", headers={"X-Request-ID": "r-500"})
    body = _assert_problem(response, 500)
    assert "hunter2" not in response.text and "RuntimeError" not in response.text
    assert body["request_id"] == "r-500"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_database_unreachable_is_a_503_problem() -> None:
    with TestClient(_failing_app(), raise_server_exceptions=False) as client:
        response = client.get("/db-down")
    _assert_problem(response, 503)
    assert response.headers["retry-after"] == "2"


def test_health_ready_metrics_and_docs(ops: Api) -> None:
    assert expect(ops.client.get("/healthz"), 200) == {"status": "ok"}
    ready = expect(ops.client.get("/readyz"), 200)
    assert ready["status"] == "ready"
    metrics = ops.client.get("/metrics").text
    assert 'cara_http_requests_total{method="GET",route="/healthz",status="200"}' in metrics
    assert "cara_http_request_duration_seconds_bucket" in metrics
    docs = ops.client.get("/docs").text
    assert "/static/docs/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert ops.client.get("/static/docs/swagger-ui-bundle.js").status_code == 200
