from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response, status
from fastapi.responses import HTMLResponse, JSONResponse

from service.access.auth import AnyPrincipal, OpsPrincipal, PartyPrincipal
from service.audit.schemas import AuditVerificationOut, ChainVerificationOut, FindingOut
from service.episodes.schemas import EpisodeEvidence
from service.kit.db import SessionDep
from service.kit.errors import problem_responses
from service.kit.etag import make_etag
from service.kit.pagination import CursorParam, LimitParam, Page
from service.settlements import disputes, integrity, quality, service
from service.settlements.schemas import (
    DisputeCreate,
    DisputeOut,
    DisputeResolution,
    FinalizeRequest,
    QualityReportIn,
    QualityReportOut,
    SettlementLineOut,
    SettlementOut,
    SettlementRecomputation,
    SettlementRequest,
)
from service.settlements.statement import etag_version

router = APIRouter(prefix="/v1", tags=["settlements"])

SettlementStatus = Literal["draft", "final", "superseded"]
StatusFilter = Annotated[SettlementStatus | None, Query(alias="status", description="Only this status.")]
PeriodStartFilter = Annotated[date | None, Query(description="Only the period starting on this day.")]


def _etag(out: SettlementOut) -> str:
    """A settlement's figures never change; its ETag changes when it is finalised or superseded,
    and with each acceptance, dispute and resolution."""
    return make_etag(str(out.id), etag_version(out))


@router.put(
    "/quality/{arrangement_id}/{period_start}",
    summary="Report quality data for a period",
    description="**Roles: the party the terms name in `quality_reporter` (the provider by default; "
    "`either`: both), ops; the other party gets 403.** Numerator and denominator "
    "of each of the arrangement's chosen measures for the performance period starting `period_start` "
    "(0 <= numerator <= denominator; a denominator of 0 drops the measure), with an optional "
    "`attestation`. Adds a new version of the period's data as a whole: no version is overwritten, "
    "each keeps the organisation and key that sent it. The counterparty receives a "
    "`quality.reported` event. Settlements read the latest version when they run and record which.",
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
    description="**Roles: aco, provider (parties of the arrangement), ops.** The latest version of the "
    "period's quality data; 404 when none has been sent.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def get_quality(
    arrangement_id: str, period_start: date, principal: AnyPrincipal, session: SessionDep
) -> QualityReportOut:
    return await quality.get_quality(
        session, viewer=principal, arrangement_id=arrangement_id, period_start=period_start
    )


