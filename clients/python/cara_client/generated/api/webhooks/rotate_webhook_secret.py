from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.webhook_endpoint_with_secret import WebhookEndpointWithSecret
from ...types import UNSET, Response, Unset


def _get_kwargs(
    endpoint_id: str,
    *,
    grace_hours: int | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    params: dict[str, Any] = {}

    json_grace_hours: int | None | Unset
    if isinstance(grace_hours, Unset):
        json_grace_hours = UNSET
    else:
        json_grace_hours = grace_hours
    params["grace_hours"] = json_grace_hours

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/webhook-endpoints/{endpoint_id}/rotate-secret".format(
            endpoint_id=quote(str(endpoint_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | WebhookEndpointWithSecret | None:
    if response.status_code == 200:
        response_200 = WebhookEndpointWithSecret.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = ProblemDetails.from_dict(response.json())

        return response_404

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
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    grace_hours: int | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | WebhookEndpointWithSecret]:
    """Rotate an endpoint's signing secret

     **Roles: aco, provider (the endpoint's organisation).** Returns the new `secret` (shown once). For
    the grace period (`CARA_WEBHOOK_SECRET_GRACE_HOURS`, default 24 h; until
    `previous_secret_expires_at`) every delivery carries two signatures, one per secret, so receivers
    can switch at leisure.

    Args:
        endpoint_id (str):
        grace_hours (int | None | Unset): How long the old secret keeps signing; 0 revokes it at
            once (a leaked secret). Default `CARA_WEBHOOK_SECRET_GRACE_HOURS` (24).
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | WebhookEndpointWithSecret]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        grace_hours=grace_hours,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    grace_hours: int | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | WebhookEndpointWithSecret | None:
    """Rotate an endpoint's signing secret

     **Roles: aco, provider (the endpoint's organisation).** Returns the new `secret` (shown once). For
    the grace period (`CARA_WEBHOOK_SECRET_GRACE_HOURS`, default 24 h; until
    `previous_secret_expires_at`) every delivery carries two signatures, one per secret, so receivers
    can switch at leisure.

    Args:
        endpoint_id (str):
        grace_hours (int | None | Unset): How long the old secret keeps signing; 0 revokes it at
            once (a leaked secret). Default `CARA_WEBHOOK_SECRET_GRACE_HOURS` (24).
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | WebhookEndpointWithSecret
    """

    return sync_detailed(
        endpoint_id=endpoint_id,
        client=client,
        grace_hours=grace_hours,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    grace_hours: int | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | WebhookEndpointWithSecret]:
    """Rotate an endpoint's signing secret

     **Roles: aco, provider (the endpoint's organisation).** Returns the new `secret` (shown once). For
    the grace period (`CARA_WEBHOOK_SECRET_GRACE_HOURS`, default 24 h; until
    `previous_secret_expires_at`) every delivery carries two signatures, one per secret, so receivers
    can switch at leisure.

    Args:
        endpoint_id (str):
        grace_hours (int | None | Unset): How long the old secret keeps signing; 0 revokes it at
            once (a leaked secret). Default `CARA_WEBHOOK_SECRET_GRACE_HOURS` (24).
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | WebhookEndpointWithSecret]
    """

    kwargs = _get_kwargs(
        endpoint_id=endpoint_id,
        grace_hours=grace_hours,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    endpoint_id: str,
    *,
    client: AuthenticatedClient,
    grace_hours: int | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | WebhookEndpointWithSecret | None:
    """Rotate an endpoint's signing secret

     **Roles: aco, provider (the endpoint's organisation).** Returns the new `secret` (shown once). For
    the grace period (`CARA_WEBHOOK_SECRET_GRACE_HOURS`, default 24 h; until
    `previous_secret_expires_at`) every delivery carries two signatures, one per secret, so receivers
    can switch at leisure.

    Args:
        endpoint_id (str):
        grace_hours (int | None | Unset): How long the old secret keeps signing; 0 revokes it at
            once (a leaked secret). Default `CARA_WEBHOOK_SECRET_GRACE_HOURS` (24).
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | WebhookEndpointWithSecret
    """

    return (
        await asyncio_detailed(
            endpoint_id=endpoint_id,
            client=client,
            grace_hours=grace_hours,
            idempotency_key=idempotency_key,
        )
    ).parsed
