"""One pure-ASGI middleware for what every request needs: request id, security headers, body
limits and read timeouts, the access log and Prometheus metrics.

Pure ASGI (not ``BaseHTTPMiddleware``) so that streaming uploads stay streamed and the per-request
overhead stays small.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import time
from collections.abc import Awaitable, Callable

from prometheus_client import Counter, Histogram
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.kit.context import request_id_var
from service.kit.errors import PayloadTooLarge, Problem, RequestTimeout, Unprocessable

log = logging.getLogger("cara.access")

REQUESTS = Counter("cara_http_requests_total", "HTTP requests", ["method", "route", "status"])
LATENCY = Histogram(
    "cara_http_request_duration_seconds",
    "HTTP request latency",
    ["method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}\Z")

_API_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"strict-transport-security", b"max-age=63072000; includeSubDomains"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
_CSP_API = b"default-src 'none'; frame-ancestors 'none'"
# The docs page runs Swagger UI's script and styles from this service only (no CDN).
_CSP_DOCS = (
    b"default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
)
# The arrangement document is self-contained HTML: inline styles, nothing else.
_CSP_DOCUMENT = b"default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """True when brackets nest deeper than ``limit`` outside strings (checked before parsing)."""
    depth = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return True
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return False


def json_has_nul(body: bytes) -> bool:
    """True when a JSON string holds a NUL character (the escape ``\\u0000``)."""
    start = body.find(b"\\u0000")
    while start >= 0:
        backslashes, i = 0, start
        while i >= 0 and body[i] == 0x5C:  # backslash
            backslashes += 1
            i -= 1
        if backslashes % 2 == 1:  # the escape itself, not an escaped backslash before "u0000"
            return True
        start = body.find(b"\\u0000", start + 1)
    return False


def _nul_problem() -> Problem:
    # PostgreSQL text cannot hold NUL; refused up front so that every database answers alike.
    return Unprocessable("text must not contain NUL (0x00) characters")


class ServiceMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        body_read_timeout: float,
        is_streaming_path: Callable[[str], bool],
        error_response: Callable[[Request, Exception], Awaitable[Response]],
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_read_timeout = body_read_timeout
        self.is_streaming_path = is_streaming_path
        self.error_response = error_response

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        supplied = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = supplied if _REQUEST_ID.match(supplied) else secrets.token_hex(8)
        token = request_id_var.set(request_id)
        path: str = scope["path"]
        status_holder = {"status": 500}
        started_response = {"sent": False}
        extra_headers = self._headers_for(path, request_id)
        stalled = {"body": False}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                started_response["sent"] = True
                status_holder["status"] = message["status"]
                existing = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in extra_headers if k not in existing
                ]
            await send(message)

        try:
            rejection = self._check_length(scope, headers, path)
            if rejection is None and ("\x00" in path or b"%00" in scope.get("query_string", b"")):
                rejection = _nul_problem()
            if rejection is not None:
                await rejection.send(send_wrapper)
                return
            try:
                await self.app(scope, self._timed_receive(receive, stalled), send_wrapper)
            except Exception as exc:
                # Rendered here, inside this middleware, so the 500/503 problem gets the
                # request id and security headers like every other response.
                if started_response["sent"]:
                    raise
                if stalled["body"]:
                    await self._send_body_timeout(send_wrapper)
                    return
                response = await self.error_response(Request(scope), exc)
                await response(scope, receive, send_wrapper)
            else:
                # The app gave up on a body that stopped arriving without answering (it saw a
                # disconnect): answer 408 and close, rather than leave the server to invent a 500.
                if stalled["body"] and not started_response["sent"]:
                    await self._send_body_timeout(send_wrapper)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            route_path = getattr(route, "path", None) or "unmatched"
            method = scope.get("method", "")
            status = status_holder["status"]
            REQUESTS.labels(method, route_path, str(status)).inc()
            LATENCY.labels(method, route_path).observe(elapsed)
            if route_path not in ("/healthz", "/metrics"):
                log.info(
                    "request",
                    extra={
                        "method": method,
                        "route": route_path,
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                    },
                )
            request_id_var.reset(token)

    def _headers_for(self, path: str, request_id: str) -> list[tuple[bytes, bytes]]:
        if path.startswith("/docs") or path.startswith("/static/docs"):
            csp = _CSP_DOCS
        elif path.endswith("/document"):
            csp = _CSP_DOCUMENT
        else:
            csp = _CSP_API
        out = [*_API_HEADERS, (b"content-security-policy", csp), (b"x-request-id", request_id.encode())]
        if path.startswith("/v1/"):
            out.append((b"cache-control", b"no-store"))
        return out

    def _timed_receive(self, receive: Receive, stalled: dict[str, bool]) -> Receive:
        timeout = self.body_read_timeout

        async def timed() -> Message:
            try:
                return await asyncio.wait_for(receive(), timeout)
            except TimeoutError:
                # The client stopped sending; treat it like a dropped connection.
                stalled["body"] = True
                return {"type": "http.disconnect"}

        return timed

    async def _send_body_timeout(self, send: Send) -> None:
        problem = RequestTimeout(f"nothing of the request body arrived for {self.body_read_timeout:g} s")
        await problem.send(send, close=True)

    def _check_length(self, scope: Scope, headers: dict[bytes, bytes], path: str) -> Problem | None:
        """Reject a declared oversized body before anything reads it.

        Streaming upload routes enforce their own (larger) limit while they stream.
        """
        if scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE") or self.is_streaming_path(path):
            return None
        length = headers.get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body_bytes:
            return PayloadTooLarge(f"bodies are limited to {self.max_body_bytes} bytes")
        return None


class JsonBodyGuard:
    """Inside ServiceMiddleware: buffers a non-upload body up to the limit (413 beyond it, also
    for chunked bodies without Content-Length), rejects JSON nested deeper than allowed (422),
    then replays the body to the app."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        max_json_depth: int,
        is_streaming_path: Callable[[str], bool],
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.max_json_depth = max_json_depth
        self.is_streaming_path = is_streaming_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE")
            or self.is_streaming_path(scope["path"])
        ):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await PayloadTooLarge(f"bodies are limited to {self.max_body_bytes} bytes").send(send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if json_has_nul(body):
            await _nul_problem().send(send)
            return
        if json_depth_exceeds(body, self.max_json_depth):
            await Unprocessable(f"JSON nested deeper than {self.max_json_depth} levels").send(send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
