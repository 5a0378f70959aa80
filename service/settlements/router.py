from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Response, status
from fastapi.responses import JSONResponse

from service.access.auth import AnyPrincipal, OpsPrincipal
from service.kit.db import SessionDep
from service.kit.errors import problem_responses
from service.kit.etag import make_etag
from service.kit.pagination import CursorParam, LimitParam, Page
from service.settlements import quality, service
from service.settlements.schemas import (
    QualityReportIn,
    QualityReportOut,
    SettlementLineOut,
    SettlementOut,
    SettlementRequest,
)

router = APIRouter(prefix="/v1", tags=["settlements"])


def _etag(out: SettlementOut) -> str:
    """A draft's figures never change either; the ETag changes once, when it is finalised."""
    return make_etag(str(out.id), 2 if out.status == "final" else 1)


@router.put(
    "/quality/{arrangement_id}/{period_start}",
    summary="Report quality data for a period",
    description="**Roles: aco, provider (parties of the arrangement), ops.** Numerator and denominator "
    "of each of the arrangement's chosen measures for the performance period starting `period_start` "
    "(0 <= numerator <= denominator; a denominator of 0 drops the measure). Replaces any earlier "
    "report of the period as a whole; every report stays in the audit trail. Settlements read the "
    "report current when they run.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def put_quality(
    arrangement_id: str,
    period_start: date,
    data: QualityReportIn,
    principal: AnyPrincipal,
    session: SessionDep,
) -> QualityReportOut:
    return await quality.report_quality(
        session, viewer=principal, arrangement_id=arrangement_id, period_start=period_start, data=data
    )


@router.get(
    "/quality/{arrangement_id}/{period_start}",
    summary="Read the quality data of a period",
    description="**Roles: aco, provider (parties of the arrangement), ops.** The current quality report; "
    "404 when none has been sent.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def get_quality(
    arrangement_id: str, period_start: date, principal: AnyPrincipal, session: SessionDep
) -> QualityReportOut:
    return await quality.get_quality(
        session, viewer=principal, arrangement_id=arrangement_id, period_start=period_start
    )


@router.post(
    "/arrangements/{arrangement_id}/settlements",
    status_code=status.HTTP_201_CREATED,
    response_model=SettlementOut,
    summary="Run a settlement (or preview one)",
    description="**Roles: aco, provider (parties of the arrangement), ops.** Settles the arrangement in "
    "force for the period (SPEC section 7; the method in plain words: docs/settlement.md) with claim "
    "line versions received up to `claims_cutoff` (default: period end + `runout_days`). Stored as "
    "the next draft revision of (arrangement, period) with `delta` against the last final one (201), "
    "or with `preview: true` computed and returned without storing anything (200). Only executed or "
    "terminated arrangements are settled (409 otherwise).",
    responses={
        **problem_responses(401, 403, 404, 409, 422),
        200: {"model": SettlementOut, "description": "A preview: nothing stored."},
    },
)
async def create_settlement(
    arrangement_id: str,
    data: SettlementRequest,
    principal: AnyPrincipal,
    session: SessionDep,
    response: Response,
) -> Any:
    out = await service.create(session, viewer=principal, arrangement_id=arrangement_id, request=data)
    if data.preview:
        return JSONResponse(out.model_dump(mode="json"), status_code=status.HTTP_200_OK)
    response.headers["Location"] = f"/v1/settlements/{out.id}"
    response.headers["ETag"] = _etag(out)
    return out


@router.get(
    "/settlements/{settlement_id}",
    summary="Read a settlement",
    description="**Roles: aco, provider (parties of the arrangement), ops.** Totals, quality, caps, the "
    "amount (positive: owed to the provider), `delta` and every input with its hash. The `ETag` "
    "changes once, when the settlement is finalised.",
    responses=problem_responses(401, 403, 404),
)
async def get_settlement(
    settlement_id: str, principal: AnyPrincipal, session: SessionDep, response: Response
) -> SettlementOut:
    out = await service.get(session, viewer=principal, settlement_id=settlement_id)
    response.headers["ETag"] = _etag(out)
    return out


@router.get(
    "/settlements/{settlement_id}/lines",
    summary="List a settlement's episode lines",
    description="**Roles: aco, provider (parties of the arrangement), ops.** One line per settled episode: "
    "risk factor, target, spending, outlier cap and counted spending. Ordered by episode id.",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_settlement_lines(
    settlement_id: str,
    principal: AnyPrincipal,
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[SettlementLineOut]:
    items, next_cursor = await service.lines(
        session, viewer=principal, settlement_id=settlement_id, limit=limit, cursor=cursor
    )
    return Page[SettlementLineOut](items=items, next_cursor=next_cursor)


@router.get(
    "/settlements/{settlement_id}/statement.csv",
    summary="Download a settlement statement",
    description="**Roles: aco, provider (parties of the arrangement), ops.** CSV: a header and one row per "
    "settled episode, an empty row, then `item,value` rows with the totals, quality score, caps, "
    "amount, delta and hashes.",
    responses={
        **problem_responses(401, 403, 404),
        200: {"content": {"text/csv": {}}, "description": "The statement."},
    },
    response_class=Response,
)
async def get_settlement_statement(
    settlement_id: str, principal: AnyPrincipal, session: SessionDep
) -> Response:
    text = await service.statement_csv(session, viewer=principal, settlement_id=settlement_id)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{settlement_id}.csv"'},
    )


@router.post(
    "/settlements/{settlement_id}/finalize",
    summary="Finalise a settlement",
    description="**Role: ops.** draft -> final. A final settlement never changes; finalising it again is "
    "a 409. Later revisions of the same period report `delta` against it.",
    responses=problem_responses(401, 403, 404, 409),
)
async def finalize_settlement(
    settlement_id: str, principal: OpsPrincipal, session: SessionDep, response: Response
) -> SettlementOut:
    out = await service.finalize(session, viewer=principal, settlement_id=settlement_id)
    response.headers["ETag"] = _etag(out)
    return out
