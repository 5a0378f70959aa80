"""A small in-process cache with a time to live and a bound on its size.

For answers that are costly to fetch on every request and may be a little stale, within a bound
stated by the caller (the verified API keys: service/access/auth.py). Entries expire
``ttl_seconds`` after they were stored, whatever happens meanwhile; beyond ``max_entries`` the
least recently used goes. One event loop uses it at a time (no lock needed: nothing awaits
inside).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    def __init__(
        self, *, ttl_seconds: float, max_entries: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._clock = clock
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if self._clock() >= expires:
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        if self.ttl_seconds <= 0:
            return
        self._entries[key] = (self._clock() + self.ttl_seconds, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def discard_where(self, predicate: Callable[[V], bool]) -> None:
        """Drop every entry whose value satisfies ``predicate``."""
        for key in [k for k, (_, v) in self._entries.items() if predicate(v)]:
            del self._entries[key]

    def __len__(self) -> int:
        return len(self._entries)
