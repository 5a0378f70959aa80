from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.amendment_create import AmendmentCreate
from ...models.arrangement_out import ArrangementOut
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    arrangement_id: str,
    *,
    body: AmendmentCreate,
    if_match: str,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["If-Match"] = if_match

    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/arrangements/{arrangement_id}/amendments".format(
            arrangement_id=quote(str(arrangement_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

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
    body: AmendmentCreate,
    if_match: str,
    idempotency_key: str | Unset = UNSET,
) -> Response[ArrangementOut | ProblemDetails]:
    """Propose an amendment

     **Roles: party.** On an executed arrangement: a new pending version to be signed by both parties.
    The executed version stays in force until then. Once executed, episodes triggered on or after
    `effective_from` (default: the period's start) settle under the new terms, earlier ones under the
    terms in force on their trigger date. An amendment effective after the period's start keeps the max-
    flex overrides of the version in force. Requires `If-Match`.

    Args:
        arrangement_id (str):
        if_match (str):
        idempotency_key (str | Unset):
        body (AmendmentCreate): An amendment of an executed arrangement: new terms, from a day
            within the period. Example: {'effective_from': '2027-07-01', 'terms':
            {'loss_quality_relief_pct': '10', 'loss_share_pct': '25', 'min_episodes': 11,
            'performance_adjustment_pct': '20', 'price_adjustment_pct': '-2', 'quality_measures':
            [{'measure_id': 'Q155', 'weight': '1'}, {'measure_id': 'Q318', 'weight': '1'}],
            'runout_days': 90, 'savings_share_pct': '50', 'stop_gain_pct': '20', 'stop_loss_pct':
            '20', 'target_price': '1200.00'}}.

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
    body: AmendmentCreate,
    if_match: str,
    idempotency_key: str | Unset = UNSET,
) -> ArrangementOut | ProblemDetails | None:
    """Propose an amendment

     **Roles: party.** On an executed arrangement: a new pending version to be signed by both parties.
    The executed version stays in force until then. Once executed, episodes triggered on or after
    `effective_from` (default: the period's start) settle under the new terms, earlier ones under the
    terms in force on their trigger date. An amendment effective after the period's start keeps the max-
    flex overrides of the version in force. Requires `If-Match`.

    Args:
        arrangement_id (str):
        if_match (str):
        idempotency_key (str | Unset):
        body (AmendmentCreate): An amendment of an executed arrangement: new terms, from a day
            within the period. Example: {'effective_from': '2027-07-01', 'terms':
            {'loss_quality_relief_pct': '10', 'loss_share_pct': '25', 'min_episodes': 11,
            'performance_adjustment_pct': '20', 'price_adjustment_pct': '-2', 'quality_measures':
            [{'measure_id': 'Q155', 'weight': '1'}, {'measure_id': 'Q318', 'weight': '1'}],
            'runout_days': 90, 'savings_share_pct': '50', 'stop_gain_pct': '20', 'stop_loss_pct':
            '20', 'target_price': '1200.00'}}.

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
    body: AmendmentCreate,
    if_match: str,
    idempotency_key: str | Unset = UNSET,
) -> Response[ArrangementOut | ProblemDetails]:
    """Propose an amendment

     **Roles: party.** On an executed arrangement: a new pending version to be signed by both parties.
    The executed version stays in force until then. Once executed, episodes triggered on or after
    `effective_from` (default: the period's start) settle under the new terms, earlier ones under the
    terms in force on their trigger date. An amendment effective after the period's start keeps the max-
    flex overrides of the version in force. Requires `If-Match`.

    Args:
        arrangement_id (str):
        if_match (str):
        idempotency_key (str | Unset):
        body (AmendmentCreate): An amendment of an executed arrangement: new terms, from a day
            within the period. Example: {'effective_from': '2027-07-01', 'terms':
            {'loss_quality_relief_pct': '10', 'loss_share_pct': '25', 'min_episodes': 11,
            'performance_adjustment_pct': '20', 'price_adjustment_pct': '-2', 'quality_measures':
            [{'measure_id': 'Q155', 'weight': '1'}, {'measure_id': 'Q318', 'weight': '1'}],
            'runout_days': 90, 'savings_share_pct': '50', 'stop_gain_pct': '20', 'stop_loss_pct':
            '20', 'target_price': '1200.00'}}.

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
    body: AmendmentCreate,
    if_match: str,
    idempotency_key: str | Unset = UNSET,
) -> ArrangementOut | ProblemDetails | None:
    """Propose an amendment

     **Roles: party.** On an executed arrangement: a new pending version to be signed by both parties.
    The executed version stays in force until then. Once executed, episodes triggered on or after
    `effective_from` (default: the period's start) settle under the new terms, earlier ones under the
    terms in force on their trigger date. An amendment effective after the period's start keeps the max-
    flex overrides of the version in force. Requires `If-Match`.

    Args:
        arrangement_id (str):
        if_match (str):
        idempotency_key (str | Unset):
        body (AmendmentCreate): An amendment of an executed arrangement: new terms, from a day
            within the period. Example: {'effective_from': '2027-07-01', 'terms':
            {'loss_quality_relief_pct': '10', 'loss_share_pct': '25', 'min_episodes': 11,
            'performance_adjustment_pct': '20', 'price_adjustment_pct': '-2', 'quality_measures':
            [{'measure_id': 'Q155', 'weight': '1'}, {'measure_id': 'Q318', 'weight': '1'}],
            'runout_days': 90, 'savings_share_pct': '50', 'stop_gain_pct': '20', 'stop_loss_pct':
            '20', 'target_price': '1200.00'}}.

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
