from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.arrangement_create import ArrangementCreate
from ...models.arrangement_out import ArrangementOut
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ArrangementCreate,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/arrangements",
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
) -> Response[ArrangementOut | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ArrangementCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[ArrangementOut | ProblemDetails]:
    """Propose an arrangement

     **Roles: aco, provider (must be a party).** Creates a draft (version 1) between your organisation
    and a counterparty of the other kind, for a published episode definition. Overrides are allowed only
    for `max_flex` definitions.

    Args:
        idempotency_key (str | Unset):
        body (ArrangementCreate):  Example: {'aco_id': 'org_01JD7Q5Z00000000000000ACO1',
            'episode': {'code': 'FALLS-PREV', 'version': 1}, 'period': {'end': '2027-12-31', 'start':
            '2027-01-01'}, 'provider_id': 'org_01JD7Q5Z00000000000000PRV1', 'terms':
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
    body: ArrangementCreate,
    idempotency_key: str | Unset = UNSET,
) -> ArrangementOut | ProblemDetails | None:
    """Propose an arrangement

     **Roles: aco, provider (must be a party).** Creates a draft (version 1) between your organisation
    and a counterparty of the other kind, for a published episode definition. Overrides are allowed only
    for `max_flex` definitions.

    Args:
        idempotency_key (str | Unset):
        body (ArrangementCreate):  Example: {'aco_id': 'org_01JD7Q5Z00000000000000ACO1',
            'episode': {'code': 'FALLS-PREV', 'version': 1}, 'period': {'end': '2027-12-31', 'start':
            '2027-01-01'}, 'provider_id': 'org_01JD7Q5Z00000000000000PRV1', 'terms':
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
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ArrangementCreate,
    idempotency_key: str | Unset = UNSET,
) -> Response[ArrangementOut | ProblemDetails]:
    """Propose an arrangement

     **Roles: aco, provider (must be a party).** Creates a draft (version 1) between your organisation
    and a counterparty of the other kind, for a published episode definition. Overrides are allowed only
    for `max_flex` definitions.

    Args:
        idempotency_key (str | Unset):
        body (ArrangementCreate):  Example: {'aco_id': 'org_01JD7Q5Z00000000000000ACO1',
            'episode': {'code': 'FALLS-PREV', 'version': 1}, 'period': {'end': '2027-12-31', 'start':
            '2027-01-01'}, 'provider_id': 'org_01JD7Q5Z00000000000000PRV1', 'terms':
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
        body=body,
        idempotency_key=idempotency_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ArrangementCreate,
    idempotency_key: str | Unset = UNSET,
) -> ArrangementOut | ProblemDetails | None:
    """Propose an arrangement

     **Roles: aco, provider (must be a party).** Creates a draft (version 1) between your organisation
    and a counterparty of the other kind, for a published episode definition. Overrides are allowed only
    for `max_flex` definitions.

    Args:
        idempotency_key (str | Unset):
        body (ArrangementCreate):  Example: {'aco_id': 'org_01JD7Q5Z00000000000000ACO1',
            'episode': {'code': 'FALLS-PREV', 'version': 1}, 'period': {'end': '2027-12-31', 'start':
            '2027-01-01'}, 'provider_id': 'org_01JD7Q5Z00000000000000PRV1', 'terms':
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
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
