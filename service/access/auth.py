"""Authentication (Bearer API key) and the typed authorisation dependency every route uses.

A route states who may call it in its signature, for example ``principal: OpsPrincipal``;
``require(...)`` records the allowed roles on the dependency so that a test can walk the route
table and fail on any route that makes no authorisation decision.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPBearer
from sqlalchemy import select

from service.access.models import ApiKey, Role
from service.kit.cache import TtlCache
from service.kit.changes import Actor
from service.kit.db import get_database
from service.kit.errors import Forbidden, Unauthorized

KEY_PREFIX = "cara_"


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller: one organisation acting with one key in one role."""

    org_id: str
    role: Role
    key_id: str

    @property
    def is_ops(self) -> bool:
        return self.role is Role.ops

    @property
    def actor(self) -> Actor:
        return Actor(org_id=self.org_id, key_id=self.key_id)

    def may_see(self, *org_ids: str | None) -> bool:
        """Ops sees everything; anyone else only what one of ``org_ids`` (the parties) is theirs."""
        return self.is_ops or self.org_id in org_ids


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


_UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Bearer realm="cara"'}


def _well_formed(token: str) -> bool:
    return token.startswith(KEY_PREFIX) and len(token) <= 200


async def verified_key(token: str, cache: KeyCache) -> Principal | None:
    """Who the API key ``token`` is, when it exists and is not revoked (None otherwise): the one
    check of a key, for authentication and for the idempotency middleware, which identifies the
    caller before the routes run. A verified key is trusted from ``cache`` (see ``KeyCache``)."""
    if not _well_formed(token):
        return None
    digest = hash_key(token)

    async def load() -> Principal | None:
        # One statement of its own (no session of the request's is opened for a cached key).
        async with get_database().single_statement() as session:
            key = await session.scalar(select(ApiKey).where(ApiKey.key_hash == digest))
        # The lookup is by a hash of a high-entropy key; the constant-time comparison keeps the
        # final check free of timing differences all the same.
        if key is None or not hmac.compare_digest(key.key_hash, digest) or key.revoked_at is not None:
            return None
        return Principal(org_id=key.organization_id, role=key.role, key_id=key.id)

    return await cache.get_or_load(digest, load)


# Verified keys (by the SHA-256 of the key) a process trusts for at most ``api_key_cache_seconds``
# (<= 1 s) without reading ``api_key`` again: a key revoked in any process is refused by every
# process within a second, because no entry outlives its second. The process that revokes a key
# forgets it at once (:func:`forget_key`). Unknown keys are never cached.
KeyCache = TtlCache[str, Principal]
KEY_CACHE_ENTRIES = 10_000


def key_cache(ttl_seconds: float) -> KeyCache:
    return TtlCache(ttl_seconds=ttl_seconds, max_entries=KEY_CACHE_ENTRIES)


def forget_key(request: Request, key_id: str) -> None:
    """This process stops trusting ``key_id`` now (its revocation)."""
    cache: KeyCache = request.app.state.api_keys
    cache.discard_where(lambda principal: principal.key_id == key_id)


class ApiKeyAuth(HTTPBearer):
    """The API key scheme of the OpenAPI document, and the whole check a route makes: the key
    authenticated (401 otherwise), the caller's rate limit counted, the role admitted (403
    otherwise). One dependency with the request as its only input, rather than a chain of three:
    FastAPI resolves each level of a chain on every request (5 % of a single read's instructions)."""

    def __init__(self, *roles: Role) -> None:
        super().__init__(
            auto_error=False,
            scheme_name="ApiKey",
            description="An API key issued by ops: `Authorization: Bearer cara_...`.",
        )
        self.allowed_roles = frozenset(roles)

    async def __call__(self, request: Request) -> Principal:  # type: ignore[override]
        credentials = await super().__call__(request)
        if credentials is None or credentials.scheme.lower() != "bearer":
            raise Unauthorized("send Authorization: Bearer <api key>", headers=_UNAUTHORIZED_HEADERS)
        token = credentials.credentials
        if not _well_formed(token):
            raise Unauthorized("malformed API key", headers=_UNAUTHORIZED_HEADERS)
        principal = await verified_key(token, request.app.state.api_keys)
        if principal is None:
            raise Unauthorized("unknown or revoked API key", headers=_UNAUTHORIZED_HEADERS)
        # Rate limits per key, counted once the caller is known (service/kit/ratelimit.py).
        await request.app.state.rate_limits.check(request, key_id=principal.key_id, role=principal.role.value)
        if principal.role not in self.allowed_roles:
            names = ", ".join(sorted(r.value for r in self.allowed_roles))
            raise Forbidden(
                f"this operation is for role(s) {names}; your key's role is {principal.role.value}"
            )
        return principal


def require(*roles: Role) -> ApiKeyAuth:
    """A dependency admitting only ``roles``; anyone else authenticated gets a 403."""
    return ApiKeyAuth(*roles)


AnyPrincipal = Annotated[Principal, Depends(require(Role.ops, Role.aco, Role.provider))]
OpsPrincipal = Annotated[Principal, Depends(require(Role.ops))]
AcoPrincipal = Annotated[Principal, Depends(require(Role.aco))]
PartyPrincipal = Annotated[Principal, Depends(require(Role.aco, Role.provider))]
