from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.page_cclf_decision_out import PageCclfDecisionOut
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    upload_id: str,
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
        "url": "/v1/uploads/{upload_id}/cclf-decisions".format(
            upload_id=quote(str(upload_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PageCclfDecisionOut | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = PageCclfDecisionOut.from_dict(response.json())

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
) -> Response[PageCclfDecisionOut | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    upload_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageCclfDecisionOut | ProblemDetails]:
    """Why each version of a CCLF claim counts or not

     **Roles: aco (its own uploads), ops.** For a claims upload from a CCLF delivery: every version of
    each claim that came with more than one (originals, cancellations, adjustments) with whether it is
    the version that counts and why (cancelled by, cancels, superseded by, latest remaining, denied). A
    claim's only version counts as it is and is not listed. Empty for other uploads. Grouped by claim,
    in file order within a claim.

    Args:
        upload_id (str):
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageCclfDecisionOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        upload_id=upload_id,
        limit=limit,
        cursor=cursor,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    upload_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageCclfDecisionOut | ProblemDetails | None:
    """Why each version of a CCLF claim counts or not

     **Roles: aco (its own uploads), ops.** For a claims upload from a CCLF delivery: every version of
    each claim that came with more than one (originals, cancellations, adjustments) with whether it is
    the version that counts and why (cancelled by, cancels, superseded by, latest remaining, denied). A
    claim's only version counts as it is and is not listed. Empty for other uploads. Grouped by claim,
    in file order within a claim.

    Args:
        upload_id (str):
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageCclfDecisionOut | ProblemDetails
    """

    return sync_detailed(
        upload_id=upload_id,
        client=client,
        limit=limit,
        cursor=cursor,
    ).parsed


async def asyncio_detailed(
    upload_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> Response[PageCclfDecisionOut | ProblemDetails]:
    """Why each version of a CCLF claim counts or not

     **Roles: aco (its own uploads), ops.** For a claims upload from a CCLF delivery: every version of
    each claim that came with more than one (originals, cancellations, adjustments) with whether it is
    the version that counts and why (cancelled by, cancels, superseded by, latest remaining, denied). A
    claim's only version counts as it is and is not listed. Empty for other uploads. Grouped by claim,
    in file order within a claim.

    Args:
        upload_id (str):
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PageCclfDecisionOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        upload_id=upload_id,
        limit=limit,
        cursor=cursor,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    upload_id: str,
    *,
    client: AuthenticatedClient,
    limit: int | Unset = 50,
    cursor: None | str | Unset = UNSET,
) -> PageCclfDecisionOut | ProblemDetails | None:
    """Why each version of a CCLF claim counts or not

     **Roles: aco (its own uploads), ops.** For a claims upload from a CCLF delivery: every version of
    each claim that came with more than one (originals, cancellations, adjustments) with whether it is
    the version that counts and why (cancelled by, cancels, superseded by, latest remaining, denied). A
    claim's only version counts as it is and is not listed. Empty for other uploads. Grouped by claim,
    in file order within a claim.

    Args:
        upload_id (str):
        limit (int | Unset): Page size (1..500). Default: 50.
        cursor (None | str | Unset): Opaque cursor from the previous page's `next_cursor`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PageCclfDecisionOut | ProblemDetails
    """

    return (
        await asyncio_detailed(
            upload_id=upload_id,
            client=client,
            limit=limit,
            cursor=cursor,
        )
    ).parsed
