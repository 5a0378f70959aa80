from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.arrangement_out import ArrangementOut
from ...models.problem_details import ProblemDetails
from ...models.renewal_create import RenewalCreate
from ...types import UNSET, Response, Unset


def _get_kwargs(
    arrangement_id: str,
    *,
    body: None | RenewalCreate | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/arrangements/{arrangement_id}/renewals".format(
            arrangement_id=quote(str(arrangement_id), safe=""),
        ),
    }

    if isinstance(body, RenewalCreate):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ArrangementOut | ProblemDetails | None:
    if response.status_code == 201:
        response_201 = ArrangementOut.from_dict(response.json())

        return response_201

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
    body: None | RenewalCreate | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[ArrangementOut | ProblemDetails]:
    """Propose a renewal

     **Roles: party.** On an executed arrangement: a new arrangement between the same parties for the
    same episode definition, for the following period (default: right after this one, as long) with the
    terms in force (or those sent), proposed by the caller to the other party. It is an ordinary draft
    from then on (revise, sign, decline, withdraw, approval of overrides) and shows `renewal_of`; this
    arrangement shows it in `renewed_by`. One renewal at a time: while one is proposed, signed or in
    force, another is a 409. Requires `If-Match` of this arrangement; answers the new one.

    Args:
        arrangement_id (str):
        idempotency_key (str | Unset):
        body (None | RenewalCreate | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArrangementOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        arrangement_id=arrangement_id,
        body=body,
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
    body: None | RenewalCreate | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> ArrangementOut | ProblemDetails | None:
    """Propose a renewal

     **Roles: party.** On an executed arrangement: a new arrangement between the same parties for the
    same episode definition, for the following period (default: right after this one, as long) with the
    terms in force (or those sent), proposed by the caller to the other party. It is an ordinary draft
    from then on (revise, sign, decline, withdraw, approval of overrides) and shows `renewal_of`; this
    arrangement shows it in `renewed_by`. One renewal at a time: while one is proposed, signed or in
    force, another is a 409. Requires `If-Match` of this arrangement; answers the new one.

    Args:
        arrangement_id (str):
        idempotency_key (str | Unset):
        body (None | RenewalCreate | Unset):

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
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    arrangement_id: str,
    *,
    client: AuthenticatedClient,
    body: None | RenewalCreate | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[ArrangementOut | ProblemDetails]:
    """Propose a renewal

     **Roles: party.** On an executed arrangement: a new arrangement between the same parties for the
    same episode definition, for the following period (default: right after this one, as long) with the
    terms in force (or those sent), proposed by the caller to the other party. It is an ordinary draft
    from then on (revise, sign, decline, withdraw, approval of overrides) and shows `renewal_of`; this
    arrangement shows it in `renewed_by`. One renewal at a time: while one is proposed, signed or in
    force, another is a 409. Requires `If-Match` of this arrangement; answers the new one.

    Args:
        arrangement_id (str):
        idempotency_key (str | Unset):
        body (None | RenewalCreate | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ArrangementOut | ProblemDetails]
    """

    kwargs = _get_kwargs(
        arrangement_id=arrangement_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    arrangement_id: str,
    *,
    client: AuthenticatedClient,
    body: None | RenewalCreate | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> ArrangementOut | ProblemDetails | None:
    """Propose a renewal

     **Roles: party.** On an executed arrangement: a new arrangement between the same parties for the
    same episode definition, for the following period (default: right after this one, as long) with the
    terms in force (or those sent), proposed by the caller to the other party. It is an ordinary draft
    from then on (revise, sign, decline, withdraw, approval of overrides) and shows `renewal_of`; this
    arrangement shows it in `renewed_by`. One renewal at a time: while one is proposed, signed or in
    force, another is a 409. Requires `If-Match` of this arrangement; answers the new one.

    Args:
        arrangement_id (str):
        idempotency_key (str | Unset):
        body (None | RenewalCreate | Unset):

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
            idempotency_key=idempotency_key,
        )
    ).parsed
