from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response, status
from fastapi.responses import HTMLResponse
from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import AnyPrincipal, OpsPrincipal, PartyPrincipal, Principal
from service.arrangements import document as document_service
from service.arrangements import endings, renewal, review, service, views
from service.arrangements.models import Arrangement
from service.arrangements.schemas import (
    AmendmentCreate,
    ArrangementCreate,
    ArrangementOut,
    ArrangementStatus,
    ArrangementVersionOut,
    DeclineRequest,
    RenewalCreate,
    ReviewRequest,
    SignatureCreate,
    TerminateRequest,
    TermsChange,
)
from service.kit.db import SessionDep, single_statement
from service.kit.errors import problem_responses
from service.kit.etag import require_if_match
from service.kit.pagination import CursorParam, LimitParam, Page
from service.kit.responses import bytes_response, page_response

router = APIRouter(prefix="/v1", tags=["arrangements"])

CHANGE_ERRORS = problem_responses(401, 403, 404, 409, 412, 422, 428)


def _precondition(request: Request) -> service.Precondition:
    def check(current: str) -> None:
        require_if_match(request, current)

    return check


async def _respond(
    session: AsyncSession, arrangement: Arrangement, principal: Principal, response: Response
) -> ArrangementOut:
    response.headers["ETag"] = views.etag_of(arrangement)
    return await views.to_schema(session, arrangement, viewer=principal)


@router.post(
    "/arrangements",
    status_code=status.HTTP_201_CREATED,
    summary="Propose an arrangement",
    description="**Roles: aco, provider (must be a party).** Creates a draft (version 1) between your "
    "organisation and a counterparty of the other kind, for a published episode definition. "
    "Overrides are allowed only for `max_flex` definitions.",
    responses=problem_responses(401, 403, 422),
)
async def create_arrangement(
    data: ArrangementCreate, principal: PartyPrincipal, session: SessionDep, response: Response
) -> ArrangementOut:
    arrangement = await service.propose(session, viewer=principal, data=data)
    response.headers["Location"] = f"/v1/arrangements/{arrangement.id}"
    return await _respond(session, arrangement, principal, response)


