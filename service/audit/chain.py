"""The audit chain: each event carries the SHA-256 of the previous one.

``event_hash`` is the one definition of an event's hash; the writer and the verifier both use it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS_HASH = "0" * 64


def event_hash(
    *,
    prev_hash: str,
    seq: int,
    event_id: str,
    occurred_at: datetime,
    actor_org_id: str | None,
    actor_key_id: str,
    action: str,
    resource_type: str,
    resource_id: str,
    request_id: str | None,
    details: dict[str, Any],
) -> str:
    body = json.dumps(
        {
            "seq": seq,
            "id": event_id,
            "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "actor_org_id": actor_org_id,
            "actor_key_id": actor_key_id,
            "action": action,
            "resource_type": resource_type,
            "resource_id": resource_id,
            "request_id": request_id,
            "details": details,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(f"{prev_hash}\n{body}".encode()).hexdigest()


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    events: int
    broken_seq: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Finding:
    """A stored resource that does not match what the audit chain recorded about it."""

    resource_type: str
    resource_id: str
    problem: str
