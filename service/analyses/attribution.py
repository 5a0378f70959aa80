"""Who triggered an episode, and whether an arrangement covered it (docs/analyses.md).

An episode is attributed to its trigger line's rendering NPI and to the practice whose roster
held that NPI on the trigger date (service/access/roster.py's rule). When several practices held
it that day, the one with an arrangement covering the episode wins, then the lowest
organisation id, so that each episode counts once. An episode is *covered* when an arrangement
of the ACO for the same episode code was in force on the trigger date (executed or terminated,
its period containing the date, the date before any termination) with a practice whose roster
held the NPI that day; its spending is otherwise *outside any arrangement* (leakage).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.access.models import Organization, OrgKind, RosterEntry
from service.arrangements.models import Arrangement

IN_FORCE = ("executed", "terminated")


@dataclass(frozen=True, slots=True)
class _Stay:
    practice_id: str
    start: date
    end: date | None

    def holds(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class _InForce:
    provider_id: str
    start: date
    end: date
    termination: date | None

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end and (self.termination is None or day < self.termination)


@dataclass(frozen=True, slots=True)
class Attributed:
    practice_id: str | None
    covered: bool


@dataclass
class Attribution:
    """The practices' rosters and the ACO's arrangements over a baseline, read once."""

    stays: dict[str, list[_Stay]] = field(default_factory=dict)
    arrangements: dict[str, list[_InForce]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    async def load(
        cls, session: AsyncSession, *, aco_id: str, definition_code: str, start: date, end: date
    ) -> Attribution:
        stays: dict[str, list[_Stay]] = defaultdict(list)
        names: dict[str, str] = {}
        stmt = (
            select(
                RosterEntry.npi,
                RosterEntry.organization_id,
                RosterEntry.effective_from,
                RosterEntry.effective_to,
                Organization.name,
            )
            .join(Organization, Organization.id == RosterEntry.organization_id)
            .where(
                Organization.kind == OrgKind.provider,
                RosterEntry.effective_from <= end,
                or_(RosterEntry.effective_to.is_(None), RosterEntry.effective_to >= start),
            )
            .order_by(RosterEntry.organization_id, RosterEntry.effective_from)
        )
        for npi, org_id, first, last, name in (await session.execute(stmt)).all():
            stays[npi].append(_Stay(org_id, first, last))
            names[org_id] = name
        arrangements: dict[str, list[_InForce]] = defaultdict(list)
        found = await session.scalars(
            select(Arrangement).where(
                Arrangement.aco_id == aco_id,
                Arrangement.definition_code == definition_code,
                Arrangement.status.in_(IN_FORCE),
                Arrangement.period_start <= end,
                Arrangement.period_end >= start,
            )
        )
        for a in found:
            arrangements[a.provider_id].append(
                _InForce(a.provider_id, a.period_start, a.period_end, a.termination_date)
            )
        return cls(dict(stays), dict(arrangements), names)

    def _covered_by(self, practice_id: str, day: date) -> bool:
        return any(a.covers(day) for a in self.arrangements.get(practice_id, ()))

    def attribute(self, npi: str | None, day: date) -> Attributed:
        """The practice an episode triggered by ``npi`` on ``day`` counts for, and whether an
        arrangement in force covered it."""
        holders = sorted({s.practice_id for s in self.stays.get(npi or "", ()) if s.holds(day)})
        if not holders:
            return Attributed(None, False)
        covering = [p for p in holders if self._covered_by(p, day)]
        if covering:
            return Attributed(covering[0], True)
        return Attributed(holders[0], False)

    def name_of(self, practice_id: str | None) -> str | None:
        return None if practice_id is None else self.names.get(practice_id)
