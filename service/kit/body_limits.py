"""Limits on request bodies: a declared or streamed size beyond the limit (413), JSON nested too
deep or holding NUL (422), a body that stops arriving (408). Upload routes that stream enforce
their own, larger limit while they stream (``is_streaming_path``)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.kit.errors import PayloadTooLarge, Problem, RequestTimeout, Unprocessable

BODYLESS = ("GET", "HEAD", "OPTIONS", "DELETE")


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


def nul_problem() -> Problem:
    # PostgreSQL text cannot hold NUL; refused up front so that every database answers alike.
    return Unprocessable("text must not contain NUL (0x00) characters")


def declared_too_large(
    scope: Scope, headers: dict[bytes, bytes], *, max_bytes: int, is_streaming_path: Callable[[str], bool]
) -> Problem | None:
    """Reject a declared oversized body before anything reads it (streaming routes excepted)."""
    if scope.get("method") in BODYLESS or is_streaming_path(scope["path"]):
        return None
    length = headers.get(b"content-length")
    if length is not None and length.isdigit() and int(length) > max_bytes:
        return PayloadTooLarge(f"bodies are limited to {max_bytes} bytes")
    return None


def nul_in_url(scope: Scope) -> bool:
    return "\x00" in scope["path"] or b"%00" in scope.get("query_string", b"")


def timed_receive(receive: Receive, timeout: float, stalled: dict[str, bool]) -> Receive:
    """``receive`` that gives up after ``timeout`` seconds without a message (``stalled["body"]``)."""

    async def timed() -> Message:
        try:
            return await asyncio.wait_for(receive(), timeout)
        except TimeoutError:
            # The client stopped sending; treat it like a dropped connection.
            stalled["body"] = True
            return {"type": "http.disconnect"}

    return timed


def replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands the app ``body`` (already read) once, then what the client sends."""
    replayed = False

    async def replay_body() -> Message:
        nonlocal replayed
        if not replayed:
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay_body


async def send_body_timeout(send: Send, waited: float) -> None:
    await RequestTimeout(f"nothing of the request body arrived for {waited:g} s").send(send, close=True)


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
            or scope.get("method") in BODYLESS
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
            await nul_problem().send(send)
            return
        if json_depth_exceeds(body, self.max_json_depth):
            await Unprocessable(f"JSON nested deeper than {self.max_json_depth} levels").send(send)
            return
        await self.app(scope, replay(body, receive), send)
