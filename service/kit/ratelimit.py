"""Rate limits per API key, with the ``limits`` library.

Each key has a budget of requests per minute set by its role, and a separate budget for uploads
(streamed bodies are costly, so a burst of them should not starve the key's other calls, nor
the other way round). The window slides: a sliding-window counter (this minute's count plus the
previous minute's weighted by how much of it is still inside the last 60 s) approximates the
moving minute in constant time and memory per key, where a log of every request of the minute
(the moving window) grows with a busy key's traffic and is copied on every request. Counters
live in memory for one process or, when ``CARA_REDIS_URL`` is set, in Redis, so that every
process serving the API shares one budget per key.

:meth:`RateLimits.check` runs right after authentication (the access dependency calls it). Over
the budget, it raises a 429 problem with ``Retry-After``; every authenticated response carries
``RateLimit-Limit``, ``RateLimit-Remaining`` and ``RateLimit-Reset`` (seconds), added by
:class:`RateLimitHeaders`. If Redis cannot be reached, requests pass (and a warning is logged):
an outage of the counter store must not become an outage of the API.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from limits import RateLimitItemPerMinute
from limits.aio.storage import Storage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from limits.storage import storage_from_string
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.kit.errors import Problem

log = logging.getLogger("cara.ratelimit")

STATE_KEY = "cara.rate_limit_headers"


class TooManyRequests(Problem):
    status, slug, title = 429, "rate-limited", "Too many requests"


@dataclass(frozen=True, slots=True)
class Budget:
    """Requests a minute for each role, and for uploads whatever the role."""

    per_role: Mapping[str, int]
    uploads: int


class RateLimits:
    def __init__(self, budget: Budget, *, redis_url: str | None, is_upload: Callable[[str], bool]) -> None:
        self.budget = budget
        self.redis_url = redis_url
        self.is_upload = is_upload
        # Storages hold event-loop-bound locks and connections: one per loop (a test may run
        # the same app under several).
        self._limiters: dict[asyncio.AbstractEventLoop, SlidingWindowCounterRateLimiter] = {}

    @property
    def storage_uri(self) -> str:
        if self.redis_url:
            return "async+" + self.redis_url if not self.redis_url.startswith("async+") else self.redis_url
        return "async+memory://"

    def _limiter(self) -> SlidingWindowCounterRateLimiter:
        loop = asyncio.get_running_loop()
        limiter = self._limiters.get(loop)
        if limiter is None:
            options: dict[str, str] = (
                {"implementation": "redispy", "key_prefix": "cara-rate"} if self.redis_url else {}
            )
            storage = storage_from_string(self.storage_uri, **options)
            assert isinstance(storage, Storage)
            limiter = SlidingWindowCounterRateLimiter(storage)
            live = {k: v for k, v in self._limiters.items() if not k.is_closed()}
            self._limiters = {**live, loop: limiter}
        return limiter

    async def check(self, request: Request, *, key_id: str, role: str) -> None:
        upload = request.method == "POST" and self.is_upload(request.url.path)
        allowed_per_minute = self.budget.uploads if upload else self.budget.per_role[role]
        item = RateLimitItemPerMinute(allowed_per_minute, namespace="uploads" if upload else "requests")
        limiter = self._limiter()
        try:
            allowed = await limiter.hit(item, key_id)
            stats = await limiter.get_window_stats(item, key_id)
        except Exception as exc:  # the counter store is down: let the request through
            log.warning("rate limit store unavailable (%s): request not counted", type(exc).__name__)
            return
        reset = max(0, math.ceil(stats.reset_time - time.time()))
        headers = {
            "RateLimit-Limit": str(allowed_per_minute),
            "RateLimit-Remaining": str(stats.remaining),
            "RateLimit-Reset": str(reset),
        }
        request.scope.setdefault("state", {})[STATE_KEY] = headers
        if not allowed:
            kind = "uploads" if upload else "requests"
            raise TooManyRequests(
                f"this API key may make {allowed_per_minute} {kind} a minute; retry in {max(1, reset)} s",
                headers={**headers, "Retry-After": str(max(1, reset))},
            )


class RateLimitHeaders:
    """Adds the ``RateLimit-*`` headers that :meth:`RateLimits.check` left for this request."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state: dict[str, object] = scope.setdefault("state", {})

        async def send_with_headers(message: Message) -> None:
            headers = state.get(STATE_KEY)
            if message["type"] == "http.response.start" and isinstance(headers, dict):
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [
                    (name.lower().encode(), value.encode())
                    for name, value in headers.items()
                    if name.lower().encode() not in present
                ]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
