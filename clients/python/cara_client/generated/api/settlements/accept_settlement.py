from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.settlement_out import SettlementOut
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
        "url": "/v1/settlements/{settlement_id}/accept".format(
            settlement_id=quote(str(settlement_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | SettlementOut | None:
    if response.status_code == 200:
        response_200 = SettlementOut.from_dict(response.json())

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
) -> Response[ProblemDetails | SettlementOut]:
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
) -> Response[ProblemDetails | SettlementOut]:
    """Accept a draft settlement

     **Roles: aco, provider (parties of the arrangement).** Records this party's acceptance
    (organisation, key, time) of the draft; shown in the settlement's `acceptance`. 409 when it is not a
    draft, when this party already accepted it, or when this party's own dispute of it is open. Sends
    `settlement.accepted` to both parties.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | SettlementOut]
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
) -> ProblemDetails | SettlementOut | None:
    """Accept a draft settlement

     **Roles: aco, provider (parties of the arrangement).** Records this party's acceptance
    (organisation, key, time) of the draft; shown in the settlement's `acceptance`. 409 when it is not a
    draft, when this party already accepted it, or when this party's own dispute of it is open. Sends
    `settlement.accepted` to both parties.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | SettlementOut
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
) -> Response[ProblemDetails | SettlementOut]:
    """Accept a draft settlement

     **Roles: aco, provider (parties of the arrangement).** Records this party's acceptance
    (organisation, key, time) of the draft; shown in the settlement's `acceptance`. 409 when it is not a
    draft, when this party already accepted it, or when this party's own dispute of it is open. Sends
    `settlement.accepted` to both parties.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | SettlementOut]
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
) -> ProblemDetails | SettlementOut | None:
    """Accept a draft settlement

     **Roles: aco, provider (parties of the arrangement).** Records this party's acceptance
    (organisation, key, time) of the draft; shown in the settlement's `acceptance`. 409 when it is not a
    draft, when this party already accepted it, or when this party's own dispute of it is open. Sends
    `settlement.accepted` to both parties.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | SettlementOut
    """

    return (
        await asyncio_detailed(
            settlement_id=settlement_id,
            client=client,
            idempotency_key=idempotency_key,
        )
    ).parsed
