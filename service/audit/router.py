from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from service.access.auth import AnyPrincipal
from service.audit import service
from service.audit.schemas import AuditEventOut
from service.kit.db import SessionDep
from service.kit.errors import problem_responses
from service.kit.pagination import CursorParam, LimitParam, Page

router = APIRouter(prefix="/v1", tags=["audit"])


@router.get(
    "/audit-events",
    summary="The audit trail",
    description="**Roles: ops (every event), aco and provider (events their organisation caused or that "
    "concern it, such as a counterparty's signature on their arrangement).** Oldest first.",
    responses=problem_responses(401, 422),
)
async def list_audit_events(
    principal: AnyPrincipal,
    session: SessionDep,
    resource_type: Annotated[str | None, Query(max_length=40)] = None,
    resource_id: Annotated[str | None, Query(max_length=80)] = None,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[AuditEventOut]:
    rows, next_cursor = await service.list_events(
        session,
        viewer=principal,
        resource_type=resource_type,
        resource_id=resource_id,
        limit=limit,
        cursor=cursor,
    )
    return Page(items=[AuditEventOut.model_validate(e) for e in rows], next_cursor=next_cursor)
