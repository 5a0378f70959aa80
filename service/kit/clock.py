"""The one clock: what time and what day it is, always in UTC.

Every timestamp the service stores (created, signed, published, delivered ...) and every "today"
it decides by (whether an arrangement is active, the default claims cutoff, the default start of
a CCLF delivery's alignment) comes from here, so that a day is the same day everywhere and does
not depend on the server's time zone.

Tests replace the clock with :func:`frozen` (a context manager): inside it, :func:`utcnow` and
:func:`today` answer the given moment, in every thread (the in-process test client serves
requests on another thread).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time

_source: Callable[[], datetime] | None = None


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    if _source is not None:
        return _source()
    return datetime.now(UTC)


def today() -> date:
    """The current date in UTC."""
    return utcnow().date()


@contextlib.contextmanager
def frozen(moment: datetime | date) -> Iterator[None]:
    """Make the clock answer ``moment`` (a date means its midnight UTC) until the block ends."""
    global _source
    if not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(0), tzinfo=UTC)
    if moment.tzinfo is None:
        raise ValueError("a frozen moment must be timezone-aware")
    fixed = moment.astimezone(UTC)
    previous, _source = _source, lambda: fixed
    try:
        yield
    finally:
        _source = previous
