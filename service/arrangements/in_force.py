"""The arrangement in force: what the layers above (episodes, settlements) read of an arrangement.

Only an executed version is ever in force; its terms, its hash, and the episode definition as
the parties agreed to apply it (approved max-flex overrides of the trigger or the episode length
applied on top of the published definition). With it come the executed versions over the period
and the days each is in force (service/arrangements/timeline.py): an amendment with a later
effective date leaves the days before it to the terms in force then. Such an amendment keeps the
overrides of the version it amends (service.amend checks it), so one definition detects the
episodes of the whole period.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.access.roster import Stay, npis_during
from service.arrangements import repository
from service.arrangements.models import Arrangement
from service.arrangements.schemas import InForceArrangement, Terms, TermsInForce
from service.arrangements.service import definition_of, get
from service.arrangements.timeline import Days, timeline
from service.definitions.schemas import EpisodeDefinitionSpec
from service.kit.errors import Conflict


def apply_overrides(spec: EpisodeDefinitionSpec, terms: Terms) -> EpisodeDefinitionSpec:
    if terms.overrides is None:
        return spec
    update: dict[str, Any] = {}
    if terms.overrides.episode_length_days is not None:
        update["episode_length_days"] = terms.overrides.episode_length_days
    if terms.overrides.trigger is not None:
        update["trigger"] = terms.overrides.trigger
    return spec.model_copy(update=update)


async def roster_of(session: AsyncSession, arrangement: Arrangement) -> list[Stay]:
    """The practice's roster stays within the arrangement's period."""
    return await npis_during(
        session, arrangement.provider_id, start=arrangement.period_start, end=arrangement.period_end
    )


async def load_in_force(
    session: AsyncSession, *, viewer: Principal, arrangement_id: str
) -> InForceArrangement:
    """The executed version in force (with approved overrides applied); NotFound for strangers.

    Raises Conflict when no version has been executed yet (draft, declined, ...).
    """
    arrangement = await get(session, viewer=viewer, arrangement_id=arrangement_id)
    if arrangement.version_in_force is None:
        raise Conflict(
            f"arrangement {arrangement.id} is {arrangement.status}: no executed version is in force",
            current_state=arrangement.status,
        )
    return await _in_force(
        session,
        arrangement,
        version_number=arrangement.version_in_force,
        terms_days=[(v.number, a, b) for v, a, b in await timeline(session, arrangement)],
        roster=await roster_of(session, arrangement),
        termination_date=arrangement.termination_date,
    )


async def load_as_recorded(
    session: AsyncSession,
    *,
    viewer: Principal,
    arrangement_id: str,
    version: int,
    terms_days: list[Days] | None,
    roster: list[Stay] | None,
    termination_date: date | None,
) -> InForceArrangement:
    """The arrangement as a settlement recorded it: the terms version it ran under and the days
    of each version it used (None: ``version`` for the whole period, as before versions had
    dates), the practice's roster then (None: today's) and the termination date then (for an
    exact recompute)."""
    arrangement = await get(session, viewer=viewer, arrangement_id=arrangement_id)
    return await _in_force(
        session,
        arrangement,
        version_number=version,
        terms_days=[(version, arrangement.period_start, arrangement.period_end)]
        if terms_days is None
        else terms_days,
        roster=await roster_of(session, arrangement) if roster is None else roster,
        termination_date=termination_date,
    )


async def _version_terms(session: AsyncSession, arrangement: Arrangement, number: int) -> tuple[Terms, str]:
    version = await repository.get_version(session, arrangement.id, number)
    if version is None:
        raise Conflict(f"arrangement {arrangement.id} has no version {number}")
    return Terms.model_validate(version.terms), version.terms_sha256


async def _in_force(
    session: AsyncSession,
    arrangement: Arrangement,
    *,
    version_number: int,
    terms_days: list[Days],
    roster: list[Stay],
    termination_date: date | None,
) -> InForceArrangement:
    terms, sha256 = await _version_terms(session, arrangement, version_number)
    versions = []
    for number, start, end in terms_days:
        version_terms, version_sha256 = (
            (terms, sha256)
            if number == version_number
            else await _version_terms(session, arrangement, number)
        )
        versions.append(TermsInForce(number, version_terms, version_sha256, start, end))
    return InForceArrangement(
        id=arrangement.id,
        status=arrangement.status,
        aco_id=arrangement.aco_id,
        provider_id=arrangement.provider_id,
        provider_roster=tuple(roster),
        period_start=arrangement.period_start,
        period_end=arrangement.period_end,
        termination_date=termination_date,
        version=version_number,
        terms=terms,
        terms_sha256=sha256,
        definition=apply_overrides(await definition_of(session, arrangement), terms),
        definition_code=arrangement.definition_code,
        definition_version=arrangement.definition_version,
        terms_versions=tuple(versions),
    )
