"""Episode analyses: requesting one, running it off the request path, reading it back.

Who may see what: an ACO requests and reads its own analyses only (another ACO's is a 404, as if
it did not exist); ops requests them for any ACO and reads all; a specialist practice reads none
(403: the report shows the ACO's spending across every practice).

Running (docs/analyses.md): the request stores the analysis ``queued`` and answers 202; the same
process then runs it in the background after the response (:func:`execute`), and ``cara
worker`` runs any analysis still queued (one whose process stopped before starting it).
:func:`claim` moves an analysis from queued to running in one conditional UPDATE, so that it runs
once however many processes try.
"""

from __future__ import annotations

import csv
import io
import logging
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.access.models import Organization, OrgKind
from service.analyses import run
from service.analyses.models import EpisodeAnalysis, EpisodeAnalysisRow
from service.analyses.schemas import SEED_MAX, AnalysisOut, AnalysisRequest
from service.definitions.service import get_published, spec_of
from service.kit import changes, clock
from service.kit.db import Database
from service.kit.documents import neutralise
from service.kit.errors import Conflict, FieldError, NotFound, Problem, Unprocessable
from service.kit.ids import new_id
from service.kit.pagination import paginate

log = logging.getLogger("cara.analyses")

# A queued analysis older than this is taken up by `cara worker` (younger ones are being
# started by the process that accepted them).
ABANDONED_AFTER = timedelta(seconds=30)
# Who the audit trail names for a run (it happens after the request, under no key).
RUNNER = changes.Actor(org_id=None, key_id="analysis-runner")


async def request_analysis(
    session: AsyncSession, *, viewer: Principal, data: AnalysisRequest
) -> EpisodeAnalysis:
    """Check the request and store the analysis, queued."""
    errors: list[FieldError] = []
    if not viewer.is_ops and data.aco_id != viewer.org_id:
        errors.append(
            FieldError(location="body.aco_id", message=f"must be your organisation's id {viewer.org_id}")
        )
    aco = await session.get(Organization, data.aco_id)
    if aco is None or aco.kind != OrgKind.aco:
        errors.append(FieldError(location="body.aco_id", message=f"no ACO {data.aco_id}"))
    definition = await get_published(session, code=data.episode.code, version=data.episode.version)
    if definition is None:
        errors.append(
            FieldError(
                location="body.episode",
                message=f"{data.episode.code} v{data.episode.version} is not published",
            )
        )
    elif data.target_mean_risk_score is not None and spec_of(definition).risk_adjustment == "hcc":
        errors.append(
            FieldError(
                location="body.target_mean_risk_score",
                message="the definition is risk-adjusted by HCC score: settlement applies each "
                "beneficiary's score, so the price is for a score of 1.0",
            )
        )
    for index, practice_id in enumerate(data.practice_ids):
        practice = await session.get(Organization, practice_id)
        if practice is None or practice.kind != OrgKind.provider:
            errors.append(
                FieldError(location=f"body.practice_ids.{index}", message=f"no practice {practice_id}")
            )
    cutoff = data.claims_cutoff or clock.today()
    if cutoff < data.baseline.start:
        errors.append(
            FieldError(location="body.claims_cutoff", message="must not be before the baseline's start")
        )
    if errors:
        raise Unprocessable("the analysis request cannot be run", errors=errors)
    analysis = EpisodeAnalysis(
        id=new_id("ana"),
        aco_id=data.aco_id,
        requested_by=viewer.org_id,
        key_id=viewer.key_id,
        status="queued",
        definition_code=data.episode.code,
        definition_version=data.episode.version,
        baseline_start=data.baseline.start,
        baseline_end=data.baseline.end,
        claims_cutoff=cutoff,
        practice_ids=sorted(set(data.practice_ids)),
        npis=sorted(set(data.npis)),
        trend=data.trend,
        target_mean_risk_score=data.target_mean_risk_score,
        price_adjustment_pct=data.price_adjustment_pct,
        seed=secrets.randbelow(SEED_MAX + 1) if data.seed is None else data.seed,
        created_at=clock.utcnow(),
    )
    session.add(analysis)
    await session.flush()
    changes.record(
        session,
        actor=viewer.actor,
        action="episode_analysis.requested",
        resource_type="episode_analysis",
        resource_id=analysis.id,
        details={
            "aco_id": analysis.aco_id,
            "definition": f"{analysis.definition_code} v{analysis.definition_version}",
        },
        party_org_ids=(analysis.aco_id,),
    )
    return analysis


