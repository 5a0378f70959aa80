from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from service.access.auth import AcoPrincipal, AnyPrincipal, Principal, require
from service.access.models import Role
from service.ingest import alignment, service
from service.ingest.archive import ARCHIVE_TYPES
from service.ingest.cclf.importer import unpack_delivery
from service.ingest.cclf.manifest import DeliveryRefused
from service.ingest.deliveries import import_delivery
from service.ingest.reader import ByteLines
from service.ingest.schemas import CclfDecisionOut, OnError, UploadReport
from service.kit import clock, offload
from service.kit.db import SessionDep
from service.kit.errors import (
    PROBLEM_BASE,
    PROBLEM_MEDIA_TYPE,
    FieldError,
    PayloadTooLarge,
    Unprocessable,
    UnsupportedMediaType,
    UploadRejected,
    problem_responses,
)
from service.kit.pagination import CursorParam, LimitParam, Page
from service.settings import Settings

router = APIRouter(prefix="/v1", tags=["uploads"])

_FORMATS = {"text/csv": "csv", "application/x-ndjson": "ndjson", "application/ndjson": "ndjson"}

_CLAIMS_CSV = (
    "claim_id,line_number,claim_type,mbi,from_date,thru_date,rendering_npi,billing_tin,hcpcs,diagnoses,"
    "allowed_amount,paid_amount,adjustment,received_date\n"
    "C1001,1,carrier,1EG4TE5MK73,2027-03-02,2027-03-02,1234567893,123456789,99214,Z91.81|R26.81,"
    "142.10,113.68,original,2027-03-20\n"
)
_CLAIMS_NDJSON = (
    '{"claim_id": "C1001", "line_number": 1, "claim_type": "carrier", "mbi": "1EG4TE5MK73", '
    '"from_date": "2027-03-02", "thru_date": "2027-03-02", "rendering_npi": "1234567893", '
    '"billing_tin": "123456789", "hcpcs": "99214", "diagnoses": ["Z91.81", "R26.81"], '
    '"allowed_amount": "142.10", "paid_amount": "113.68", "adjustment": "original", '
    '"received_date": "2027-03-20"}\n'
)
_ALIGNMENT_CSV = (
    "mbi,birth_date,sex,dual_status,hcc_score,aligned_from,aligned_through,esrd,hospice_start,death_date,entitlement_reason\n"
    "1EG4TE5MK73,1948-05-17,F,false,1.137,2027-01-01,,false,,\n"
)
_ALIGNMENT_NDJSON = (
    '{"mbi": "1EG4TE5MK73", "birth_date": "1948-05-17", "sex": "F", "dual_status": false, '
    '"hcc_score": "1.137", "aligned_from": "2027-01-01", "aligned_through": null, "esrd": false, '
    '"hospice_start": null, "death_date": null, "entitlement_reason": "0"}\n'
)


def _body_doc(csv_example: str, ndjson_example: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "description": "CSV with a header row (diagnoses separated by `|`) or NDJSON (one object per line). "
            "Send `Content-Encoding: gzip` for a gzip-compressed body.",
            "content": {
                "text/csv": {"schema": {"type": "string"}, "example": csv_example},
                "application/x-ndjson": {"schema": {"type": "string"}, "example": ndjson_example},
            },
        }
    }


_UPLOAD_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "model": UploadReport,
        "description": "The same content was uploaded before: its earlier report, nothing new stored.",
    },
    **problem_responses(401, 403, 413, 415),
    422: {
        "description": "Rejected: with on_error=reject a bad row rejects the upload and nothing is stored. "
        "The problem carries the upload report's fields (id, rows_*, every bad row in `errors`).",
        "content": {
            PROBLEM_MEDIA_TYPE: {
                "example": {
                    "type": PROBLEM_BASE + UploadRejected.slug,
                    "title": UploadRejected.title,
                    "status": 422,
                    "id": "upl_01JD7Q5Z0000000000000006",
                    "upload_status": "rejected",
                    "rows_received": 2,
                    "rows_stored": 0,
                    "rows_rejected": 1,
                    "errors": [
                        {
                            "location": "row 2: mbi",
                            "message": "not a Medicare Beneficiary Identifier",
                            "row": 2,
                            "field": "mbi",
                            "value": "123",
                        }
                    ],
                }
            }
        },
    },
}


