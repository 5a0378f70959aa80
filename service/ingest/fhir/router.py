from __future__ import annotations

import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from service.access.auth import AcoPrincipal
from service.ingest import service
from service.ingest.cclf.manifest import DeliveryRefused
from service.ingest.deliveries import import_delivery
from service.ingest.fhir.export import unpack_export
from service.ingest.router import OnErrorParam
from service.ingest.schemas import UploadReport
from service.kit import offload
from service.kit.db import SessionDep
from service.kit.errors import (
    FieldError,
    PayloadTooLarge,
    Unprocessable,
    UnsupportedMediaType,
    UploadRejected,
    problem_responses,
)
from service.settings import Settings

router = APIRouter(prefix="/v1", tags=["uploads"])

FHIR_ARCHIVE_TYPES = frozenset(
    {
        "application/zip",
        "application/x-zip-compressed",
        "application/x-tar",
        "application/gzip",
        "application/x-gtar",
    }
)


class FhirImportReport(BaseModel):
    """The two uploads of a FHIR bulk export (alignment from Patient and Coverage, claims from
    ExplanationOfBenefit)."""

    alignment: UploadReport | None = Field(description="None when a rejected claims upload rolled it back")
    claims: UploadReport | None = Field(description="None when the alignment was rejected (claims not read)")


_BINARY = {"schema": {"type": "string", "format": "binary"}}


@router.post(
    "/fhir-imports",
    status_code=201,
    summary="Upload one FHIR bulk export (zip or tar of NDJSON)",
    response_model=FhirImportReport,
    description="**Role: aco.** One FHIR bulk export of the caller's ACO, as CMS's Beneficiary Claims Data "
    "API (BCDA) delivers it: `.ndjson` or `.ndjson.gz` files of `ExplanationOfBenefit`, `Patient` and "
    "`Coverage` resources (FHIR R4, CARIN Blue Button profiles; file names do not matter, each file's "
    "resource type is read from its content), in a zip or tar (gzip allowed). Alignment (Patient, Coverage) "
    "and claim lines (every ExplanationOfBenefit of a medical claim type; versions of a claim resolved to "
    "the one that counts) go through the same validation and storage as `POST /v1/alignment` and "
    "`POST /v1/claims`, in one transaction: a rejected part rejects the export. Bounded like every upload "
    "(`CARA_MAX_UPLOAD_BYTES` sent and unpacked, `CARA_MAX_GZIP_RATIO` for each gzip file). Re-sending the "
    "same export is a no-op (200). docs/ingest.md has the mapping table.",
    responses={
        200: {"model": FhirImportReport, "description": "The same export was imported before."},
        **problem_responses(401, 403, 413, 415, 422),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "description": "A zip or tar (gzip allowed) of the export's NDJSON files.",
            "content": {"application/zip": _BINARY, "application/x-tar": _BINARY},
        }
    },
)
async def upload_fhir_export(
    request: Request, principal: AcoPrincipal, session: SessionDep, on_error: OnErrorParam = "reject"
) -> JSONResponse:
    settings: Settings = request.app.state.settings
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in FHIR_ARCHIVE_TYPES:
        raise UnsupportedMediaType("send a zip or tar of the export: application/zip or application/x-tar")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_upload_bytes:
        raise PayloadTooLarge(f"uploads are limited to {settings.max_upload_bytes} bytes")
    with tempfile.TemporaryDirectory(prefix="cara-fhir-") as scratch:
        archive, directory = Path(scratch) / "export", Path(scratch) / "files"
        directory.mkdir()
        size = 0
        with archive.open("wb") as out:
            async for chunk in request.stream():
                size += len(chunk)
                if size > settings.max_upload_bytes:
                    raise PayloadTooLarge(f"uploads are limited to {settings.max_upload_bytes} bytes")
                out.write(chunk)
        try:
            # Unpacking and reading each file's first resource: CPU work, off the event loop.
            export = await offload.run(
                lambda: unpack_export(
                    archive,
                    directory,
                    max_bytes=settings.max_upload_bytes,
                    max_ratio=settings.max_gzip_ratio,
                    max_blank_lines=settings.max_blank_lines,
                )
            )
        except DeliveryRefused as exc:
            raise Unprocessable(
                "FHIR export refused: nothing was stored",
                errors=[FieldError(location="export", message=p) for p in exc.problems],
            ) from exc
        try:
            result = await import_delivery(
                session,
                actor=principal.actor,
                aco_id=principal.org_id,
                delivery=export,
                on_error=on_error,
                settings=settings,
            )
        except DeliveryRefused as exc:  # a file found unreadable while the resources are read
            raise Unprocessable(
                "FHIR export refused: nothing was stored",
                errors=[FieldError(location="export", message=p) for p in exc.problems],
            ) from exc
    report = {
        "alignment": service.to_report(result.alignment.upload).model_dump(mode="json")
        if result.alignment
        else None,
        "claims": service.to_report(result.claims.upload).model_dump(mode="json") if result.claims else None,
    }
    if result.rejected:
        return UploadRejected(
            "the export has invalid rows; nothing of it was stored", report=report
        ).response()
    return JSONResponse(report, status_code=201 if result.created else 200)
