from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


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


class ChainVerificationOut(BaseModel):
    ok: bool
    events: int = Field(description="Events verified (before the break, when broken).")
    broken_seq: int | None = Field(description="The first event that does not match.")
    reason: str | None


class FindingOut(BaseModel):
    resource_type: Literal["settlement", "arrangement_version"]
    resource_id: str
    problem: str


class AuditVerificationOut(BaseModel):
    """The chain, every signed terms version and every final settlement, checked."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "ok": False,
                "chain": {"ok": True, "events": 1204, "broken_seq": None, "reason": None},
                "terms_versions_checked": 12,
                "settlements_checked": 5,
                "settlements_unsealed": 0,
                "findings": [
                    {
                        "resource_type": "settlement",
                        "resource_id": "stl_01JD7Q5Z0000000000000000S1",
                        "problem": "its figures or lines differ from the digest recorded in the audit "
                        "chain when it was finalised: they were changed afterwards",
                    }
                ],
            }
        }
    )

    ok: bool = Field(description="The chain is intact and nothing was found altered.")
    chain: ChainVerificationOut
    terms_versions_checked: int
    settlements_checked: int = Field(description="Final and superseded settlements checked.")
    settlements_unsealed: int = Field(
        description="Of those, finalised before digests were recorded: nothing to compare them with."
    )
    findings: list[FindingOut]
