from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.arrangement_version_out import ArrangementVersionOut
from ...models.problem_details import ProblemDetails
from ...types import Response


def _get_kwargs(
    arrangement_id: str,
    number: int,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/arrangements/{arrangement_id}/versions/{number}".format(
            arrangement_id=quote(str(arrangement_id), safe=""),
            number=quote(str(number), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ArrangementVersionOut | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = ArrangementVersionOut.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

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
) -> Response[ArrangementVersionOut | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    arrangement_id: str,
    number: int,
    *,
    client: AuthenticatedClient,
) -> Response[ArrangementVersionOut | ProblemDetails]:
    """One version of the terms

     **Roles: party, ops.** A version's terms, hash and signatures; versions never change.

    Args:
        arrangement_id (str):
        number (int): The version number, from 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArrangementVersionOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        arrangement_id=arrangement_id,
        number=number,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    arrangement_id: str,
    number: int,
    *,
    client: AuthenticatedClient,
) -> ArrangementVersionOut | ProblemDetails | None:
    """One version of the terms

     **Roles: party, ops.** A version's terms, hash and signatures; versions never change.

    Args:
        arrangement_id (str):
        number (int): The version number, from 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ArrangementVersionOut | ProblemDetails
    """

    return sync_detailed(
        arrangement_id=arrangement_id,
        number=number,
        client=client,
    ).parsed


async def asyncio_detailed(
    arrangement_id: str,
    number: int,
    *,
    client: AuthenticatedClient,
) -> Response[ArrangementVersionOut | ProblemDetails]:
    """One version of the terms

     **Roles: party, ops.** A version's terms, hash and signatures; versions never change.

    Args:
        arrangement_id (str):
        number (int): The version number, from 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArrangementVersionOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        arrangement_id=arrangement_id,
        number=number,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    arrangement_id: str,
    number: int,
    *,
    client: AuthenticatedClient,
) -> ArrangementVersionOut | ProblemDetails | None:
    """One version of the terms

     **Roles: party, ops.** A version's terms, hash and signatures; versions never change.

    Args:
        arrangement_id (str):
        number (int): The version number, from 1.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ArrangementVersionOut | ProblemDetails
    """

    return (
        await asyncio_detailed(
            arrangement_id=arrangement_id,
            number=number,
            client=client,
        )
    ).parsed
