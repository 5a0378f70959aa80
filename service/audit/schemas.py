from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict


class AuditEventOut(BaseModel):
    """Who did what, when, to which resource; `hash` chains it to the event before."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "seq": 42,
                "id": "evt_01JD7Q5Z0000000000000009",
                "occurred_at": "2026-11-23T10:00:00Z",
                "actor_org_id": "org_01JD7Q5Z0000000000000001",
                "actor_key_id": "key_01JD7Q5Z0000000000000003",
                "action": "arrangement.signed",
                "resource_type": "arrangement",
                "resource_id": "arr_01JD7Q5Z0000000000000004",
                "request_id": "3f1c2a9e6b0d4e7f",
                "details": {"version": 1},
                "prev_hash": "9b1c...",
                "hash": "e3b0...",
            }
        },
    )

    seq: int
    id: str
    occurred_at: datetime
    actor_org_id: str | None
    actor_key_id: str
    action: str
    resource_type: str
    resource_id: str
    request_id: str | None
    details: dict[str, Any]
    prev_hash: str
    hash: str
