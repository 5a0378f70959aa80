from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cclf_delivery_report import CclfDeliveryReport
from ...models.problem_details import ProblemDetails
from ...models.upload_cclf_delivery_on_error import UploadCclfDeliveryOnError
from ...types import UNSET, File, Response, Unset


def _get_kwargs(
    *,
    body: File,
    on_error: UploadCclfDeliveryOnError | Unset = UploadCclfDeliveryOnError.REJECT,
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
        "url": "/v1/cclf-deliveries",
        "params": params,
    }

    _kwargs["content"] = body.payload
    headers["Content-Type"] = "application/octet-stream"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CclfDeliveryReport | ProblemDetails | None:
    if response.status_code == 200:
        response_200 = CclfDeliveryReport.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = CclfDeliveryReport.from_dict(response.json())

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
) -> Response[CclfDeliveryReport | ProblemDetails]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: File,
    on_error: UploadCclfDeliveryOnError | Unset = UploadCclfDeliveryOnError.REJECT,
) -> Response[CclfDeliveryReport | ProblemDetails]:
    """Upload one CCLF delivery (zip or tar)

     **Role: aco.** One CMS CCLF delivery of the caller's ACO as a zip or tar (gzip allowed) of its
    fixed-width files, CCLF0 summary included (files zipped one by one inside it are unpacked too). The
    delivery is checked against CCLF0 first: a missing or truncated file, a record count that disagrees
    or an unknown record length refuses it whole (422, nothing stored). Then alignment (CCLF8) and
    claims (CCLF1 with CCLF2/CCLF4, CCLF5, CCLF6; previous MBIs mapped by CCLF9; adjustments resolved to
    the version that counts) go through the same validation and storage as `POST /v1/alignment` and
    `POST /v1/claims`, in one transaction: a rejected part rejects the delivery. Re-sending the same
    delivery is a no-op (200). docs/ingest.md documents the mapping.

    Args:
        on_error (UploadCclfDeliveryOnError | Unset): `reject` (default): one bad row rejects the
            whole upload, nothing stored. `skip`: store the valid rows, report the others. Default:
            UploadCclfDeliveryOnError.REJECT.
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CclfDeliveryReport | ProblemDetails]
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
    body: File,
    on_error: UploadCclfDeliveryOnError | Unset = UploadCclfDeliveryOnError.REJECT,
) -> CclfDeliveryReport | ProblemDetails | None:
    """Upload one CCLF delivery (zip or tar)

     **Role: aco.** One CMS CCLF delivery of the caller's ACO as a zip or tar (gzip allowed) of its
    fixed-width files, CCLF0 summary included (files zipped one by one inside it are unpacked too). The
    delivery is checked against CCLF0 first: a missing or truncated file, a record count that disagrees
    or an unknown record length refuses it whole (422, nothing stored). Then alignment (CCLF8) and
    claims (CCLF1 with CCLF2/CCLF4, CCLF5, CCLF6; previous MBIs mapped by CCLF9; adjustments resolved to
    the version that counts) go through the same validation and storage as `POST /v1/alignment` and
    `POST /v1/claims`, in one transaction: a rejected part rejects the delivery. Re-sending the same
    delivery is a no-op (200). docs/ingest.md documents the mapping.

    Args:
        on_error (UploadCclfDeliveryOnError | Unset): `reject` (default): one bad row rejects the
            whole upload, nothing stored. `skip`: store the valid rows, report the others. Default:
            UploadCclfDeliveryOnError.REJECT.
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CclfDeliveryReport | ProblemDetails
    """

    return sync_detailed(
        client=client,
        body=body,
        on_error=on_error,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: File,
    on_error: UploadCclfDeliveryOnError | Unset = UploadCclfDeliveryOnError.REJECT,
) -> Response[CclfDeliveryReport | ProblemDetails]:
    """Upload one CCLF delivery (zip or tar)

     **Role: aco.** One CMS CCLF delivery of the caller's ACO as a zip or tar (gzip allowed) of its
    fixed-width files, CCLF0 summary included (files zipped one by one inside it are unpacked too). The
    delivery is checked against CCLF0 first: a missing or truncated file, a record count that disagrees
    or an unknown record length refuses it whole (422, nothing stored). Then alignment (CCLF8) and
    claims (CCLF1 with CCLF2/CCLF4, CCLF5, CCLF6; previous MBIs mapped by CCLF9; adjustments resolved to
    the version that counts) go through the same validation and storage as `POST /v1/alignment` and
    `POST /v1/claims`, in one transaction: a rejected part rejects the delivery. Re-sending the same
    delivery is a no-op (200). docs/ingest.md documents the mapping.

    Args:
        on_error (UploadCclfDeliveryOnError | Unset): `reject` (default): one bad row rejects the
            whole upload, nothing stored. `skip`: store the valid rows, report the others. Default:
            UploadCclfDeliveryOnError.REJECT.
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CclfDeliveryReport | ProblemDetails]
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
    body: File,
    on_error: UploadCclfDeliveryOnError | Unset = UploadCclfDeliveryOnError.REJECT,
) -> CclfDeliveryReport | ProblemDetails | None:
    """Upload one CCLF delivery (zip or tar)

     **Role: aco.** One CMS CCLF delivery of the caller's ACO as a zip or tar (gzip allowed) of its
    fixed-width files, CCLF0 summary included (files zipped one by one inside it are unpacked too). The
    delivery is checked against CCLF0 first: a missing or truncated file, a record count that disagrees
    or an unknown record length refuses it whole (422, nothing stored). Then alignment (CCLF8) and
    claims (CCLF1 with CCLF2/CCLF4, CCLF5, CCLF6; previous MBIs mapped by CCLF9; adjustments resolved to
    the version that counts) go through the same validation and storage as `POST /v1/alignment` and
    `POST /v1/claims`, in one transaction: a rejected part rejects the delivery. Re-sending the same
    delivery is a no-op (200). docs/ingest.md documents the mapping.

    Args:
        on_error (UploadCclfDeliveryOnError | Unset): `reject` (default): one bad row rejects the
            whole upload, nothing stored. `skip`: store the valid rows, report the others. Default:
            UploadCclfDeliveryOnError.REJECT.
        body (File):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CclfDeliveryReport | ProblemDetails
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            on_error=on_error,
        )
    ).parsed
