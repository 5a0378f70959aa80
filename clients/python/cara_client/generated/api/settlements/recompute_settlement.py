from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.settlement_recomputation import SettlementRecomputation
from ...types import UNSET, Response, Unset


def _get_kwargs(
    settlement_id: str,
    *,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/settlements/{settlement_id}/recompute".format(
            settlement_id=quote(str(settlement_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | SettlementRecomputation | None:
    if response.status_code == 200:
        response_200 = SettlementRecomputation.from_dict(response.json())

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
) -> Response[ProblemDetails | SettlementRecomputation]:
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
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | SettlementRecomputation]:
    """Recompute a settlement from its recorded inputs

     **Roles: aco, provider (parties of the arrangement), ops.** Computes the settlement again from
    exactly what it recorded: its terms versions and the days each was in force, quality data version,
    the uploads the service had stored when it ran (nothing uploaded since counts, whatever its
    `received_date`), the practice's NPIs, the termination date and the episodes settled elsewhere.
    Stores nothing. `matches` is true when the hash and every figure are the same; `differences` names
    any that are not.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | SettlementRecomputation]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
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
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | SettlementRecomputation | None:
    """Recompute a settlement from its recorded inputs

     **Roles: aco, provider (parties of the arrangement), ops.** Computes the settlement again from
    exactly what it recorded: its terms versions and the days each was in force, quality data version,
    the uploads the service had stored when it ran (nothing uploaded since counts, whatever its
    `received_date`), the practice's NPIs, the termination date and the episodes settled elsewhere.
    Stores nothing. `matches` is true when the hash and every figure are the same; `differences` names
    any that are not.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | SettlementRecomputation
    """

    return sync_detailed(
        settlement_id=settlement_id,
        client=client,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    settlement_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | SettlementRecomputation]:
    """Recompute a settlement from its recorded inputs

     **Roles: aco, provider (parties of the arrangement), ops.** Computes the settlement again from
    exactly what it recorded: its terms versions and the days each was in force, quality data version,
    the uploads the service had stored when it ran (nothing uploaded since counts, whatever its
    `received_date`), the practice's NPIs, the termination date and the episodes settled elsewhere.
    Stores nothing. `matches` is true when the hash and every figure are the same; `differences` names
    any that are not.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | SettlementRecomputation]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    settlement_id: str,
    *,
    client: AuthenticatedClient,
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | SettlementRecomputation | None:
    """Recompute a settlement from its recorded inputs

     **Roles: aco, provider (parties of the arrangement), ops.** Computes the settlement again from
    exactly what it recorded: its terms versions and the days each was in force, quality data version,
    the uploads the service had stored when it ran (nothing uploaded since counts, whatever its
    `received_date`), the practice's NPIs, the termination date and the episodes settled elsewhere.
    Stores nothing. `matches` is true when the hash and every figure are the same; `differences` names
    any that are not.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | SettlementRecomputation
    """

    return (
        await asyncio_detailed(
            settlement_id=settlement_id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
