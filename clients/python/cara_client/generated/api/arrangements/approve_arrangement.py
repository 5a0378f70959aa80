from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.arrangement_out import ArrangementOut
from ...models.problem_details import ProblemDetails
from ...models.review_request import ReviewRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    arrangement_id: str,
    *,
    body: None | ReviewRequest | Unset = UNSET,
    if_match: str,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["If-Match"] = if_match

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/arrangements/{arrangement_id}/approve".format(
            arrangement_id=quote(str(arrangement_id), safe=""),
        ),
    }

    if isinstance(body, ReviewRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ArrangementOut | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = ArrangementOut.from_dict(response.json())

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

    if response.status_code == 412:
        response_412 = ProblemDetails.from_dict(response.json())

        return response_412

    if response.status_code == 422:
        response_422 = ProblemDetails.from_dict(response.json())

        return response_422

    if response.status_code == 428:
        response_428 = ProblemDetails.from_dict(response.json())

        return response_428

    if response.status_code == 429:
        response_429 = ProblemDetails.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ArrangementOut | ProblemDetails]:
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
    body: None | ReviewRequest | Unset = UNSET,
    if_match: str,
    idempotency_key: str | Unset = UNSET,
) -> Response[ArrangementOut | ProblemDetails]:
    """Approve max-flex overrides

     **Role: ops.** A `pending_approval` arrangement becomes executed with its overrides. Requires `If-
    Match`.

    Args:
        arrangement_id (str):
        if_match (str):
        idempotency_key (str | Unset):
        body (None | ReviewRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArrangementOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        arrangement_id=arrangement_id,
        body=body,
        if_match=if_match,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    arrangement_id: str,
    *,
    client: AuthenticatedClient,
    body: None | ReviewRequest | Unset = UNSET,
    if_match: str,
    idempotency_key: str | Unset = UNSET,
) -> ArrangementOut | ProblemDetails | None:
    """Approve max-flex overrides

     **Role: ops.** A `pending_approval` arrangement becomes executed with its overrides. Requires `If-
    Match`.

    Args:
        arrangement_id (str):
        if_match (str):
        idempotency_key (str | Unset):
        body (None | ReviewRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ArrangementOut | ProblemDetails
    """

    return sync_detailed(
        arrangement_id=arrangement_id,
        client=client,
        body=body,
        if_match=if_match,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    arrangement_id: str,
    *,
    client: AuthenticatedClient,
    body: None | ReviewRequest | Unset = UNSET,
    if_match: str,
    idempotency_key: str | Unset = UNSET,
) -> Response[ArrangementOut | ProblemDetails]:
    """Approve max-flex overrides

     **Role: ops.** A `pending_approval` arrangement becomes executed with its overrides. Requires `If-
    Match`.

    Args:
        arrangement_id (str):
        if_match (str):
        idempotency_key (str | Unset):
        body (None | ReviewRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArrangementOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        arrangement_id=arrangement_id,
        body=body,
        if_match=if_match,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    arrangement_id: str,
    *,
    client: AuthenticatedClient,
    body: None | ReviewRequest | Unset = UNSET,
    if_match: str,
    idempotency_key: str | Unset = UNSET,
) -> ArrangementOut | ProblemDetails | None:
    """Approve max-flex overrides

     **Role: ops.** A `pending_approval` arrangement becomes executed with its overrides. Requires `If-
    Match`.

    Args:
        arrangement_id (str):
        if_match (str):
        idempotency_key (str | Unset):
        body (None | ReviewRequest | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ArrangementOut | ProblemDetails
    """

    return (
        await asyncio_detailed(
            arrangement_id=arrangement_id,
            client=client,
            body=body,
            if_match=if_match,
            idempotency_key=idempotency_key,
        )
    ).parsed
