"""How an arrangement is shown: its JSON (with the actions the viewer may take), its versions and
signatures, whether it is active today, and its ETag."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.arrangements import lifecycle, repository
from service.arrangements.models import Arrangement, ArrangementSignature, ArrangementVersion
from service.arrangements.schemas import (
    ArrangementOut,
    ArrangementVersionOut,
    EpisodeRef,
    Period,
    Signature,
    Terms,
    TermsDays,
)
from service.arrangements.timeline import effective_date, timeline
from service.kit import clock
from service.kit.etag import make_etag


def etag_of(arrangement: Arrangement) -> str:
    return make_etag(arrangement.id, arrangement.revision)


def period_of(arrangement: Arrangement) -> Period:
    return Period(start=arrangement.period_start, end=arrangement.period_end)


def is_active(arrangement: Arrangement, today: date) -> bool:
    """docs/method.md section 3: executed (or terminated later than today) and today within the period."""
    in_period = arrangement.period_start <= today <= arrangement.period_end
    if arrangement.status == "executed":
        return in_period
    if arrangement.status == "terminated" and arrangement.termination_date is not None:
        return in_period and arrangement.termination_date > today
    return False


def roles_of(viewer: Principal, arrangement: Arrangement) -> set[str]:
    return lifecycle.role_of(
        org_id=viewer.org_id,
        is_ops=viewer.is_ops,
        proposer_id=arrangement.proposer_id,
        aco_id=arrangement.aco_id,
        provider_id=arrangement.provider_id,
    )


async def version_out(session: AsyncSession, version: ArrangementVersion) -> ArrangementVersionOut:
    signatures = await repository.signatures_of(session, version.id)
    arrangement = await session.get(Arrangement, version.arrangement_id)
    assert arrangement is not None  # a foreign key
    return ArrangementVersionOut(
        version=version.number,
        kind=version.kind,
        terms=Terms.model_validate(version.terms),
        terms_sha256=version.terms_sha256,
        effective_from=effective_date(arrangement, version),
        created_by=version.created_by,
        created_at=version.created_at,
        signatures=[signature_out(s) for s in signatures],
    )


def signature_out(signature: ArrangementSignature) -> Signature:
    return Signature(
        organization_id=signature.organization_id,
        organization_name=signature.organization_name,
        key_id=signature.key_id,
        signer_name=signature.signer_name,
        signer_title=signature.signer_title,
        signed_at=signature.signed_at,
        terms_sha256=signature.terms_sha256,
        version=signature.version_number,
    )


async def to_schema(session: AsyncSession, arrangement: Arrangement, *, viewer: Principal) -> ArrangementOut:
    version = await repository.get_version(session, arrangement.id, arrangement.latest_version)
    assert version is not None
    out = await version_out(session, version)
    return ArrangementOut(
        id=arrangement.id,
        status=arrangement.status,
        active=is_active(arrangement, clock.today()),
        version=arrangement.latest_version,
        version_in_force=arrangement.version_in_force,
        aco_id=arrangement.aco_id,
        provider_id=arrangement.provider_id,
        proposer_id=arrangement.proposer_id,
        episode=EpisodeRef(code=arrangement.definition_code, version=arrangement.definition_version),
        period=period_of(arrangement),
        terms=out.terms,
        terms_sha256=out.terms_sha256,
        effective_from=out.effective_from,
        signatures=out.signatures,
        terms_in_force=[
            TermsDays(version=v.number, terms_sha256=v.terms_sha256, start=start, end=end)
            for v, start, end in await timeline(session, arrangement)
        ],
        termination_date=arrangement.termination_date,
        termination_reason=arrangement.termination_reason,
        decline_reason=arrangement.decline_reason,
        renewal_of=arrangement.renewal_of,
        renewed_by=await repository.latest_renewal_id(session, arrangement.id),
        allowed_actions=lifecycle.allowed_actions(arrangement.status, roles_of(viewer, arrangement)),
        created_at=arrangement.created_at,
        updated_at=arrangement.updated_at,
    )
