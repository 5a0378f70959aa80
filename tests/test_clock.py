"""The one clock (service.kit.clock): UTC, and replaceable in tests."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from service.kit import clock
from tests.support.episode_data import execute, publish_definition
from tests.support.factories import World, expect


def test_the_clock_is_utc_and_can_be_frozen() -> None:
    assert clock.utcnow().tzinfo is not None and clock.utcnow().utcoffset() == timedelta(0)
    assert abs(clock.utcnow() - datetime.now(UTC)) < timedelta(seconds=5)
    late_evening_in_new_york = datetime(2027, 3, 1, 22, 30, tzinfo=timezone(timedelta(hours=-5)))
    with clock.frozen(late_evening_in_new_york):
        assert clock.utcnow() == datetime(2027, 3, 2, 3, 30, tzinfo=UTC)
        assert clock.today() == date(2027, 3, 2)  # already the next day in UTC
        with clock.frozen(date(2030, 1, 1)):
            assert clock.utcnow() == datetime(2030, 1, 1, tzinfo=UTC)
        assert clock.today() == date(2027, 3, 2)  # the outer moment again
    assert clock.today() == datetime.now(UTC).date()
    with pytest.raises(ValueError), clock.frozen(datetime(2027, 1, 1)):
        pass


def test_whether_an_arrangement_is_active_follows_the_clock(world: World) -> None:
    with clock.frozen(datetime(2027, 6, 1, 9, 30, tzinfo=UTC)):
        arrangement_id = execute(world, publish_definition(world.ops), ("2027-01-01", "2027-12-31"))
        path = f"/v1/arrangements/{arrangement_id}"
        current = expect(world.aco.get(path), 200)
        assert current["active"] is True
        assert current["created_at"].startswith("2027-06-01T09:30:00")  # stored timestamps too
    with clock.frozen(datetime(2027, 12, 31, 23, 59, tzinfo=UTC)):
        assert expect(world.aco.get(path), 200)["active"] is True
    with clock.frozen(date(2028, 1, 1)):
        assert expect(world.aco.get(path), 200)["active"] is False
