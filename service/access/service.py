"""Organisations and API keys: onboarding (ops), the directory, key issue and revocation."""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from service.access import repository
from service.access.auth import KEY_PREFIX, Principal, hash_key
from service.access.models import ApiKey, Organization, OrganizationNpi, OrgKind, Role
from service.access.schemas import Organization as OrganizationOut
from service.access.schemas import OrganizationCreate
from service.kit import changes
from service.kit.changes import Actor
from service.kit.clock import utcnow
from service.kit.errors import FieldError, NotFound, Unprocessable
from service.kit.ids import new_id
from service.kit.pagination import paginate


def to_schema(org: Organization, viewer: Principal | None) -> OrganizationOut:
    full = viewer is None or viewer.is_ops or viewer.org_id == org.id
    return OrganizationOut(
        id=org.id,
        kind=org.kind.value,
        name=org.name,
        tin=org.tin if full else None,
        aco_id=org.aco_id if full else None,
        npis=org.npi_list,
        created_at=org.created_at,
    )


async def create_organization(
    session: AsyncSession, *, actor: Actor, data: OrganizationCreate
) -> Organization:
    kind = OrgKind(data.kind)
    if data.aco_id is not None:
        aco = await repository.get_organization(session, data.aco_id)
        if aco is None or aco.kind is not OrgKind.aco or kind is not OrgKind.provider:
            raise Unprocessable(
                "aco_id must name an existing ACO, and only a provider has one",
                errors=[FieldError(location="body.aco_id", message="not an ACO of this service")],
            )
    if len(set(data.npis)) != len(data.npis):
        raise Unprocessable(
            "npis contains duplicates", errors=[FieldError(location="body.npis", message="duplicate NPI")]
        )
    org = Organization(
        id=new_id("org"),
        kind=kind,
        name=data.name,
        tin=data.tin,
        aco_id=data.aco_id,
        created_at=utcnow(),
        npis=[OrganizationNpi(npi=n) for n in data.npis],
    )
    session.add(org)
    await session.flush()
    changes.record(
        session,
        actor=actor,
        action="organization.created",
        resource_type="organization",
        resource_id=org.id,
        details={"kind": kind.value, "name": data.name},
    )
    return org


async def ensure_ops_organization(session: AsyncSession, name: str) -> Organization:
    """The ops organisation named ``name``, created if absent (the `cara keys create` bootstrap)."""
    org = await repository.get_by_name(session, name, OrgKind.ops)
    if org is None:
        org = Organization(id=new_id("org"), kind=OrgKind.ops, name=name, created_at=utcnow(), npis=[])
        session.add(org)
        await session.flush()
        changes.record(
            session,
            actor=changes.CLI_ACTOR,
            action="organization.created",
            resource_type="organization",
            resource_id=org.id,
            details={"kind": "ops", "name": name},
        )
    return org


async def get_visible_organization(session: AsyncSession, *, viewer: Principal, org_id: str) -> Organization:
    org = await repository.get_organization(session, org_id)
    if org is None or (org.kind is OrgKind.ops and not viewer.is_ops):
        raise NotFound(f"organization {org_id} does not exist")
    return org


async def list_organizations(
    session: AsyncSession, *, viewer: Principal, kind: OrgKind | None, limit: int, cursor: str | None
) -> tuple[Sequence[Organization], str | None]:
    stmt = repository.directory_query(include_ops=viewer.is_ops, kind=kind)
    return await paginate(session, stmt, key=Organization.id, limit=limit, cursor=cursor)


async def list_api_keys(
    session: AsyncSession, *, viewer: Principal, org_id: str, limit: int, cursor: str | None
) -> tuple[Sequence[ApiKey], str | None]:
    await get_visible_organization(session, viewer=viewer, org_id=org_id)
    return await paginate(session, repository.keys_query(org_id), key=ApiKey.id, limit=limit, cursor=cursor)


async def create_api_key(
    session: AsyncSession, *, actor: Actor, org_id: str, name: str, role: Role
) -> tuple[ApiKey, str]:
    """Issue a key; returns the row and the plaintext key, which is not stored anywhere."""
    org = await repository.get_organization(session, org_id)
    if org is None:
        raise NotFound(f"organization {org_id} does not exist")
    if role.value != org.kind.value:
        raise Unprocessable(
            f"a key of a {org.kind.value} organisation must have role {org.kind.value}",
            errors=[FieldError(location="body.role", message=f"must be {org.kind.value}")],
        )
    plaintext = KEY_PREFIX + secrets.token_urlsafe(32)  # 256 bits of entropy
    key = ApiKey(
        id=new_id("key"),
        organization_id=org.id,
        name=name,
        role=role,
        prefix=plaintext[:12],
        key_hash=hash_key(plaintext),
        created_at=utcnow(),
    )
    session.add(key)
    await session.flush()
    changes.record(
        session,
        actor=actor,
        action="api_key.created",
        resource_type="api_key",
        resource_id=key.id,
        details={"organization_id": org.id, "role": role.value},
        party_org_ids=[org.id],
    )
    return key, plaintext


async def issue_key_by_name(
    session: AsyncSession, *, actor: Actor, org_name: str, role: Role, name: str | None
) -> tuple[Organization, ApiKey, str]:
    """A key for the organisation named ``org_name`` (``cara keys create``): an ops organisation is
    created if absent, an ACO or provider must exist (LookupError). Returns the organisation, the
    key row and the plaintext key."""
    if role is Role.ops:
        org = await ensure_ops_organization(session, org_name)
    else:
        found = await repository.get_by_name(session, org_name, OrgKind(role.value))
        if found is None:
            raise LookupError(
                f"no {role.value} organisation named {org_name!r}; create it with the API first"
            )
        org = found
    key, plaintext = await create_api_key(
        session, actor=actor, org_id=org.id, name=name or f"{org_name} ({role.value})", role=role
    )
    return org, key, plaintext


async def revoke_api_key(session: AsyncSession, *, actor: Actor, key_id: str) -> ApiKey:
    key = await repository.get_api_key(session, key_id)
    if key is None:
        raise NotFound(f"API key {key_id} does not exist")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        changes.record(
            session,
            actor=actor,
            action="api_key.revoked",
            resource_type="api_key",
            resource_id=key.id,
            party_org_ids=[key.organization_id],
        )
    return key
