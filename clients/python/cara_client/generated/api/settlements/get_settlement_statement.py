from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...types import Response


def _get_kwargs(
    settlement_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/settlements/{settlement_id}/statement.csv".format(
            settlement_id=quote(str(settlement_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> ProblemDetails | str | None:
    if response.status_code == 200:
        response_200 = cast(str, response.content)
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
) -> Response[ProblemDetails | str]:
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
) -> Response[ProblemDetails | str]:
    """Download a settlement statement's episodes as CSV

     **Roles: aco, provider (parties of the arrangement), ops.** UTF-8 CSV with a header row and one row
    per episode of the period, settled or excluded (`status`, `exclusion_reason`), by line id: dates,
    the trigger claim, risk factor (4 places; `risk_factor_exact` with every stored place), target,
    spending, outlier cap, counted spending and whether it was capped. Text from uploads that a
    spreadsheet would read as a formula (starting `=`, `+`, `-`, `@`) is prefixed with `'`. Every
    column: docs/statements.md.

    Args:
        settlement_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | str]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    settlement_id: str,
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | str | None:
    """Download a settlement statement's episodes as CSV

     **Roles: aco, provider (parties of the arrangement), ops.** UTF-8 CSV with a header row and one row
    per episode of the period, settled or excluded (`status`, `exclusion_reason`), by line id: dates,
    the trigger claim, risk factor (4 places; `risk_factor_exact` with every stored place), target,
    spending, outlier cap, counted spending and whether it was capped. Text from uploads that a
    spreadsheet would read as a formula (starting `=`, `+`, `-`, `@`) is prefixed with `'`. Every
    column: docs/statements.md.

    Args:
        settlement_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | str
    """

    return sync_detailed(
        settlement_id=settlement_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    settlement_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ProblemDetails | str]:
    """Download a settlement statement's episodes as CSV

     **Roles: aco, provider (parties of the arrangement), ops.** UTF-8 CSV with a header row and one row
    per episode of the period, settled or excluded (`status`, `exclusion_reason`), by line id: dates,
    the trigger claim, risk factor (4 places; `risk_factor_exact` with every stored place), target,
    spending, outlier cap, counted spending and whether it was capped. Text from uploads that a
    spreadsheet would read as a formula (starting `=`, `+`, `-`, `@`) is prefixed with `'`. Every
    column: docs/statements.md.

    Args:
        settlement_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | str]
    """

    kwargs = _get_kwargs(
        settlement_id=settlement_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    settlement_id: str,
    *,
    client: AuthenticatedClient,
) -> ProblemDetails | str | None:
    """Download a settlement statement's episodes as CSV

     **Roles: aco, provider (parties of the arrangement), ops.** UTF-8 CSV with a header row and one row
    per episode of the period, settled or excluded (`status`, `exclusion_reason`), by line id: dates,
    the trigger claim, risk factor (4 places; `risk_factor_exact` with every stored place), target,
    spending, outlier cap, counted spending and whether it was capped. Text from uploads that a
    spreadsheet would read as a formula (starting `=`, `+`, `-`, `@`) is prefixed with `'`. Every
    column: docs/statements.md.

    Args:
        settlement_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | str
    """

    return (
        await asyncio_detailed(
            settlement_id=settlement_id,
            client=client,
        )
    ).parsed
