from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Depends, Query, Response, status

from service.access.auth import Principal, require
from service.access.models import Role
from service.analyses import service
from service.analyses.schemas import AnalysisOut, AnalysisRequest
from service.kit.db import SessionDep, get_database
from service.kit.errors import problem_responses
from service.kit.pagination import CursorParam, LimitParam, Page

router = APIRouter(prefix="/v1", tags=["analyses"])

AnalystPrincipal = Annotated[Principal, Depends(require(Role.ops, Role.aco))]


@router.post(
    "/episode-analyses",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Analyse the episodes a definition would have opened in the ACO's claims",
    description="**Roles: aco (its own claims), ops.** Queues an analysis of a baseline period "
    "without any arrangement: the episodes the definition would have opened (any rendering NPI, "
    "or those of `practice_ids`/`npis`), attributed to the triggering NPI and its practice, "
    "their spending per practice and per NPI (count, total, mean, winsorised mean, median, "
    "10th/90th percentiles, mean risk score, the share outside any arrangement) and a "
    "recommended target price with a seeded 90 % bootstrap interval (docs/analyses.md). "
    "Answers 202 with `Location`; read the analysis there until its `status` is `done` (or "
    "`failed`). 422 for a definition not published, an unknown practice or ACO, or an ACO "
    "other than the caller's.",
    responses=problem_responses(401, 403, 422),
)
async def create_episode_analysis(
    data: AnalysisRequest,
    principal: AnalystPrincipal,
    session: SessionDep,
    response: Response,
    background: BackgroundTasks,
) -> AnalysisOut:
    analysis = await service.request_analysis(session, viewer=principal, data=data)
    # Runs after the response, so after the request's transaction committed the queued row.
    background.add_task(service.execute, get_database(), analysis.id)
    response.headers["Location"] = f"/v1/episode-analyses/{analysis.id}"
    return service.to_schema(analysis, [])


@router.get(
    "/episode-analyses",
    summary="List episode analyses",
    description="**Roles: aco (its own), ops (all, or one ACO's with `aco_id`).** Newest first, "
    "without their report rows.",
    responses=problem_responses(401, 403, 422),
)
async def list_episode_analyses(
    principal: AnalystPrincipal,
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
    aco_id: Annotated[str | None, Query(max_length=40, description="Only this ACO's.")] = None,
) -> Page[AnalysisOut]:
    items, next_cursor = await service.list_analyses(
        session, viewer=principal, aco_id=aco_id, limit=limit, cursor=cursor
    )
    return Page[AnalysisOut](items=items, next_cursor=next_cursor)


@router.get(
    "/episode-analyses/{analysis_id}",
    summary="Read an episode analysis",
    description="**Roles: aco (its own), ops.** Its status (`queued`, `running`, `done`, "
    "`failed` with `error`) and, when done, the summary, the report rows (each practice, then "
    "each NPI) and the target-price recommendation.",
    responses=problem_responses(401, 403, 404),
)
async def get_episode_analysis(
    analysis_id: str, principal: AnalystPrincipal, session: SessionDep
) -> AnalysisOut:
    return await service.show(session, viewer=principal, analysis_id=analysis_id)


@router.get(
    "/episode-analyses/{analysis_id}/report.csv",
    summary="Download an episode analysis's report as CSV",
    description="**Roles: aco (its own), ops.** One row per practice, then per NPI; the columns "
    "are the report rows' fields (docs/analyses.md). 409 until the analysis is done.",
    responses={
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "The report."},
        **problem_responses(401, 403, 404, 409),
    },
    response_class=Response,
)
async def get_episode_analysis_report(
    analysis_id: str, principal: AnalystPrincipal, session: SessionDep
) -> Response:
    text = await service.report_csv(session, viewer=principal, analysis_id=analysis_id)
    return Response(
        content=text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{analysis_id}.csv"'},
    )
