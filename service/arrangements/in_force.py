"""The arrangement in force: what the layers above (episodes, settlements) read of an arrangement.

Only an executed version is ever in force; its terms, its hash, and the episode definition as
the parties agreed to apply it (approved max-flex overrides of the trigger or the episode length
applied on top of the published definition).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.access.roster import Stay, npis_during
from service.arrangements import repository
from service.arrangements.models import Arrangement
from service.arrangements.schemas import InForceArrangement, Terms
from service.arrangements.service import definition_of, get
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
        roster=await roster_of(session, arrangement),
        termination_date=arrangement.termination_date,
    )


async def load_as_recorded(
    session: AsyncSession,
    *,
    viewer: Principal,
    arrangement_id: str,
    version: int,
    roster: list[Stay] | None,
    termination_date: date | None,
) -> InForceArrangement:
    """The arrangement as a settlement recorded it: the terms version it ran under, the practice's
    roster then (None: today's) and the termination date then (for an exact recompute)."""
    arrangement = await get(session, viewer=viewer, arrangement_id=arrangement_id)
    return await _in_force(
        session,
        arrangement,
        version_number=version,
        roster=await roster_of(session, arrangement) if roster is None else roster,
        termination_date=termination_date,
    )


async def _in_force(
    session: AsyncSession,
    arrangement: Arrangement,
    *,
    version_number: int,
    roster: list[Stay],
    termination_date: date | None,
) -> InForceArrangement:
    version = await repository.get_version(session, arrangement.id, version_number)
    if version is None:
        raise Conflict(f"arrangement {arrangement.id} has no version {version_number}")
    terms = Terms.model_validate(version.terms)
    return InForceArrangement(
        id=arrangement.id,
        status=arrangement.status,
        aco_id=arrangement.aco_id,
        provider_id=arrangement.provider_id,
        provider_roster=tuple(roster),
        period_start=arrangement.period_start,
        period_end=arrangement.period_end,
        termination_date=termination_date,
        version=version.number,
        terms=terms,
        terms_sha256=version.terms_sha256,
        definition=apply_overrides(await definition_of(session, arrangement), terms),
        definition_code=arrangement.definition_code,
        definition_version=arrangement.definition_version,
    )
