from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.audit_verification_out import AuditVerificationOut
from ...models.problem_details import ProblemDetails
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit/verification",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AuditVerificationOut | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = AuditVerificationOut.from_dict(response.json())

        return response_200

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 429:
        response_429 = ProblemDetails.from_dict(response.json())

        return response_429

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[AuditVerificationOut | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[AuditVerificationOut | ProblemDetails]:
    """Verify the audit chain, signed terms and final settlements

     **Role: ops.** Recomputes the audit hash chain, the terms hash of every signed terms version against
    what the chain recorded when it was signed, and the digest of every final (or superseded) settlement
    and its lines against the digest recorded when it was finalised. `ok` is false when anything was
    altered; each finding names the resource. Reads every event, version and final settlement line: it
    takes a while on a large database.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditVerificationOut | ProblemDetails]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> AuditVerificationOut | ProblemDetails | None:
    """Verify the audit chain, signed terms and final settlements

     **Role: ops.** Recomputes the audit hash chain, the terms hash of every signed terms version against
    what the chain recorded when it was signed, and the digest of every final (or superseded) settlement
    and its lines against the digest recorded when it was finalised. `ok` is false when anything was
    altered; each finding names the resource. Reads every event, version and final settlement line: it
    takes a while on a large database.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditVerificationOut | ProblemDetails
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[AuditVerificationOut | ProblemDetails]:
    """Verify the audit chain, signed terms and final settlements

     **Role: ops.** Recomputes the audit hash chain, the terms hash of every signed terms version against
    what the chain recorded when it was signed, and the digest of every final (or superseded) settlement
    and its lines against the digest recorded when it was finalised. `ok` is false when anything was
    altered; each finding names the resource. Reads every event, version and final settlement line: it
    takes a while on a large database.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AuditVerificationOut | ProblemDetails]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> AuditVerificationOut | ProblemDetails | None:
    """Verify the audit chain, signed terms and final settlements

     **Role: ops.** Recomputes the audit hash chain, the terms hash of every signed terms version against
    what the chain recorded when it was signed, and the digest of every final (or superseded) settlement
    and its lines against the digest recorded when it was finalised. `ok` is false when anything was
    altered; each finding names the resource. Reads every event, version and final settlement line: it
    takes a while on a large database.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AuditVerificationOut | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
