"""Who a bearer token is, for plumbing that runs before the routes (the idempotency middleware):
the same check as :func:`service.access.auth.authenticate`, in a session of its own."""

from __future__ import annotations

import hmac

from sqlalchemy import select

from service.access.auth import KEY_PREFIX, hash_key
from service.access.models import ApiKey
from service.kit.db import get_database


async def live_key_id(token: str) -> str | None:
    """The id of the API key ``token`` when it exists and is not revoked; otherwise None."""
    if not token.startswith(KEY_PREFIX) or len(token) > 200:
        return None
    digest = hash_key(token)
    async with get_database().sessionmaker() as session:
        key = await session.scalar(select(ApiKey).where(ApiKey.key_hash == digest))
    if key is None or not hmac.compare_digest(key.key_hash, digest) or key.revoked_at is not None:
        return None
    return key.id
