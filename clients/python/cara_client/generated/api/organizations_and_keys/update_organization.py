from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.organization import Organization
from ...models.organization_update import OrganizationUpdate
from ...models.problem_details import ProblemDetails
from ...types import Response


def _get_kwargs(
    org_id: str,
    *,
    body: OrganizationUpdate,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/v1/organizations/{org_id}".format(
            org_id=quote(str(org_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Organization | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = Organization.from_dict(response.json())

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
) -> Response[Organization | ProblemDetails]:
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
    body: OrganizationUpdate,
) -> Response[Organization | ProblemDetails]:
    """Change an organisation's profile

     **Role: ops.** The name, the contact email and, for an ACO, the CMS ACO id (one capital letter and
    four digits, unique: another ACO's is a 409). Only the fields sent change; `null` clears the contact
    email or the CMS ACO id. Audited with the old and new values. Arrangement documents already signed
    keep the names and TINs they were signed with.

    Args:
        org_id (str):
        body (OrganizationUpdate): A change of an organisation's profile (ops only): only the
            fields sent change; `null`
            clears `contact_email` or `cms_aco_id`. The TIN and kind never change (a new TIN is a new
            organisation); documents already signed keep the name they were signed with. Example:
            {'cms_aco_id': 'A1234', 'name': 'Lakeview ACO LLC'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Organization | ProblemDetails]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    org_id: str,
    *,
    client: AuthenticatedClient,
    body: OrganizationUpdate,
) -> Organization | ProblemDetails | None:
    """Change an organisation's profile

     **Role: ops.** The name, the contact email and, for an ACO, the CMS ACO id (one capital letter and
    four digits, unique: another ACO's is a 409). Only the fields sent change; `null` clears the contact
    email or the CMS ACO id. Audited with the old and new values. Arrangement documents already signed
    keep the names and TINs they were signed with.

    Args:
        org_id (str):
        body (OrganizationUpdate): A change of an organisation's profile (ops only): only the
            fields sent change; `null`
            clears `contact_email` or `cms_aco_id`. The TIN and kind never change (a new TIN is a new
            organisation); documents already signed keep the name they were signed with. Example:
            {'cms_aco_id': 'A1234', 'name': 'Lakeview ACO LLC'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Organization | ProblemDetails
    """

    return sync_detailed(
        org_id=org_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    org_id: str,
    *,
    client: AuthenticatedClient,
    body: OrganizationUpdate,
) -> Response[Organization | ProblemDetails]:
    """Change an organisation's profile

     **Role: ops.** The name, the contact email and, for an ACO, the CMS ACO id (one capital letter and
    four digits, unique: another ACO's is a 409). Only the fields sent change; `null` clears the contact
    email or the CMS ACO id. Audited with the old and new values. Arrangement documents already signed
    keep the names and TINs they were signed with.

    Args:
        org_id (str):
        body (OrganizationUpdate): A change of an organisation's profile (ops only): only the
            fields sent change; `null`
            clears `contact_email` or `cms_aco_id`. The TIN and kind never change (a new TIN is a new
            organisation); documents already signed keep the name they were signed with. Example:
            {'cms_aco_id': 'A1234', 'name': 'Lakeview ACO LLC'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Organization | ProblemDetails]
    """

    kwargs = _get_kwargs(
        org_id=org_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    org_id: str,
    *,
    client: AuthenticatedClient,
    body: OrganizationUpdate,
) -> Organization | ProblemDetails | None:
    """Change an organisation's profile

     **Role: ops.** The name, the contact email and, for an ACO, the CMS ACO id (one capital letter and
    four digits, unique: another ACO's is a 409). Only the fields sent change; `null` clears the contact
    email or the CMS ACO id. Audited with the old and new values. Arrangement documents already signed
    keep the names and TINs they were signed with.

    Args:
        org_id (str):
        body (OrganizationUpdate): A change of an organisation's profile (ops only): only the
            fields sent change; `null`
            clears `contact_email` or `cms_aco_id`. The TIN and kind never change (a new TIN is a new
            organisation); documents already signed keep the name they were signed with. Example:
            {'cms_aco_id': 'A1234', 'name': 'Lakeview ACO LLC'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Organization | ProblemDetails
    """

    return (
        await asyncio_detailed(
            org_id=org_id,
            client=client,
            body=body,
        )
    ).parsed
