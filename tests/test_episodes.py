"""Episode detection over HTTP (SPEC section 6): each trigger rule, non-overlap, window edges,
exclusions, the claims cutoff, cancelled and replaced lines, paging and tenancy."""

from __future__ import annotations

from typing import Any

import pytest

from tests.episode_data import publish_definition, scenario
from tests.factories import Api, World


@pytest.fixture(scope="module")
def falls(ops: Api) -> dict[str, Any]:
    return publish_definition(ops)


def test_a_trigger_line_opens_an_episode_with_its_spending(world: World, falls: dict[str, Any]) -> None:
    s = scenario(world, falls)
    mbi = s.beneficiary()
    s.upload(s.line(mbi, "2027-03-02", allowed_amount="142.10"), s.spend(mbi, "2027-04-01", "1000.00"))
    [episode] = s.episodes()
    assert episode["mbi"] == mbi
    assert episode["trigger_date"] == "2027-03-02"
    assert episode["end_date"] == "2027-05-30"  # day 89
    assert episode["status"] == "closed"
    assert episode["exclusion_reason"] is None
    assert episode["actual_spending"] == "1142.10"