async def _upload(
    request: Request, principal: Any, session: Any, *, kind: str, on_error: str
) -> JSONResponse:
    settings: Settings = request.app.state.settings
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fmt = _FORMATS.get(media_type)
    if fmt is None:
        raise UnsupportedMediaType("send text/csv or application/x-ndjson")
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "gzip"):
        raise UnsupportedMediaType("Content-Encoding must be gzip or absent")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_upload_bytes:
        raise PayloadTooLarge(f"uploads are limited to {settings.max_upload_bytes} bytes")
    lines = ByteLines(
        gzip=encoding == "gzip",
        max_bytes=settings.max_upload_bytes,
        max_line_bytes=settings.max_line_bytes,
        max_ratio=settings.max_gzip_ratio,
    )
    records = service.records_from_body(request.stream(), kind=kind, fmt=fmt, settings=settings, lines=lines)
    result = await service.ingest(
        session,
        actor=principal.actor,
        aco_id=principal.org_id,
        kind=kind,
        source=fmt,
        records=records,
        content_sha256=lambda: lines.sha256.hexdigest(),
        bytes_received=lambda: lines.size,
        on_error=on_error,
        settings=settings,
    )
    report = service.to_report(result.upload).model_dump(mode="json")
    if result.upload.status == "rejected":
        # Answered, not raised: the rejected upload's report is stored in this transaction.
        return UploadRejected(
            f"{result.upload.rows_rejected} of {result.upload.rows_received} rows are invalid; "
            "fix them and upload again, or use on_error=skip to store the valid rows",
            report={**{k: v for k, v in report.items() if k != "status"}, "upload_status": "rejected"},
        ).response()
    return JSONResponse(report, status_code=201 if result.created else 200)


OnErrorParam = Annotated[
    OnError,
    Query(
        description="`reject` (default): one bad row rejects the whole upload, nothing stored. "
        "`skip`: store the valid rows, report the others."
    ),
]


@router.post(
    "/claims",
    status_code=201,
    summary="Upload claim lines",
    description="**Role: aco.** Claim lines of the caller's ACO (docs/method.md section 4 fields), streamed: any size up "
    "to `CARA_MAX_UPLOAD_BYTES`. Every row is validated (MBI, NPI check digit, TIN, ICD-10-CM codes against the "
    "code set, HCPCS shape, dates, amounts, adjustment). Each record is kept as a version: the latest by "
    "`received_date` counts, `cancel` removes the line. Re-sending the same content is a no-op (200, earlier report).",
    response_model=UploadReport,
    responses=_UPLOAD_RESPONSES,
    openapi_extra=_body_doc(_CLAIMS_CSV, _CLAIMS_NDJSON),
)
async def upload_claims(
    request: Request, principal: AcoPrincipal, session: SessionDep, on_error: OnErrorParam = "reject"
) -> JSONResponse:
    return await _upload(request, principal, session, kind="claims", on_error=on_error)


@router.post(
    "/alignment",
    status_code=201,
    summary="Upload beneficiary alignment",
    description="**Role: aco.** Alignment rows of the caller's ACO. A later row for the same MBI replaces the "
    "earlier one (history is kept). Same formats, limits, validation and atomicity as claim uploads.",
    response_model=UploadReport,
    responses=_UPLOAD_RESPONSES,
    openapi_extra=_body_doc(_ALIGNMENT_CSV, _ALIGNMENT_NDJSON),
)
async def upload_alignment(
    request: Request, principal: AcoPrincipal, session: SessionDep, on_error: OnErrorParam = "reject"
) -> JSONResponse:
    return await _upload(request, principal, session, kind="alignment", on_error=on_error)


class CclfDeliveryReport(BaseModel):
    """The two uploads of a CCLF delivery (alignment from CCLF8, claims from CCLF1/2/4/5/6)."""

    alignment: UploadReport | None = Field(description="None when a rejected claims upload rolled it back")
    claims: UploadReport | None = Field(description="None when the alignment was rejected (claims not read)")


