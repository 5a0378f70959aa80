from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.access.models import ApiKey, Organization, OrganizationNpi, OrgKind


async def get_organization(session: AsyncSession, org_id: str) -> Organization | None:
    return await session.get(Organization, org_id)


async def get_by_name(session: AsyncSession, name: str, kind: OrgKind) -> Organization | None:
    return await session.scalar(
        select(Organization)
        .where(Organization.name == name, Organization.kind == kind)
        .order_by(Organization.id)
    )


def directory_query(*, include_ops: bool, kind: OrgKind | None) -> Select[Organization]:
    stmt = select(Organization)
    if not include_ops:
        stmt = stmt.where(Organization.kind != OrgKind.ops)
    if kind is not None:
        stmt = stmt.where(Organization.kind == kind)
    return stmt


async def provider_npis(session: AsyncSession, org_id: str) -> list[str]:
    rows = await session.scalars(select(OrganizationNpi.npi).where(OrganizationNpi.organization_id == org_id))
    return list(rows)


async def get_api_key(session: AsyncSession, key_id: str) -> ApiKey | None:
    return await session.get(ApiKey, key_id)


def keys_query(org_id: str) -> Select[ApiKey]:
    return select(ApiKey).where(ApiKey.organization_id == org_id)
