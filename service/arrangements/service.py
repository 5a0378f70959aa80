"""Arrangements: proposing, revising, signing, amending, terminating and reviewing (docs/method.md sections 2-3).

Every change loads the arrangement row locked (``SELECT ... FOR UPDATE`` on PostgreSQL), checks
the caller's ``If-Match`` against the locked row, asks :mod:`service.arrangements.lifecycle`
whether the transition is allowed, then writes a new immutable version or signature, an audit
note and outbox events for both parties, all in the request's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from service.access.auth import Principal
from service.access.models import Organization, OrgKind
from service.arrangements import lifecycle, repository, target_prices, views
from service.arrangements.coverage import check_single_coverage
from service.arrangements.models import Arrangement, ArrangementSignature, ArrangementVersion
from service.arrangements.schemas import (
    ArrangementCreate,
    ArrangementVersionOut,
    Period,
    SignatureCreate,
    Terms,
    outside_period,
    terms_sha256,
)
from service.arrangements.timeline import effective_date
from service.arrangements.views import roles_of
from service.definitions.models import EpisodeDefinition
from service.definitions.schemas import EpisodeDefinitionSpec
from service.definitions.service import get_published, spec_of
from service.kit import clock
from service.kit.clock import utcnow
from service.kit.errors import Conflict, FieldError, NotFound, Unprocessable
from service.kit.ids import new_id
from service.kit.pagination import decode_cursor, split_page
from service.webhooks.outbox import announce

Precondition = Callable[[str], None]


async def get(
    session: AsyncSession, *, viewer: Principal, arrangement_id: str, for_update: bool = False
) -> Arrangement:
    """The arrangement if the viewer is a party (or ops); NotFound otherwise, as if it did not exist."""
    arrangement = await repository.get_arrangement(session, arrangement_id, for_update=for_update)
    if arrangement is None or not viewer.may_see(arrangement.aco_id, arrangement.provider_id):
        raise NotFound(f"arrangement {arrangement_id} does not exist")
    return arrangement


def check_terms(terms: Terms, spec: EpisodeDefinitionSpec, *, location: str) -> None:
    errors: list[FieldError] = []
    offered = {m.id for m in spec.quality_measures}
    for i, measure in enumerate(terms.quality_measures):
        if measure.measure_id not in offered:
            errors.append(
                FieldError(
                    location=f"{location}.quality_measures[{i}].measure_id",
                    message=f"{measure.measure_id} is not a quality measure of {spec.code} v{spec.version} "
                    f"(choose from {', '.join(sorted(offered))})",
                )
            )
    priced = set(terms.target_prices or ())
    factors = set(spec.risk_factor_ids)
    if factors and terms.target_prices is None:
        errors.append(
            FieldError(
                location=f"{location}.target_price",
                message=f"{spec.code} v{spec.version} prices episodes by risk factor: give target_prices "
                f"for {', '.join(spec.risk_factor_ids)}",
            )
        )
    elif not factors and terms.target_prices is not None:
        errors.append(
            FieldError(
                location=f"{location}.target_prices",
                message=f"{spec.code} v{spec.version} has no risk factors: give one target_price",
            )
        )
    elif factors:
        errors += [
            FieldError(location=f"{location}.target_prices", message=f"risk factor {f} has no target price")
            for f in spec.risk_factor_ids
            if f not in priced
        ]
        errors += [
            FieldError(
                location=f"{location}.target_prices.{f}",
                message=f"{f} is not a risk factor of {spec.code} v{spec.version}",
            )
            for f in sorted(priced - factors)
        ]
    if terms.overrides is not None and terms.overrides.trigger is not None and spec.anchor is not None:
        errors.append(
            FieldError(
                location=f"{location}.overrides.trigger",
                message=f"{spec.code} v{spec.version} is anchored on an inpatient stay: a visit trigger cannot replace it",
            )
        )
    if terms.overrides is not None and spec.approach != "max_flex":
        errors.append(
            FieldError(
                location=f"{location}.overrides",
                message=f"{spec.code} v{spec.version} uses the default approach: trigger and episode length cannot be overridden",
            )
        )
    if errors:
        raise Unprocessable("the terms do not fit the episode definition", errors=errors)


def _hash(arrangement: Arrangement, terms: Terms, effective_from: date | None) -> str:
    return terms_sha256(
        aco_id=arrangement.aco_id,
        provider_id=arrangement.provider_id,
        definition_code=arrangement.definition_code,
        definition_version=arrangement.definition_version,
        period=views.period_of(arrangement),
        terms=terms,
        effective_from=effective_from,
    )


def notify(
    session: AsyncSession, viewer: Principal, arrangement: Arrangement, event: str, **details: Any
) -> None:
    data = {
        "arrangement_id": arrangement.id,
        "status": arrangement.status,
        "version": arrangement.latest_version,
        "version_in_force": arrangement.version_in_force,
        **details,
    }
    announce(
        session,
        actor=viewer.actor,
        event=f"arrangement.{event}",
        resource_type="arrangement",
        resource_id=arrangement.id,
        data=data,
        parties=[arrangement.aco_id, arrangement.provider_id],
    )


def touch(arrangement: Arrangement) -> None:
    arrangement.revision += 1
    arrangement.updated_at = utcnow()


async def definition_of(session: AsyncSession, arrangement: Arrangement) -> EpisodeDefinitionSpec:
    definition = await session.get(EpisodeDefinition, arrangement.definition_id)
    assert definition is not None  # a foreign key
    return spec_of(definition)


def _add_version(
    session: AsyncSession,
    viewer: Principal,
    arrangement: Arrangement,
    terms: Terms,
    kind: str,
    effective_from: date | None = None,
) -> ArrangementVersion:
    arrangement.latest_version = arrangement.latest_version + 1 if kind != "initial" else 1
    version = ArrangementVersion(
        id=new_id("arv"),
        arrangement_id=arrangement.id,
        number=arrangement.latest_version,
        kind=kind,
        terms=terms.model_dump(mode="json"),
        terms_sha256=_hash(arrangement, terms, effective_from),
        effective_from=effective_from,
        created_by=viewer.org_id or "ops",
        created_at=utcnow(),
    )
    session.add(version)
    return version


# ---- reads ------------------------------------------------------------------------------------


async def show(connection: AsyncConnection, *, viewer: Principal, arrangement_id: str) -> views.Rendered:
    """The arrangement as the viewer sees it, written; NotFound unless a party or ops."""
    found = await views.rendered(
        connection, repository.head_row(arrangement_id), repository.shown_rows(arrangement_id), viewer=viewer
    )
    if not found:
        raise NotFound(f"arrangement {arrangement_id} does not exist")
    return found[0]


async def list_arrangements(
    connection: AsyncConnection,
    *,
    viewer: Principal,
    status: str | None,
    episode_code: str | None,
    counterparty_id: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[Sequence[views.Rendered], str | None]:
    """One page of the arrangements the viewer sees, written."""
    listed = repository.ListFilter(
        org_id=None if viewer.is_ops else viewer.org_id,
        status=status,
        episode_code=episode_code,
        counterparty_id=counterparty_id,
        after=None if cursor is None else decode_cursor(cursor),
    )
    found = await views.rendered(
        connection, *repository.listed_statements(listed, limit=limit + 1), viewer=viewer
    )
    return split_page(found, limit=limit, key_of=lambda one: one.id)


async def get_version(
    session: AsyncSession, *, viewer: Principal, arrangement_id: str, number: int
) -> tuple[Arrangement, ArrangementVersionOut]:
    arrangement = await get(session, viewer=viewer, arrangement_id=arrangement_id)
    version = await repository.get_version(session, arrangement.id, number)
    if version is None:
        raise NotFound(f"arrangement {arrangement_id} has no version {number}")
    return arrangement, await views.version_out(session, version)


# ---- changes ----------------------------------------------------------------------------------


async def propose(session: AsyncSession, *, viewer: Principal, data: ArrangementCreate) -> Arrangement:
    own_field, other_field, other_kind = (
        ("aco_id", "provider_id", OrgKind.provider)
        if viewer.role == "aco"
        else ("provider_id", "aco_id", OrgKind.aco)
    )
    if getattr(data, own_field) != viewer.org_id:
        raise Unprocessable(
            "you can only propose an arrangement your organisation is party to",
            errors=[
                FieldError(
                    location=f"body.{own_field}", message=f"must be your organisation's id {viewer.org_id}"
                )
            ],
        )
    other_id: str = getattr(data, other_field)
    other = await session.get(Organization, other_id)
    if other is None or other.kind != other_kind:
        raise Unprocessable(
            f"the counterparty must be an existing {other_kind.value} organisation",
            errors=[
                FieldError(
                    location=f"body.{other_field}", message=f"no {other_kind.value} organisation {other_id}"
                )
            ],
        )
    definition = await get_published(session, code=data.episode.code, version=data.episode.version)
    if definition is None:
        raise Unprocessable(
            "the episode definition is not published",
            errors=[
                FieldError(
                    location="body.episode",
                    message=f"{data.episode.code} v{data.episode.version} is not published",
                )
            ],
        )
    terms = await target_prices.terms_of(session, viewer=viewer, data=data)
    check_terms(terms, spec_of(definition), location="body.terms")
    return await open_draft(
        session,
        viewer=viewer,
        aco_id=data.aco_id,
        provider_id=data.provider_id,
        definition=definition,
        period=data.period,
        terms=terms,
        renewal_of=None,
    )


async def open_draft(
    session: AsyncSession,
    *,
    viewer: Principal,
    aco_id: str,
    provider_id: str,
    definition: EpisodeDefinition,
    period: Period,
    terms: Terms,
    renewal_of: str | None,
) -> Arrangement:
    """A new arrangement proposed by the viewer: a draft with ``terms`` as version 1 (checked
    against the definition by the caller), announced to both parties."""
    now = utcnow()
    arrangement = Arrangement(
        id=new_id("arr"),
        aco_id=aco_id,
        provider_id=provider_id,
        proposer_id=viewer.org_id,
        definition_id=definition.id,
        definition_code=definition.code,
        definition_version=definition.version,
        period_start=period.start,
        period_end=period.end,
        status="draft",
        revision=1,
        latest_version=0,
        version_in_force=None,
        pending_version=None,
        renewal_of=renewal_of,
        created_at=now,
        updated_at=now,
    )
    session.add(arrangement)
    version = _add_version(session, viewer, arrangement, terms, "initial")
    await session.flush()
    details: dict[str, Any] = {"terms_sha256": version.terms_sha256}
    if renewal_of is not None:
        details["renewal_of"] = renewal_of
    notify(session, viewer, arrangement, "proposed", **details)
    return arrangement


async def for_change(
    session: AsyncSession, *, viewer: Principal, arrangement_id: str, precondition: Precondition, action: str
) -> tuple[Arrangement, lifecycle.Transition]:
    arrangement = await get(session, viewer=viewer, arrangement_id=arrangement_id, for_update=True)
    precondition(views.etag_of(arrangement))
    transition = lifecycle.check(arrangement.status, action, roles_of(viewer, arrangement))
    return arrangement, transition


async def revise(
    session: AsyncSession, *, viewer: Principal, arrangement_id: str, terms: Terms, precondition: Precondition
) -> Arrangement:
    arrangement, _ = await for_change(
        session, viewer=viewer, arrangement_id=arrangement_id, precondition=precondition, action="revise"
    )
    check_terms(terms, await definition_of(session, arrangement), location="body.terms")
    await _check_kept_source(session, arrangement, terms)
    # Signatures stay with the old version; the new one starts unsigned.
    version = _add_version(session, viewer, arrangement, terms, "revision")
    arrangement.status = "draft"
    touch(arrangement)
    await session.flush()
    notify(session, viewer, arrangement, "revised", terms_sha256=version.terms_sha256)
    return arrangement


async def amend(
    session: AsyncSession,
    *,
    viewer: Principal,
    arrangement_id: str,
    terms: Terms,
    effective_from: date | None,
    precondition: Precondition,
) -> Arrangement:
    """A pending amendment taking effect on ``effective_from`` (default: the period's start, so
    that it replaces the terms for the whole period, as amendments always did)."""
    arrangement, _ = await for_change(
        session, viewer=viewer, arrangement_id=arrangement_id, precondition=precondition, action="amend"
    )
    check_terms(terms, await definition_of(session, arrangement), location="body.terms")
    await _check_kept_source(session, arrangement, terms)
    effective = arrangement.period_start if effective_from is None else effective_from
    errors = outside_period(
        start=arrangement.period_start,
        end=arrangement.period_end,
        days={"body.effective_from": effective},
        message="must be between {start} and {end}",
    )
    if errors:
        raise Unprocessable("an amendment takes effect within the performance period", errors=errors)
    if effective != arrangement.period_start:
        await _check_same_detection(session, arrangement, terms)
    version = _add_version(session, viewer, arrangement, terms, "amendment", effective)
    arrangement.pending_version = version.number
    touch(arrangement)
    await session.flush()
    notify(
        session,
        viewer,
        arrangement,
        "amended",
        terms_sha256=version.terms_sha256,
        effective_from=effective.isoformat(),
        stage="proposed",
    )
    return arrangement


async def _check_kept_source(session: AsyncSession, arrangement: Arrangement, terms: Terms) -> None:
    """New terms may carry the latest version's target price provenance, with its price."""
    if terms.target_price_source is None:
        return
    latest = await repository.get_version(session, arrangement.id, arrangement.latest_version)
    assert latest is not None
    target_prices.check_kept_source(terms, Terms.model_validate(latest.terms), location="body.terms")


