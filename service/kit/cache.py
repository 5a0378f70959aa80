"""A small in-process cache with a time to live and a bound on its size.

For answers that are costly to work out on every request: ones that may be a little stale, within
a bound stated by the caller (the verified API keys: service/access/auth.py), or ones whose key
names everything they depend on (the written arrangements: service/arrangements/views.py).
Entries expire ``ttl_seconds`` after they were stored, whatever happens meanwhile; beyond
``max_entries`` (or, given ``size_of``, beyond ``max_size`` in all) the least recently used go.
One event loop uses it at a time (no lock needed: nothing awaits inside but
:meth:`TtlCache.get_or_load`, whose concurrent misses of one key share one load).
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class TtlCache(Generic[K, V]):
    def __init__(
        self,
        *,
        ttl_seconds: float,
        max_entries: int,
        clock: Callable[[], float] = time.monotonic,
        size_of: Callable[[V], int] = lambda value: 0,
        max_size: int = 0,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self.max_size = max_size
        self._size_of = size_of
        self._size = 0  # of the values held, by size_of
        self._clock = clock
        self._entries: OrderedDict[K, tuple[float, V]] = OrderedDict()
        self._loading: dict[K, asyncio.Task[V | None]] = {}

    def get(self, key: K) -> V | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires, value = entry
        if self._clock() >= expires:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return value

    async def get_or_load(self, key: K, load: Callable[[], Awaitable[V | None]]) -> V | None:
        """The entry of ``key``, else what ``load`` gives (stored unless None). Requests that miss
        the same key while it loads wait for that one load instead of each starting their own:
        when a busy key's entry expires, dozens of requests in flight would otherwise all read
        the database at once, a burst that every one of them waits behind."""
        value = self.get(key)
        if value is not None:
            return value
        loading = self._loading.get(key)
        if loading is None:
            loading = asyncio.ensure_future(self._load(key, load))
            self._loading[key] = loading
        # Shielded: a waiter that goes away (its client hung up) does not cancel the others' load.
        return await asyncio.shield(loading)

    async def _load(self, key: K, load: Callable[[], Awaitable[V | None]]) -> V | None:
        try:
            value = await load()
            if value is not None:
                self.put(key, value)
            return value
        finally:
            del self._loading[key]

    def put(self, key: K, value: V) -> None:
        if self.ttl_seconds <= 0:
            return
        if key in self._entries:
            self._drop(key)
        self._entries[key] = (self._clock() + self.ttl_seconds, value)
        self._size += self._size_of(value)
        while len(self._entries) > self.max_entries or self._size > self.max_size > 0:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: K) -> None:
        _, value = self._entries.pop(key)
        self._size -= self._size_of(value)

    def discard_where(self, predicate: Callable[[V], bool]) -> None:
        """Drop every entry whose value satisfies ``predicate``."""
        for key in [k for k, (_, v) in self._entries.items() if predicate(v)]:
            self._drop(key)

    def __len__(self) -> int:
        return len(self._entries)
