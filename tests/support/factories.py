"""Test data made through the public API, as a client would make it."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi.testclient import TestClient

from service.access import service as access_service
from service.access.models import Role
from service.bootstrap import run_with_session
from service.demo.synthetic import new_npi, new_tin
from service.kit.changes import CLI_ACTOR
from service.settings import Settings


def make_ops_key(settings: Settings, org_name: str = "ops") -> str:
    async def work(session: Any) -> str:
        org = await access_service.ensure_ops_organization(session, org_name)
        _, plaintext = await access_service.create_api_key(
            session, actor=CLI_ACTOR, org_id=org.id, name="tests", role=Role.ops
        )
        return plaintext

    return run_with_session(settings, work)


class Api:
    """An HTTP client acting with one API key."""

    def __init__(self, client: TestClient, key: str | None, org_id: str | None = None) -> None:
        self.client = client
        self.key = key
        self.org_id = org_id

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        out = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        out.update(headers or {})
        return out

    def request(
        self, method: str, path: str, *, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> httpx.Response:
        return self.client.request(method, path, headers=self._headers(headers), **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)


def expect(response: httpx.Response, status: int) -> Any:
    assert response.status_code == status, f"{response.status_code} != {status}: {response.text}"
    if response.headers.get("content-type", "").startswith(("application/json", "application/problem+json")):
        return response.json()
    return response.text


# The day onboarded NPIs join the roster in tests: the first day any performance period covers,
# so that test claims of any year find them on it whatever today is.
ROSTER_FROM = "2027-01-01"


def create_org(
    ops: Api,
    kind: str,
    *,
    name: str | None = None,
    npis: list[str] | None = None,
    aco_id: str | None = None,
    npis_effective_from: str = ROSTER_FROM,
) -> tuple[dict[str, Any], Api]:
    """A new organisation with a unique TIN and an API key of its kind."""
    body: dict[str, Any] = {"kind": kind, "name": name or f"{kind} {secrets.token_hex(3)}", "tin": new_tin()}
    if npis is not None:
        body["npis"] = npis
        body["npis_effective_from"] = npis_effective_from
    if aco_id is not None:
        body["aco_id"] = aco_id
    org = expect(ops.post("/v1/organizations", json=body), 201)
    key = expect(ops.post(f"/v1/organizations/{org['id']}/api-keys", json={"name": "k", "role": kind}), 201)
    return org, Api(ops.client, key["key"], org["id"])


@dataclass
class World:
    ops: Api
    aco: Api
    aco_org: dict[str, Any]
    provider: Api
    provider_org: dict[str, Any]
    other_provider: Api
    other_provider_org: dict[str, Any]
    other_aco: Api
    other_aco_org: dict[str, Any]

    @classmethod
    def create(cls, ops: Api) -> World:
        aco_org, aco = create_org(ops, "aco")
        provider_org, provider = create_org(
            ops, "provider", npis=[new_npi(), new_npi()], aco_id=aco_org["id"]
        )
        other_provider_org, other_provider = create_org(ops, "provider", npis=[new_npi()])
        other_aco_org, other_aco = create_org(ops, "aco")
        return cls(
            ops,
            aco,
            aco_org,
            provider,
            provider_org,
            other_provider,
            other_provider_org,
            other_aco,
            other_aco_org,
        )

    @property
    def anonymous(self) -> Api:
        return Api(self.ops.client, None)
