from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.roster_entry_out import RosterEntryOut
from ...models.roster_npi_end import RosterNpiEnd
from ...types import UNSET, Response, Unset


def _get_kwargs(
    org_id: str,
    npi: str,
    *,
    body: RosterNpiEnd,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/organizations/{org_id}/npis/{npi}/end".format(
            org_id=quote(str(org_id), safe=""),
            npi=quote(str(npi), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | RosterEntryOut | None:
    if response.status_code == 200:
        response_200 = RosterEntryOut.from_dict(response.json())

        return response_200

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
    npi: str,
    *,
    client: AuthenticatedClient,
    body: RosterNpiEnd,
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | RosterEntryOut]:
    """End a clinician's stay on the roster

     **Roles: ops, or the organisation itself (aco, provider).** `effective_to` is the NPI's last day on
    the roster (on or after the day it joined, else 422); services it renders after that day no longer
    open episodes for the practice. 404 when the NPI was never on the roster, 409 when it has left
    already. Audited, and announced by the webhook `organization.roster_changed` to the organisation and
    to every organisation it has an arrangement with (proposed, in force or terminated).

    Args:
        org_id (str):
        npi (str):
        idempotency_key (str | Unset):
        body (RosterNpiEnd):  Example: {'effective_to': '2027-06-30'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | RosterEntryOut]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        npi=npi,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org_id: str,
    npi: str,
    *,
    client: AuthenticatedClient,
    body: RosterNpiEnd,
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | RosterEntryOut | None:
    """End a clinician's stay on the roster

     **Roles: ops, or the organisation itself (aco, provider).** `effective_to` is the NPI's last day on
    the roster (on or after the day it joined, else 422); services it renders after that day no longer
    open episodes for the practice. 404 when the NPI was never on the roster, 409 when it has left
    already. Audited, and announced by the webhook `organization.roster_changed` to the organisation and
    to every organisation it has an arrangement with (proposed, in force or terminated).

    Args:
        org_id (str):
        npi (str):
        idempotency_key (str | Unset):
        body (RosterNpiEnd):  Example: {'effective_to': '2027-06-30'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | RosterEntryOut
    """

    return sync_detailed(
        org_id=org_id,
        npi=npi,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    org_id: str,
    npi: str,
    *,
    client: AuthenticatedClient,
    body: RosterNpiEnd,
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | RosterEntryOut]:
    """End a clinician's stay on the roster

     **Roles: ops, or the organisation itself (aco, provider).** `effective_to` is the NPI's last day on
    the roster (on or after the day it joined, else 422); services it renders after that day no longer
    open episodes for the practice. 404 when the NPI was never on the roster, 409 when it has left
    already. Audited, and announced by the webhook `organization.roster_changed` to the organisation and
    to every organisation it has an arrangement with (proposed, in force or terminated).

    Args:
        org_id (str):
        npi (str):
        idempotency_key (str | Unset):
        body (RosterNpiEnd):  Example: {'effective_to': '2027-06-30'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | RosterEntryOut]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        npi=npi,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org_id: str,
    npi: str,
    *,
    client: AuthenticatedClient,
    body: RosterNpiEnd,
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | RosterEntryOut | None:
    """End a clinician's stay on the roster

     **Roles: ops, or the organisation itself (aco, provider).** `effective_to` is the NPI's last day on
    the roster (on or after the day it joined, else 422); services it renders after that day no longer
    open episodes for the practice. 404 when the NPI was never on the roster, 409 when it has left
    already. Audited, and announced by the webhook `organization.roster_changed` to the organisation and
    to every organisation it has an arrangement with (proposed, in force or terminated).

    Args:
        org_id (str):
        npi (str):
        idempotency_key (str | Unset):
        body (RosterNpiEnd):  Example: {'effective_to': '2027-06-30'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | RosterEntryOut
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            npi=npi,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
