from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.roster_entry_out import RosterEntryOut
from ...models.roster_npi_add import RosterNpiAdd
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org_id: str,
    *,
    body: RosterNpiAdd,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/organizations/{org_id}/npis".format(
            org_id=quote(str(org_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | RosterEntryOut | None:
    if response.status_code == 201:
        response_201 = RosterEntryOut.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

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
) -> Response[ProblemDetails | RosterEntryOut]:
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
    body: RosterNpiAdd,
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | RosterEntryOut]:
    """Add a clinician's NPI to the roster

     **Roles: ops, or the organisation itself (aco, provider).** The NPI (10 digits, Luhn check digit) is
    on the roster from `effective_from` on, with no end date; services it rendered from that day open
    episodes for the practice's arrangements. An NPI whose earlier stay is still open, or ends on or
    after `effective_from`, is a 409 (stays never overlap; end the earlier one first). Audited, and
    announced by the webhook `organization.roster_changed` to the organisation and to every organisation
    it has an arrangement with (proposed, in force or terminated).

    Args:
        org_id (str):
        idempotency_key (str | Unset):
        body (RosterNpiAdd):  Example: {'effective_from': '2027-04-01', 'npi': '1234567893'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | RosterEntryOut]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org_id: str,
    *,
    client: AuthenticatedClient,
    body: RosterNpiAdd,
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | RosterEntryOut | None:
    """Add a clinician's NPI to the roster

     **Roles: ops, or the organisation itself (aco, provider).** The NPI (10 digits, Luhn check digit) is
    on the roster from `effective_from` on, with no end date; services it rendered from that day open
    episodes for the practice's arrangements. An NPI whose earlier stay is still open, or ends on or
    after `effective_from`, is a 409 (stays never overlap; end the earlier one first). Audited, and
    announced by the webhook `organization.roster_changed` to the organisation and to every organisation
    it has an arrangement with (proposed, in force or terminated).

    Args:
        org_id (str):
        idempotency_key (str | Unset):
        body (RosterNpiAdd):  Example: {'effective_from': '2027-04-01', 'npi': '1234567893'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | RosterEntryOut
    """

    return sync_detailed(
        org_id=org_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    org_id: str,
    *,
    client: AuthenticatedClient,
    body: RosterNpiAdd,
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | RosterEntryOut]:
    """Add a clinician's NPI to the roster

     **Roles: ops, or the organisation itself (aco, provider).** The NPI (10 digits, Luhn check digit) is
    on the roster from `effective_from` on, with no end date; services it rendered from that day open
    episodes for the practice's arrangements. An NPI whose earlier stay is still open, or ends on or
    after `effective_from`, is a 409 (stays never overlap; end the earlier one first). Audited, and
    announced by the webhook `organization.roster_changed` to the organisation and to every organisation
    it has an arrangement with (proposed, in force or terminated).

    Args:
        org_id (str):
        idempotency_key (str | Unset):
        body (RosterNpiAdd):  Example: {'effective_from': '2027-04-01', 'npi': '1234567893'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | RosterEntryOut]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org_id: str,
    *,
    client: AuthenticatedClient,
    body: RosterNpiAdd,
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | RosterEntryOut | None:
    """Add a clinician's NPI to the roster

     **Roles: ops, or the organisation itself (aco, provider).** The NPI (10 digits, Luhn check digit) is
    on the roster from `effective_from` on, with no end date; services it rendered from that day open
    episodes for the practice's arrangements. An NPI whose earlier stay is still open, or ends on or
    after `effective_from`, is a 409 (stays never overlap; end the earlier one first). Audited, and
    announced by the webhook `organization.roster_changed` to the organisation and to every organisation
    it has an arrangement with (proposed, in force or terminated).

    Args:
        org_id (str):
        idempotency_key (str | Unset):
        body (RosterNpiAdd):  Example: {'effective_from': '2027-04-01', 'npi': '1234567893'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | RosterEntryOut
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
