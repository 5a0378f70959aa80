"""After a full flow against a real server, no secret is in clear in any table or in the log.

The flow (``cara serve`` with its in-process webhook worker, logging at DEBUG) issues API keys
over the CLI and HTTP (some with an ``Idempotency-Key``, so their responses are stored), revokes
one and sends it back, registers webhook endpoints whose URL carries a receiver's token in its
query, creates and rotates their secrets (with an ``Idempotency-Key`` too), replays those
requests, uploads claims and alignment (accepted and rejected), and lets the worker attempt
deliveries. Then every column of every table and every line the server wrote are searched.

The one place a webhook signing secret is kept by design is its endpoint's row
(``webhook_endpoint.secret`` and ``previous_secret``): the worker computes HMACs with it, which a
hash would not allow (docs/webhooks.md, "Secrets"). The test asserts it is there and nowhere else.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from typing import Any, cast

import httpx
import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from service.kit.db import Database, make_sync_engine, sync_url
from service.kit.logging import JsonFormatter
from service.settings import Settings
from tests.support.episode_data import CSV
from tests.support.factories import Api, create_org, expect
from tests.support.ingest_data import alignment, claim, to_csv
from tests.support.server import RunningServer, create_key, running_server

RECEIVER_TOKEN = "rcvtoken" + "Q7Z" * 8
BY_DESIGN = {("webhook_endpoint", "secret"), ("webhook_endpoint", "previous_secret")}


def _api(server: RunningServer, key: str | None) -> Api:
    return Api(cast(Any, httpx.Client(base_url=server.base_url, timeout=60)), key)


def _flow(server: RunningServer) -> tuple[dict[str, list[str]], list[str]]:
    """Run the flow; return the secrets by kind (whole values and their secret parts), and the
    webhook secrets that must be in their endpoint rows."""
    cli_key = create_key(server.env, org="ops", role="ops")
    ops = _api(server, cli_key)
    aco_org, aco = create_org(ops, "aco")
    idem = {"Idempotency-Key": "secret-flow-key"}
    url = f"/v1/organizations/{aco_org['id']}/api-keys"
    extra = expect(ops.post(url, json={"name": "extra", "role": "aco"}, headers=idem), 201)
    assert ops.post(url, json={"name": "extra", "role": "aco"}, headers=idem).json()["key"] == extra["key"]
    revoked = expect(ops.post(url, json={"name": "old", "role": "aco"}), 201)
    expect(ops.delete(f"/v1/api-keys/{revoked['id']}"), 204)
    expect(_api(server, revoked["key"]).post("/v1/webhook-endpoints", json={}, headers=idem), 401)

    hook = {"url": f"http://127.0.0.1:9/hook?token={RECEIVER_TOKEN}", "events": ["*"]}
    endpoint = expect(aco.post("/v1/webhook-endpoints", json=hook, headers={"Idempotency-Key": "e1"}), 201)
    again = aco.post("/v1/webhook-endpoints", json=hook, headers={"Idempotency-Key": "e1"})
    assert again.json()["secret"] == endpoint["secret"]
    rotate = f"/v1/webhook-endpoints/{endpoint['id']}/rotate-secret"
    rotated = expect(aco.post(rotate, headers={"Idempotency-Key": "r1"}), 200)
    assert aco.post(rotate, headers={"Idempotency-Key": "r1"}).json()["secret"] == rotated["secret"]
    second = expect(aco.post("/v1/webhook-endpoints", json={**hook, "events": ["upload.*"]}), 201)

    expect(aco.post("/v1/alignment", content=to_csv([alignment()]), headers=CSV), 201)
    expect(aco.post("/v1/claims", content=to_csv([claim()]), headers=CSV), 201)
    expect(aco.post("/v1/claims", content=to_csv([claim(allowed_amount="x")]), headers=CSV), 422)
    deadline = time.monotonic() + 30
    attempted = False
    while not attempted and time.monotonic() < deadline:
        deliveries = expect(aco.get(f"/v1/webhook-endpoints/{endpoint['id']}/deliveries"), 200)["items"]
        attempted = any(d["attempt_count"] > 0 for d in deliveries)
        time.sleep(0.2)
    assert attempted, "the in-process worker never tried a delivery"

    keys = [cli_key, str(aco.key), extra["key"], revoked["key"]]
    webhook_secrets = [endpoint["secret"], rotated["secret"], second["secret"]]
    forbidden = {
        "API key": [part for key in keys for part in (key, key[12:])],
        "webhook secret": [part for s in webhook_secrets for part in (s, s.removeprefix("whsec_"))],
        "receiver token": [RECEIVER_TOKEN],
    }
    return forbidden, webhook_secrets


@pytest.fixture(scope="module")
def flowed() -> Iterator[tuple[RunningServer, dict[str, list[str]], list[str]]]:
    extra = {"CARA_LOG_LEVEL": "DEBUG", "CARA_WEBHOOK_WORKER_IN_PROCESS": "true"}
    with running_server(extra) as server:
        forbidden, webhook_secrets = _flow(server)
        yield server, forbidden, webhook_secrets


def _cells(database_url: str) -> Iterator[tuple[str, str, str]]:
    """(table, column, text of the value) for every non-null value of every table."""
    engine = create_engine(sync_url(database_url))
    try:
        with engine.connect() as conn:
            for table in inspect(conn).get_table_names():
                result = conn.execute(text(f'SELECT * FROM "{table}"'))
                columns = list(result.keys())
                for row in result:
                    for column, value in zip(columns, row, strict=True):
                        if value is not None:
                            shown = (
                                value.decode("latin-1")
                                if isinstance(value, bytes | memoryview)
                                else str(value)
                            )
                            yield table, column, shown
    finally:
        engine.dispose()


def test_no_secret_in_any_table(flowed: tuple[RunningServer, dict[str, list[str]], list[str]]) -> None:
    server, forbidden, webhook_secrets = flowed
    found: dict[str, set[tuple[str, str]]] = {}
    tables = set()
    for table, column, shown in _cells(server.database_url):
        tables.add(table)
        for what, values in forbidden.items():
            for value in values:
                if value in shown:
                    found.setdefault(value, set()).add((table, column))
    assert {"idempotency_record", "audit_event", "outbox_event", "api_key", "upload"} <= tables
    for value in forbidden["API key"]:
        assert not found.get(value), (value[:10], found.get(value))  # keys are kept as hashes only
    for value in forbidden["webhook secret"]:
        assert found.get(value, set()) <= BY_DESIGN, (value[:10], found.get(value))
    for secret in webhook_secrets:
        assert found.get(secret), "each endpoint row keeps its signing secrets (current and previous)"


def test_the_receiver_token_is_only_in_the_endpoint_url_and_audit(
    flowed: tuple[RunningServer, dict[str, list[str]], list[str]],
) -> None:
    server, _, _ = flowed
    places = {(t, c) for t, c, shown in _cells(server.database_url) if RECEIVER_TOKEN in shown}
    # The registered URL is the endpoint's own data (returned to its owner, recorded in the
    # audit trail of its creation); it is never in a log line (next test).
    assert places <= {("webhook_endpoint", "url"), ("audit_event", "details")}, places


def test_no_secret_in_the_log(flowed: tuple[RunningServer, dict[str, list[str]], list[str]]) -> None:
    server, forbidden, _ = flowed
    lines = server.logs().splitlines()
    assert any('"webhook attempt"' in line for line in lines), "the log did not capture the worker"
    leaks = [
        f"{what} {value[:8]}... in line {number}: {line[:160]}"
        for what, values in forbidden.items()
        for value in values
        for number, line in enumerate(lines, 1)
        if value in line
    ]
    assert not leaks, "\n".join(leaks)


def test_database_errors_are_logged_without_the_values_they_quote(migrated: Settings) -> None:
    """A database error logged with its traceback (a 500, a worker pass that failed) names its
    kind and statement, never the values: neither the parameters nor the failing row that
    PostgreSQL quotes in its DETAIL."""
    statement = text("INSERT INTO organization (id, kind, name) VALUES (:i, :k, :n)")
    values = {"i": None, "k": "aco", "n": "SECRETVALUE4711"}

    async def async_error() -> BaseException:
        database = Database(migrated.database_url, 2)
        try:
            async with database.engine.connect() as conn:
                with pytest.raises(DBAPIError) as caught:
                    await conn.execute(statement, values)
            return caught.value
        finally:
            await database.dispose()

    engine = make_sync_engine(migrated.database_url)
    try:
        with engine.connect() as conn, pytest.raises(DBAPIError) as caught:
            conn.execute(statement, values)
    finally:
        engine.dispose()
    for error in (asyncio.run(async_error()), caught.value):
        assert "SQL parameters hidden" in str(error)  # the engines run with hide_parameters
        assert "SECRETVALUE4711" not in str(error) or migrated.is_postgres  # PostgreSQL's DETAIL quotes it
        record = logging.LogRecord("cara.errors", logging.ERROR, __file__, 1, "unhandled", (), None)
        record.exc_info = (type(error), error, error.__traceback__)
        logged = json.loads(JsonFormatter().format(record))
        assert "SECRETVALUE4711" not in json.dumps(logged)
        assert "IntegrityError" in logged["exception"] and "INSERT INTO organization" in logged["exception"]
