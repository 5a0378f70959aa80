from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dispute_create import DisputeCreate
from ...models.dispute_out import DisputeOut
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    settlement_id: str,
    *,
    body: DisputeCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/settlements/{settlement_id}/disputes".format(
            settlement_id=quote(str(settlement_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DisputeOut | ProblemDetails | None:
    if response.status_code == 201:
        response_201 = DisputeOut.from_dict(response.json())

        return response_201

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
    settlement_id: str,
    *,
    client: AuthenticatedClient,
    body: DisputeCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[DisputeOut | ProblemDetails]:
    """Dispute a draft settlement

     **Roles: aco, provider (parties of the arrangement).** A `reason` and optionally the `line_ids`
    disputed (422 for a line the settlement does not have); none disputes the whole settlement. While a
    dispute of a period is open no revision of it can be finalised; ops resolves it (`POST
    /v1/settlement-disputes/{id}/resolve`). 409 when the settlement is not a draft. Sends
    `settlement.disputed` to both parties.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):
        body (DisputeCreate):  Example: {'line_ids': ['epi_3f1c9a0e5b7d4c2a8e6f1b3d5a7c9e0f'],
            'reason': 'Episode of 2027-03-01 belongs to a beneficiary who left the ACO in February.'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DisputeOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    settlement_id: str,
    *,
    client: AuthenticatedClient,
    body: DisputeCreate,
    idempotency_key: str | Unset = UNSET,
) -> DisputeOut | ProblemDetails | None:
    """Dispute a draft settlement

     **Roles: aco, provider (parties of the arrangement).** A `reason` and optionally the `line_ids`
    disputed (422 for a line the settlement does not have); none disputes the whole settlement. While a
    dispute of a period is open no revision of it can be finalised; ops resolves it (`POST
    /v1/settlement-disputes/{id}/resolve`). 409 when the settlement is not a draft. Sends
    `settlement.disputed` to both parties.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):
        body (DisputeCreate):  Example: {'line_ids': ['epi_3f1c9a0e5b7d4c2a8e6f1b3d5a7c9e0f'],
            'reason': 'Episode of 2027-03-01 belongs to a beneficiary who left the ACO in February.'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DisputeOut | ProblemDetails
    """

    return sync_detailed(
        settlement_id=settlement_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    settlement_id: str,
    *,
    client: AuthenticatedClient,
    body: DisputeCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[DisputeOut | ProblemDetails]:
    """Dispute a draft settlement

     **Roles: aco, provider (parties of the arrangement).** A `reason` and optionally the `line_ids`
    disputed (422 for a line the settlement does not have); none disputes the whole settlement. While a
    dispute of a period is open no revision of it can be finalised; ops resolves it (`POST
    /v1/settlement-disputes/{id}/resolve`). 409 when the settlement is not a draft. Sends
    `settlement.disputed` to both parties.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):
        body (DisputeCreate):  Example: {'line_ids': ['epi_3f1c9a0e5b7d4c2a8e6f1b3d5a7c9e0f'],
            'reason': 'Episode of 2027-03-01 belongs to a beneficiary who left the ACO in February.'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DisputeOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    settlement_id: str,
    *,
    client: AuthenticatedClient,
    body: DisputeCreate,
    idempotency_key: str | Unset = UNSET,
) -> DisputeOut | ProblemDetails | None:
    """Dispute a draft settlement

     **Roles: aco, provider (parties of the arrangement).** A `reason` and optionally the `line_ids`
    disputed (422 for a line the settlement does not have); none disputes the whole settlement. While a
    dispute of a period is open no revision of it can be finalised; ops resolves it (`POST
    /v1/settlement-disputes/{id}/resolve`). 409 when the settlement is not a draft. Sends
    `settlement.disputed` to both parties.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):
        body (DisputeCreate):  Example: {'line_ids': ['epi_3f1c9a0e5b7d4c2a8e6f1b3d5a7c9e0f'],
            'reason': 'Episode of 2027-03-01 belongs to a beneficiary who left the ACO in February.'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DisputeOut | ProblemDetails
    """

    return (
        await asyncio_detailed(
            settlement_id=settlement_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
