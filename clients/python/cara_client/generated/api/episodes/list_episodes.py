import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_episode_out import PageEpisodeOut
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    arrangement_id: str,
    *,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    claims_cutoff: datetime.date | None | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["limit"] = limit

    json_cursor: None | str | Unset
    if isinstance(cursor, Unset):
        json_cursor = UNSET
    else:
        json_cursor = cursor
    params["cursor"] = json_cursor

    json_claims_cutoff: None | str | Unset
    if isinstance(claims_cutoff, Unset):
        json_claims_cutoff = UNSET
    elif isinstance(claims_cutoff, datetime.date):
        json_claims_cutoff = claims_cutoff.isoformat()
    else:
        json_claims_cutoff = claims_cutoff
    params["claims_cutoff"] = json_claims_cutoff

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/arrangements/{arrangement_id}/episodes".format(
            arrangement_id=quote(str(arrangement_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageEpisodeOut | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = PageEpisodeOut.from_dict(response.json())

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
) -> Response[PageEpisodeOut | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    arrangement_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    claims_cutoff: datetime.date | None | Unset = UNSET,
) -> Response[PageEpisodeOut | ProblemDetails]:
    """List an arrangement's episodes

     **Roles: aco, provider (parties of the arrangement), ops.** The episodes of the arrangement in force
    (docs/method.md section 5), recomputed from the stored claims and alignment on every call, with
    their status, exclusion reason and actual spending as of the claims cutoff (today unless
    `claims_cutoff` is given). Ordered by beneficiary (MBI), then trigger date. 409 when no version of
    the arrangement has been executed.

    Args:
        arrangement_id (str):
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.
        claims_cutoff (datetime.date | None | Unset): Count claim line versions received on or
            before this date (default: today).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageEpisodeOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        arrangement_id=arrangement_id,
        limit=limit,
        cursor=cursor,
        claims_cutoff=claims_cutoff,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    arrangement_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    claims_cutoff: datetime.date | None | Unset = UNSET,
) -> PageEpisodeOut | ProblemDetails | None:
    """List an arrangement's episodes

     **Roles: aco, provider (parties of the arrangement), ops.** The episodes of the arrangement in force
    (docs/method.md section 5), recomputed from the stored claims and alignment on every call, with
    their status, exclusion reason and actual spending as of the claims cutoff (today unless
    `claims_cutoff` is given). Ordered by beneficiary (MBI), then trigger date. 409 when no version of
    the arrangement has been executed.

    Args:
        arrangement_id (str):
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.
        claims_cutoff (datetime.date | None | Unset): Count claim line versions received on or
            before this date (default: today).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageEpisodeOut | ProblemDetails
    """

    return sync_detailed(
        arrangement_id=arrangement_id,
        client=client,
        limit=limit,
        cursor=cursor,
        claims_cutoff=claims_cutoff,
    ).parsed


async def asyncio_detailed(
    arrangement_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    claims_cutoff: datetime.date | None | Unset = UNSET,
) -> Response[PageEpisodeOut | ProblemDetails]:
    """List an arrangement's episodes

     **Roles: aco, provider (parties of the arrangement), ops.** The episodes of the arrangement in force
    (docs/method.md section 5), recomputed from the stored claims and alignment on every call, with
    their status, exclusion reason and actual spending as of the claims cutoff (today unless
    `claims_cutoff` is given). Ordered by beneficiary (MBI), then trigger date. 409 when no version of
    the arrangement has been executed.

    Args:
        arrangement_id (str):
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.
        claims_cutoff (datetime.date | None | Unset): Count claim line versions received on or
            before this date (default: today).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageEpisodeOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        arrangement_id=arrangement_id,
        limit=limit,
        cursor=cursor,
        claims_cutoff=claims_cutoff,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    arrangement_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
    claims_cutoff: datetime.date | None | Unset = UNSET,
) -> PageEpisodeOut | ProblemDetails | None:
    """List an arrangement's episodes

     **Roles: aco, provider (parties of the arrangement), ops.** The episodes of the arrangement in force
    (docs/method.md section 5), recomputed from the stored claims and alignment on every call, with
    their status, exclusion reason and actual spending as of the claims cutoff (today unless
    `claims_cutoff` is given). Ordered by beneficiary (MBI), then trigger date. 409 when no version of
    the arrangement has been executed.

    Args:
        arrangement_id (str):
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.
        claims_cutoff (datetime.date | None | Unset): Count claim line versions received on or
            before this date (default: today).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageEpisodeOut | ProblemDetails
    """

    return (
        await asyncio_detailed(
            arrangement_id=arrangement_id,
            client=client,
            limit=limit,
            cursor=cursor,
            claims_cutoff=claims_cutoff,
        )
    ).parsed
