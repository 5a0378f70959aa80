from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from service.access.auth import PartyPrincipal
from service.kit.db import SessionDep
from service.kit.errors import problem_responses
from service.kit.pagination import CursorParam, LimitParam, Page
from service.settings import Settings
from service.webhooks import service
from service.webhooks.schemas import (
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEndpointCreate,
    WebhookEndpointWithSecret,
)

router = APIRouter(prefix="/v1", tags=["webhooks"])

_OWNER = "**Roles: aco, provider (the endpoint's organisation).** "


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


@router.post(
    "/webhook-endpoints",
    status_code=status.HTTP_201_CREATED,
    summary="Register a webhook endpoint",
    description="**Roles: aco, provider.** Registers a receiver for events about your organisation's "
    "resources. The URL must be `http(s)` and resolve only to public addresses (checked now and "
    "before every delivery). The signing `secret` is returned once, here. Deliveries follow the "
    "Standard Webhooks specification: see docs/webhooks.md. At most 20 enabled endpoints per organisation (409).",
    responses=problem_responses(401, 403, 409, 422),
)
async def create_webhook_endpoint(
    data: WebhookEndpointCreate, principal: PartyPrincipal, session: SessionDep, request: Request
) -> WebhookEndpointWithSecret:
    endpoint = await service.create_endpoint(
        session, viewer=principal, data=data, allowed_hosts=_settings(request).webhook_allowed_hosts
    )
    return service.with_secret(endpoint)


@router.get(
    "/webhook-endpoints",
    summary="Your webhook endpoints",
    description=_OWNER + "In creation order; secrets are never listed.",
    responses=problem_responses(401, 403, 422),
)
async def list_webhook_endpoints(
    principal: PartyPrincipal, session: SessionDep, limit: LimitParam = 50, cursor: CursorParam = None
) -> Page[WebhookEndpoint]:
    rows, next_cursor = await service.list_endpoints(session, viewer=principal, limit=limit, cursor=cursor)
    return Page(items=[service.to_schema(e) for e in rows], next_cursor=next_cursor)


@router.get(
    "/webhook-endpoints/{endpoint_id}",
    summary="One webhook endpoint",
    description=_OWNER + "Another organisation's endpoint is a 404.",
    responses=problem_responses(401, 403, 404),
)
async def get_webhook_endpoint(
    endpoint_id: str, principal: PartyPrincipal, session: SessionDep
) -> WebhookEndpoint:
    endpoint = await service.get_endpoint(session, viewer=principal, endpoint_id=endpoint_id)
    return service.to_schema(endpoint)


@router.post(
    "/webhook-endpoints/{endpoint_id}/disable",
    summary="Stop deliveries to an endpoint",
    description=_OWNER + "Events keep being queued for it and wait; they are delivered once it is "
    "enabled again. Disabling a disabled endpoint changes nothing.",
    responses=problem_responses(401, 403, 404),
)
async def disable_webhook_endpoint(
    endpoint_id: str, principal: PartyPrincipal, session: SessionDep
) -> WebhookEndpoint:
    endpoint = await service.set_enabled(session, viewer=principal, endpoint_id=endpoint_id, enabled=False)
    return service.to_schema(endpoint)


@router.post(
    "/webhook-endpoints/{endpoint_id}/enable",
    summary="Resume deliveries to an endpoint",
    description=_OWNER + "Also after the service disabled it because the receiver answered 410 Gone. "
    "Queued deliveries that fell due meanwhile are sent at once. 409 if the organisation already "
    "has 20 enabled endpoints.",
    responses=problem_responses(401, 403, 404, 409),
)
async def enable_webhook_endpoint(
    endpoint_id: str, principal: PartyPrincipal, session: SessionDep
) -> WebhookEndpoint:
    endpoint = await service.set_enabled(session, viewer=principal, endpoint_id=endpoint_id, enabled=True)
    return service.to_schema(endpoint)


@router.post(
    "/webhook-endpoints/{endpoint_id}/rotate-secret",
    summary="Rotate an endpoint's signing secret",
    description=_OWNER + "Returns the new `secret` (shown once). For the grace period "
    "(`CARA_WEBHOOK_SECRET_GRACE_HOURS`, default 24 h; until `previous_secret_expires_at`) every "
    "delivery carries two signatures, one per secret, so receivers can switch at leisure.",
    responses=problem_responses(401, 403, 404),
)
async def rotate_webhook_secret(
    endpoint_id: str,
    principal: PartyPrincipal,
    session: SessionDep,
    request: Request,
    grace_hours: Annotated[
        int | None,
        Query(
            ge=0,
            le=720,
            description="How long the old secret keeps signing; 0 revokes it at once (a leaked "
            "secret). Default `CARA_WEBHOOK_SECRET_GRACE_HOURS` (24).",
        ),
    ] = None,
) -> WebhookEndpointWithSecret:
    hours = _settings(request).webhook_secret_grace_hours if grace_hours is None else grace_hours
    grace = timedelta(hours=hours)
    endpoint = await service.rotate_secret(session, viewer=principal, endpoint_id=endpoint_id, grace=grace)
    return service.with_secret(endpoint)


@router.get(
    "/webhook-endpoints/{endpoint_id}/deliveries",
    summary="Deliveries to an endpoint, with every attempt",
    description=_OWNER + "Newest first. Each delivery is one event; its attempts show the receiver's "
    "status code, the latency and any connection error.",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_webhook_deliveries(
    endpoint_id: str,
    principal: PartyPrincipal,
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[WebhookDelivery]:
    items, next_cursor = await service.list_deliveries(
        session, viewer=principal, endpoint_id=endpoint_id, limit=limit, cursor=cursor
    )
    return Page(items=items, next_cursor=next_cursor)
