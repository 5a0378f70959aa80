"""Idempotency-Key: replay, mismatch, in-progress conflict, tenant scoping."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from sqlalchemy import create_engine, text

from service.kit.clock import utcnow
from service.kit.db import sync_url
from service.settings import Settings
from tests.support.factories import Api, create_org, expect, new_tin


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


def test_errors_are_replayed_too_but_not_server_errors(ops: Api) -> None:
    body = {"kind": "aco", "name": "", "tin": "1"}
    first = ops.post("/v1/organizations", json=body, headers={"Idempotency-Key": "k-error"})
    second = ops.post("/v1/organizations", json=body, headers={"Idempotency-Key": "k-error"})
    assert first.status_code == second.status_code == 422
    assert second.headers["idempotent-replayed"] == "true"


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
    scope = hashlib.sha256(f"Bearer {ops.key}".encode()).hexdigest()
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


def test_overlong_key_is_422(ops: Api) -> None:
    expect(ops.post("/v1/organizations", json={}, headers={"Idempotency-Key": "x" * 300}), 422)
