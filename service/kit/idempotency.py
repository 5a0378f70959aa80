"""``Idempotency-Key`` for POST (IETF draft-ietf-httpapi-idempotency-key-header).

The same key and the same request within the TTL replays the first response (same status and
body, plus ``Idempotent-Replayed: true``); the same key with a different request is a 422; a
request still running under that key is a 409. Keys are scoped to the API key that sent them
(a hash of it: the key itself is never stored), so tenants cannot collide or probe each other.
A 5xx response is not stored, so the client may retry.

Streaming uploads are not buffered here: their own content hash makes a re-sent upload a no-op.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Integer, LargeBinary, String, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.kit.clock import utcnow
from service.kit.context import request_id_var
from service.kit.db import Base, UTCDateTime, get_database
from service.kit.ids import new_id

IN_PROGRESS = "in_progress"
COMPLETED = "completed"
STALE_LOCK = timedelta(minutes=5)


class IdempotencyRecord(Base):
    __tablename__ = "idempotency_record"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    scope: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    response_status: Mapped[int | None] = mapped_column(Integer)
    response_headers: Mapped[str | None] = mapped_column(String)
    response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


def _problem(send: Send, status: int, slug: str, title: str, detail: str) -> Any:
    body = json.dumps(
        {
            "type": "https://cara-service.org/problems/" + slug,
            "title": title,
            "status": status,
            "detail": detail,
            "request_id": request_id_var.get(),
        }
    ).encode()

    async def _send() -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    return _send()


_REPLAYED_HEADERS = {b"content-type", b"etag", b"location"}


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, *, ttl: timedelta, is_streaming_path: Callable[[str], bool]) -> None:
        self.app = app
        self.ttl = ttl
        self.is_streaming_path = is_streaming_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or self.is_streaming_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        raw_key = headers.get(b"idempotency-key")
        authorization = headers.get(b"authorization")
        if raw_key is None or authorization is None:
            await self.app(scope, receive, send)
            return
        key = raw_key.decode("latin-1").strip()
        if not 1 <= len(key) <= 255:
            await _problem(
                send,
                422,
                "validation-error",
                "The request is invalid",
                "Idempotency-Key must be 1 to 255 characters",
            )
            return

        body = await _read_body(receive)
        if body is None:
            return
        key_scope = hashlib.sha256(authorization).hexdigest()
        fingerprint = hashlib.sha256(
            b"\n".join([scope["path"].encode(), scope.get("query_string", b""), body])
        ).hexdigest()

        outcome = await self._claim(key_scope, key, fingerprint)
        if isinstance(outcome, IdempotencyRecord):
            await _replay(send, outcome)
            return
        if outcome == "conflict":
            await _problem(
                send,
                409,
                "idempotency-in-progress",
                "Request already in progress",
                "a request with this Idempotency-Key is still being processed; retry later",
            )
            return
        if outcome == "mismatch":
            await _problem(
                send,
                422,
                "idempotency-key-reused",
                "Idempotency-Key reused",
                "this Idempotency-Key was used with a different request body",
            )
            return

        record_id = outcome
        captured: dict[str, Any] = {"status": 500, "headers": [], "body": []}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = message.get("headers", [])
            elif message["type"] == "http.response.body":
                captured["body"].append(message.get("body", b""))
            await send(message)

        replayed = False

        async def replay_body() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        try:
            await self.app(scope, replay_body, capture)
        except BaseException:
            await self._release(record_id)
            raise
        if captured["status"] >= 500:
            await self._release(record_id)
        else:
            await self._complete(record_id, captured)

    async def _claim(self, key_scope: str, key: str, fingerprint: str) -> IdempotencyRecord | str:
        now = utcnow()
        async with get_database().sessionmaker() as session:
            existing = await session.scalar(
                select(IdempotencyRecord).where(
                    IdempotencyRecord.scope == key_scope, IdempotencyRecord.key == key
                )
            )
            if existing is not None:
                stale = existing.state == IN_PROGRESS and existing.created_at < now - STALE_LOCK
                if existing.expires_at <= now or stale:
                    await session.delete(existing)
                    await session.flush()
                elif existing.request_hash != fingerprint:
                    return "mismatch"
                elif existing.state == COMPLETED:
                    return existing
                else:
                    return "conflict"
            record = IdempotencyRecord(
                id=new_id("idem"),
                scope=key_scope,
                key=key,
                request_hash=fingerprint,
                state=IN_PROGRESS,
                created_at=now,
                expires_at=now + self.ttl,
            )
            session.add(record)
            try:
                await session.commit()
            except IntegrityError:
                return "conflict"
            return record.id

    async def _complete(self, record_id: str, captured: dict[str, Any]) -> None:
        kept = [
            [k.decode("latin-1"), v.decode("latin-1")]
            for k, v in captured["headers"]
            if k.lower() in _REPLAYED_HEADERS
        ]
        async with get_database().sessionmaker() as session:
            record = await session.get(IdempotencyRecord, record_id)
            if record is None:
                return
            record.state = COMPLETED
            record.response_status = captured["status"]
            record.response_headers = json.dumps(kept)
            record.response_body = b"".join(captured["body"])
            await session.commit()

    async def _release(self, record_id: str) -> None:
        async with get_database().sessionmaker() as session:
            await session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))
            await session.commit()


async def _read_body(receive: Receive) -> bytes | None:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _replay(send: Send, record: IdempotencyRecord) -> None:
    body = record.response_body or b""
    headers = [
        (k.encode("latin-1"), v.encode("latin-1")) for k, v in json.loads(record.response_headers or "[]")
    ]
    headers += [(b"content-length", str(len(body)).encode()), (b"idempotent-replayed", b"true")]
    await send({"type": "http.response.start", "status": record.response_status or 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def purge_expired() -> int:
    """Delete records past their TTL (run by the worker; also safe to run any time)."""
    async with get_database().sessionmaker() as session:
        result = await session.execute(
            delete(IdempotencyRecord).where(IdempotencyRecord.expires_at <= utcnow())
        )
        await session.commit()
        return int(getattr(result, "rowcount", 0) or 0)
