"""Limits: body size, JSON depth, list `limit`, upload rows and line length, and clients that
stall (body and headers). The in-process client covers what is decided inside the app; a real
server process (tests/server.py) covers what only a socket shows: timeouts and connection close.
"""

from __future__ import annotations

import json
import re
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from service.access.models import Role
from service.kit.body_limits import json_depth_exceeds
from tests.support.factories import Api, World, expect, new_tin
from tests.support.ingest_data import claim, to_csv
from tests.support.server import RunningServer, running_server
from tests.test_authorization_matrix import allowed_roles, api_routes

ONE_MIB = 1024 * 1024


def _org_body(padding: int = 0) -> dict[str, Any]:
    return {"kind": "aco", "name": "limit test", "tin": "123456789", "padding": "x" * padding}


def test_json_body_over_the_limit_is_413_with_or_without_content_length(ops: Api) -> None:
    big = json.dumps(_org_body(ONE_MIB)).encode()
    problem = expect(
        ops.post("/v1/organizations", content=big, headers={"content-type": "application/json"}), 413
    )
    assert problem["type"].endswith("/payload-too-large") and str(ONE_MIB) in problem["detail"]

    def chunked() -> Iterator[bytes]:
        for start in range(0, len(big), 64 * 1024):
            yield big[start : start + 64 * 1024]

    # No Content-Length: the guard counts while it buffers.
    response = ops.post("/v1/organizations", content=chunked(), headers={"content-type": "application/json"})
    assert "content-length" not in response.request.headers
    expect(response, 413)


def test_json_just_under_the_limit_reaches_validation(ops: Api) -> None:
    body = json.dumps(_org_body(ONE_MIB - 200)).encode()
    assert len(body) <= ONE_MIB
    # Past the size guard; the unknown member is refused by the schema, not by a limit.
    problem = expect(
        ops.post("/v1/organizations", content=body, headers={"content-type": "application/json"}), 422
    )
    assert "padding" in json.dumps(problem["errors"]) or problem["status"] == 422


def _nested(depth: int) -> bytes:
    return ('{"name": ' + "[" * (depth - 1) + "1" + "]" * (depth - 1) + "}").encode()


def test_json_nested_deeper_than_32_is_422_before_parsing(ops: Api) -> None:
    problem = expect(
        ops.post("/v1/organizations", content=_nested(33), headers={"content-type": "application/json"}), 422
    )
    assert "deeper than 32" in problem["detail"]
    allowed = expect(
        ops.post("/v1/organizations", content=_nested(32), headers={"content-type": "application/json"}), 422
    )
    assert "deeper" not in allowed["detail"]