@router.get(
    "/arrangements",
    response_model=Page[ArrangementOut],
    summary="List arrangements",
    description="**Roles: aco, provider, ops.** Parties see the arrangements they are party to; ops sees all. "
    "Oldest first.",
    responses=problem_responses(401, 422),
)
async def list_arrangements(
    principal: AnyPrincipal,
    status_: Annotated[
        ArrangementStatus | None, Query(alias="status", description="Only this status.")
    ] = None,
    episode_code: Annotated[
        str | None, Query(max_length=40, description="Only this episode definition code.")
    ] = None,
    counterparty_id: Annotated[
        str | None, Query(max_length=40, description="Only arrangements with this organisation.")
    ] = None,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Response:
    async with single_statement() as connection:
        shown, next_cursor = await service.list_arrangements(
            connection,
            viewer=principal,
            status=status_,
            episode_code=episode_code,
            counterparty_id=counterparty_id,
            limit=limit,
            cursor=cursor,
        )
    return page_response([one.json for one in shown], next_cursor)


@router.get(
    "/arrangements/{arrangement_id}",
    response_model=ArrangementOut,
    summary="One arrangement",
    description="**Roles: party, ops.** The latest version's terms and signatures, the version in force, "
    "and the caller's allowed actions. The `ETag` header is what `If-Match` of a change must carry.",
    responses=problem_responses(401, 404),
)
async def get_arrangement(arrangement_id: str, principal: AnyPrincipal) -> Response:
    async with single_statement() as connection:
        shown = await service.show(connection, viewer=principal, arrangement_id=arrangement_id)
    return bytes_response(shown.json, headers={"ETag": shown.etag})


@router.patch(
    "/arrangements/{arrangement_id}",
    summary="Revise the terms",
    description="**Roles: party.** On a draft or partially signed arrangement: a new version with these "
    "terms; earlier signatures stay with their version and the new one is unsigned (status draft). "
    "Requires `If-Match`.",
    responses=CHANGE_ERRORS,
)
async def revise_arrangement(
    arrangement_id: str,
    data: TermsChange,
    request: Request,
    principal: PartyPrincipal,
    session: SessionDep,
    response: Response,
) -> ArrangementOut:
    arrangement = await service.revise(
        session,
        viewer=principal,
        arrangement_id=arrangement_id,
        terms=data.terms,
        precondition=_precondition(request),
    )
    return await _respond(session, arrangement, principal, response)


@router.post(
    "/arrangements/{arrangement_id}/signatures",
    status_code=status.HTTP_201_CREATED,
    summary="Sign the current version",
    description="**Roles: party.** Signs the latest version; `terms_sha256` must be its hash (else 409 with "
    "`current_terms_sha256`). Each party signs once per version. The second signature executes the "
    "arrangement (or an amendment), or sends it to `pending_approval` when it carries max-flex "
    "overrides. Requires `If-Match`.",
    responses=CHANGE_ERRORS,
)
async def sign_arrangement(
    arrangement_id: str,
    data: SignatureCreate,
    request: Request,
    principal: PartyPrincipal,
    session: SessionDep,
    response: Response,
) -> ArrangementOut:
    arrangement = await service.sign(
        session,
        viewer=principal,
        arrangement_id=arrangement_id,
        data=data,
        precondition=_precondition(request),
    )
    return await _respond(session, arrangement, principal, response)


@router.post(
    "/arrangements/{arrangement_id}/decline",
    summary="Decline a proposal",
    description="**Roles: party (the counterparty).** Ends a draft or partially signed arrangement. Requires `If-Match`.",
    responses=CHANGE_ERRORS,
)
async def decline_arrangement(
    arrangement_id: str,
    data: DeclineRequest,
    request: Request,
    principal: PartyPrincipal,
    session: SessionDep,
    response: Response,
) -> ArrangementOut:
    arrangement = await endings.decline(
        session,
        viewer=principal,
        arrangement_id=arrangement_id,
        reason=data.reason,
        precondition=_precondition(request),
    )
    return await _respond(session, arrangement, principal, response)


@router.post(
    "/arrangements/{arrangement_id}/withdraw",
    summary="Withdraw a proposal",
    description="**Roles: party (the proposer).** Ends a draft or partially signed arrangement. Requires `If-Match`.",
    responses=CHANGE_ERRORS,
)
async def withdraw_arrangement(
    arrangement_id: str, request: Request, principal: PartyPrincipal, session: SessionDep, response: Response
) -> ArrangementOut:
    arrangement = await endings.withdraw(
        session, viewer=principal, arrangement_id=arrangement_id, precondition=_precondition(request)
    )
    return await _respond(session, arrangement, principal, response)


@router.post(
    "/arrangements/{arrangement_id}/amendments",
    status_code=status.HTTP_201_CREATED,
    summary="Propose an amendment",
    description="**Roles: party.** On an executed arrangement: a new pending version to be signed by both "
    "parties. The executed version stays in force until then. Once executed, episodes triggered on or "
    "after `effective_from` (default: the period's start) settle under the new terms, earlier ones "
    "under the terms in force on their trigger date. An amendment effective after the period's start "
    "keeps the max-flex overrides of the version in force. Requires `If-Match`.",
    responses=CHANGE_ERRORS,
)
async def amend_arrangement(
    arrangement_id: str,
    data: AmendmentCreate,
    request: Request,
    principal: PartyPrincipal,
    session: SessionDep,
    response: Response,
) -> ArrangementOut:
    arrangement = await service.amend(
        session,
        viewer=principal,
        arrangement_id=arrangement_id,
        terms=data.terms,
        effective_from=data.effective_from,
        precondition=_precondition(request),
    )
    return await _respond(session, arrangement, principal, response)


@router.post(
    "/arrangements/{arrangement_id}/terminate",
    summary="Terminate an executed arrangement",
    description="**Roles: party.** No episode triggers on or after `effective_date` (within the period); "
    "open episodes run to their end. Requires `If-Match`.",
    responses=CHANGE_ERRORS,
)
async def terminate_arrangement(
    arrangement_id: str,
    data: TerminateRequest,
    request: Request,
    principal: PartyPrincipal,
    session: SessionDep,
    response: Response,
) -> ArrangementOut:
    arrangement = await endings.terminate(
        session,
        viewer=principal,
        arrangement_id=arrangement_id,
        effective_date=data.effective_date,
        reason=data.reason,
        precondition=_precondition(request),
    )
    return await _respond(session, arrangement, principal, response)


@router.post(
    "/arrangements/{arrangement_id}/renewals",
    status_code=status.HTTP_201_CREATED,
    summary="Propose a renewal",
    description="**Roles: party.** On an executed arrangement: a new arrangement between the same "
    "parties for the same episode definition, for the following period (default: right after this "
    "one, as long) with the terms in force (or those sent), proposed by the caller to the other "
    "party. It is an ordinary draft from then on (revise, sign, decline, withdraw, approval of "
    "overrides) and shows `renewal_of`; this arrangement shows it in `renewed_by`. One renewal at a "
    "time: while one is proposed, signed or in force, another is a 409. Requires `If-Match` of this "
    "arrangement; answers the new one.",
    responses=CHANGE_ERRORS,
)
async def renew_arrangement(
    arrangement_id: str,
    request: Request,
    principal: PartyPrincipal,
    session: SessionDep,
    response: Response,
    data: RenewalCreate | None = None,
) -> ArrangementOut:
    renewed = await renewal.renew(
        session,
        viewer=principal,
        arrangement_id=arrangement_id,
        data=data or RenewalCreate(),
        precondition=_precondition(request),
    )
    response.headers["Location"] = f"/v1/arrangements/{renewed.id}"
    return await _respond(session, renewed, principal, response)


@router.post(
    "/arrangements/{arrangement_id}/approve",
    summary="Approve max-flex overrides",
    description="**Role: ops.** A `pending_approval` arrangement becomes executed with its overrides. "
    "Requires `If-Match`.",
    responses=CHANGE_ERRORS,
)
async def approve_arrangement(
    arrangement_id: str,
    request: Request,
    principal: OpsPrincipal,
    session: SessionDep,
    response: Response,
    data: ReviewRequest | None = None,
) -> ArrangementOut:
    arrangement = await review.review(
        session,
        viewer=principal,
        arrangement_id=arrangement_id,
        approve=True,
        reason=data.reason if data else None,
        precondition=_precondition(request),
    )
    return await _respond(session, arrangement, principal, response)


@router.post(
    "/arrangements/{arrangement_id}/reject",
    summary="Reject max-flex overrides",
    description="**Role: ops.** A first execution becomes `rejected`; a rejected amendment leaves the "
    "executed version in force. Requires `If-Match`.",
    responses=CHANGE_ERRORS,
)
async def reject_arrangement(
    arrangement_id: str,
    request: Request,
    principal: OpsPrincipal,
    session: SessionDep,
    response: Response,
    data: ReviewRequest | None = None,
) -> ArrangementOut:
    arrangement = await review.review(
        session,
        viewer=principal,
        arrangement_id=arrangement_id,
        approve=False,
        reason=data.reason if data else None,
        precondition=_precondition(request),
    )
    return await _respond(session, arrangement, principal, response)


@router.get(
    "/arrangements/{arrangement_id}/versions/{number}",
    summary="One version of the terms",
    description="**Roles: party, ops.** A version's terms, hash and signatures; versions never change.",
    responses=problem_responses(401, 404),
)
async def get_arrangement_version(
    arrangement_id: str,
    number: Annotated[int, Path(ge=1, le=2_147_483_647, description="The version number, from 1.")],
    principal: AnyPrincipal,
    session: SessionDep,
    response: Response,
) -> ArrangementVersionOut:
    arrangement, version = await service.get_version(
        session, viewer=principal, arrangement_id=arrangement_id, number=number
    )
    response.headers["ETag"] = views.etag_of(arrangement)
    return version


@router.get(
    "/arrangements/{arrangement_id}/document",
    summary="The arrangement as an HTML document",
    description="**Roles: party, ops.** Parties (names, TIN, NPIs), episode definition, period, every term "
    "in plain words, signatures and the terms hash of the version in force (or the latest, before "
    "execution).",
    response_class=HTMLResponse,
    responses=problem_responses(401, 404),
)
async def get_arrangement_document(
    arrangement_id: str, principal: AnyPrincipal, session: SessionDep
) -> HTMLResponse:
    arrangement, html = await document_service.render_document(
        session, viewer=principal, arrangement_id=arrangement_id
    )
    return HTMLResponse(html, headers={"ETag": views.etag_of(arrangement)})
