"""``Idempotency-Key`` for POST (IETF draft-ietf-httpapi-idempotency-key-header).

The same key and the same request within the TTL replays the first response (same status and
body, plus ``Idempotent-Replayed: true``); the same key with a different request is a 422; a
request still running under that key is a 409.

Who the caller is comes from authentication, not from the raw header: ``identify`` (given by
the app, from the access domain) turns the bearer token into the id of a live API key. A request
without one (no key, an unknown or revoked key) goes through untouched: it is answered 401 and
nothing is stored, and a revoked key can never replay what it stored before. ``Bearer`` and
``bearer`` are the same caller.

Only successful (2xx) responses are stored. A refused request (401, 403, 404, 409, 412, 422, ...)
or a 5xx releases the key, so the client may fix the request or its precondition and retry with
the same key. The response is stored before it is sent, so an immediate retry replays it rather
than meeting a 409 "in progress".

No secret is stored in clear: the stored body (which may hold a webhook signing secret or a newly
issued API key) is encrypted with AES-256-GCM under a key derived from the caller's own API key
(HMAC-SHA256 of the bearer token), which the service never stores. Only the caller, presenting
the same key again, can have it decrypted; a database dump reveals nothing.

Streaming uploads are not buffered here: their own content hash makes a re-sent upload a no-op.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from fastapi.security.utils import get_authorization_scheme_param
from sqlalchemy import Integer, LargeBinary, String, UniqueConstraint, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.kit.body_limits import replay
from service.kit.clock import utcnow
from service.kit.db import Base, UTCDateTime, get_database
from service.kit.errors import Conflict, Unprocessable
from service.kit.ids import new_id

IN_PROGRESS = "in_progress"
COMPLETED = "completed"
STALE_LOCK = timedelta(minutes=5)
_NONCE_BYTES = 12
_KEY_CONTEXT = b"cara idempotency response v1"

# The id of the live API key a bearer token is, or None (unknown, malformed, revoked).
Identify = Callable[[str], Awaitable[str | None]]


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


class IdempotencyUnreadable(Conflict):
    slug, title = "idempotency-unreadable", "Stored response unreadable"


class IdempotencyInProgress(Conflict):
    slug, title = "idempotency-in-progress", "Request already in progress"


class IdempotencyKeyReused(Unprocessable):
    slug, title = "idempotency-key-reused", "Idempotency-Key reused"


_REPLAYED_HEADERS = {b"content-type", b"etag", b"location"}


class IdempotencyMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        ttl: timedelta,
        is_streaming_path: Callable[[str], bool],
        identify: Identify,
    ) -> None:
        self.app = app
        self.ttl = ttl
        self.is_streaming_path = is_streaming_path
        self.identify = identify

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") != "POST" or self.is_streaming_path(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        raw_key = headers.get(b"idempotency-key")
        if raw_key is None:
            await self.app(scope, receive, send)
            return
        key = raw_key.decode("latin-1").strip()
        if not 1 <= len(key) <= 255:
            await Unprocessable("Idempotency-Key must be 1 to 255 characters").send(send)
            return
        scheme, token = get_authorization_scheme_param(headers.get(b"authorization", b"").decode("latin-1"))
        key_id = await self.identify(token) if scheme.lower() == "bearer" and token else None
        if key_id is None:
            # Not authenticated: the app answers 401; nothing is stored or replayed.
            await self.app(scope, receive, send)
            return

        body = await _read_body(receive)
        if body is None:
            return
        fingerprint = hashlib.sha256(
            b"\n".join([scope["path"].encode(), scope.get("query_string", b""), body])
        ).hexdigest()
        sealing = _Sealing(token, key_id, key)

        outcome = await self._claim(key_id, key, fingerprint)
        if isinstance(outcome, IdempotencyRecord):
            opened = sealing.open(outcome.response_body or b"")
            if opened is None:
                await IdempotencyUnreadable(
                    "the response stored for this Idempotency-Key cannot be decrypted; use a new key"
                ).send(send)
                return
            await _replay(send, outcome, opened)
            return
        if outcome == "conflict":
            await IdempotencyInProgress(
                "a request with this Idempotency-Key is still being processed; retry later"
            ).send(send)
            return
        if outcome == "mismatch":
            await IdempotencyKeyReused("this Idempotency-Key was used with a different request body").send(
                send
            )
            return

        record_id = outcome
        captured: dict[str, Any] = {"start": None, "body": []}

        async def capture(message: Message) -> None:
            # Held back until the response is complete and its fate (stored or released) decided.
            if message["type"] == "http.response.start":
                captured["start"] = message
            elif message["type"] == "http.response.body":
                captured["body"].append(message.get("body", b""))

        try:
            await self.app(scope, replay(body, receive), capture)
        except BaseException:
            await self._release(record_id)
            raise
        start = captured["start"]
        content = b"".join(captured["body"])
        if start is None:
            await self._release(record_id)
            return
        if 200 <= start["status"] < 300:
            await self._complete(record_id, start, sealing.seal(content))
        else:
            await self._release(record_id)
        await send(start)
        await send({"type": "http.response.body", "body": content})

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

    async def _complete(self, record_id: str, start: Message, sealed: bytes) -> None:
        kept = [
            [k.decode("latin-1"), v.decode("latin-1")]
            for k, v in start.get("headers", [])
            if k.lower() in _REPLAYED_HEADERS
        ]
        async with get_database().sessionmaker() as session:
            record = await session.get(IdempotencyRecord, record_id)
            if record is None:
                return
            record.state = COMPLETED
            record.response_status = start["status"]
            record.response_headers = json.dumps(kept)
            record.response_body = sealed
            await session.commit()

    async def _release(self, record_id: str) -> None:
        async with get_database().sessionmaker() as session:
            await session.execute(delete(IdempotencyRecord).where(IdempotencyRecord.id == record_id))
            await session.commit()


class _Sealing:
    """AES-256-GCM under a key derived from the caller's bearer token (never stored), bound to
    the record's scope and key so that a sealed body cannot be moved to another record."""

    def __init__(self, token: str, key_scope: str, key: str) -> None:
        derived = hmac.new(token.encode(), _KEY_CONTEXT, hashlib.sha256).digest()
        self.cipher = AESGCM(derived)
        self.associated = f"{key_scope}\n{key}".encode()

    def seal(self, body: bytes) -> bytes:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        return nonce + self.cipher.encrypt(nonce, body, self.associated)

    def open(self, sealed: bytes) -> bytes | None:
        try:
            return self.cipher.decrypt(sealed[:_NONCE_BYTES], sealed[_NONCE_BYTES:], self.associated)
        except (InvalidTag, ValueError):
            return None


async def _read_body(receive: Receive) -> bytes | None:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _replay(send: Send, record: IdempotencyRecord, body: bytes) -> None:
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