def test_depth_counter_ignores_brackets_inside_strings() -> None:
    assert not json_depth_exceeds(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', 4)
    assert not json_depth_exceeds(b'{"a": "\\"[[[[[[[[["}', 4)
    assert json_depth_exceeds(b"[[[[[1]]]]]", 4)


def _list_routes(client: TestClient) -> list[tuple[str, frozenset[Role]]]:
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    out = []
    for path, route in api_routes(client):
        if "GET" in route.methods:
            parameters = paths.get(path, {}).get("get", {}).get("parameters", [])
            names = {p["name"] for p in parameters if p["in"] == "query"}
            roles = allowed_roles(route)
            if "limit" in names and roles:
                out.append((path, roles))
    return out


def test_every_list_route_bounds_limit_to_1_through_500(client: TestClient, world: World) -> None:
    routes = _list_routes(client)
    assert len(routes) >= 5, routes  # organisations, definitions, arrangements, uploads, webhooks, audit...
    apis = {Role.ops: world.ops, Role.aco: world.aco, Role.provider: world.provider}
    for path, roles in routes:
        api = apis[sorted(roles, key=lambda r: r.value)[0]]
        url = re.sub(r"\{[^}]+\}", "zz_absent", path)
        for bad in ("0", "501", "-1", "ten"):
            problem = expect(api.get(url, params={"limit": bad}), 422)
            assert any(e["location"] == "query.limit" for e in problem["errors"]), (path, bad, problem)
        assert api.get(url, params={"limit": "500"}).status_code in (200, 404), path


# --- a real process: timeouts, connection handling, upload limits from the environment -------

SERVER_ENV = {
    "CARA_BODY_READ_TIMEOUT_SECONDS": "1",
    "CARA_HEADER_READ_TIMEOUT_SECONDS": "1.5",
    "CARA_MAX_UPLOAD_ROWS": "3",
    "CARA_MAX_LINE_BYTES": "400",
}


@pytest.fixture(scope="module")
def limited_server() -> Iterator[RunningServer]:
    with running_server(SERVER_ENV) as server:
        yield server


@pytest.fixture(scope="module")
def aco_key(limited_server: RunningServer) -> str:
    with limited_server.client() as ops:
        org = ops.post("/v1/organizations", json={"kind": "aco", "name": "Limits ACO", "tin": new_tin()})
        assert org.status_code == 201, org.text
        key = ops.post(f"/v1/organizations/{org.json()['id']}/api-keys", json={"name": "k", "role": "aco"})
        assert key.status_code == 201, key.text
        return str(key.json()["key"])


def _read_until_closed(sock: socket.socket, limit: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took."""
    started = time.monotonic()
    sock.settimeout(limit)
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            raise AssertionError(f"connection still open after {limit} s; received {data[:200]!r}") from None
        if not chunk:
            return data, time.monotonic() - started
        data += chunk


def _stalled_post(server: RunningServer, path: str, key: str, content_type: str, first_part: bytes) -> bytes:
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: 100000\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(head + first_part)
        data, elapsed = _read_until_closed(sock, 10)
    assert 0.9 <= elapsed < 5, elapsed
    return data


def _problem_of(raw: bytes) -> tuple[str, dict[str, Any]]:
    head, _, body = raw.partition(b"\r\n\r\n")
    return head.decode("latin-1").lower(), json.loads(body)


def test_a_json_body_that_stalls_gets_408_and_the_connection_closed(limited_server: RunningServer) -> None:
    raw = _stalled_post(
        limited_server, "/v1/organizations", limited_server.ops_key, "application/json", b'{"kin'
    )
    head, problem = _problem_of(raw)
    assert head.startswith("http/1.1 408") and "connection: close" in head
    assert "x-content-type-options: nosniff" in head
    assert problem["status"] == 408 and problem["type"].endswith("/request-timeout")


def test_an_upload_that_stalls_gets_408_and_stores_nothing(
    limited_server: RunningServer, aco_key: str
) -> None:
    rows = to_csv([claim(claim_id="STALL1")])
    raw = _stalled_post(limited_server, "/v1/claims", aco_key, "text/csv", rows)
    head, problem = _problem_of(raw)
    assert head.startswith("http/1.1 408") and problem["status"] == 408, head
    with limited_server.client(aco_key) as aco:
        uploads = aco.get("/v1/uploads").json()["items"]
    assert uploads == [], uploads


def test_a_client_that_never_finishes_its_headers_is_disconnected(limited_server: RunningServer) -> None:
    with socket.create_connection(("127.0.0.1", limited_server.port)) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        data, elapsed = _read_until_closed(sock, 10)
    assert data == b"" and 1.4 <= elapsed < 5, (data, elapsed)
    with socket.create_connection(("127.0.0.1", limited_server.port)) as sock:
        data, elapsed = _read_until_closed(sock, 10)  # connects and sends nothing at all
    assert data == b"" and elapsed < 5


def test_a_slow_but_steady_request_is_served(limited_server: RunningServer) -> None:
    # Headers in pieces, well inside the deadline, then a second request on the same connection.
    with socket.create_connection(("127.0.0.1", limited_server.port)) as sock:
        sock.settimeout(5)
        for piece in (b"GET /healthz HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n", b"\r\n"):
            sock.sendall(piece)
            time.sleep(0.3)
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")


def test_upload_row_count_and_line_length_come_from_the_environment(
    limited_server: RunningServer, aco_key: str
) -> None:
    csv = {"content-type": "text/csv"}
    with limited_server.client(aco_key) as aco:
        too_many = aco.post(
            "/v1/claims", content=to_csv([claim(claim_id=f"R{i}") for i in range(4)]), headers=csv
        )
        assert too_many.status_code == 413, too_many.text
        assert "3 rows" in too_many.json()["detail"]
        long_line = to_csv([claim(claim_id="L1")]) + b"x" * 500 + b"\n"
        too_long = aco.post("/v1/claims", content=long_line, headers=csv)
        assert too_long.status_code == 422 and "longer than 400 bytes" in too_long.json()["detail"], (
            too_long.text
        )
        fits = aco.post(
            "/v1/claims", content=to_csv([claim(claim_id=f"F{i}") for i in range(3)]), headers=csv
        )
        assert fits.status_code == 201, fits.text
        stored = aco.get("/v1/uploads").json()["items"]
    assert [u["rows_stored"] for u in stored] == [3], stored


def test_the_body_read_timeout_is_not_a_request_deadline(limited_server: RunningServer) -> None:
    # A body sent in small pieces, each within the idle timeout, is read in full although the
    # whole takes longer than the timeout.
    body = json.dumps({"kind": "aco", "name": "Slow but steady", "tin": new_tin()}).encode()

    def trickle() -> Iterator[bytes]:
        for start in range(0, len(body), 20):
            time.sleep(0.4)
            yield body[start : start + 20]

    started = time.monotonic()
    response = httpx.post(
        limited_server.base_url + "/v1/organizations",
        content=trickle(),
        headers={**limited_server.ops_headers, "content-type": "application/json"},
        timeout=15,
    )
    assert response.status_code == 201, response.text
    assert time.monotonic() - started > 1