@router.post(
    "/cclf-deliveries",
    status_code=201,
    summary="Upload one CCLF delivery (zip or tar)",
    response_model=CclfDeliveryReport,
    description="**Role: aco.** One CMS CCLF delivery of the caller's ACO as a zip or tar (gzip allowed) of its "
    "fixed-width files, CCLF0 summary included (files zipped one by one inside it are unpacked too). The "
    "delivery is checked against CCLF0 first: a missing or "
    "truncated file, a record count that disagrees or an unknown record length refuses it whole (422, nothing "
    "stored). Then alignment (CCLF8) and claims (CCLF1 with CCLF2/CCLF4, CCLF5, CCLF6; previous MBIs mapped "
    "by CCLF9; adjustments resolved to the version that counts) go through the same validation and storage as "
    "`POST /v1/alignment` and `POST /v1/claims`, in one transaction: a rejected part rejects the delivery. "
    "Re-sending the same delivery is a no-op (200). docs/ingest.md documents the mapping.",
    responses={
        200: {"model": CclfDeliveryReport, "description": "The same delivery was imported before."},
        **problem_responses(401, 403, 413, 415, 422),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A zip or tar (gzip allowed) of the delivery's files. Send it as "
            "`application/octet-stream`, `application/zip`, `application/x-tar` or `application/gzip`: "
            "which archive it is is read from its bytes.",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    },
)
async def upload_cclf_delivery(
    request: Request, principal: AcoPrincipal, session: SessionDep, on_error: OnErrorParam = "reject"
) -> JSONResponse:
    settings: Settings = request.app.state.settings
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in ARCHIVE_TYPES:
        raise UnsupportedMediaType(
            "send a zip or tar: application/octet-stream, application/zip or application/x-tar"
        )
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_upload_bytes:
        raise PayloadTooLarge(f"uploads are limited to {settings.max_upload_bytes} bytes")
    with tempfile.TemporaryDirectory(prefix="cara-cclf-") as scratch:
        archive, directory = Path(scratch) / "delivery", Path(scratch) / "files"
        directory.mkdir()
        size = 0
        with archive.open("wb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > settings.max_upload_bytes:
                    raise PayloadTooLarge(f"uploads are limited to {settings.max_upload_bytes} bytes")
                out.write(chunk)
        try:
            # Unpacking and checking read every file: CPU work, off the event loop.
            delivery = await offload.run(unpack_delivery, archive, directory, settings.max_upload_bytes)
        except DeliveryRefused as exc:
            raise Unprocessable(
                "CCLF delivery refused: nothing was stored",
                errors=[FieldError(location="delivery", message=p) for p in exc.problems],
            ) from exc
        result = await import_delivery(
            session,
            actor=principal.actor,
            aco_id=principal.org_id,
            delivery=delivery,
            on_error=on_error,
            settings=settings,
        )
    report = {
        "alignment": service.to_report(result.alignment.upload).model_dump(mode="json")
        if result.alignment
        else None,
        "claims": service.to_report(result.claims.upload).model_dump(mode="json") if result.claims else None,
    }
    if result.rejected:
        return UploadRejected(
            "the delivery has invalid rows; nothing of it was stored", report=report
        ).response()
    return JSONResponse(report, status_code=201 if result.created else 200)


@router.get(
    "/uploads/{upload_id}",
    summary="An upload report",
    description="**Roles: aco (its own uploads), ops.** Another organisation's upload answers 404.",
    responses=problem_responses(401, 404),
)
async def get_upload(upload_id: str, principal: AnyPrincipal, session: SessionDep) -> UploadReport:
    upload = await service.get_upload(session, viewer=principal, upload_id=upload_id)
    return service.to_report(upload)


@router.get(
    "/uploads/{upload_id}/cclf-decisions",
    summary="Why each version of a CCLF claim counts or not",
    description="**Roles: aco (its own uploads), ops.** For a claims upload from a CCLF delivery: every "
    "version of each claim that came with more than one (originals, cancellations, adjustments) with "
    "whether it is the version that counts and why (cancelled by, cancels, superseded by, latest "
    "remaining, denied). A claim's only version counts as it is and is not listed. Empty for other "
    "uploads. Grouped by claim, in file order within a claim.",
    responses=problem_responses(401, 404, 422),
)
async def list_cclf_decisions(
    upload_id: str,
    principal: AnyPrincipal,
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[CclfDecisionOut]:
    rows, next_cursor = await service.list_cclf_decisions(
        session, viewer=principal, upload_id=upload_id, limit=limit, cursor=cursor
    )
    return Page(items=[CclfDecisionOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get(
    "/uploads",
    summary="Upload reports, newest first",
    description="**Roles: aco (its own uploads), ops (all).**",
    responses=problem_responses(401, 422),
)
async def list_uploads(
    principal: AnyPrincipal, session: SessionDep, limit: LimitParam = 50, cursor: CursorParam = None
) -> Page[UploadReport]:
    rows, next_cursor = await service.list_uploads(session, viewer=principal, limit=limit, cursor=cursor)
    return Page(items=[service.to_report(u) for u in rows], next_cursor=next_cursor)


AcoOrOpsPrincipal = Annotated[Principal, Depends(require(Role.aco, Role.ops))]


@router.get(
    "/alignment",
    summary="A beneficiary's alignment over time",
    description="**Roles: aco (the rows it uploaded), ops (every ACO's, or one with `aco_id`).** Every "
    "alignment row uploaded for the MBI (without `mbi`: for every beneficiary), oldest first, with its upload; `current` marks the row that "
    "counts now (the latest: episodes and settlements read it), and `status_on_as_of` what each row says "
    "about the day `as_of` (default today): aligned, or why a service that day opens no episode. Ask "
    "with an episode's end date to see why it was excluded as not aligned. An ACO sees only its own "
    "uploads: another ACO's beneficiary is an empty list, another ACO's `aco_id` a 404.",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_alignment_history(
    principal: AcoOrOpsPrincipal,
    session: SessionDep,
    mbi: Annotated[
        str | None,
        Query(
            min_length=1, max_length=20, description="The beneficiary's MBI; without it, every beneficiary's."
        ),
    ] = None,
    as_of: Annotated[
        date | None, Query(description="The day each row is read for (`status_on_as_of`); default today.")
    ] = None,
    aco_id: Annotated[
        str | None, Query(max_length=40, description="Ops: only this ACO's rows. An ACO: its own id or none.")
    ] = None,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[alignment.AlignmentRowOut]:
    rows, next_cursor = await alignment.alignment_history(
        session,
        viewer=principal,
        mbi=mbi,
        as_of=as_of or clock.today(),
        aco_id=aco_id,
        limit=limit,
        cursor=cursor,
    )
    return Page(items=rows, next_cursor=next_cursor)
