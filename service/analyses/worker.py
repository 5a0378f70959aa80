"""``cara worker``'s second job: run the episode analyses nobody started.

An analysis normally runs in the process that accepted it, right after the 202 (a background
task of the request). If that process stopped first, the analysis stays ``queued``; the worker
runs those older than :data:`~service.analyses.service.ABANDONED_AFTER`, one at a time, claiming
each with the same conditional update, so an analysis runs once whichever process gets it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from service.analyses import service
from service.kit.db import Database

log = logging.getLogger("cara.analyses")

POLL_SECONDS = 5.0


async def run_once(database: Database, *, limit: int = 10) -> int:
    """Run up to ``limit`` abandoned analyses; returns how many were found."""
    found = await service.abandoned(database, limit=limit)
    for analysis_id in found:
        await service.execute(database, analysis_id)
    return len(found)


async def run_worker(database: Database, *, stop: asyncio.Event, poll_seconds: float = POLL_SECONDS) -> None:
    """Run passes until ``stop`` is set, sleeping ``poll_seconds`` after a pass that found none."""
    log.info("analysis worker started")
    while not stop.is_set():
        try:
            found = await run_once(database)
        except Exception:
            log.exception("analysis worker pass failed; retrying")
            found = 0
        if found == 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), poll_seconds)
    log.info("analysis worker stopped")
