from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dispute_out import DisputeOut
from ...models.dispute_resolution import DisputeResolution
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    dispute_id: str,
    *,
    body: DisputeResolution,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/settlement-disputes/{dispute_id}/resolve".format(
            dispute_id=quote(str(dispute_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DisputeOut | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = DisputeOut.from_dict(response.json())

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
) -> Response[DisputeOut | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    dispute_id: str,
    *,
    client: AuthenticatedClient,
    body: DisputeResolution,
    idempotency_key: str | Unset = UNSET,
) -> Response[DisputeOut | ProblemDetails]:
    """Resolve a settlement dispute

     **Role: ops.** `outcome` `upheld` (the period needs a new run before it can be finalised) or
    `rejected` (the disputed revision may be finalised), with a `note`. 409 when already resolved. Sends
    `settlement.dispute_resolved` to both parties.

    Args:
        dispute_id (str):
        idempotency_key (str | Unset):
        body (DisputeResolution):  Example: {'note': 'Alignment file corrected; run the settlement
            again.', 'outcome': 'upheld'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DisputeOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        dispute_id=dispute_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    dispute_id: str,
    *,
    client: AuthenticatedClient,
    body: DisputeResolution,
    idempotency_key: str | Unset = UNSET,
) -> DisputeOut | ProblemDetails | None:
    """Resolve a settlement dispute

     **Role: ops.** `outcome` `upheld` (the period needs a new run before it can be finalised) or
    `rejected` (the disputed revision may be finalised), with a `note`. 409 when already resolved. Sends
    `settlement.dispute_resolved` to both parties.

    Args:
        dispute_id (str):
        idempotency_key (str | Unset):
        body (DisputeResolution):  Example: {'note': 'Alignment file corrected; run the settlement
            again.', 'outcome': 'upheld'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DisputeOut | ProblemDetails
    """

    return sync_detailed(
        dispute_id=dispute_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    dispute_id: str,
    *,
    client: AuthenticatedClient,
    body: DisputeResolution,
    idempotency_key: str | Unset = UNSET,
) -> Response[DisputeOut | ProblemDetails]:
    """Resolve a settlement dispute

     **Role: ops.** `outcome` `upheld` (the period needs a new run before it can be finalised) or
    `rejected` (the disputed revision may be finalised), with a `note`. 409 when already resolved. Sends
    `settlement.dispute_resolved` to both parties.

    Args:
        dispute_id (str):
        idempotency_key (str | Unset):
        body (DisputeResolution):  Example: {'note': 'Alignment file corrected; run the settlement
            again.', 'outcome': 'upheld'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DisputeOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        dispute_id=dispute_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    dispute_id: str,
    *,
    client: AuthenticatedClient,
    body: DisputeResolution,
    idempotency_key: str | Unset = UNSET,
) -> DisputeOut | ProblemDetails | None:
    """Resolve a settlement dispute

     **Role: ops.** `outcome` `upheld` (the period needs a new run before it can be finalised) or
    `rejected` (the disputed revision may be finalised), with a `note`. 409 when already resolved. Sends
    `settlement.dispute_resolved` to both parties.

    Args:
        dispute_id (str):
        idempotency_key (str | Unset):
        body (DisputeResolution):  Example: {'note': 'Alignment file corrected; run the settlement
            again.', 'outcome': 'upheld'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DisputeOut | ProblemDetails
    """

    return (
        await asyncio_detailed(
            dispute_id=dispute_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
