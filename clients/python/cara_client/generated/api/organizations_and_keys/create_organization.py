from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.organization import Organization
from ...models.organization_create import OrganizationCreate
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: OrganizationCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/organizations",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Organization | ProblemDetails | None:
    if response.status_code == 201:
        response_201 = Organization.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

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
    *,
    client: AuthenticatedClient,
    body: OrganizationCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Organization | ProblemDetails]:
    """Onboard an ACO or a preferred provider

     **Role: ops.** Creates an organisation. A provider lists the NPIs of its clinicians (each checked:
    10 digits, Luhn check digit), which join its roster on `npis_effective_from` (default today), and
    may name the ACO whose network it joins. A TIN belongs to one organisation of a kind: a second ACO
    (or provider) with the same TIN is a 409 naming the first.

    Args:
        idempotency_key (str | Unset):
        body (OrganizationCreate): A new ACO or preferred provider (ops only). Example: {'aco_id':
            'org_01JD7Q5Z0000000000000001', 'contact_email': 'contracts@lakeside.example', 'kind':
            'provider', 'name': 'Lakeside Geriatrics PC', 'npis': ['1234567893'],
            'npis_effective_from': '2027-01-01', 'tin': '123456789'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Organization | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: OrganizationCreate,
    idempotency_key: str | Unset = UNSET,
) -> Organization | ProblemDetails | None:
    """Onboard an ACO or a preferred provider

     **Role: ops.** Creates an organisation. A provider lists the NPIs of its clinicians (each checked:
    10 digits, Luhn check digit), which join its roster on `npis_effective_from` (default today), and
    may name the ACO whose network it joins. A TIN belongs to one organisation of a kind: a second ACO
    (or provider) with the same TIN is a 409 naming the first.

    Args:
        idempotency_key (str | Unset):
        body (OrganizationCreate): A new ACO or preferred provider (ops only). Example: {'aco_id':
            'org_01JD7Q5Z0000000000000001', 'contact_email': 'contracts@lakeside.example', 'kind':
            'provider', 'name': 'Lakeside Geriatrics PC', 'npis': ['1234567893'],
            'npis_effective_from': '2027-01-01', 'tin': '123456789'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Organization | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: OrganizationCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[Organization | ProblemDetails]:
    """Onboard an ACO or a preferred provider

     **Role: ops.** Creates an organisation. A provider lists the NPIs of its clinicians (each checked:
    10 digits, Luhn check digit), which join its roster on `npis_effective_from` (default today), and
    may name the ACO whose network it joins. A TIN belongs to one organisation of a kind: a second ACO
    (or provider) with the same TIN is a 409 naming the first.

    Args:
        idempotency_key (str | Unset):
        body (OrganizationCreate): A new ACO or preferred provider (ops only). Example: {'aco_id':
            'org_01JD7Q5Z0000000000000001', 'contact_email': 'contracts@lakeside.example', 'kind':
            'provider', 'name': 'Lakeside Geriatrics PC', 'npis': ['1234567893'],
            'npis_effective_from': '2027-01-01', 'tin': '123456789'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Organization | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: OrganizationCreate,
    idempotency_key: str | Unset = UNSET,
) -> Organization | ProblemDetails | None:
    """Onboard an ACO or a preferred provider

     **Role: ops.** Creates an organisation. A provider lists the NPIs of its clinicians (each checked:
    10 digits, Luhn check digit), which join its roster on `npis_effective_from` (default today), and
    may name the ACO whose network it joins. A TIN belongs to one organisation of a kind: a second ACO
    (or provider) with the same TIN is a 409 naming the first.

    Args:
        idempotency_key (str | Unset):
        body (OrganizationCreate): A new ACO or preferred provider (ops only). Example: {'aco_id':
            'org_01JD7Q5Z0000000000000001', 'contact_email': 'contracts@lakeside.example', 'kind':
            'provider', 'name': 'Lakeside Geriatrics PC', 'npis': ['1234567893'],
            'npis_effective_from': '2027-01-01', 'tin': '123456789'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Organization | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
