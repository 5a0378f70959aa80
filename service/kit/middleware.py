"""One pure-ASGI middleware for what every request needs, composed of the rooms beside it:
request id, access log and metrics (``observability``), security headers (``security_headers``),
body limits and read timeouts (``body_limits``), and the rendering of an unexpected error.

Pure ASGI (not ``BaseHTTPMiddleware``) so that streaming uploads stay streamed and the per-request
overhead stays small.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.kit import body_limits, observability
from service.kit.context import request_id_var
from service.kit.security_headers import SecurityHeaders


class ServiceMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body_bytes: int,
        body_read_timeout: float,
        is_streaming_path: Callable[[str], bool],
        error_response: Callable[[Request, Exception], Awaitable[Response]],
        security_headers: SecurityHeaders | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_read_timeout = body_read_timeout
        self.is_streaming_path = is_streaming_path
        self.error_response = error_response
        self.security_headers = security_headers or SecurityHeaders()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        headers = dict(scope.get("headers") or [])
        request_id = observability.request_id(headers)
        token = request_id_var.set(request_id)
        path: str = scope["path"]
        status_holder = {"status": 500}
        started_response = {"sent": False}
        extra_headers = [
            *self.security_headers.policy(path),
            (b"x-request-id", request_id.encode()),
            *self.security_headers.caching(path),
        ]
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
            rejection = body_limits.declared_too_large(
                scope, headers, max_bytes=self.max_body_bytes, is_streaming_path=self.is_streaming_path
            )
            if rejection is None and body_limits.nul_in_url(scope):
                rejection = body_limits.nul_problem()
            if rejection is not None:
                await rejection.send(send_wrapper)
                return
            try:
                timed = body_limits.timed_receive(receive, self.body_read_timeout, stalled)
                await self.app(scope, timed, send_wrapper)
            except Exception as exc:
                # Rendered here, inside this middleware, so the 500/503 problem gets the
                # request id and security headers like every other response.
                if started_response["sent"]:
                    raise
                if stalled["body"]:
                    await body_limits.send_body_timeout(send_wrapper, self.body_read_timeout)
                    return
                response = await self.error_response(Request(scope), exc)
                await response(scope, receive, send_wrapper)
            else:
                # The app gave up on a body that stopped arriving without answering (it saw a
                # disconnect): answer 408 and close, rather than leave the server to invent a 500.
                if stalled["body"] and not started_response["sent"]:
                    await body_limits.send_body_timeout(send_wrapper, self.body_read_timeout)
        finally:
            observability.observe(scope, status_holder["status"], time.perf_counter() - started)
            request_id_var.reset(token)
