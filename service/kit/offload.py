"""CPU-bound work off the event loop.

One event loop serves every request of a process (and the in-process webhook worker): anything
that computes for more than a few milliseconds (decompressing, splitting and parsing an upload,
validating its rows, reading a CCLF file) runs in a worker thread instead, so that ``/healthz``
and every other request keep being answered while an upload is read. The loop still does the
I/O (receiving the body, writing to the database).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from itertools import islice
from typing import TypeVar

from anyio import to_thread

T = TypeVar("T")

# Items taken from a synchronous iterator per trip to the worker thread.
BATCH = 2000


async def run(function: Callable[..., T], *args: object) -> T:
    """``function(*args)`` in a worker thread; exceptions propagate to the caller."""
    return await to_thread.run_sync(function, *args)


def _take(items: Iterator[T], count: int) -> list[T]:
    return list(islice(items, count))


async def iterate(items: Iterator[T], *, batch: int = BATCH) -> AsyncIterator[T]:
    """The items of a synchronous iterator, produced ``batch`` at a time in a worker thread.

    The iterator is advanced by one thread at a time, never concurrently.
    """
    while True:
        chunk = await to_thread.run_sync(_take, items, batch)
        if not chunk:
            return
        for item in chunk:
            yield item
