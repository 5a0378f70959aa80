from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...types import Response


def _get_kwargs(
    settlement_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/settlements/{settlement_id}/statement.html".format(
            settlement_id=quote(str(settlement_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ProblemDetails | str | None:
    if response.status_code == 200:
        response_200 = response.text
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
) -> Response[ProblemDetails | str]:
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
) -> Response[ProblemDetails | str]:
    """Read a settlement statement as a document

     **Roles: aco, provider (parties of the arrangement), ops.** The statement for people, ready to print
    on A4 or Letter (no script, nothing loaded from elsewhere): the parties with names and TINs,
    arrangement, terms version and hash, period, cutoff, when computed, `inputs_sha256`; the outcome in
    words (who pays whom, in figures and words); episodes settled and excluded, totals, quality per
    measure, savings or loss, each cap, earlier finals and the delta; every episode with the excluded
    ones' reasons; acceptances and disputes.

    Args:
        settlement_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | str]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    settlement_id: str,
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | str | None:
    """Read a settlement statement as a document

     **Roles: aco, provider (parties of the arrangement), ops.** The statement for people, ready to print
    on A4 or Letter (no script, nothing loaded from elsewhere): the parties with names and TINs,
    arrangement, terms version and hash, period, cutoff, when computed, `inputs_sha256`; the outcome in
    words (who pays whom, in figures and words); episodes settled and excluded, totals, quality per
    measure, savings or loss, each cap, earlier finals and the delta; every episode with the excluded
    ones' reasons; acceptances and disputes.

    Args:
        settlement_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | str
    """

    return sync_detailed(
        settlement_id=settlement_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    settlement_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ProblemDetails | str]:
    """Read a settlement statement as a document

     **Roles: aco, provider (parties of the arrangement), ops.** The statement for people, ready to print
    on A4 or Letter (no script, nothing loaded from elsewhere): the parties with names and TINs,
    arrangement, terms version and hash, period, cutoff, when computed, `inputs_sha256`; the outcome in
    words (who pays whom, in figures and words); episodes settled and excluded, totals, quality per
    measure, savings or loss, each cap, earlier finals and the delta; every episode with the excluded
    ones' reasons; acceptances and disputes.

    Args:
        settlement_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | str]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    settlement_id: str,
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | str | None:
    """Read a settlement statement as a document

     **Roles: aco, provider (parties of the arrangement), ops.** The statement for people, ready to print
    on A4 or Letter (no script, nothing loaded from elsewhere): the parties with names and TINs,
    arrangement, terms version and hash, period, cutoff, when computed, `inputs_sha256`; the outcome in
    words (who pays whom, in figures and words); episodes settled and excluded, totals, quality per
    measure, savings or loss, each cap, earlier finals and the delta; every episode with the excluded
    ones' reasons; acceptances and disputes.

    Args:
        settlement_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | str
    """

    return (
        await asyncio_detailed(
            settlement_id=settlement_id,
            client=client,
        )
    ).parsed
