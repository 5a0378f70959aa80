"""One payment per episode: at any moment at most one arrangement in force covers a given (ACO,
episode code, NPI, date).

Executing an arrangement (the last signature, or ops approving a max-flex one) and executing an
amendment both call :func:`check_single_coverage`; it refuses with a 409 naming the other
arrangement when one in force would settle the same episodes: the same ACO and episode code, a
practice sharing an NPI (the same practice always does), and covered days that overlap. When a
definition does not tie its trigger to the practice's NPIs, any practice's arrangement for the
same ACO and code covers the same episodes, so any overlap in days is a conflict.

Covered days run from the period's start to its end, or to the day before the termination date
of a terminated arrangement (no episode triggers on or after it). An amendment covers from its
effective date: the days before it stay with the terms in force then, which were checked when
they were executed, so only the amendment's own days are checked against the other arrangements.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.roster import roster_overlaps
from service.arrangements import repository
from service.arrangements.models import Arrangement
from service.arrangements.schemas import Terms
from service.definitions.models import EpisodeDefinition
from service.definitions.service import spec_of
from service.kit.errors import Conflict

# Statuses with a version in force (an executed arrangement with an amendment awaiting ops
# approval is pending_approval and still in force).
IN_FORCE = frozenset({"executed", "pending_approval", "terminated"})


def covered_days(arrangement: Arrangement) -> tuple[date, date] | None:
    """The first and last day an episode may trigger under the arrangement; None if none."""
    last = arrangement.period_end
    if arrangement.status == "terminated" and arrangement.termination_date is not None:
        last = min(last, arrangement.termination_date - timedelta(days=1))
    if last < arrangement.period_start:
        return None
    return arrangement.period_start, last


async def _ties_to_npis(session: AsyncSession, arrangement: Arrangement, version: int) -> bool:
    """Whether the arrangement's trigger (after any approved override) requires the practice's NPI."""
    row = await repository.get_version(session, arrangement.id, version)
    assert row is not None
    terms = Terms.model_validate(row.terms)
    if terms.overrides is not None and terms.overrides.trigger is not None:
        return terms.overrides.trigger.rendering_npi_in_arrangement
    definition = await session.get(EpisodeDefinition, arrangement.definition_id)
    assert definition is not None
    spec = spec_of(definition)
    if spec.anchor is not None:
        return spec.anchor.attribution == "operating_physician"
    assert spec.trigger is not None
    return spec.trigger.rendering_npi_in_arrangement


async def check_single_coverage(session: AsyncSession, *, arrangement: Arrangement, version: int) -> None:
    """Refuse (409) to put ``version`` of ``arrangement`` in force when another arrangement in
    force covers the same episodes. Executions for one ACO are serialised by a lock on the ACO,
    so two arrangements executed at the same moment cannot both pass."""
    await repository.lock_organization(session, arrangement.aco_id)
    mine = covered_days(arrangement)
    row = await repository.get_version(session, arrangement.id, version)
    assert row is not None
    if mine is not None and row.kind == "amendment" and row.effective_from is not None:
        mine = None if row.effective_from > mine[1] else (max(mine[0], row.effective_from), mine[1])
    if mine is None:
        return
    tied = await _ties_to_npis(session, arrangement, version)
    others = await repository.same_episode_arrangements(
        session,
        aco_id=arrangement.aco_id,
        definition_code=arrangement.definition_code,
        excluding=arrangement.id,
    )
    for other in others:
        days = covered_days(other) if other.status in IN_FORCE else None
        if days is None or days[0] > mine[1] or mine[0] > days[1]:
            continue
        assert other.version_in_force is not None
        overlap = (max(mine[0], days[0]), min(mine[1], days[1]))
        same_practice = other.provider_id == arrangement.provider_id
        # Practices conflict only through an NPI that was on both rosters on a day both cover.
        shared = sorted(
            {
                stay.npi
                for stay in await roster_overlaps(
                    session,
                    organization_ids=(arrangement.provider_id, other.provider_id),
                    start=overlap[0],
                    end=overlap[1],
                )
            }
        )
        other_tied = await _ties_to_npis(session, other, other.version_in_force)
        if not (same_practice or shared or not tied or not other_tied):
            continue
        raise Conflict(
            f"arrangement {other.id} is already in force for {arrangement.definition_code} between "
            f"the same ACO and {'the same practice' if same_practice else 'a practice'}"
            f"{' sharing NPIs ' + ', '.join(shared) if shared and not same_practice else ''} "
            f"from {overlap[0]} to {overlap[1]}: an episode would be paid twice. Terminate it, or "
            "agree a period that does not overlap.",
            conflicting_arrangement_id=other.id,
            overlap={"start": overlap[0].isoformat(), "end": overlap[1].isoformat()},
            shared_npis=shared,
        )
