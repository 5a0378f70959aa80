"""Opaque, time-ordered ids for every stored row (``arr_01J...``, ``stl_01J...``)."""

from __future__ import annotations

import secrets
import time

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_id(prefix: str) -> str:
    """A time-ordered opaque id (ULID layout: 48-bit milliseconds + 80 random bits), e.g. ``arr_01J...``.

    Ordering by id is ordering by creation, which keeps cursor pagination stable and cheap. The
    milliseconds are the real time, not :mod:`service.kit.clock` (which tests may freeze): ids made
    one after the other must still sort one after the other.
    """
    value = (time.time_ns() // 1_000_000) << 80 | secrets.randbits(80)
    chars = []
    for _ in range(26):
        chars.append(_CROCKFORD[value & 31])
        value >>= 5
    return f"{prefix}_{''.join(reversed(chars))}"
