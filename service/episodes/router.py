from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from service.access.auth import AnyPrincipal
from service.episodes import service
from service.episodes.schemas import EpisodeOut
from service.kit import clock
from service.kit.db import SessionDep
from service.kit.errors import problem_responses
from service.kit.pagination import CursorParam, LimitParam, Page

router = APIRouter(prefix="/v1", tags=["episodes"])


@router.get(
    "/arrangements/{arrangement_id}/episodes",
    summary="List an arrangement's episodes",
    description="**Roles: aco, provider (parties of the arrangement), ops.** The episodes of the "
    "arrangement in force (SPEC section 6), recomputed from the stored claims and alignment on "
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
