from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.webhook_endpoint_create import WebhookEndpointCreate
from ...models.webhook_endpoint_with_secret import WebhookEndpointWithSecret
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: WebhookEndpointCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhook-endpoints",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | WebhookEndpointWithSecret | None:
    if response.status_code == 201:
        response_201 = WebhookEndpointWithSecret.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 409:
        response_409 = ProblemDetails.from_dict(response.json())

        return response_409

    if response.status_code == 422:
        response_422 = ProblemDetails.from_dict(response.json())

        return response_422

    if response.status_code == 429:
        response_429 = ProblemDetails.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ProblemDetails | WebhookEndpointWithSecret]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | WebhookEndpointWithSecret]:
    """Register a webhook endpoint

     **Roles: aco, provider.** Registers a receiver for events about your organisation's resources. The
    URL must be `http(s)` and resolve only to public addresses (checked now and before every delivery).
    The signing `secret` is returned once, here. Deliveries follow the Standard Webhooks specification:
    see docs/webhooks.md. At most 20 enabled endpoints per organisation (409).

    Args:
        idempotency_key (str | Unset):
        body (WebhookEndpointCreate): A receiver to register: an http(s) URL reachable from the
            internet, and the events it wants. Example: {'description': 'contracting portal
            (production)', 'events': ['arrangement.*', 'settlement.finalized'], 'url':
            'https://portal.lakeside-geriatrics.example/hooks/cara'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | WebhookEndpointWithSecret]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointCreate,
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | WebhookEndpointWithSecret | None:
    """Register a webhook endpoint

     **Roles: aco, provider.** Registers a receiver for events about your organisation's resources. The
    URL must be `http(s)` and resolve only to public addresses (checked now and before every delivery).
    The signing `secret` is returned once, here. Deliveries follow the Standard Webhooks specification:
    see docs/webhooks.md. At most 20 enabled endpoints per organisation (409).

    Args:
        idempotency_key (str | Unset):
        body (WebhookEndpointCreate): A receiver to register: an http(s) URL reachable from the
            internet, and the events it wants. Example: {'description': 'contracting portal
            (production)', 'events': ['arrangement.*', 'settlement.finalized'], 'url':
            'https://portal.lakeside-geriatrics.example/hooks/cara'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | WebhookEndpointWithSecret
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | WebhookEndpointWithSecret]:
    """Register a webhook endpoint

     **Roles: aco, provider.** Registers a receiver for events about your organisation's resources. The
    URL must be `http(s)` and resolve only to public addresses (checked now and before every delivery).
    The signing `secret` is returned once, here. Deliveries follow the Standard Webhooks specification:
    see docs/webhooks.md. At most 20 enabled endpoints per organisation (409).

    Args:
        idempotency_key (str | Unset):
        body (WebhookEndpointCreate): A receiver to register: an http(s) URL reachable from the
            internet, and the events it wants. Example: {'description': 'contracting portal
            (production)', 'events': ['arrangement.*', 'settlement.finalized'], 'url':
            'https://portal.lakeside-geriatrics.example/hooks/cara'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | WebhookEndpointWithSecret]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: WebhookEndpointCreate,
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | WebhookEndpointWithSecret | None:
    """Register a webhook endpoint

     **Roles: aco, provider.** Registers a receiver for events about your organisation's resources. The
    URL must be `http(s)` and resolve only to public addresses (checked now and before every delivery).
    The signing `secret` is returned once, here. Deliveries follow the Standard Webhooks specification:
    see docs/webhooks.md. At most 20 enabled endpoints per organisation (409).

    Args:
        idempotency_key (str | Unset):
        body (WebhookEndpointCreate): A receiver to register: an http(s) URL reachable from the
            internet, and the events it wants. Example: {'description': 'contracting portal
            (production)', 'events': ['arrangement.*', 'settlement.finalized'], 'url':
            'https://portal.lakeside-geriatrics.example/hooks/cara'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | WebhookEndpointWithSecret
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
