from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_arrangements_status_type_0 import ListArrangementsStatusType0
from ...models.page_arrangement_out import PageArrangementOut
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: ListArrangementsStatusType0 | None | Unset = UNSET,
    episode_code: None | str | Unset = UNSET,
    counterparty_id: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: None | str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, ListArrangementsStatusType0):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    json_episode_code: None | str | Unset
    if isinstance(episode_code, Unset):
        json_episode_code = UNSET
    else:
        json_episode_code = episode_code
    params["episode_code"] = json_episode_code

    json_counterparty_id: None | str | Unset
    if isinstance(counterparty_id, Unset):
        json_counterparty_id = UNSET
    else:
        json_counterparty_id = counterparty_id
    params["counterparty_id"] = json_counterparty_id

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
        "url": "/v1/arrangements",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageArrangementOut | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = PageArrangementOut.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

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
) -> Response[PageArrangementOut | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: ListArrangementsStatusType0 | None | Unset = UNSET,
    episode_code: None | str | Unset = UNSET,
    counterparty_id: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageArrangementOut | ProblemDetails]:
    """List arrangements

     **Roles: aco, provider, ops.** Parties see the arrangements they are party to; ops sees all. Oldest
    first.

    Args:
        status (ListArrangementsStatusType0 | None | Unset): Only this status.
        episode_code (None | str | Unset): Only this episode definition code.
        counterparty_id (None | str | Unset): Only arrangements with this organisation.
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageArrangementOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        status=status,
        episode_code=episode_code,
        counterparty_id=counterparty_id,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    status: ListArrangementsStatusType0 | None | Unset = UNSET,
    episode_code: None | str | Unset = UNSET,
    counterparty_id: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageArrangementOut | ProblemDetails | None:
    """List arrangements

     **Roles: aco, provider, ops.** Parties see the arrangements they are party to; ops sees all. Oldest
    first.

    Args:
        status (ListArrangementsStatusType0 | None | Unset): Only this status.
        episode_code (None | str | Unset): Only this episode definition code.
        counterparty_id (None | str | Unset): Only arrangements with this organisation.
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageArrangementOut | ProblemDetails
    """

    return sync_detailed(
        client=client,
        status=status,
        episode_code=episode_code,
        counterparty_id=counterparty_id,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: ListArrangementsStatusType0 | None | Unset = UNSET,
    episode_code: None | str | Unset = UNSET,
    counterparty_id: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageArrangementOut | ProblemDetails]:
    """List arrangements

     **Roles: aco, provider, ops.** Parties see the arrangements they are party to; ops sees all. Oldest
    first.

    Args:
        status (ListArrangementsStatusType0 | None | Unset): Only this status.
        episode_code (None | str | Unset): Only this episode definition code.
        counterparty_id (None | str | Unset): Only arrangements with this organisation.
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageArrangementOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        status=status,
        episode_code=episode_code,
        counterparty_id=counterparty_id,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: ListArrangementsStatusType0 | None | Unset = UNSET,
    episode_code: None | str | Unset = UNSET,
    counterparty_id: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageArrangementOut | ProblemDetails | None:
    """List arrangements

     **Roles: aco, provider, ops.** Parties see the arrangements they are party to; ops sees all. Oldest
    first.

    Args:
        status (ListArrangementsStatusType0 | None | Unset): Only this status.
        episode_code (None | str | Unset): Only this episode definition code.
        counterparty_id (None | str | Unset): Only arrangements with this organisation.
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageArrangementOut | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            episode_code=episode_code,
            counterparty_id=counterparty_id,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
