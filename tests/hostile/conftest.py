"""The long-run hostile suite: a real server attacked by authenticated clients of every role.

``python -m pytest tests/hostile`` runs a short slice with fixed seeds (part of every test run,
well under a minute). ``CARA_HOSTILE_MINUTES=10 python -m pytest tests/hostile`` runs it for
about that long with fresh random seeds (printed, and given by Hypothesis for any failure);
``CARA_HOSTILE_SEED=N`` replays the hand-made attacks of one run. With CARA_TEST_DB=postgresql
the server runs in production mode (as deployed: no allowed webhook hosts, no sandbox).

Each attack must get a 4xx problem or a correct answer: never a 5xx, never an unhandled error in
the server's log, and ``/healthz`` must keep answering quickly throughout.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import httpx
import pytest

from service.demo.synthetic import new_npi
from tests.support.episode_data import publish_definition
from tests.support.factories import Api, create_org
from tests.support.server import TEST_DB, RunningServer, running_server

MINUTES = float(os.environ.get("CARA_HOSTILE_MINUTES", "0"))
LONG = MINUTES > 0
SEED = int(os.environ.get("CARA_HOSTILE_SEED") or (time.time_ns() % 2**32 if LONG else 20261202))


def budget(share: float) -> float:
    """Seconds this test may run: its share of CARA_HOSTILE_MINUTES (0 for the short slice)."""
    return MINUTES * 60 * share


@dataclass
class Target:
    """The server under attack and one key per role (plus a second ACO: another tenant)."""

    server: RunningServer
    keys: dict[str, str]
    ids: dict[str, str]
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))

    def client(self, role: str, timeout: float = 60) -> httpx.Client:
        return httpx.Client(
            base_url=self.server.base_url,
            headers={"Authorization": f"Bearer {self.keys[role]}"},
            timeout=timeout,
        )


def _production_env() -> dict[str, str]:
    if TEST_DB != "postgresql":
        return {}
    return {"CARA_ENVIRONMENT": "production", "CARA_WEBHOOK_ALLOWED_HOSTS": "[]"}


@pytest.fixture(scope="package")
def target() -> Iterator[Target]:
    print(f"\nhostile suite: seed {SEED}, {MINUTES:g} minute(s), database {TEST_DB}")
    # No in-process webhook worker: fuzzed endpoints may name any public host, and a test run
    # sends nothing to the internet (tests/test_webhooks.py covers the worker's hostile URLs).
    with running_server(_production_env()) as server:
        ops = Api(cast(Any, server.client()), server.ops_key)
        aco_org, aco = create_org(ops, "aco")
        provider_org, provider = create_org(ops, "provider", npis=[new_npi()], aco_id=aco_org["id"])
        other_org, other = create_org(ops, "aco")
        definition = publish_definition(ops)
        assert aco.key and provider.key and other.key
        yield Target(
            server,
            keys={"ops": server.ops_key, "aco": aco.key, "provider": provider.key, "other_aco": other.key},
            ids={
                "aco": str(aco_org["id"]),
                "provider": str(provider_org["id"]),
                "other_aco": str(other_org["id"]),
                "code": str(definition["code"]),
            },
        )
        unhandled = [line for line in server.logs().splitlines() if '"level": "ERROR"' in line]
        assert not unhandled, "errors in the server log:\n" + "\n".join(unhandled[:20])