async def _check_same_detection(session: AsyncSession, arrangement: Arrangement, terms: Terms) -> None:
    """An amendment taking effect after the period's start keeps the max-flex overrides (trigger,
    episode length) of the version in force: a period's episodes are detected one way, and only
    what they settle at changes on the effective date. To change how episodes are detected, amend
    from the period's start."""
    assert arrangement.version_in_force is not None  # amendments are of executed arrangements
    in_force = await repository.get_version(session, arrangement.id, arrangement.version_in_force)
    assert in_force is not None
    if Terms.model_validate(in_force.terms).overrides != terms.overrides:
        raise Unprocessable(
            "an amendment taking effect after the period's start cannot change how episodes are detected",
            errors=[
                FieldError(
                    location="body.terms.overrides",
                    message=f"must stay as in version {in_force.number} (the version in force) when "
                    "effective_from is after the period's start; amend from the period's start to "
                    "change the trigger or the episode length",
                )
            ],
        )


async def sign(
    session: AsyncSession,
    *,
    viewer: Principal,
    arrangement_id: str,
    data: SignatureCreate,
    precondition: Precondition,
) -> Arrangement:
    arrangement, _ = await for_change(
        session, viewer=viewer, arrangement_id=arrangement_id, precondition=precondition, action="sign"
    )
    if arrangement.status == "executed" and arrangement.pending_version is None:
        raise Conflict(
            "the executed version is signed; propose an amendment to change it",
            current_state=arrangement.status,
            allowed_actions=["amend", "terminate"],
        )
    version = await repository.get_version(session, arrangement.id, arrangement.latest_version)
    assert version is not None
    if data.terms_sha256 != version.terms_sha256:
        raise Conflict(
            "the terms changed since you read them; review the current terms and sign their hash",
            current_terms_sha256=version.terms_sha256,
            current_version=version.number,
        )
    existing = await repository.signatures_of(session, version.id)
    if any(s.organization_id == viewer.org_id for s in existing):
        raise Conflict(
            f"your organisation has already signed version {version.number}",
            current_state=arrangement.status,
        )
    assert viewer.org_id is not None
    signer = await session.get(Organization, viewer.org_id)
    assert signer is not None  # the key's organisation
    session.add(
        ArrangementSignature(
            id=new_id("sig"),
            arrangement_id=arrangement.id,
            version_id=version.id,
            version_number=version.number,
            organization_id=viewer.org_id,
            key_id=viewer.key_id,
            signer_name=data.signer_name,
            signer_title=data.signer_title,
            terms_sha256=version.terms_sha256,
            signed_at=utcnow(),
            organization_name=signer.name,
            organization_tin=signer.tin,
            organization_npis=signer.npis_from(clock.today()),
        )
    )
    touch(arrangement)
    complete = len(existing) + 1 == 2
    has_overrides = Terms.model_validate(version.terms).overrides is not None
    event: str | None = None
    if not complete:
        if arrangement.status == "draft":
            arrangement.status = "partially_signed"
    elif has_overrides:
        arrangement.status = "pending_approval"
    elif arrangement.pending_version is not None:
        await check_single_coverage(session, arrangement=arrangement, version=version.number)
        arrangement.version_in_force = version.number
        arrangement.pending_version = None
        version.executed_at = utcnow()
        event = "amended"
    else:
        await check_single_coverage(session, arrangement=arrangement, version=version.number)
        arrangement.status = "executed"
        arrangement.version_in_force = version.number
        version.executed_at = utcnow()
        event = "executed"
    await session.flush()
    notify(
        session,
        viewer,
        arrangement,
        "signed",
        signed_version=version.number,
        terms_sha256=version.terms_sha256,
    )
    if event is not None:
        extra = {"effective_from": effective_date(arrangement, version).isoformat()}
        notify(
            session,
            viewer,
            arrangement,
            event,
            terms_sha256=version.terms_sha256,
            executed_version=version.number,
            stage="executed",
            **(extra if event == "amended" else {}),
        )
    return arrangement
