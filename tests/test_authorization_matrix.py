"""The authorisation matrix, generated from the app's route table.

Every route either is public (listed below) or declares its roles through
``service.access.auth.require``; a new route without a decision fails here. Each protected
route is then called with no key (401), with every role it does not admit (403), and with every
role it admits on an id that is not the caller's (never 403, never 5xx: 404 for a foreign or
absent resource, or a validation answer).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient

from service.access.models import Role
from tests.support.factories import Api, World

PUBLIC = {("GET", "/healthz"), ("GET", "/readyz"), ("GET", "/metrics"), ("GET", "/docs"), ("GET", "/")}


def _walk(dependant: Dependant) -> Iterator[Any]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _walk(sub)


def allowed_roles(route: APIRoute) -> frozenset[Role] | None:
    for call in _walk(route.dependant):
        roles = getattr(call, "allowed_roles", None)
        if roles is not None:
            return frozenset(roles)
    return None


def api_routes(client: TestClient) -> list[tuple[str, APIRoute]]:
    """(full path, route) of every API route. FastAPI keeps included routers as wrappers in
    ``app.routes``; ``iter_route_contexts`` walks through them."""
    out = []
    for context in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        route = context.original_route
        if isinstance(route, APIRoute):
            out.append((context.path or route.path, route))
    return out


def protected_routes(client: TestClient) -> list[tuple[str, str, frozenset[Role] | None]]:
    out = []
    for path, route in api_routes(client):
        for method in sorted(route.methods - {"HEAD", "OPTIONS"}):
            if (method, path) in PUBLIC:
                continue
            out.append((method, path, allowed_roles(route)))
    return out


def test_the_walk_sees_every_documented_operation(client: TestClient) -> None:
    # Guards the matrix against walking an empty route list and passing vacuously.
    documented = {
        (method.upper(), path)
        for path, item in client.app.openapi()["paths"].items()  # type: ignore[attr-defined]
        for method in item
    }
    walked = {(m, p) for m, p, _ in protected_routes(client)} | PUBLIC
    assert documented - walked == set()
    assert len(documented) >= 30


def _fill(path: str) -> str:
    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "version":
            return "1"
        if "date" in name or name == "period_start":
            return "2027-01-01"
        return f"zz_not_yours_{name}"

    return re.sub(r"\{([^}:]+)(?::[^}]+)?\}", value, path)


def test_every_route_makes_an_authorisation_decision(client: TestClient) -> None:
    undecided = [(m, p) for m, p, roles in protected_routes(client) if roles is None]
    assert undecided == [], f"routes without require(...) and not listed as public: {undecided}"


def _api_for(world: World, role: Role) -> Api:
    return {Role.ops: world.ops, Role.aco: world.aco, Role.provider: world.provider}[role]


def test_matrix_roles_and_tenancy(world: World, client: TestClient) -> None:
    failures = []
    for method, path, roles in protected_routes(client):
        assert roles is not None
        url = _fill(path)
        body: dict[str, Any] = {"json": {}} if method in ("POST", "PUT", "PATCH") else {}
        anonymous = world.anonymous.request(method, url, **body)
        if anonymous.status_code != 401:
            failures.append(f"{method} {path} without key: {anonymous.status_code}")
        for role in Role:
            response = _api_for(world, role).request(method, url, headers={"If-Match": '"x"'}, **body)
            status = response.status_code
            if role not in roles and status != 403:
                failures.append(f"{method} {path} as {role.value}: {status}, expected 403")
            if role in roles and (status == 403 or status >= 500):
                failures.append(f"{method} {path} as {role.value}: {status} {response.text[:200]}")
            if response.headers.get("content-type", "").startswith("application/json") and status < 300:
                # A list answered to a caller must not contain another tenant's objects: checked per
                # domain in their own tests; here only that nothing leaked an internal error.
                assert "Traceback" not in response.text
    assert failures == [], "\n".join(failures)
