from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem_details import ProblemDetails
from ...models.upload_claims_content_encoding import UploadClaimsContentEncoding
from ...models.upload_claims_on_error import UploadClaimsOnError
from ...models.upload_report import UploadReport
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    body: File | File | Unset = UNSET,
    on_error: UploadClaimsOnError | Unset = UploadClaimsOnError.REJECT,
    content_encoding: UploadClaimsContentEncoding | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(content_encoding, Unset):
        headers["Content-Encoding"] = str(content_encoding)

    params: dict[str, Any] = {}

    json_on_error: str | Unset = UNSET
    if not isinstance(on_error, Unset):
        json_on_error = on_error.value

    params["on_error"] = json_on_error

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/claims",
        "params": params,
    }

    if isinstance(body, File) and (body.mime_type or "text/csv") == "text/csv":
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "text/csv"
    if isinstance(body, File) and (body.mime_type or "text/csv") == "application/x-ndjson":
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "application/x-ndjson"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ProblemDetails | UploadReport | None:
    if response.status_code == 200:
        response_200 = UploadReport.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = UploadReport.from_dict(response.json())

        return response_201

    if response.status_code == 401:
        response_401 = ProblemDetails.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ProblemDetails.from_dict(response.json())

        return response_403

    if response.status_code == 413:
        response_413 = ProblemDetails.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = ProblemDetails.from_dict(response.json())

        return response_415

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
) -> Response[ProblemDetails | UploadReport]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: File | File | Unset = UNSET,
    on_error: UploadClaimsOnError | Unset = UploadClaimsOnError.REJECT,
    content_encoding: UploadClaimsContentEncoding | Unset = UNSET,
) -> Response[ProblemDetails | UploadReport]:
    """Upload claim lines

     **Role: aco.** Claim lines of the caller's ACO (docs/method.md section 4 fields), streamed: any size
    up to `CARA_MAX_UPLOAD_BYTES`. Every row is validated (MBI, NPI check digit, TIN, ICD-10-CM codes
    against the code set, HCPCS shape, dates, amounts, adjustment). Each record is kept as a version:
    the latest by `received_date` counts, `cancel` removes the line. Re-sending the same content is a
    no-op (200, earlier report).

    Args:
        on_error (UploadClaimsOnError | Unset): `reject` (default): one bad row rejects the whole
            upload, nothing stored. `skip`: store the valid rows, report the others. Default:
            UploadClaimsOnError.REJECT.
        content_encoding (UploadClaimsContentEncoding | Unset):
        body (File):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | UploadReport]
    """

    kwargs = _get_kwargs(
        body=body,
        on_error=on_error,
        content_encoding=content_encoding,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: File | File | Unset = UNSET,
    on_error: UploadClaimsOnError | Unset = UploadClaimsOnError.REJECT,
    content_encoding: UploadClaimsContentEncoding | Unset = UNSET,
) -> ProblemDetails | UploadReport | None:
    """Upload claim lines

     **Role: aco.** Claim lines of the caller's ACO (docs/method.md section 4 fields), streamed: any size
    up to `CARA_MAX_UPLOAD_BYTES`. Every row is validated (MBI, NPI check digit, TIN, ICD-10-CM codes
    against the code set, HCPCS shape, dates, amounts, adjustment). Each record is kept as a version:
    the latest by `received_date` counts, `cancel` removes the line. Re-sending the same content is a
    no-op (200, earlier report).

    Args:
        on_error (UploadClaimsOnError | Unset): `reject` (default): one bad row rejects the whole
            upload, nothing stored. `skip`: store the valid rows, report the others. Default:
            UploadClaimsOnError.REJECT.
        content_encoding (UploadClaimsContentEncoding | Unset):
        body (File):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | UploadReport
    """

    return sync_detailed(
        client=client,
        body=body,
        on_error=on_error,
        content_encoding=content_encoding,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: File | File | Unset = UNSET,
    on_error: UploadClaimsOnError | Unset = UploadClaimsOnError.REJECT,
    content_encoding: UploadClaimsContentEncoding | Unset = UNSET,
) -> Response[ProblemDetails | UploadReport]:
    """Upload claim lines

     **Role: aco.** Claim lines of the caller's ACO (docs/method.md section 4 fields), streamed: any size
    up to `CARA_MAX_UPLOAD_BYTES`. Every row is validated (MBI, NPI check digit, TIN, ICD-10-CM codes
    against the code set, HCPCS shape, dates, amounts, adjustment). Each record is kept as a version:
    the latest by `received_date` counts, `cancel` removes the line. Re-sending the same content is a
    no-op (200, earlier report).

    Args:
        on_error (UploadClaimsOnError | Unset): `reject` (default): one bad row rejects the whole
            upload, nothing stored. `skip`: store the valid rows, report the others. Default:
            UploadClaimsOnError.REJECT.
        content_encoding (UploadClaimsContentEncoding | Unset):
        body (File):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ProblemDetails | UploadReport]
    """

    kwargs = _get_kwargs(
        body=body,
        on_error=on_error,
        content_encoding=content_encoding,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: File | File | Unset = UNSET,
    on_error: UploadClaimsOnError | Unset = UploadClaimsOnError.REJECT,
    content_encoding: UploadClaimsContentEncoding | Unset = UNSET,
) -> ProblemDetails | UploadReport | None:
    """Upload claim lines

     **Role: aco.** Claim lines of the caller's ACO (docs/method.md section 4 fields), streamed: any size
    up to `CARA_MAX_UPLOAD_BYTES`. Every row is validated (MBI, NPI check digit, TIN, ICD-10-CM codes
    against the code set, HCPCS shape, dates, amounts, adjustment). Each record is kept as a version:
    the latest by `received_date` counts, `cancel` removes the line. Re-sending the same content is a
    no-op (200, earlier report).

    Args:
        on_error (UploadClaimsOnError | Unset): `reject` (default): one bad row rejects the whole
            upload, nothing stored. `skip`: store the valid rows, report the others. Default:
            UploadClaimsOnError.REJECT.
        content_encoding (UploadClaimsContentEncoding | Unset):
        body (File):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ProblemDetails | UploadReport
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            on_error=on_error,
            content_encoding=content_encoding,
        )
    ).parsed
