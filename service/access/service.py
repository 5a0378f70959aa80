"""Organisations and API keys: onboarding (ops), the directory, key issue and revocation."""

from __future__ import annotations

import secrets
import zlib
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from service.access import repository
from service.access.auth import KEY_PREFIX, Principal, hash_key
from service.access.models import ApiKey, Organization, OrganizationNpi, OrgKind, Role, RosterEntry
from service.access.schemas import Organization as OrganizationOut
from service.access.schemas import OrganizationCreate, OrganizationUpdate
from service.kit import changes, clock
from service.kit.changes import Actor
from service.kit.clock import utcnow
from service.kit.errors import Conflict, FieldError, NotFound, Unprocessable
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
        contact_email=org.contact_email if full else None,
        cms_aco_id=org.cms_aco_id,
        npis=org.npis_from(clock.today()),
        created_at=org.created_at,
    )


# The first key of the advisory locks taken on organisation identifiers (a namespace of their own).
_IDENTIFIER_LOCKS = 0x4F524731  # "ORG1"


async def _lock_identifier(session: AsyncSession, *parts: str) -> None:
    """Serialise transactions claiming the same identifier (a TIN of a kind, a CMS ACO id) until
    they end: a transaction-scoped advisory lock on PostgreSQL; SQLite runs one writer at a time."""
    connection = await session.connection()
    if connection.dialect.name == "postgresql":
        key = zlib.crc32("|".join(parts).encode())
        key = key - 2**32 if key >= 2**31 else key  # the lock takes two signed 32-bit keys
        await connection.execute(
            text("SELECT pg_advisory_xact_lock(:space, :key)"), {"space": _IDENTIFIER_LOCKS, "key": key}
        )


async def _check_tin_free(session: AsyncSession, *, kind: OrgKind, tin: str) -> None:
    await _lock_identifier(session, "tin", kind.value, tin)
    existing = await repository.get_by_tin(session, tin, kind)
    if existing is not None:
        raise Conflict(
            f"{existing.name} ({existing.id}) is already the {kind.value} with TIN {tin}",
            existing_organization_id=existing.id,
        )


async def _check_cms_aco_id_free(session: AsyncSession, *, cms_aco_id: str, org_id: str | None) -> None:
    await _lock_identifier(session, "cms_aco_id", cms_aco_id)
    existing = await repository.get_by_cms_aco_id(session, cms_aco_id)
    if existing is not None and existing.id != org_id:
        raise Conflict(
            f"{existing.name} ({existing.id}) already has CMS ACO id {cms_aco_id}",
            existing_organization_id=existing.id,
        )


def _only_for_aco(kind: OrgKind, cms_aco_id: str | None) -> None:
    if cms_aco_id is not None and kind is not OrgKind.aco:
        raise Unprocessable(
            "only an ACO has a CMS ACO id",
            errors=[FieldError(location="body.cms_aco_id", message=f"not for a {kind.value}")],
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
    _only_for_aco(kind, data.cms_aco_id)
    await _check_tin_free(session, kind=kind, tin=data.tin)
    if data.cms_aco_id is not None:
        await _check_cms_aco_id_free(session, cms_aco_id=data.cms_aco_id, org_id=None)
    now = utcnow()
    joined = data.npis_effective_from or clock.today()
    org = Organization(
        id=new_id("org"),
        kind=kind,
        name=data.name,
        tin=data.tin,
        aco_id=data.aco_id,
        contact_email=data.contact_email,
        cms_aco_id=data.cms_aco_id,
        created_at=now,
        roster=[
            RosterEntry(id=new_id("ros"), npi=n, effective_from=joined, effective_to=None, created_at=now)
            for n in data.npis
        ],
    )
    session.add(org)
    await session.flush()
    # The old shape too, for processes of the previous release during a rolling deployment.
    session.add_all([OrganizationNpi(organization_id=org.id, npi=n) for n in data.npis])
    details: dict[str, Any] = {"kind": kind.value, "name": data.name}
    if data.npis:
        details["roster"] = {"npis": sorted(data.npis), "effective_from": joined.isoformat()}
    changes.record(
        session,
        actor=actor,
        action="organization.created",
        resource_type="organization",
        resource_id=org.id,
        details=details,
    )
    return org


async def update_organization(
    session: AsyncSession, *, actor: Actor, org_id: str, data: OrganizationUpdate
) -> Organization:
    """Change the fields sent (ops); audited with each field's old and new value."""
    org = await repository.get_organization(session, org_id, for_update=True)
    if org is None or org.kind is OrgKind.ops:
        raise NotFound(f"organization {org_id} does not exist")
    sent = data.model_fields_set
    if "name" in sent and data.name is None:
        raise Unprocessable(
            "an organisation always has a name",
            errors=[FieldError(location="body.name", message="cannot be null")],
        )
    if "cms_aco_id" in sent:
        _only_for_aco(org.kind, data.cms_aco_id)
        if data.cms_aco_id is not None:
            await _check_cms_aco_id_free(session, cms_aco_id=data.cms_aco_id, org_id=org.id)
    changed: dict[str, dict[str, str | None]] = {}
    for field in ("name", "contact_email", "cms_aco_id"):
        if field in sent and getattr(data, field) != getattr(org, field):
            changed[field] = {"from": getattr(org, field), "to": getattr(data, field)}
            setattr(org, field, getattr(data, field))
    if changed:
        await session.flush()
        changes.record(
            session,
            actor=actor,
            action="organization.updated",
            resource_type="organization",
            resource_id=org.id,
            details={"changed": changed},
            party_org_ids=[org.id],
        )
    return org


async def ensure_ops_organization(session: AsyncSession, name: str) -> Organization:
    """The ops organisation named ``name``, created if absent (the `cara keys create` bootstrap)."""
    org = await repository.get_by_name(session, name, OrgKind.ops)
    if org is None:
        org = Organization(id=new_id("org"), kind=OrgKind.ops, name=name, created_at=utcnow(), roster=[])
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
