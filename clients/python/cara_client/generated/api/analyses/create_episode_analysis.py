from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.analysis_out import AnalysisOut
from ...models.analysis_request import AnalysisRequest
from ...models.problem_details import ProblemDetails
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: AnalysisRequest,
    idempotency_key: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/episode-analyses",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AnalysisOut | ProblemDetails | None:
    if response.status_code == 202:
        response_202 = AnalysisOut.from_dict(response.json())

        return response_202

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
) -> Response[AnalysisOut | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AnalysisRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[AnalysisOut | ProblemDetails]:
    """Analyse the episodes a definition would have opened in the ACO's claims

     **Roles: aco (its own claims), ops.** Queues an analysis of a baseline period without any
    arrangement: the episodes the definition would have opened (any rendering NPI, or those of
    `practice_ids`/`npis`), attributed to the triggering NPI and its practice, their spending per
    practice and per NPI (count, total, mean, winsorised mean, median, 10th/90th percentiles, mean risk
    score, the share outside any arrangement) and a recommended target price with a seeded 90 %
    bootstrap interval (docs/analyses.md). Answers 202 with `Location`; read the analysis there until
    its `status` is `done` (or `failed`). 422 for a definition not published, an unknown practice or
    ACO, or an ACO other than the caller's.

    Args:
        idempotency_key (str | Unset):
        body (AnalysisRequest): What to analyse, and the parameters of the target-price
            recommendation. Example: {'aco_id': 'org_01JD7Q5Z00000000000000ACO1', 'baseline': {'end':
            '2027-12-31', 'start': '2027-01-01'}, 'claims_cutoff': '2028-06-30', 'episode': {'code':
            'FALLS-PREV', 'version': 1}, 'price_adjustment_pct': '-1.5', 'trend': '1.03'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalysisOut | ProblemDetails]
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
    body: AnalysisRequest,
    idempotency_key: str | Unset = UNSET,
) -> AnalysisOut | ProblemDetails | None:
    """Analyse the episodes a definition would have opened in the ACO's claims

     **Roles: aco (its own claims), ops.** Queues an analysis of a baseline period without any
    arrangement: the episodes the definition would have opened (any rendering NPI, or those of
    `practice_ids`/`npis`), attributed to the triggering NPI and its practice, their spending per
    practice and per NPI (count, total, mean, winsorised mean, median, 10th/90th percentiles, mean risk
    score, the share outside any arrangement) and a recommended target price with a seeded 90 %
    bootstrap interval (docs/analyses.md). Answers 202 with `Location`; read the analysis there until
    its `status` is `done` (or `failed`). 422 for a definition not published, an unknown practice or
    ACO, or an ACO other than the caller's.

    Args:
        idempotency_key (str | Unset):
        body (AnalysisRequest): What to analyse, and the parameters of the target-price
            recommendation. Example: {'aco_id': 'org_01JD7Q5Z00000000000000ACO1', 'baseline': {'end':
            '2027-12-31', 'start': '2027-01-01'}, 'claims_cutoff': '2028-06-30', 'episode': {'code':
            'FALLS-PREV', 'version': 1}, 'price_adjustment_pct': '-1.5', 'trend': '1.03'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalysisOut | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AnalysisRequest,
    idempotency_key: str | Unset = UNSET,
) -> Response[AnalysisOut | ProblemDetails]:
    """Analyse the episodes a definition would have opened in the ACO's claims

     **Roles: aco (its own claims), ops.** Queues an analysis of a baseline period without any
    arrangement: the episodes the definition would have opened (any rendering NPI, or those of
    `practice_ids`/`npis`), attributed to the triggering NPI and its practice, their spending per
    practice and per NPI (count, total, mean, winsorised mean, median, 10th/90th percentiles, mean risk
    score, the share outside any arrangement) and a recommended target price with a seeded 90 %
    bootstrap interval (docs/analyses.md). Answers 202 with `Location`; read the analysis there until
    its `status` is `done` (or `failed`). 422 for a definition not published, an unknown practice or
    ACO, or an ACO other than the caller's.

    Args:
        idempotency_key (str | Unset):
        body (AnalysisRequest): What to analyse, and the parameters of the target-price
            recommendation. Example: {'aco_id': 'org_01JD7Q5Z00000000000000ACO1', 'baseline': {'end':
            '2027-12-31', 'start': '2027-01-01'}, 'claims_cutoff': '2028-06-30', 'episode': {'code':
            'FALLS-PREV', 'version': 1}, 'price_adjustment_pct': '-1.5', 'trend': '1.03'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AnalysisOut | ProblemDetails]
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
    body: AnalysisRequest,
    idempotency_key: str | Unset = UNSET,
) -> AnalysisOut | ProblemDetails | None:
    """Analyse the episodes a definition would have opened in the ACO's claims

     **Roles: aco (its own claims), ops.** Queues an analysis of a baseline period without any
    arrangement: the episodes the definition would have opened (any rendering NPI, or those of
    `practice_ids`/`npis`), attributed to the triggering NPI and its practice, their spending per
    practice and per NPI (count, total, mean, winsorised mean, median, 10th/90th percentiles, mean risk
    score, the share outside any arrangement) and a recommended target price with a seeded 90 %
    bootstrap interval (docs/analyses.md). Answers 202 with `Location`; read the analysis there until
    its `status` is `done` (or `failed`). 422 for a definition not published, an unknown practice or
    ACO, or an ACO other than the caller's.

    Args:
        idempotency_key (str | Unset):
        body (AnalysisRequest): What to analyse, and the parameters of the target-price
            recommendation. Example: {'aco_id': 'org_01JD7Q5Z00000000000000ACO1', 'baseline': {'end':
            '2027-12-31', 'start': '2027-01-01'}, 'claims_cutoff': '2028-06-30', 'episode': {'code':
            'FALLS-PREV', 'version': 1}, 'price_adjustment_pct': '-1.5', 'trend': '1.03'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AnalysisOut | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
        )
    ).parsed
