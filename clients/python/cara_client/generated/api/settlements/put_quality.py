import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.quality_report_in import QualityReportIn
from ...models.quality_report_out import QualityReportOut
from ...types import Response


def _get_kwargs(
    arrangement_id: str,
    period_start: datetime.date,
    *,
    body: QualityReportIn,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/quality/{arrangement_id}/{period_start}".format(
            arrangement_id=quote(str(arrangement_id), safe=""),
            period_start=quote(str(period_start), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | QualityReportOut | None:
    if response.status_code == 200:
        response_200 = QualityReportOut.from_dict(response.json())

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
) -> Response[ProblemDetails | QualityReportOut]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    arrangement_id: str,
    period_start: datetime.date,
    *,
    client: AuthenticatedClient,
    body: QualityReportIn,
) -> Response[ProblemDetails | QualityReportOut]:
    """Report quality data for a period

     **Roles: the party the terms name in `quality_reporter` (the provider by default; `either`: both),
    ops; the other party gets 403.** Numerator and denominator of each of the arrangement's chosen
    measures for the performance period starting `period_start` (0 <= numerator <= denominator; a
    denominator of 0 drops the measure), with an optional `attestation`. Adds a new version of the
    period's data as a whole: no version is overwritten, each keeps the organisation and key that sent
    it. The counterparty receives a `quality.reported` event. Settlements read the latest version when
    they run and record which.

    Args:
        arrangement_id (str):
        period_start (datetime.date):
        body (QualityReportIn):  Example: {'measures': [{'denominator': 10, 'measure_id': 'Q155',
            'numerator': 8}, {'denominator': 0, 'measure_id': 'Q318', 'numerator': 0}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | QualityReportOut]
    """

    kwargs = _get_kwargs(
        arrangement_id=arrangement_id,
        period_start=period_start,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    arrangement_id: str,
    period_start: datetime.date,
    *,
    client: AuthenticatedClient,
    body: QualityReportIn,
) -> ProblemDetails | QualityReportOut | None:
    """Report quality data for a period

     **Roles: the party the terms name in `quality_reporter` (the provider by default; `either`: both),
    ops; the other party gets 403.** Numerator and denominator of each of the arrangement's chosen
    measures for the performance period starting `period_start` (0 <= numerator <= denominator; a
    denominator of 0 drops the measure), with an optional `attestation`. Adds a new version of the
    period's data as a whole: no version is overwritten, each keeps the organisation and key that sent
    it. The counterparty receives a `quality.reported` event. Settlements read the latest version when
    they run and record which.

    Args:
        arrangement_id (str):
        period_start (datetime.date):
        body (QualityReportIn):  Example: {'measures': [{'denominator': 10, 'measure_id': 'Q155',
            'numerator': 8}, {'denominator': 0, 'measure_id': 'Q318', 'numerator': 0}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | QualityReportOut
    """

    return sync_detailed(
        arrangement_id=arrangement_id,
        period_start=period_start,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    arrangement_id: str,
    period_start: datetime.date,
    *,
    client: AuthenticatedClient,
    body: QualityReportIn,
) -> Response[ProblemDetails | QualityReportOut]:
    """Report quality data for a period

     **Roles: the party the terms name in `quality_reporter` (the provider by default; `either`: both),
    ops; the other party gets 403.** Numerator and denominator of each of the arrangement's chosen
    measures for the performance period starting `period_start` (0 <= numerator <= denominator; a
    denominator of 0 drops the measure), with an optional `attestation`. Adds a new version of the
    period's data as a whole: no version is overwritten, each keeps the organisation and key that sent
    it. The counterparty receives a `quality.reported` event. Settlements read the latest version when
    they run and record which.

    Args:
        arrangement_id (str):
        period_start (datetime.date):
        body (QualityReportIn):  Example: {'measures': [{'denominator': 10, 'measure_id': 'Q155',
            'numerator': 8}, {'denominator': 0, 'measure_id': 'Q318', 'numerator': 0}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | QualityReportOut]
    """

    kwargs = _get_kwargs(
        arrangement_id=arrangement_id,
        period_start=period_start,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    arrangement_id: str,
    period_start: datetime.date,
    *,
    client: AuthenticatedClient,
    body: QualityReportIn,
) -> ProblemDetails | QualityReportOut | None:
    """Report quality data for a period

     **Roles: the party the terms name in `quality_reporter` (the provider by default; `either`: both),
    ops; the other party gets 403.** Numerator and denominator of each of the arrangement's chosen
    measures for the performance period starting `period_start` (0 <= numerator <= denominator; a
    denominator of 0 drops the measure), with an optional `attestation`. Adds a new version of the
    period's data as a whole: no version is overwritten, each keeps the organisation and key that sent
    it. The counterparty receives a `quality.reported` event. Settlements read the latest version when
    they run and record which.

    Args:
        arrangement_id (str):
        period_start (datetime.date):
        body (QualityReportIn):  Example: {'measures': [{'denominator': 10, 'measure_id': 'Q155',
            'numerator': 8}, {'denominator': 0, 'measure_id': 'Q318', 'numerator': 0}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | QualityReportOut
    """

    return (
        await asyncio_detailed(
            arrangement_id=arrangement_id,
            period_start=period_start,
            client=client,
            body=body,
        )
    ).parsed