@router.get(
    "/arrangements/{arrangement_id}/quality-versions",
    summary="List every version of an arrangement's quality data",
    description="**Roles: aco, provider (parties of the arrangement), ops.** Oldest first: the "
    "measures each organisation submitted, with which key, when and what it attested; no version "
    "is ever overwritten. Filter: `period_start`.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def list_quality_versions(
    arrangement_id: str,
    principal: AnyPrincipal,
    session: SessionDep,
    period_start: PeriodStartFilter = None,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[QualityReportOut]:
    items, next_cursor = await quality.list_versions(
        session,
        viewer=principal,
        arrangement_id=arrangement_id,
        period_start=period_start,
        limit=limit,
        cursor=cursor,
    )
    return Page[QualityReportOut](items=items, next_cursor=next_cursor)


@router.post(
    "/arrangements/{arrangement_id}/settlements",
    status_code=status.HTTP_201_CREATED,
    response_model=SettlementOut,
    summary="Run a settlement (or preview one)",
    description="**Roles: aco, provider (parties of the arrangement), ops.** Settles the arrangement in "
    "force for the period (the method in plain words: docs/settlement.md) with claim "
    "line versions received up to `claims_cutoff` (default: period end + `runout_days`) from the "
    "uploads stored when it runs (recorded in `sources`). Stored as "
    "the next draft revision of (arrangement, period) with `delta` against the current final one (201), "
    "or with `preview: true` computed and returned without storing anything (200). A run whose "
    "`inputs_sha256` equals that of the latest revision, a draft, returns that draft (200) instead "
    "of storing a copy, unless a dispute was upheld since. Episodes another arrangement's final settlement "
    "already counts are excluded (`settled_elsewhere`). Each episode settles under the terms version "
    "in force on its trigger date (an amendment takes effect on its `effective_from`); "
    "`terms_versions` gives the figures per version. Only executed or "
    "terminated arrangements are settled (409 otherwise).",
    responses={
        **problem_responses(401, 403, 404, 409, 422),
        200: {
            "model": SettlementOut,
            "description": "A preview (nothing stored), or the latest draft when the inputs are unchanged.",
        },
    },
)
async def create_settlement(
    arrangement_id: str,
    data: SettlementRequest,
    principal: AnyPrincipal,
    session: SessionDep,
    response: Response,
) -> Any:
    out, created = await service.create(
        session, viewer=principal, arrangement_id=arrangement_id, request=data
    )
    if data.preview:
        return JSONResponse(out.model_dump(mode="json"), status_code=status.HTTP_200_OK)
    headers = {"Location": f"/v1/settlements/{out.id}", "ETag": _etag(out)}
    if not created:
        return JSONResponse(out.model_dump(mode="json"), status_code=status.HTTP_200_OK, headers=headers)
    response.headers.update(headers)
    return out


@router.get(
    "/arrangements/{arrangement_id}/settlements",
    summary="List an arrangement's settlements",
    description="**Roles: aco, provider (parties of the arrangement), ops.** Every revision of every "
    "period, newest first, each with the parties' acceptances and disputes. Filters: `period_start`, "
    "`status`.",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_arrangement_settlements(
    arrangement_id: str,
    principal: AnyPrincipal,
    session: SessionDep,
    status_: StatusFilter = None,
    period_start: PeriodStartFilter = None,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[SettlementOut]:
    items, next_cursor = await service.list_settlements(
        session,
        viewer=principal,
        arrangement_id=arrangement_id,
        status=status_,
        period_start=period_start,
        limit=limit,
        cursor=cursor,
        of_arrangement=True,
    )
    return Page[SettlementOut](items=items, next_cursor=next_cursor)


@router.get(
    "/settlements",
    summary="List settlements",
    description="**Roles: aco, provider (the settlements of their arrangements), ops (all).** Newest "
    "first. Filters: `arrangement_id`, `status`, `period_start`.",
    responses=problem_responses(401, 403, 422),
)
async def list_settlements(
    principal: AnyPrincipal,
    session: SessionDep,
    arrangement_id: Annotated[
        str | None, Query(max_length=40, description="Only this arrangement's.")
    ] = None,
    status_: StatusFilter = None,
    period_start: PeriodStartFilter = None,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[SettlementOut]:
    items, next_cursor = await service.list_settlements(
        session,
        viewer=principal,
        arrangement_id=arrangement_id,
        status=status_,
        period_start=period_start,
        limit=limit,
        cursor=cursor,
    )
    return Page[SettlementOut](items=items, next_cursor=next_cursor)


@router.get(
    "/settlements/{settlement_id}",
    summary="Read a settlement",
    description="**Roles: aco, provider (parties of the arrangement), ops.** Totals, quality, caps, the "
    "amount (positive: owed to the provider), `delta`, every input with its hash, what the run could "
    "read (`sources`), each party's acceptance and the disputes. The `ETag` changes when it is "
    "finalised or superseded, accepted, disputed or a dispute is resolved.",
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
    "its `id` (the episode's, the same in every revision; what a dispute's `line_ids` name), risk "
    "factor, target, spending, outlier cap and counted spending. Ordered by id.",
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


STATEMENT_ROLES = "**Roles: aco, provider (parties of the arrangement), ops.** "


@router.get(
    "/settlements/{settlement_id}/lines/{line_id}/claims",
    summary="List the claim lines behind a settlement line",
    description=STATEMENT_ROLES + "The evidence of one episode of the settlement, settled (a line of "
    "`/lines`) or excluded (a row of `statement.csv` with status `excluded`): every stored version of "
    "every line of the beneficiary's claims that touch the episode's window, read as the settlement "
    "read them (only the uploads it recorded in `sources`, its claims cutoff, the definition of its "
    "terms version), so the answer stays the same whatever is uploaded later. Each is `counted` or "
    "has a `reason`: `superseded`, `cancelled`, `received_after_cutoff`, `claim_type_not_included`, "
    "`outside_window`, `principal_diagnosis_excluded`. `counted_allowed_amount` (all pages) equals "
    "the line's `spending` to the cent. Ordered by service date, claim, line and record.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def list_settlement_line_claims(
    settlement_id: str,
    line_id: Annotated[str, Path(max_length=40)],
    principal: AnyPrincipal,
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> EpisodeEvidence:
    return await service.line_claims(
        session, viewer=principal, settlement_id=settlement_id, line_id=line_id, limit=limit, cursor=cursor
    )


@router.get(
    "/settlements/{settlement_id}/statement.csv",
    summary="Download a settlement statement's episodes as CSV",
    description=STATEMENT_ROLES + "UTF-8 CSV with a header row and one row per episode of the period, "
    "settled or excluded (`status`, `exclusion_reason`), by line id: dates, the trigger claim, risk "
    "factor (4 places; `risk_factor_exact` with every stored place), target, spending, outlier cap, "
    "counted spending and whether it was capped. Text from uploads that a spreadsheet would read as "
    "a formula (starting `=`, `+`, `-`, `@`) is prefixed with `'`. Every column: docs/statements.md.",
    responses={
        **problem_responses(401, 403, 404, 409),
        200: {
            "content": {"text/csv": {"schema": {"type": "string"}}},
            "description": "The statement's episodes.",
        },
    },
    response_class=Response,
)
async def get_settlement_statement(
    settlement_id: str, principal: AnyPrincipal, session: SessionDep
) -> Response:
    text = await service.statement_file(session, viewer=principal, settlement_id=settlement_id, kind="csv")
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{settlement_id}.csv"'},
    )


@router.get(
    "/settlements/{settlement_id}/summary.csv",
    summary="Download a settlement statement's summary as CSV",
    description=STATEMENT_ROLES + "UTF-8 CSV, a header row and one row: the parties' names and TINs, "
    "terms version and hash, period, cutoff, when computed, `inputs_sha256`, episodes settled and "
    "excluded, totals, each quality measure's numerator, denominator and rate, the quality score, "
    "the shared amount before caps, each cap and which applied, the amount, who pays whom, earlier "
    "finals and the delta, acceptances and disputes. Money to cents; `_exact` columns keep every "
    "stored place. Every column: docs/statements.md.",
    responses={
        **problem_responses(401, 403, 404, 409),
        200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "The summary."},
    },
    response_class=Response,
)
async def get_settlement_summary(
    settlement_id: str, principal: AnyPrincipal, session: SessionDep
) -> Response:
    text = await service.statement_file(
        session, viewer=principal, settlement_id=settlement_id, kind="summary"
    )
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{settlement_id}-summary.csv"'},
    )


@router.get(
    "/settlements/{settlement_id}/statement.html",
    summary="Read a settlement statement as a document",
    description=STATEMENT_ROLES + "The statement for people, ready to print on A4 or Letter (no "
    "script, nothing loaded from elsewhere): the parties with names and TINs, arrangement, terms "
    "version and hash, period, cutoff, when computed, `inputs_sha256`; the outcome in words (who "
    "pays whom, in figures and words); episodes settled and excluded, totals, quality per measure, "
    "savings or loss, each cap, earlier finals and the delta; every episode with the excluded ones' "
    "reasons; acceptances and disputes.",
    responses={
        **problem_responses(401, 403, 404, 409),
        200: {"content": {"text/html": {"schema": {"type": "string"}}}, "description": "The statement."},
    },
    response_class=HTMLResponse,
)
async def get_settlement_statement_document(
    settlement_id: str, principal: AnyPrincipal, session: SessionDep
) -> HTMLResponse:
    html = await service.statement_file(session, viewer=principal, settlement_id=settlement_id, kind="html")
    return HTMLResponse(html)


@router.post(
    "/settlements/{settlement_id}/finalize",
    summary="Finalise a settlement",
    description="**Role: ops.** draft -> final. Only the latest revision of its period (409 naming the "
    "latest otherwise); not before its claims cutoff has passed (409) unless the body gives an "
    "`override_reason`, which is kept and audited; never while a dispute of the period is open, "
    "whatever the reason (409), nor when a dispute was upheld after it was computed (409: run it "
    "again). The period's earlier final becomes `superseded`; `delta` is fixed against it (or "
    "against zero), so a period's final deltas add up to its latest final amount. A digest of the "
    "settlement and its lines is recorded in the audit chain. A final settlement never changes; "
    "finalising it again is a 409. The body may be omitted.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def finalize_settlement(
    settlement_id: str,
    principal: OpsPrincipal,
    session: SessionDep,
    response: Response,
    data: FinalizeRequest | None = None,
) -> SettlementOut:
    out = await service.finalize(
        session,
        viewer=principal,
        settlement_id=settlement_id,
        override_reason=None if data is None else data.override_reason,
    )
    response.headers["ETag"] = _etag(out)
    return out


@router.post(
    "/settlements/{settlement_id}/recompute",
    summary="Recompute a settlement from its recorded inputs",
    description="**Roles: aco, provider (parties of the arrangement), ops.** Computes the settlement "
    "again from exactly what it recorded: its terms versions and the days each was in force, quality "
    "data version, the uploads the "
    "service had stored when it ran (nothing uploaded since counts, whatever its `received_date`), "
    "the practice's NPIs, the termination date and the episodes settled elsewhere. Stores nothing. "
    "`matches` is true when the hash and every figure are the same; `differences` names any that "
    "are not.",
    responses=problem_responses(401, 403, 404, 409),
)
async def recompute_settlement(
    settlement_id: str, principal: AnyPrincipal, session: SessionDep
) -> SettlementRecomputation:
    return await service.recompute(session, viewer=principal, settlement_id=settlement_id)


@router.post(
    "/settlements/{settlement_id}/accept",
    summary="Accept a draft settlement",
    description="**Roles: aco, provider (parties of the arrangement).** Records this party's acceptance "
    "(organisation, key, time) of the draft; shown in the settlement's `acceptance`. 409 when it "
    "is not a draft, when this party already accepted it, or when this party's own dispute of it "
    "is open. Sends `settlement.accepted` to both parties.",
    responses=problem_responses(401, 403, 404, 409),
)
async def accept_settlement(
    settlement_id: str, principal: PartyPrincipal, session: SessionDep, response: Response
) -> SettlementOut:
    out = await disputes.accept(session, viewer=principal, settlement_id=settlement_id)
    response.headers["ETag"] = _etag(out)
    return out


@router.post(
    "/settlements/{settlement_id}/disputes",
    status_code=status.HTTP_201_CREATED,
    summary="Dispute a draft settlement",
    description="**Roles: aco, provider (parties of the arrangement).** A `reason` and optionally the "
    "`line_ids` disputed (422 for a line the settlement does not have); none disputes the whole "
    "settlement. While a dispute of a period is open no revision of it can be finalised; ops "
    "resolves it (`POST /v1/settlement-disputes/{id}/resolve`). 409 when the settlement is not a "
    "draft. Sends `settlement.disputed` to both parties.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def dispute_settlement(
    settlement_id: str,
    data: DisputeCreate,
    principal: PartyPrincipal,
    session: SessionDep,
    response: Response,
) -> DisputeOut:
    out = await disputes.open_dispute(session, viewer=principal, settlement_id=settlement_id, data=data)
    response.headers["Location"] = f"/v1/settlement-disputes/{out.id}"
    return out


@router.get(
    "/settlement-disputes/{dispute_id}",
    summary="Read a settlement dispute",
    description="**Roles: aco, provider (parties of the arrangement), ops.** The dispute and, once "
    "resolved, its outcome and note.",
    responses=problem_responses(401, 403, 404),
)
async def get_settlement_dispute(dispute_id: str, principal: AnyPrincipal, session: SessionDep) -> DisputeOut:
    return await disputes.get_dispute(session, viewer=principal, dispute_id=dispute_id)


@router.post(
    "/settlement-disputes/{dispute_id}/resolve",
    summary="Resolve a settlement dispute",
    description="**Role: ops.** `outcome` `upheld` (the period needs a new run before it can be "
    "finalised) or `rejected` (the disputed revision may be finalised), with a `note`. 409 when "
    "already resolved. Sends `settlement.dispute_resolved` to both parties.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def resolve_settlement_dispute(
    dispute_id: str, data: DisputeResolution, principal: OpsPrincipal, session: SessionDep
) -> DisputeOut:
    return await disputes.resolve_dispute(session, viewer=principal, dispute_id=dispute_id, data=data)


@router.get(
    "/audit/verification",
    tags=["audit"],
    summary="Verify the audit chain, signed terms and final settlements",
    description="**Role: ops.** Recomputes the audit hash chain, the terms hash of every signed terms "
    "version against what the chain recorded when it was signed, and the digest of every final "
    "(or superseded) settlement and its lines against the digest recorded when it was finalised. "
    "`ok` is false when anything was altered; each finding names the resource. Reads every event, "
    "version and final settlement line: it takes a while on a large database.",
    responses=problem_responses(401, 403),
)
async def verify_audit(principal: OpsPrincipal, session: SessionDep) -> AuditVerificationOut:
    result = await session.run_sync(integrity.verify_everything)
    return AuditVerificationOut(
        ok=result.ok,
        chain=ChainVerificationOut(
            ok=result.chain.ok,
            events=result.chain.events,
            broken_seq=result.chain.broken_seq,
            reason=result.chain.reason,
        ),
        terms_versions_checked=result.terms_versions_checked,
        settlements_checked=result.settlements_checked,
        settlements_unsealed=result.settlements_unsealed,
        findings=[
            FindingOut(resource_type=f.resource_type, resource_id=f.resource_id, problem=f.problem)
            for f in result.findings
        ],
    )
