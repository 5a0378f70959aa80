"""Settlement runs keep their intermediate results in scratch tables of their own
(service/kit/scratch.py): on PostgreSQL unlogged tables named for the run, so that the large
statements may run in parallel. Runs at the same time each see only their own rows and get the
figures they get alone; no scratch table outlives its run, whether it succeeds or fails."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine, inspect

from service.settlements import math
from tests.support.episode_data import Scenario, publish_definition, scenario
from tests.support.factories import Api, World, expect

SCRATCH_PREFIXES = ("episode_window_", "episode_trigger_", "episode_sums_")
FIGURES = ("n_episodes", "n_excluded", "total_target", "total_actual", "settlement_amount")


@pytest.fixture(scope="module")
def falls(ops: Api) -> dict[str, Any]:
    return publish_definition(ops)


def scratch_left(engine: Engine) -> list[str]:
    """Scratch tables any other connection can see (on SQLite they are TEMPORARY: private to
    the connection that made them, so none is ever visible here)."""
    return sorted(name for name in inspect(engine).get_table_names() if name.startswith(SCRATCH_PREFIXES))


def several_episodes(world: World, falls: dict[str, Any], count: int, extra: str) -> Scenario:
    s = scenario(world, falls)
    rows = []
    for n in range(count):
        mbi = s.beneficiary()
        day = f"2027-0{1 + n % 9}-1{n % 10}"
        rows += [s.line(mbi, day), s.spend(mbi, day, extra)]
    s.upload(*rows)
    return s


def figures(settlement: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(settlement[name] for name in FIGURES)


def test_runs_at_the_same_time_see_only_their_own_rows(
    ops: Api, falls: dict[str, Any], engine: Engine
) -> None:
    scenarios = [
        several_episodes(World.create(ops), falls, count, extra)
        for count, extra in ((3, "200.00"), (5, "900.00"), (4, "1500.00"))
    ]
    alone = [figures(s.settle(status=201)) for s in scenarios]
    assert len(set(alone)) == 3  # different data, different figures
    barrier = threading.Barrier(2 * len(scenarios))

    def run(s: Scenario) -> dict[str, Any]:
        barrier.wait(timeout=30)
        # Identical inputs: each answers the draft it stored alone (200), after computing it all again.
        return dict(s.settle(status=200))

    with ThreadPoolExecutor(2 * len(scenarios)) as pool:
        together = list(pool.map(run, scenarios + scenarios))
    assert [figures(r) for r in together] == alone + alone
    assert scratch_left(engine) == []


def test_a_failed_run_leaves_no_scratch_table(
    world: World, falls: dict[str, Any], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = several_episodes(world, falls, 2, "300.00")

    def broken(*_: Any) -> Any:
        raise RuntimeError("settlement arithmetic failed")

    monkeypatch.setattr(math, "settle_episode", broken)
    failed = s.world.aco.post(
        f"/v1/arrangements/{s.arrangement_id}/settlements",
        json={"period_start": "2027-01-01", "period_end": "2027-12-31"},
    )
    assert failed.status_code == 500 and failed.headers["content-type"] == "application/problem+json"
    assert scratch_left(engine) == []
    monkeypatch.undo()
    assert expect(s.world.aco.get(f"/v1/arrangements/{s.arrangement_id}/settlements"), 200)["items"] == []
    assert s.settle()["n_episodes"] == 2
    assert scratch_left(engine) == []
