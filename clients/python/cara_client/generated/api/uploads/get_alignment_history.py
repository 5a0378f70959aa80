import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_alignment_row_out import PageAlignmentRowOut
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    mbi: None | str | Unset = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    aco_id: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_mbi: None | str | Unset
    if isinstance(mbi, Unset):
        json_mbi = UNSET
    else:
        json_mbi = mbi
    params["mbi"] = json_mbi

    json_as_of: None | str | Unset
    if isinstance(as_of, Unset):
        json_as_of = UNSET
    elif isinstance(as_of, datetime.date):
        json_as_of = as_of.isoformat()
    else:
        json_as_of = as_of
    params["as_of"] = json_as_of

    json_aco_id: None | str | Unset
    if isinstance(aco_id, Unset):
        json_aco_id = UNSET
    else:
        json_aco_id = aco_id
    params["aco_id"] = json_aco_id

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
        "url": "/v1/alignment",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageAlignmentRowOut | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = PageAlignmentRowOut.from_dict(response.json())

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
) -> Response[PageAlignmentRowOut | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    mbi: None | str | Unset = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    aco_id: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageAlignmentRowOut | ProblemDetails]:
    """A beneficiary's alignment over time

     **Roles: aco (the rows it uploaded), ops (every ACO's, or one with `aco_id`).** Every alignment row
    uploaded for the MBI (without `mbi`: for every beneficiary), oldest first, with its upload;
    `current` marks the row that counts now (the latest: episodes and settlements read it), and
    `status_on_as_of` what each row says about the day `as_of` (default today): aligned, or why a
    service that day opens no episode. Ask with an episode's end date to see why it was excluded as not
    aligned. An ACO sees only its own uploads: another ACO's beneficiary is an empty list, another ACO's
    `aco_id` a 404.

    Args:
        mbi (None | str | Unset): The beneficiary's MBI; without it, every beneficiary's.
        as_of (datetime.date | None | Unset): The day each row is read for (`status_on_as_of`);
            default today.
        aco_id (None | str | Unset): Ops: only this ACO's rows. An ACO: its own id or none.
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageAlignmentRowOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        mbi=mbi,
        as_of=as_of,
        aco_id=aco_id,
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
    mbi: None | str | Unset = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    aco_id: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageAlignmentRowOut | ProblemDetails | None:
    """A beneficiary's alignment over time

     **Roles: aco (the rows it uploaded), ops (every ACO's, or one with `aco_id`).** Every alignment row
    uploaded for the MBI (without `mbi`: for every beneficiary), oldest first, with its upload;
    `current` marks the row that counts now (the latest: episodes and settlements read it), and
    `status_on_as_of` what each row says about the day `as_of` (default today): aligned, or why a
    service that day opens no episode. Ask with an episode's end date to see why it was excluded as not
    aligned. An ACO sees only its own uploads: another ACO's beneficiary is an empty list, another ACO's
    `aco_id` a 404.

    Args:
        mbi (None | str | Unset): The beneficiary's MBI; without it, every beneficiary's.
        as_of (datetime.date | None | Unset): The day each row is read for (`status_on_as_of`);
            default today.
        aco_id (None | str | Unset): Ops: only this ACO's rows. An ACO: its own id or none.
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageAlignmentRowOut | ProblemDetails
    """

    return sync_detailed(
        client=client,
        mbi=mbi,
        as_of=as_of,
        aco_id=aco_id,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    mbi: None | str | Unset = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    aco_id: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageAlignmentRowOut | ProblemDetails]:
    """A beneficiary's alignment over time

     **Roles: aco (the rows it uploaded), ops (every ACO's, or one with `aco_id`).** Every alignment row
    uploaded for the MBI (without `mbi`: for every beneficiary), oldest first, with its upload;
    `current` marks the row that counts now (the latest: episodes and settlements read it), and
    `status_on_as_of` what each row says about the day `as_of` (default today): aligned, or why a
    service that day opens no episode. Ask with an episode's end date to see why it was excluded as not
    aligned. An ACO sees only its own uploads: another ACO's beneficiary is an empty list, another ACO's
    `aco_id` a 404.

    Args:
        mbi (None | str | Unset): The beneficiary's MBI; without it, every beneficiary's.
        as_of (datetime.date | None | Unset): The day each row is read for (`status_on_as_of`);
            default today.
        aco_id (None | str | Unset): Ops: only this ACO's rows. An ACO: its own id or none.
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageAlignmentRowOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        mbi=mbi,
        as_of=as_of,
        aco_id=aco_id,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    mbi: None | str | Unset = UNSET,
    as_of: datetime.date | None | Unset = UNSET,
    aco_id: None | str | Unset = UNSET,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageAlignmentRowOut | ProblemDetails | None:
    """A beneficiary's alignment over time

     **Roles: aco (the rows it uploaded), ops (every ACO's, or one with `aco_id`).** Every alignment row
    uploaded for the MBI (without `mbi`: for every beneficiary), oldest first, with its upload;
    `current` marks the row that counts now (the latest: episodes and settlements read it), and
    `status_on_as_of` what each row says about the day `as_of` (default today): aligned, or why a
    service that day opens no episode. Ask with an episode's end date to see why it was excluded as not
    aligned. An ACO sees only its own uploads: another ACO's beneficiary is an empty list, another ACO's
    `aco_id` a 404.

    Args:
        mbi (None | str | Unset): The beneficiary's MBI; without it, every beneficiary's.
        as_of (datetime.date | None | Unset): The day each row is read for (`status_on_as_of`);
            default today.
        aco_id (None | str | Unset): Ops: only this ACO's rows. An ACO: its own id or none.
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageAlignmentRowOut | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            mbi=mbi,
            as_of=as_of,
            aco_id=aco_id,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
