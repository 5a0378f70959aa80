from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.episode_evidence import EpisodeEvidence
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    settlement_id: str,
    line_id: str,
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/settlements/{settlement_id}/lines/{line_id}/claims".format(
            settlement_id=quote(str(settlement_id), safe=""),
            line_id=quote(str(line_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EpisodeEvidence | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = EpisodeEvidence.from_dict(response.json())

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
) -> Response[EpisodeEvidence | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    settlement_id: str,
    line_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[EpisodeEvidence | ProblemDetails]:
    """List the claim lines behind a settlement line

     **Roles: aco, provider (parties of the arrangement), ops.** The evidence of one episode of the
    settlement, settled (a line of `/lines`) or excluded (a row of `statement.csv` with status
    `excluded`): every stored version of every line of the beneficiary's claims that touch the episode's
    window, read as the settlement read them (only the uploads it recorded in `sources`, its claims
    cutoff, the definition of its terms version), so the answer stays the same whatever is uploaded
    later. Each is `counted` or has a `reason`: `superseded`, `cancelled`, `received_after_cutoff`,
    `claim_type_not_included`, `outside_window`, `principal_diagnosis_excluded`.
    `counted_allowed_amount` (all pages) equals the line's `spending` to the cent. Ordered by service
    date, claim, line and record.

    Args:
        settlement_id (str):
        line_id (str):
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EpisodeEvidence | ProblemDetails]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
        line_id=line_id,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    settlement_id: str,
    line_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> EpisodeEvidence | ProblemDetails | None:
    """List the claim lines behind a settlement line

     **Roles: aco, provider (parties of the arrangement), ops.** The evidence of one episode of the
    settlement, settled (a line of `/lines`) or excluded (a row of `statement.csv` with status
    `excluded`): every stored version of every line of the beneficiary's claims that touch the episode's
    window, read as the settlement read them (only the uploads it recorded in `sources`, its claims
    cutoff, the definition of its terms version), so the answer stays the same whatever is uploaded
    later. Each is `counted` or has a `reason`: `superseded`, `cancelled`, `received_after_cutoff`,
    `claim_type_not_included`, `outside_window`, `principal_diagnosis_excluded`.
    `counted_allowed_amount` (all pages) equals the line's `spending` to the cent. Ordered by service
    date, claim, line and record.

    Args:
        settlement_id (str):
        line_id (str):
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EpisodeEvidence | ProblemDetails
    """

    return sync_detailed(
        settlement_id=settlement_id,
        line_id=line_id,
        client=client,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    settlement_id: str,
    line_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[EpisodeEvidence | ProblemDetails]:
    """List the claim lines behind a settlement line

     **Roles: aco, provider (parties of the arrangement), ops.** The evidence of one episode of the
    settlement, settled (a line of `/lines`) or excluded (a row of `statement.csv` with status
    `excluded`): every stored version of every line of the beneficiary's claims that touch the episode's
    window, read as the settlement read them (only the uploads it recorded in `sources`, its claims
    cutoff, the definition of its terms version), so the answer stays the same whatever is uploaded
    later. Each is `counted` or has a `reason`: `superseded`, `cancelled`, `received_after_cutoff`,
    `claim_type_not_included`, `outside_window`, `principal_diagnosis_excluded`.
    `counted_allowed_amount` (all pages) equals the line's `spending` to the cent. Ordered by service
    date, claim, line and record.

    Args:
        settlement_id (str):
        line_id (str):
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EpisodeEvidence | ProblemDetails]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
        line_id=line_id,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    settlement_id: str,
    line_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> EpisodeEvidence | ProblemDetails | None:
    """List the claim lines behind a settlement line

     **Roles: aco, provider (parties of the arrangement), ops.** The evidence of one episode of the
    settlement, settled (a line of `/lines`) or excluded (a row of `statement.csv` with status
    `excluded`): every stored version of every line of the beneficiary's claims that touch the episode's
    window, read as the settlement read them (only the uploads it recorded in `sources`, its claims
    cutoff, the definition of its terms version), so the answer stays the same whatever is uploaded
    later. Each is `counted` or has a `reason`: `superseded`, `cancelled`, `received_after_cutoff`,
    `claim_type_not_included`, `outside_window`, `principal_diagnosis_excluded`.
    `counted_allowed_amount` (all pages) equals the line's `spending` to the cent. Ordered by service
    date, claim, line and record.

    Args:
        settlement_id (str):
        line_id (str):
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EpisodeEvidence | ProblemDetails
    """

    return (
        await asyncio_detailed(
            settlement_id=settlement_id,
            line_id=line_id,
            client=client,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
