"""Schemathesis in stateful mode against the real server: sequences of calls chained through the
links Schemathesis infers from the schema (ids of created resources feed later calls), each
scenario acting with the key of one role, drawn per scenario. No call may get a 5xx.

The short slice runs a few derandomized scenarios; CARA_HOSTILE_MINUTES runs batches with random
seeds until its share of the time is spent.
"""

from __future__ import annotations

import time
from typing import Any

import hypothesis
import schemathesis
from hypothesis import HealthCheck
from hypothesis import strategies as st
from hypothesis.stateful import initialize

from tests.hostile.conftest import LONG, Target, budget
from tests.support.server import PROJECT_DIR

ROLES = ("ops", "aco", "provider", "other_aco")


def _machine(target: Target, counts: dict[str, int]) -> Any:
    schema = schemathesis.openapi.from_path(PROJECT_DIR / "openapi.yaml")
    base = schema.as_state_machine()

    class Hostile(base):  # type: ignore[misc, valid-type]
        role = "aco"

        @initialize(role=st.sampled_from(ROLES))
        def act_as(self, role: str) -> None:
            self.role = role

        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {
                "base_url": target.server.base_url,
                "headers": {"Authorization": f"Bearer {target.keys[self.role]}"},
                "timeout": 60,
            }

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            counts["calls"] += 1
            status = response.status_code
            counts[f"{status // 100}xx"] = counts.get(f"{status // 100}xx", 0) + 1
            assert status < 500, f"{status} as {self.role}: {case.as_curl_command()}\n{response.text[:500]}"
            if status >= 400:
                assert response.headers.get("content-type", [""])[0].startswith("application/problem+json")

    return Hostile


def test_stateful_sequences_across_roles_never_get_a_5xx(target: Target) -> None:
    counts: dict[str, int] = {"calls": 0}
    machine = _machine(target, counts)
    common = {
        "deadline": None,
        "database": None,
        "suppress_health_check": list(HealthCheck),
        "stateful_step_count": 8,
    }
    if not LONG:
        machine.run(settings=hypothesis.settings(max_examples=6, derandomize=True, **common))
    else:
        deadline = time.monotonic() + budget(0.6)
        batches = 0
        while time.monotonic() < deadline:
            machine.run(settings=hypothesis.settings(max_examples=25, derandomize=False, **common))
            batches += 1
        print(f"stateful: {batches} batches")
    print(f"stateful calls: {counts}")
    assert counts["calls"] >= 6, counts
