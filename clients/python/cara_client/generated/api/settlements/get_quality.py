import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.quality_report_out import QualityReportOut
from ...types import Response


def _get_kwargs(
    arrangement_id: str,
    period_start: datetime.date,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/quality/{arrangement_id}/{period_start}".format(
            arrangement_id=quote(str(arrangement_id), safe=""),
            period_start=quote(str(period_start), safe=""),
        ),
    }

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
) -> Response[ProblemDetails | QualityReportOut]:
    """Read the quality data of a period

     **Roles: aco, provider (parties of the arrangement), ops.** The latest version of the period's
    quality data; 404 when none has been sent.

    Args:
        arrangement_id (str):
        period_start (datetime.date):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | QualityReportOut]
    """

    kwargs = _get_kwargs(
        arrangement_id=arrangement_id,
        period_start=period_start,
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
) -> ProblemDetails | QualityReportOut | None:
    """Read the quality data of a period

     **Roles: aco, provider (parties of the arrangement), ops.** The latest version of the period's
    quality data; 404 when none has been sent.

    Args:
        arrangement_id (str):
        period_start (datetime.date):

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
    ).parsed


async def asyncio_detailed(
    arrangement_id: str,
    period_start: datetime.date,
    *,
    client: AuthenticatedClient,
) -> Response[ProblemDetails | QualityReportOut]:
    """Read the quality data of a period

     **Roles: aco, provider (parties of the arrangement), ops.** The latest version of the period's
    quality data; 404 when none has been sent.

    Args:
        arrangement_id (str):
        period_start (datetime.date):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | QualityReportOut]
    """

    kwargs = _get_kwargs(
        arrangement_id=arrangement_id,
        period_start=period_start,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    arrangement_id: str,
    period_start: datetime.date,
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | QualityReportOut | None:
    """Read the quality data of a period

     **Roles: aco, provider (parties of the arrangement), ops.** The latest version of the period's
    quality data; 404 when none has been sent.

    Args:
        arrangement_id (str):
        period_start (datetime.date):

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
        )
    ).parsed