async def claim(database: Database, analysis_id: str) -> bool:
    """Move the analysis from queued to running; False if another process did first."""
    async with database.sessionmaker() as session, session.begin():
        result = await session.execute(
            update(EpisodeAnalysis)
            .where(EpisodeAnalysis.id == analysis_id, EpisodeAnalysis.status == "queued")
            .values(status="running", started_at=clock.utcnow())
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


async def execute(database: Database, analysis_id: str) -> None:
    """Run a queued analysis to done (or failed), each step its own transaction. Never raises:
    it runs after the response, where nobody could catch it."""
    try:
        if not await claim(database, analysis_id):
            return
        async with database.sessionmaker() as session, session.begin():
            analysis = await session.get(EpisodeAnalysis, analysis_id, with_for_update=True)
            assert analysis is not None
            await run.compute(session, analysis)
            analysis.status = "done"
            analysis.finished_at = clock.utcnow()
            changes.record(
                session,
                actor=RUNNER,
                action="episode_analysis.done",
                resource_type="episode_analysis",
                resource_id=analysis.id,
                details={"episodes": (analysis.summary or {}).get("episodes")},
                party_org_ids=(analysis.aco_id,),
            )
    except Exception as exc:
        log.exception("episode analysis %s failed", analysis_id)
        reason = (
            exc.detail
            if isinstance(exc, Problem) and exc.detail
            else "an internal error; see the service log"
        )
        async with database.sessionmaker() as session, session.begin():
            await session.execute(
                update(EpisodeAnalysis)
                .where(EpisodeAnalysis.id == analysis_id)
                .values(status="failed", finished_at=clock.utcnow(), error=str(reason)[:500])
            )


async def abandoned(database: Database, *, limit: int) -> list[str]:
    """Queued analyses nobody started within :data:`ABANDONED_AFTER`, oldest first."""
    async with database.sessionmaker() as session:
        stmt = (
            select(EpisodeAnalysis.id)
            .where(
                EpisodeAnalysis.status == "queued",
                EpisodeAnalysis.created_at < clock.utcnow() - ABANDONED_AFTER,
            )
            .order_by(EpisodeAnalysis.created_at)
            .limit(limit)
        )
        return list((await session.scalars(stmt)).all())


async def get(session: AsyncSession, *, viewer: Principal, analysis_id: str) -> EpisodeAnalysis:
    """The analysis if the viewer is its ACO (or ops); NotFound otherwise, as if it did not exist."""
    analysis = await session.get(EpisodeAnalysis, analysis_id)
    if analysis is None or not viewer.may_see(analysis.aco_id):
        raise NotFound(f"episode analysis {analysis_id} does not exist")
    return analysis


async def rows_of(session: AsyncSession, analysis: EpisodeAnalysis) -> Sequence[EpisodeAnalysisRow]:
    stmt = (
        select(EpisodeAnalysisRow)
        .where(EpisodeAnalysisRow.analysis_id == analysis.id, EpisodeAnalysisRow.aco_id == analysis.aco_id)
        .order_by(EpisodeAnalysisRow.ordinal)
    )
    return (await session.scalars(stmt)).all()


def to_schema(analysis: EpisodeAnalysis, rows: Sequence[EpisodeAnalysisRow]) -> AnalysisOut:
    return AnalysisOut.model_validate(
        {
            "id": analysis.id,
            "status": analysis.status,
            "aco_id": analysis.aco_id,
            "episode": {"code": analysis.definition_code, "version": analysis.definition_version},
            "baseline": {"start": analysis.baseline_start, "end": analysis.baseline_end},
            "claims_cutoff": analysis.claims_cutoff,
            "practice_ids": analysis.practice_ids,
            "npis": analysis.npis,
            "trend": analysis.trend,
            "target_mean_risk_score": analysis.target_mean_risk_score,
            "price_adjustment_pct": analysis.price_adjustment_pct,
            "seed": analysis.seed,
            "created_at": analysis.created_at,
            "started_at": analysis.started_at,
            "finished_at": analysis.finished_at,
            "error": analysis.error,
            "summary": analysis.summary,
            "recommendation": analysis.recommendation,
            "rows": [{c: getattr(r, c) for c in REPORT_COLUMNS} for r in rows],
        }
    )


async def show(session: AsyncSession, *, viewer: Principal, analysis_id: str) -> AnalysisOut:
    analysis = await get(session, viewer=viewer, analysis_id=analysis_id)
    return to_schema(analysis, await rows_of(session, analysis))


async def list_analyses(
    session: AsyncSession, *, viewer: Principal, aco_id: str | None, limit: int, cursor: str | None
) -> tuple[list[AnalysisOut], str | None]:
    """The viewer's analyses (ops: all, or one ACO's), newest first, without their rows."""
    stmt = select(EpisodeAnalysis)
    if not viewer.is_ops:
        stmt = stmt.where(EpisodeAnalysis.aco_id == viewer.org_id)
    if aco_id is not None:
        stmt = stmt.where(EpisodeAnalysis.aco_id == aco_id)
    found, next_cursor = await paginate(
        session, stmt, key=EpisodeAnalysis.id, limit=limit, cursor=cursor, descending=True
    )
    return [to_schema(a, []) for a in found], next_cursor


REPORT_COLUMNS = (
    "level",
    "practice_id",
    "practice_name",
    "npi",
    "episodes",
    "total_spending",
    "mean_spending",
    "winsorised_mean_spending",
    "median_spending",
    "p10_spending",
    "p90_spending",
    "mean_risk_score",
    "spending_outside_arrangements",
    "leakage_share",
)


async def report_csv(session: AsyncSession, *, viewer: Principal, analysis_id: str) -> str:
    """The report as CSV: one row per practice, then per NPI (columns of :data:`REPORT_COLUMNS`).
    409 until the analysis is done."""
    analysis = await get(session, viewer=viewer, analysis_id=analysis_id)
    if analysis.status != "done":
        raise Conflict(f"episode analysis {analysis_id} is {analysis.status}", current_state=analysis.status)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(REPORT_COLUMNS)
    for row in await rows_of(session, analysis):
        values: list[Any] = []
        for column in REPORT_COLUMNS:
            value = getattr(row, column)
            values.append("" if value is None else neutralise(value) if column == "practice_name" else value)
        writer.writerow(values)
    return out.getvalue()
