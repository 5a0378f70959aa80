import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_roster_entry_out import PageRosterEntryOut
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org_id: str,
    *,
    on: datetime.date | None | Unset = UNSET,
    npi: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_on: None | str | Unset
    if isinstance(on, Unset):
        json_on = UNSET
    elif isinstance(on, datetime.date):
        json_on = on.isoformat()
    else:
        json_on = on
    params["on"] = json_on

    json_npi: None | str | Unset
    if isinstance(npi, Unset):
        json_npi = UNSET
    else:
        json_npi = npi
    params["npi"] = json_npi

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
        "url": "/v1/organizations/{org_id}/npis".format(
            org_id=quote(str(org_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageRosterEntryOut | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = PageRosterEntryOut.from_dict(response.json())

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
) -> Response[PageRosterEntryOut | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    org_id: str,
    *,
    client: AuthenticatedClient,
    on: datetime.date | None | Unset = UNSET,
    npi: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageRosterEntryOut | ProblemDetails]:
    """The roster over time

     **Roles: ops, or the organisation itself (aco, provider).** Every stay of every NPI on the
    organisation's roster, in the order they were recorded: on the roster from `effective_from` through
    `effective_to` (both included; null: still on it). A service opens an episode for a practice only
    when its rendering NPI was on the practice's roster on the service date. `on` keeps the stays
    covering one day.

    Args:
        org_id (str):
        on (datetime.date | None | Unset): Only the NPIs on the roster on this day.
        npi (None | str | Unset): Only this NPI's stays.
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageRosterEntryOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        on=on,
        npi=npi,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org_id: str,
    *,
    client: AuthenticatedClient,
    on: datetime.date | None | Unset = UNSET,
    npi: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageRosterEntryOut | ProblemDetails | None:
    """The roster over time

     **Roles: ops, or the organisation itself (aco, provider).** Every stay of every NPI on the
    organisation's roster, in the order they were recorded: on the roster from `effective_from` through
    `effective_to` (both included; null: still on it). A service opens an episode for a practice only
    when its rendering NPI was on the practice's roster on the service date. `on` keeps the stays
    covering one day.

    Args:
        org_id (str):
        on (datetime.date | None | Unset): Only the NPIs on the roster on this day.
        npi (None | str | Unset): Only this NPI's stays.
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageRosterEntryOut | ProblemDetails
    """

    return sync_detailed(
        org_id=org_id,
        client=client,
        on=on,
        npi=npi,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    org_id: str,
    *,
    client: AuthenticatedClient,
    on: datetime.date | None | Unset = UNSET,
    npi: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageRosterEntryOut | ProblemDetails]:
    """The roster over time

     **Roles: ops, or the organisation itself (aco, provider).** Every stay of every NPI on the
    organisation's roster, in the order they were recorded: on the roster from `effective_from` through
    `effective_to` (both included; null: still on it). A service opens an episode for a practice only
    when its rendering NPI was on the practice's roster on the service date. `on` keeps the stays
    covering one day.

    Args:
        org_id (str):
        on (datetime.date | None | Unset): Only the NPIs on the roster on this day.
        npi (None | str | Unset): Only this NPI's stays.
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageRosterEntryOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        on=on,
        npi=npi,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org_id: str,
    *,
    client: AuthenticatedClient,
    on: datetime.date | None | Unset = UNSET,
    npi: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageRosterEntryOut | ProblemDetails | None:
    """The roster over time

     **Roles: ops, or the organisation itself (aco, provider).** Every stay of every NPI on the
    organisation's roster, in the order they were recorded: on the roster from `effective_from` through
    `effective_to` (both included; null: still on it). A service opens an episode for a practice only
    when its rendering NPI was on the practice's roster on the service date. `on` keeps the stays
    covering one day.

    Args:
        org_id (str):
        on (datetime.date | None | Unset): Only the NPIs on the roster on this day.
        npi (None | str | Unset): Only this NPI's stays.
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageRosterEntryOut | ProblemDetails
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            client=client,
            on=on,
            npi=npi,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
