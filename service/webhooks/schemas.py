"""Webhook endpoints and deliveries as the API shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from service.webhooks.outbox import EVENT_TYPES

EVENT_FAMILIES = tuple(sorted({t.split(".", 1)[0] for t in EVENT_TYPES}))
EVENT_PATTERNS = frozenset(EVENT_TYPES) | {f"{family}.*" for family in EVENT_FAMILIES} | {"*"}


def event_matches(patterns: list[str], event_type: str) -> bool:
    """Whether an endpoint subscribed to ``patterns`` receives ``event_type``."""
    family = event_type.split(".", 1)[0]
    return any(p in ("*", event_type, f"{family}.*") for p in patterns)


class WebhookEndpointCreate(BaseModel):
    """A receiver to register: an http(s) URL reachable from the internet, and the events it wants."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "url": "https://portal.lakeside-geriatrics.example/hooks/cara",
                "events": ["arrangement.*", "settlement.finalized"],
                "description": "contracting portal (production)",
            }
        },
    )

    url: str = Field(
        min_length=8,
        max_length=2048,
        description="`http` or `https`; must resolve to public addresses only (no loopback, private, "
        "link-local or metadata addresses).",
    )
    events: list[str] = Field(
        min_length=1,
        max_length=len(EVENT_PATTERNS),
        description="Event types (`arrangement.signed`), family wildcards (`arrangement.*`, "
        "`settlement.*`, `upload.*`) or `*` for every event. Known types: " + ", ".join(EVENT_TYPES) + ".",
    )
    description: str | None = Field(None, max_length=200)

    @field_validator("events")
    @classmethod
    def _known_events(cls, events: list[str]) -> list[str]:
        unknown = [e for e in events if e not in EVENT_PATTERNS]
        if unknown:
            raise ValueError(
                f"unknown event type or pattern {', '.join(unknown)}; use one of "
                + ", ".join(sorted(EVENT_PATTERNS))
            )
        return list(dict.fromkeys(events))


class WebhookEndpoint(BaseModel):
    """A registered receiver. The signing secret is shown only when created or rotated."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "whe_01JD7Q5Z0000000000000000",
                "url": "https://portal.lakeside-geriatrics.example/hooks/cara",
                "events": ["arrangement.*", "settlement.finalized"],
                "description": "contracting portal (production)",
                "enabled": True,
                "disabled_reason": None,
                "organization_id": "org_01JD7Q5Z0000000000000002",
                "secret_rotated_at": None,
                "previous_secret_expires_at": None,
                "created_at": "2026-11-23T10:00:00Z",
                "updated_at": "2026-11-23T10:00:00Z",
            }
        }
    )

    id: str
    url: str
    events: list[str]
    description: str | None
    enabled: bool
    disabled_reason: str | None = Field(
        description="Why deliveries stopped: disabled by the owner, or the receiver answered 410 Gone."
    )
    organization_id: str
    secret_rotated_at: datetime | None
    previous_secret_expires_at: datetime | None = Field(
        description="Until then deliveries carry a signature with the previous secret as well."
    )
    created_at: datetime
    updated_at: datetime


class WebhookEndpointWithSecret(WebhookEndpoint):
    """A registered receiver with its signing secret: store it now, it is not shown again."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                **WebhookEndpoint.model_config["json_schema_extra"]["example"],  # type: ignore[index, dict-item]
                "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            }
        }
    )

    secret: str = Field(
        description="`whsec_` + base64 of 24 random bytes; verify deliveries with it (Standard Webhooks)."
    )


class WebhookAttempt(BaseModel):
    """One HTTP request of a delivery."""

    number: int = Field(description="1 for the first attempt.")
    attempted_at: datetime
    status_code: int | None = Field(description="The receiver's HTTP status; null if none came back.")
    latency_ms: int
    error: str | None = Field(description="Connection error, timeout or refused address; null on an answer.")


class WebhookDelivery(BaseModel):
    """One event for one endpoint, with every attempt so far."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "whd_01JD7Q5Z0000000000000000",
                "event_id": "msg_01JD7Q5Z0000000000000000",
                "event_type": "arrangement.signed",
                "status": "delivered",
                "attempt_count": 2,
                "next_attempt_at": None,
                "delivered_at": "2026-11-23T10:00:12Z",
                "created_at": "2026-11-23T10:00:00Z",
                "attempts": [
                    {
                        "number": 1,
                        "attempted_at": "2026-11-23T10:00:01Z",
                        "status_code": 500,
                        "latency_ms": 41,
                        "error": None,
                    },
                    {
                        "number": 2,
                        "attempted_at": "2026-11-23T10:00:12Z",
                        "status_code": 204,
                        "latency_ms": 38,
                        "error": None,
                    },
                ],
            }
        }
    )

    id: str
    event_id: str = Field(description="The `webhook-id` header: the same on every retry.")
    event_type: str
    status: Literal["pending", "delivered", "failed"]
    attempt_count: int
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    attempts: list[WebhookAttempt]
