"""What every process does once before it touches the database: the app (``cara serve``), the
command line and the webhook worker all call :func:`bootstrap`.

- The audit domain's commit hook is installed, so that every session's noted changes
  (:mod:`service.kit.changes`) become hash-chained audit events in the same transaction.
- The analyses domain's target-price resolver is registered with the arrangements domain (a
  proposal may take its target price from an analysis; arrangements cannot import analyses).
- With a log level, logging is configured (JSON lines on stderr). The short-lived sessions of a
  CLI command leave logging as it is: their output is what they print.

:func:`run_with_session` is the one transaction of work done outside a request.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from service.analyses.pricing import resolve_target_price
from service.arrangements import target_prices
from service.audit import service as audit_service
from service.kit.db import Database
from service.kit.logging import configure_logging
from service.settings import Settings

T = TypeVar("T")


def bootstrap(*, log_level: str | None = None) -> None:
    """Idempotent: a second call changes nothing."""
    if log_level is not None:
        configure_logging(log_level)
    audit_service.install()
    target_prices.register(resolve_target_price)


def run_with_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Outside a request (the command line, tests): bootstrap, then run ``work`` in one committed
    transaction, as a request would."""
    bootstrap()

    async def runner() -> T:
        database = Database(settings.database_url, 2)
        try:
            async with database.sessionmaker() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await database.dispose()

    return asyncio.run(runner())
