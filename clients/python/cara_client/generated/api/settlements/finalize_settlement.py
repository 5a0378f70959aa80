from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.finalize_request import FinalizeRequest
from ...models.problem_details import ProblemDetails
from ...models.settlement_out import SettlementOut
from ...types import UNSET, Response, Unset


def _get_kwargs(
    settlement_id: str,
    *,
    body: FinalizeRequest | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/settlements/{settlement_id}/finalize".format(
            settlement_id=quote(str(settlement_id), safe=""),
        ),
    }

    if isinstance(body, FinalizeRequest):
        _kwargs["json"] = body.to_dict()
    else:
        _kwargs["json"] = body

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | SettlementOut | None:
    if response.status_code == 200:
        response_200 = SettlementOut.from_dict(response.json())

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
) -> Response[ProblemDetails | SettlementOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    settlement_id: str,
    *,
    client: AuthenticatedClient,
    body: FinalizeRequest | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | SettlementOut]:
    """Finalise a settlement

     **Role: ops.** draft -> final. Only the latest revision of its period (409 naming the latest
    otherwise); not before its claims cutoff has passed (409) unless the body gives an
    `override_reason`, which is kept and audited; never while a dispute of the period is open, whatever
    the reason (409), nor when a dispute was upheld after it was computed (409: run it again). The
    period's earlier final becomes `superseded`; `delta` is fixed against it (or against zero), so a
    period's final deltas add up to its latest final amount. A digest of the settlement and its lines is
    recorded in the audit chain. A final settlement never changes; finalising it again is a 409. The
    body may be omitted.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):
        body (FinalizeRequest | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | SettlementOut]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    settlement_id: str,
    *,
    client: AuthenticatedClient,
    body: FinalizeRequest | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | SettlementOut | None:
    """Finalise a settlement

     **Role: ops.** draft -> final. Only the latest revision of its period (409 naming the latest
    otherwise); not before its claims cutoff has passed (409) unless the body gives an
    `override_reason`, which is kept and audited; never while a dispute of the period is open, whatever
    the reason (409), nor when a dispute was upheld after it was computed (409: run it again). The
    period's earlier final becomes `superseded`; `delta` is fixed against it (or against zero), so a
    period's final deltas add up to its latest final amount. A digest of the settlement and its lines is
    recorded in the audit chain. A final settlement never changes; finalising it again is a 409. The
    body may be omitted.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):
        body (FinalizeRequest | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | SettlementOut
    """

    return sync_detailed(
        settlement_id=settlement_id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    settlement_id: str,
    *,
    client: AuthenticatedClient,
    body: FinalizeRequest | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> Response[ProblemDetails | SettlementOut]:
    """Finalise a settlement

     **Role: ops.** draft -> final. Only the latest revision of its period (409 naming the latest
    otherwise); not before its claims cutoff has passed (409) unless the body gives an
    `override_reason`, which is kept and audited; never while a dispute of the period is open, whatever
    the reason (409), nor when a dispute was upheld after it was computed (409: run it again). The
    period's earlier final becomes `superseded`; `delta` is fixed against it (or against zero), so a
    period's final deltas add up to its latest final amount. A digest of the settlement and its lines is
    recorded in the audit chain. A final settlement never changes; finalising it again is a 409. The
    body may be omitted.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):
        body (FinalizeRequest | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | SettlementOut]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    settlement_id: str,
    *,
    client: AuthenticatedClient,
    body: FinalizeRequest | None | Unset = UNSET,
    idempotency_key: str | Unset = UNSET,
) -> ProblemDetails | SettlementOut | None:
    """Finalise a settlement

     **Role: ops.** draft -> final. Only the latest revision of its period (409 naming the latest
    otherwise); not before its claims cutoff has passed (409) unless the body gives an
    `override_reason`, which is kept and audited; never while a dispute of the period is open, whatever
    the reason (409), nor when a dispute was upheld after it was computed (409: run it again). The
    period's earlier final becomes `superseded`; `delta` is fixed against it (or against zero), so a
    period's final deltas add up to its latest final amount. A digest of the settlement and its lines is
    recorded in the audit chain. A final settlement never changes; finalising it again is a 409. The
    body may be omitted.

    Args:
        settlement_id (str):
        idempotency_key (str | Unset):
        body (FinalizeRequest | None | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | SettlementOut
    """

    return (
        await asyncio_detailed(
            settlement_id=settlement_id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
