from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.fhir_import_report import FhirImportReport
from ...models.problem_details import ProblemDetails
from ...models.upload_fhir_export_on_error import UploadFhirExportOnError
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    body: File | File | Unset = UNSET,
    on_error: UploadFhirExportOnError | Unset = UploadFhirExportOnError.REJECT,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    params: dict[str, Any] = {}

    json_on_error: str | Unset = UNSET
    if not isinstance(on_error, Unset):
        json_on_error = on_error.value

    params["on_error"] = json_on_error

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/fhir-imports",
        "params": params,
    }

    if isinstance(body, File) and (body.mime_type or "application/zip") == "application/zip":
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "application/zip"
    if isinstance(body, File) and (body.mime_type or "application/zip") == "application/x-tar":
        _kwargs["content"] = body.payload
        headers["Content-Type"] = "application/x-tar"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FhirImportReport | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = FhirImportReport.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = FhirImportReport.from_dict(response.json())

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
) -> Response[FhirImportReport | ProblemDetails]:
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
    on_error: UploadFhirExportOnError | Unset = UploadFhirExportOnError.REJECT,
) -> Response[FhirImportReport | ProblemDetails]:
    """Upload one FHIR bulk export (zip or tar of NDJSON)

     **Role: aco.** One FHIR bulk export of the caller's ACO, as CMS's Beneficiary Claims Data API (BCDA)
    delivers it: `.ndjson` or `.ndjson.gz` files of `ExplanationOfBenefit`, `Patient` and `Coverage`
    resources (FHIR R4, CARIN Blue Button profiles; file names do not matter, each file's resource type
    is read from its content), in a zip or tar (gzip allowed). Alignment (Patient, Coverage) and claim
    lines (every ExplanationOfBenefit of a medical claim type; versions of a claim resolved to the one
    that counts) go through the same validation and storage as `POST /v1/alignment` and `POST
    /v1/claims`, in one transaction: a rejected part rejects the export. Bounded like every upload
    (`CARA_MAX_UPLOAD_BYTES` sent and unpacked, `CARA_MAX_GZIP_RATIO` for each gzip file). Re-sending
    the same export is a no-op (200). docs/ingest.md has the mapping table.

    Args:
        on_error (UploadFhirExportOnError | Unset): `reject` (default): one bad row rejects the
            whole upload, nothing stored. `skip`: store the valid rows, report the others. Default:
            UploadFhirExportOnError.REJECT.
        body (File):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FhirImportReport | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        on_error=on_error,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: File | File | Unset = UNSET,
    on_error: UploadFhirExportOnError | Unset = UploadFhirExportOnError.REJECT,
) -> FhirImportReport | ProblemDetails | None:
    """Upload one FHIR bulk export (zip or tar of NDJSON)

     **Role: aco.** One FHIR bulk export of the caller's ACO, as CMS's Beneficiary Claims Data API (BCDA)
    delivers it: `.ndjson` or `.ndjson.gz` files of `ExplanationOfBenefit`, `Patient` and `Coverage`
    resources (FHIR R4, CARIN Blue Button profiles; file names do not matter, each file's resource type
    is read from its content), in a zip or tar (gzip allowed). Alignment (Patient, Coverage) and claim
    lines (every ExplanationOfBenefit of a medical claim type; versions of a claim resolved to the one
    that counts) go through the same validation and storage as `POST /v1/alignment` and `POST
    /v1/claims`, in one transaction: a rejected part rejects the export. Bounded like every upload
    (`CARA_MAX_UPLOAD_BYTES` sent and unpacked, `CARA_MAX_GZIP_RATIO` for each gzip file). Re-sending
    the same export is a no-op (200). docs/ingest.md has the mapping table.

    Args:
        on_error (UploadFhirExportOnError | Unset): `reject` (default): one bad row rejects the
            whole upload, nothing stored. `skip`: store the valid rows, report the others. Default:
            UploadFhirExportOnError.REJECT.
        body (File):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FhirImportReport | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
        on_error=on_error,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: File | File | Unset = UNSET,
    on_error: UploadFhirExportOnError | Unset = UploadFhirExportOnError.REJECT,
) -> Response[FhirImportReport | ProblemDetails]:
    """Upload one FHIR bulk export (zip or tar of NDJSON)

     **Role: aco.** One FHIR bulk export of the caller's ACO, as CMS's Beneficiary Claims Data API (BCDA)
    delivers it: `.ndjson` or `.ndjson.gz` files of `ExplanationOfBenefit`, `Patient` and `Coverage`
    resources (FHIR R4, CARIN Blue Button profiles; file names do not matter, each file's resource type
    is read from its content), in a zip or tar (gzip allowed). Alignment (Patient, Coverage) and claim
    lines (every ExplanationOfBenefit of a medical claim type; versions of a claim resolved to the one
    that counts) go through the same validation and storage as `POST /v1/alignment` and `POST
    /v1/claims`, in one transaction: a rejected part rejects the export. Bounded like every upload
    (`CARA_MAX_UPLOAD_BYTES` sent and unpacked, `CARA_MAX_GZIP_RATIO` for each gzip file). Re-sending
    the same export is a no-op (200). docs/ingest.md has the mapping table.

    Args:
        on_error (UploadFhirExportOnError | Unset): `reject` (default): one bad row rejects the
            whole upload, nothing stored. `skip`: store the valid rows, report the others. Default:
            UploadFhirExportOnError.REJECT.
        body (File):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FhirImportReport | ProblemDetails]
    """

    kwargs = _get_kwargs(
        body=body,
        on_error=on_error,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: File | File | Unset = UNSET,
    on_error: UploadFhirExportOnError | Unset = UploadFhirExportOnError.REJECT,
) -> FhirImportReport | ProblemDetails | None:
    """Upload one FHIR bulk export (zip or tar of NDJSON)

     **Role: aco.** One FHIR bulk export of the caller's ACO, as CMS's Beneficiary Claims Data API (BCDA)
    delivers it: `.ndjson` or `.ndjson.gz` files of `ExplanationOfBenefit`, `Patient` and `Coverage`
    resources (FHIR R4, CARIN Blue Button profiles; file names do not matter, each file's resource type
    is read from its content), in a zip or tar (gzip allowed). Alignment (Patient, Coverage) and claim
    lines (every ExplanationOfBenefit of a medical claim type; versions of a claim resolved to the one
    that counts) go through the same validation and storage as `POST /v1/alignment` and `POST
    /v1/claims`, in one transaction: a rejected part rejects the export. Bounded like every upload
    (`CARA_MAX_UPLOAD_BYTES` sent and unpacked, `CARA_MAX_GZIP_RATIO` for each gzip file). Re-sending
    the same export is a no-op (200). docs/ingest.md has the mapping table.

    Args:
        on_error (UploadFhirExportOnError | Unset): `reject` (default): one bad row rejects the
            whole upload, nothing stored. `skip`: store the valid rows, report the others. Default:
            UploadFhirExportOnError.REJECT.
        body (File):
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FhirImportReport | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            on_error=on_error,
        )
    ).parsed
