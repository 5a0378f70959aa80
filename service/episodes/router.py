from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from service.access.auth import AnyPrincipal
from service.episodes import service
from service.episodes.schemas import EpisodeEvidence, EpisodeOut
from service.kit import clock
from service.kit.db import SessionDep
from service.kit.errors import problem_responses
from service.kit.pagination import CursorParam, LimitParam, Page

router = APIRouter(prefix="/v1", tags=["episodes"])


@router.get(
    "/arrangements/{arrangement_id}/episodes",
    summary="List an arrangement's episodes",
    description="**Roles: aco, provider (parties of the arrangement), ops.** The episodes of the "
    "arrangement in force (docs/method.md section 5), recomputed from the stored claims and alignment on "
    "every call, with their status, exclusion reason and actual spending as of the claims "
    "cutoff (today unless `claims_cutoff` is given). Ordered by beneficiary (MBI), then trigger "
    "date. 409 when no version of the arrangement has been executed.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def list_episodes(
    arrangement_id: str,
    principal: AnyPrincipal,
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
    claims_cutoff: Annotated[
        date | None,
        Query(description="Count claim line versions received on or before this date (default: today)."),
    ] = None,
) -> Page[EpisodeOut]:
    items, next_cursor = await service.list_page(
        session,
        viewer=principal,
        arrangement_id=arrangement_id,
        cutoff=claims_cutoff or clock.today(),
        limit=limit,
        cursor=cursor,
    )
    return Page[EpisodeOut](items=items, next_cursor=next_cursor)


@router.get(
    "/arrangements/{arrangement_id}/episodes/{episode_id}/claims",
    summary="List the claim lines behind an episode's spending",
    description="**Roles: aco, provider (parties of the arrangement), ops.** A preview, nothing "
    "stored: the episode (an `id` from the episode list) recomputed as of `claims_cutoff` (default "
    "today) from every stored upload, with every stored version of every line of the "
    "beneficiary's claims that touch its window. Each is `counted` (its `allowed_amount` is part "
    "of the episode's spending) or has a `reason`: `superseded`, `cancelled`, "
    "`received_after_cutoff`, `claim_type_not_included`, `outside_window`, "
    "`principal_diagnosis_excluded`. `counted_allowed_amount`, over all pages, equals the "
    "episode's `spending`. Ordered by service date, claim, line and record. 404 for an episode "
    "the arrangement does not have as of the cutoff.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def list_episode_claims(
    arrangement_id: str,
    episode_id: Annotated[str, Path(max_length=40)],
    principal: AnyPrincipal,
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
    claims_cutoff: Annotated[
        date | None,
        Query(description="Count claim line versions received on or before this date (default: today)."),
    ] = None,
) -> EpisodeEvidence:
    return await service.episode_evidence(
        session,
        viewer=principal,
        arrangement_id=arrangement_id,
        episode_id=episode_id,
        cutoff=claims_cutoff or clock.today(),
        limit=limit,
        cursor=cursor,
    )
