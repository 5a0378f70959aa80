from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.access.models import ApiKey, Organization, OrgKind


async def get_organization(
    session: AsyncSession, org_id: str, *, for_update: bool = False
) -> Organization | None:
    if not for_update:
        return await session.get(Organization, org_id)
    # Serialises changes of one organisation (its profile, its roster); the reload sees the
    # winner's commit.
    stmt = (
        select(Organization)
        .where(Organization.id == org_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.scalars(stmt)).one_or_none()


async def get_by_tin(session: AsyncSession, tin: str, kind: OrgKind) -> Organization | None:
    return await session.scalar(
        select(Organization)
        .where(Organization.tin == tin, Organization.kind == kind)
        .order_by(Organization.id)
    )


async def get_by_cms_aco_id(session: AsyncSession, cms_aco_id: str) -> Organization | None:
    return await session.scalar(select(Organization).where(Organization.cms_aco_id == cms_aco_id))


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


async def get_api_key(session: AsyncSession, key_id: str) -> ApiKey | None:
    return await session.get(ApiKey, key_id)


def keys_query(org_id: str) -> Select[ApiKey]:
    return select(ApiKey).where(ApiKey.organization_id == org_id)
