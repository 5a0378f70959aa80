"""Idempotency-Key: replay, mismatch, in-progress conflict, tenant scoping."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from service.arrangements.schemas import TERMS_EXAMPLE
from service.kit.clock import utcnow
from service.kit.db import sync_url
from service.settings import Settings
from tests.support.episode_data import publish_definition
from tests.support.factories import Api, World, create_org, expect, new_tin
from tests.support.server import RunningServer, running_server


def test_same_key_same_body_replays_the_first_response(ops: Api) -> None:
    body = {"kind": "aco", "name": "Idem ACO", "tin": new_tin()}
    first = ops.post("/v1/organizations", json=body, headers={"Idempotency-Key": "k-replay-1"})
    second = ops.post("/v1/organizations", json=body, headers={"Idempotency-Key": "k-replay-1"})
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert second.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    # Another key runs the request anew: the TIN is taken now (by the first), so it is refused.
    third = ops.post("/v1/organizations", json=body, headers={"Idempotency-Key": "k-replay-2"})
    assert "idempotent-replayed" not in third.headers
    assert expect(third, 409)["existing_organization_id"] == first.json()["id"]


def test_same_key_other_body_is_422(ops: Api) -> None:
    expect(
        ops.post(
            "/v1/organizations",
            json={"kind": "aco", "name": "A", "tin": new_tin()},
            headers={"Idempotency-Key": "k-mismatch"},
        ),
        201,
    )
    problem = expect(
        ops.post(
            "/v1/organizations",
            json={"kind": "aco", "name": "B", "tin": new_tin()},
            headers={"Idempotency-Key": "k-mismatch"},
        ),
        422,
    )
    assert problem["type"].endswith("/idempotency-key-reused")


def test_refused_requests_are_not_stored_so_the_key_can_be_used_again(ops: Api) -> None:
    body = {"kind": "aco", "name": "", "tin": "1"}
    first = ops.post("/v1/organizations", json=body, headers={"Idempotency-Key": "k-error"})
    second = ops.post("/v1/organizations", json=body, headers={"Idempotency-Key": "k-error"})
    assert first.status_code == second.status_code == 422
    assert "idempotent-replayed" not in second.headers
    # The request fixed, the same key now creates the organisation (and then replays it).
    fixed = {"kind": "aco", "name": "Fixed", "tin": new_tin()}
    created = expect(ops.post("/v1/organizations", json=fixed, headers={"Idempotency-Key": "k-error"}), 201)
    again = ops.post("/v1/organizations", json=fixed, headers={"Idempotency-Key": "k-error"})
    assert again.json() == created and again.headers["idempotent-replayed"] == "true"


def test_keys_are_scoped_per_api_key(ops: Api) -> None:
    _, aco = create_org(ops, "aco")
    expect(
        ops.post(
            "/v1/organizations",
            json={"kind": "aco", "name": "S", "tin": new_tin()},
            headers={"Idempotency-Key": "k-shared"},
        ),
        201,
    )
    # Another caller using the same key string is not affected by ops's record.
    problem = expect(
        aco.post(
            "/v1/organizations",
            json={"kind": "aco", "name": "T", "tin": new_tin()},
            headers={"Idempotency-Key": "k-shared"},
        ),
        403,
    )
    assert problem["status"] == 403


def test_request_in_progress_is_409(ops: Api, migrated: Settings) -> None:
    body = b'{"kind": "aco", "name": "P", "tin": "123456789"}'
    scope = _key_id(migrated, str(ops.key))  # records are scoped by the authenticated key's id
    fingerprint = hashlib.sha256(b"\n".join([b"/v1/organizations", b"", body])).hexdigest()
    engine = create_engine(sync_url(migrated.database_url))
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO idempotency_record (id, scope, key, request_hash, state, created_at, expires_at) "
                "VALUES ('idem_test_progress', :scope, 'k-busy', :hash, 'in_progress', :now, :exp)"
            ),
            {
                "scope": scope,
                "hash": fingerprint,
                "now": now if engine.dialect.name != "sqlite" else now.isoformat(sep=" "),
                "exp": (now + timedelta(hours=1))
                if engine.dialect.name != "sqlite"
                else (now + timedelta(hours=1)).isoformat(sep=" "),
            },
        )
    engine.dispose()
    response = ops.post(
        "/v1/organizations",
        content=body,
        headers={"Idempotency-Key": "k-busy", "content-type": "application/json"},
    )
    problem = expect(response, 409)
    assert problem["type"].endswith("/idempotency-in-progress")


def _key_id(settings: Settings, key: str) -> str:
    engine = create_engine(sync_url(settings.database_url))
    try:
        with engine.connect() as conn:
            digest = hashlib.sha256(key.encode()).hexdigest()
            return str(
                conn.execute(text("SELECT id FROM api_key WHERE key_hash = :h"), {"h": digest}).scalar_one()
            )
    finally:
        engine.dispose()


def test_overlong_key_is_422(ops: Api) -> None:
    expect(ops.post("/v1/organizations", json={}, headers={"Idempotency-Key": "x" * 300}), 422)


# --- a hostile client ------------------------------------------------------------------------


def _records(settings: Settings, key: str) -> list[dict[str, Any]]:
    engine = create_engine(sync_url(settings.database_url))
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT * FROM idempotency_record WHERE key = :k"), {"k": key})
            return [dict(row._mapping) for row in rows]
    finally:
        engine.dispose()


def _fresh_aco_key(ops: Api, world_org: str) -> dict[str, Any]:
    return expect(
        ops.post(f"/v1/organizations/{world_org}/api-keys", json={"name": "idem", "role": "aco"}), 201
    )  # type: ignore[no-any-return]


def test_a_revoked_key_cannot_replay_and_secrets_are_stored_encrypted(
    ops: Api, world: World, migrated: Settings
) -> None:
    issued = _fresh_aco_key(ops, world.aco_org["id"])
    aco = Api(ops.client, issued["key"])
    body = {"url": "http://127.0.0.1:9/idem", "events": ["*"]}
    headers = {"Idempotency-Key": "k-secret-endpoint"}
    created = expect(aco.post("/v1/webhook-endpoints", json=body, headers=headers), 201)
    replay = aco.post("/v1/webhook-endpoints", json=body, headers=headers)
    assert replay.headers["idempotent-replayed"] == "true" and replay.json() == created
    secret = created["secret"]
    [record] = _records(migrated, "k-secret-endpoint")
    stored = repr(record)
    assert secret not in stored and secret.removeprefix("whsec_") not in stored
    assert issued["key"] not in stored and record["scope"] == issued["id"]
    expect(ops.delete(f"/v1/api-keys/{issued['id']}"), 204)
    refused = aco.post("/v1/webhook-endpoints", json=body, headers=headers)
    assert refused.status_code == 401 and secret not in refused.text
    assert "idempotent-replayed" not in refused.headers


def test_a_new_api_key_is_not_stored_in_clear(ops: Api, world: World, migrated: Settings) -> None:
    headers = {"Idempotency-Key": "k-new-key"}
    url = f"/v1/organizations/{world.aco_org['id']}/api-keys"
    created = expect(ops.post(url, json={"name": "n", "role": "aco"}, headers=headers), 201)
    replay = ops.post(url, json={"name": "n", "role": "aco"}, headers=headers)
    assert replay.headers["idempotent-replayed"] == "true" and replay.json()["key"] == created["key"]
    [record] = _records(migrated, "k-new-key")
    assert created["key"] not in repr(record) and created["key"][12:] not in repr(record)


def test_unauthenticated_and_refused_requests_store_nothing(
    ops: Api, world: World, migrated: Settings
) -> None:
    body = {"kind": "aco", "name": "Nobody", "tin": new_tin()}
    for authorization in (None, "Bearer cara_" + "x" * 40, "Basic abc", "Bearer"):
        headers = {"Idempotency-Key": "k-anonymous"}
        if authorization:
            headers["Authorization"] = authorization
        expect(ops.client.post("/v1/organizations", json=body, headers=headers), 401)
    expect(world.aco.post("/v1/organizations", json=body, headers={"Idempotency-Key": "k-anonymous"}), 403)
    assert _records(migrated, "k-anonymous") == []


def test_bearer_in_any_case_is_the_same_caller(ops: Api) -> None:
    body = {"kind": "aco", "name": "Case", "tin": new_tin()}
    first = expect(
        ops.client.post(
            "/v1/organizations",
            json=body,
            headers={"Authorization": f"Bearer {ops.key}", "Idempotency-Key": "k-case"},
        ),
        201,
    )
    second = ops.client.post(
        "/v1/organizations",
        json=body,
        headers={"Authorization": f"bearer {ops.key}", "Idempotency-Key": "k-case"},
    )
    assert second.status_code == 201 and second.headers["idempotent-replayed"] == "true"
    assert second.json()["id"] == first["id"]


def test_a_412_is_not_replayed_after_a_fresh_if_match(ops: Api, world: World) -> None:
    definition = publish_definition(ops)
    proposal = {
        "aco_id": world.aco_org["id"],
        "provider_id": world.provider_org["id"],
        "episode": definition,
        "period": {"start": "2027-01-01", "end": "2027-12-31"},
        "terms": TERMS_EXAMPLE,
    }
    arrangement = expect(world.aco.post("/v1/arrangements", json=proposal), 201)
    url = f"/v1/arrangements/{arrangement['id']}/withdraw"
    stale = {"Idempotency-Key": "k-412", "If-Match": '"stale"'}
    expect(world.aco.post(url, headers=stale), 412)
    etag = world.aco.get(f"/v1/arrangements/{arrangement['id']}").headers["etag"]
    fresh = world.aco.post(url, headers={"Idempotency-Key": "k-412", "If-Match": etag})
    assert fresh.status_code == 200 and "idempotent-replayed" not in fresh.headers
    assert fresh.json()["status"] == "withdrawn"


@pytest.fixture(scope="module")
def idem_server() -> Iterator[RunningServer]:
    with running_server() as server:
        yield server


def test_an_immediate_retry_replays_rather_than_409(idem_server: RunningServer) -> None:
    with idem_server.client() as client:
        for attempt in range(20):
            body = {"kind": "aco", "name": f"Retry {attempt}", "tin": new_tin()}
            headers = {"Idempotency-Key": f"k-retry-{attempt}"}
            first = client.post("/v1/organizations", json=body, headers=headers)
            again = client.post("/v1/organizations", json=body, headers=headers)
            assert first.status_code == 201, first.text
            assert again.status_code == 201, (attempt, again.text)
            assert again.headers["idempotent-replayed"] == "true"
