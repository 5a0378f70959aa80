from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from service.access.auth import AnyPrincipal
from service.kit.db import SessionDep
from service.kit.errors import problem_responses
from service.kit.pagination import CursorParam, LimitParam, Page
from service.rosters import service
from service.rosters.schemas import RosterEntryOut, RosterNpiAdd, RosterNpiEnd

router = APIRouter(prefix="/v1", tags=["organizations and keys"])

_WHO = "**Roles: ops, or the organisation itself (aco, provider).** "
_CHANGE = (
    "Audited, and announced by the webhook `organization.roster_changed` to the organisation and to "
    "every organisation it has an arrangement with (proposed, in force or terminated)."
)


@router.get(
    "/organizations/{org_id}/npis",
    summary="The roster over time",
    description=_WHO + "Every stay of every NPI on the organisation's roster, in the order they were "
    "recorded: on the roster from `effective_from` through `effective_to` (both included; null: still "
    "on it). A service opens an episode for a practice only when its rendering NPI was on the "
    "practice's roster on the service date. `on` keeps the stays covering one day.",
    responses=problem_responses(401, 404, 422),
)
async def list_roster_npis(
    org_id: str,
    principal: AnyPrincipal,
    session: SessionDep,
    on: Annotated[date | None, Query(description="Only the NPIs on the roster on this day.")] = None,
    npi: Annotated[str | None, Query(max_length=10, description="Only this NPI's stays.")] = None,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[RosterEntryOut]:
    rows, next_cursor = await service.list_roster(
        session, viewer=principal, org_id=org_id, on=on, npi=npi, limit=limit, cursor=cursor
    )
    return Page(items=[RosterEntryOut.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.post(
    "/organizations/{org_id}/npis",
    status_code=status.HTTP_201_CREATED,
    summary="Add a clinician's NPI to the roster",
    description=_WHO + "The NPI (10 digits, Luhn check digit) is on the roster from `effective_from` "
    "on, with no end date; services it rendered from that day open episodes for the practice's "
    "arrangements. An NPI whose earlier stay is still open, or ends on or after `effective_from`, is a "
    "409 (stays never overlap; end the earlier one first). " + _CHANGE,
    responses=problem_responses(401, 404, 409, 422),
)
async def add_roster_npi(
    org_id: str, data: RosterNpiAdd, principal: AnyPrincipal, session: SessionDep, response: Response
) -> RosterEntryOut:
    entry = await service.add_npi(
        session, viewer=principal, org_id=org_id, npi=data.npi, effective_from=data.effective_from
    )
    response.headers["Location"] = f"/v1/organizations/{org_id}/npis?npi={entry.npi}"
    return RosterEntryOut.model_validate(entry)


@router.post(
    "/organizations/{org_id}/npis/{npi}/end",
    summary="End a clinician's stay on the roster",
    description=_WHO + "`effective_to` is the NPI's last day on the roster (on or after the day it "
    "joined, else 422); services it renders after that day no longer open episodes for the practice. "
    "404 when the NPI was never on the roster, 409 when it has left already. " + _CHANGE,
    responses=problem_responses(401, 404, 409, 422),
)
async def end_roster_npi(
    org_id: str, npi: str, data: RosterNpiEnd, principal: AnyPrincipal, session: SessionDep
) -> RosterEntryOut:
    entry = await service.end_npi(
        session, viewer=principal, org_id=org_id, npi=npi, effective_to=data.effective_to
    )
    return RosterEntryOut.model_validate(entry)
