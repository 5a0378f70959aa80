from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.settlement_out import SettlementOut
from ...models.settlement_request import SettlementRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    arrangement_id: str,
    *,
    body: SettlementRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/arrangements/{arrangement_id}/settlements".format(
            arrangement_id=quote(str(arrangement_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | SettlementOut | None:
    if response.status_code == 200:
        response_200 = SettlementOut.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = SettlementOut.from_dict(response.json())

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
) -> Response[ProblemDetails | SettlementOut]:
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
    body: SettlementRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | SettlementOut]:
    """Run a settlement (or preview one)

     **Roles: aco, provider (parties of the arrangement), ops.** Settles the arrangement in force for the
    period (the method in plain words: docs/settlement.md) with claim line versions received up to
    `claims_cutoff` (default: period end + `runout_days`) from the uploads stored when it runs (recorded
    in `sources`). Stored as the next draft revision of (arrangement, period) with `delta` against the
    current final one (201), or with `preview: true` computed and returned without storing anything
    (200). A run whose `inputs_sha256` equals that of the latest revision, a draft, returns that draft
    (200) instead of storing a copy, unless a dispute was upheld since. Episodes another arrangement's
    final settlement already counts are excluded (`settled_elsewhere`). Each episode settles under the
    terms version in force on its trigger date (an amendment takes effect on its `effective_from`);
    `terms_versions` gives the figures per version. Only executed or terminated arrangements are settled
    (409 otherwise).

    Args:
        arrangement_id (str):
        idempotency_key (str | Unset):
        body (SettlementRequest):  Example: {'period_end': '2027-12-31', 'period_start':
            '2027-01-01', 'preview': False}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | SettlementOut]
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
    body: SettlementRequest,
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | SettlementOut | None:
    """Run a settlement (or preview one)

     **Roles: aco, provider (parties of the arrangement), ops.** Settles the arrangement in force for the
    period (the method in plain words: docs/settlement.md) with claim line versions received up to
    `claims_cutoff` (default: period end + `runout_days`) from the uploads stored when it runs (recorded
    in `sources`). Stored as the next draft revision of (arrangement, period) with `delta` against the
    current final one (201), or with `preview: true` computed and returned without storing anything
    (200). A run whose `inputs_sha256` equals that of the latest revision, a draft, returns that draft
    (200) instead of storing a copy, unless a dispute was upheld since. Episodes another arrangement's
    final settlement already counts are excluded (`settled_elsewhere`). Each episode settles under the
    terms version in force on its trigger date (an amendment takes effect on its `effective_from`);
    `terms_versions` gives the figures per version. Only executed or terminated arrangements are settled
    (409 otherwise).

    Args:
        arrangement_id (str):
        idempotency_key (str | Unset):
        body (SettlementRequest):  Example: {'period_end': '2027-12-31', 'period_start':
            '2027-01-01', 'preview': False}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | SettlementOut
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
    body: SettlementRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | SettlementOut]:
    """Run a settlement (or preview one)

     **Roles: aco, provider (parties of the arrangement), ops.** Settles the arrangement in force for the
    period (the method in plain words: docs/settlement.md) with claim line versions received up to
    `claims_cutoff` (default: period end + `runout_days`) from the uploads stored when it runs (recorded
    in `sources`). Stored as the next draft revision of (arrangement, period) with `delta` against the
    current final one (201), or with `preview: true` computed and returned without storing anything
    (200). A run whose `inputs_sha256` equals that of the latest revision, a draft, returns that draft
    (200) instead of storing a copy, unless a dispute was upheld since. Episodes another arrangement's
    final settlement already counts are excluded (`settled_elsewhere`). Each episode settles under the
    terms version in force on its trigger date (an amendment takes effect on its `effective_from`);
    `terms_versions` gives the figures per version. Only executed or terminated arrangements are settled
    (409 otherwise).

    Args:
        arrangement_id (str):
        idempotency_key (str | Unset):
        body (SettlementRequest):  Example: {'period_end': '2027-12-31', 'period_start':
            '2027-01-01', 'preview': False}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | SettlementOut]
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
    body: SettlementRequest,
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | SettlementOut | None:
    """Run a settlement (or preview one)

     **Roles: aco, provider (parties of the arrangement), ops.** Settles the arrangement in force for the
    period (the method in plain words: docs/settlement.md) with claim line versions received up to
    `claims_cutoff` (default: period end + `runout_days`) from the uploads stored when it runs (recorded
    in `sources`). Stored as the next draft revision of (arrangement, period) with `delta` against the
    current final one (201), or with `preview: true` computed and returned without storing anything
    (200). A run whose `inputs_sha256` equals that of the latest revision, a draft, returns that draft
    (200) instead of storing a copy, unless a dispute was upheld since. Episodes another arrangement's
    final settlement already counts are excluded (`settled_elsewhere`). Each episode settles under the
    terms version in force on its trigger date (an amendment takes effect on its `effective_from`);
    `terms_versions` gives the figures per version. Only executed or terminated arrangements are settled
    (409 otherwise).

    Args:
        arrangement_id (str):
        idempotency_key (str | Unset):
        body (SettlementRequest):  Example: {'period_end': '2027-12-31', 'period_start':
            '2027-01-01', 'preview': False}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | SettlementOut
    """

    return (
        await asyncio_detailed(
            arrangement_id=arrangement_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
