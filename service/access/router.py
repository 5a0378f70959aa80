from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from service.access import service
from service.access.auth import AnyPrincipal, OpsPrincipal, forget_key
from service.access.models import OrgKind
from service.access.schemas import (
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyInfo,
    Organization,
    OrganizationCreate,
    OrganizationUpdate,
)
from service.kit.db import SessionDep
from service.kit.errors import problem_responses
from service.kit.pagination import CursorParam, LimitParam, Page

router = APIRouter(prefix="/v1", tags=["organizations and keys"])


@router.post(
    "/organizations",
    status_code=status.HTTP_201_CREATED,
    summary="Onboard an ACO or a preferred provider",
    description="**Role: ops.** Creates an organisation. A provider lists the NPIs of its clinicians "
    "(each checked: 10 digits, Luhn check digit), which join its roster on `npis_effective_from` "
    "(default today), and may name the ACO whose network it joins. A TIN belongs to one organisation "
    "of a kind: a second ACO (or provider) with the same TIN is a 409 naming the first.",
    responses=problem_responses(401, 403, 409, 422),
)
async def create_organization(
    data: OrganizationCreate, principal: OpsPrincipal, session: SessionDep
) -> Organization:
    org = await service.create_organization(session, actor=principal.actor, data=data)
    return service.to_schema(org, principal)


@router.get(
    "/organizations",
    summary="The directory of organisations",
    description="**Roles: ops, aco, provider.** ACOs and providers, in creation order. Ops also sees the "
    "ops organisation and every TIN; others see TIN and ACO only of their own organisation.",
    responses=problem_responses(401, 422),
)
async def list_organizations(
    principal: AnyPrincipal,
    session: SessionDep,
    kind: Annotated[OrgKind | None, Query(description="Only this kind.")] = None,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[Organization]:
    rows, next_cursor = await service.list_organizations(
        session, viewer=principal, kind=kind, limit=limit, cursor=cursor
    )
    return Page(items=[service.to_schema(o, principal) for o in rows], next_cursor=next_cursor)


@router.get(
    "/organizations/{org_id}",
    summary="One organisation",
    description="**Roles: ops, aco, provider.** Directory fields for others, everything for ops and the organisation itself.",
    responses=problem_responses(401, 404),
)
async def get_organization(org_id: str, principal: AnyPrincipal, session: SessionDep) -> Organization:
    org = await service.get_visible_organization(session, viewer=principal, org_id=org_id)
    return service.to_schema(org, principal)


@router.patch(
    "/organizations/{org_id}",
    summary="Change an organisation's profile",
    description="**Role: ops.** The name, the contact email and, for an ACO, the CMS ACO id (one capital "
    "letter and four digits, unique: another ACO's is a 409). Only the fields sent change; `null` clears "
    "the contact email or the CMS ACO id. Audited with the old and new values. Arrangement documents "
    "already signed keep the names and TINs they were signed with.",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def update_organization(
    org_id: str, data: OrganizationUpdate, principal: OpsPrincipal, session: SessionDep
) -> Organization:
    org = await service.update_organization(session, actor=principal.actor, org_id=org_id, data=data)
    return service.to_schema(org, principal)


@router.post(
    "/organizations/{org_id}/api-keys",
    status_code=status.HTTP_201_CREATED,
    summary="Issue an API key",
    description="**Role: ops.** The key's role must equal the organisation's kind. The key is returned "
    "once, in `key`; only its SHA-256 is stored.",
    responses=problem_responses(401, 403, 404, 422),
)
async def create_api_key(
    org_id: str, data: ApiKeyCreate, principal: OpsPrincipal, session: SessionDep
) -> ApiKeyCreated:
    key, plaintext = await service.create_api_key(
        session, actor=principal.actor, org_id=org_id, name=data.name, role=data.role
    )
    return ApiKeyCreated(id=key.id, key=plaintext, prefix=key.prefix, role=key.role, organization_id=org_id)


@router.get(
    "/organizations/{org_id}/api-keys",
    summary="List an organisation's keys",
    description="**Role: ops.** Key ids, names, prefixes and revocation times; never the keys.",
    responses=problem_responses(401, 403, 404),
)
async def list_api_keys(
    org_id: str,
    principal: OpsPrincipal,
    session: SessionDep,
    limit: LimitParam = 50,
    cursor: CursorParam = None,
) -> Page[ApiKeyInfo]:
    rows, next_cursor = await service.list_api_keys(
        session, viewer=principal, org_id=org_id, limit=limit, cursor=cursor
    )
    return Page(
        items=[ApiKeyInfo.model_validate(k, from_attributes=True) for k in rows], next_cursor=next_cursor
    )


@router.delete(
    "/api-keys/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke an API key",
    description="**Role: ops.** The key fails from the next request on. Revoking twice is harmless.",
    responses=problem_responses(401, 403, 404),
)
async def revoke_api_key(
    key_id: str, request: Request, principal: OpsPrincipal, session: SessionDep
) -> Response:
    await service.revoke_api_key(session, actor=principal.actor, key_id=key_id)
    forget_key(request, key_id)  # other processes: within a second (service/access/auth.py)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
