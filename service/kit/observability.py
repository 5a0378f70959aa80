"""What every request leaves behind: its request id (the client's when well formed), the access
log line and the Prometheus metrics."""

from __future__ import annotations

import logging
import re
import secrets

from prometheus_client import Counter, Histogram
from starlette.types import Scope

log = logging.getLogger("cara.access")

REQUESTS = Counter("cara_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "cara_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}\Z")
_UNLOGGED = ("/healthz", "/metrics")


def request_id(headers: dict[bytes, bytes]) -> str:
    """The client's ``X-Request-ID`` when well formed, else a fresh one."""
    supplied = headers.get(b"x-request-id", b"").decode("latin-1")
    return supplied if _REQUEST_ID.match(supplied) else secrets.token_hex(8)


def observe(scope: Scope, status: int, elapsed: float) -> None:
    """Count and time the request by its route template; log it (health and metrics excepted)."""
    route = scope.get("route")
    route_path = getattr(route, "path", None) or "unmatched"
    method = scope.get("method", "")
    REQUESTS.labels(method, route_path, str(status)).inc()
    LATENCY.labels(method, route_path).observe(elapsed)
    if route_path not in _UNLOGGED:
        log.info(
            "request",
            extra={
                "method": method,
                "route": route_path,
                "status": status,
                "duration_ms": round(elapsed * 1000, 2),
            },
        )
