"""Settlements: create (a stored draft revision, or a preview), read, list lines, the statement,
finalise. The run itself is :mod:`service.settlements.run`, its display
:mod:`service.settlements.statement`, quality data :mod:`service.settlements.quality`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.arrangements.in_force import load_in_force
from service.kit.clock import utcnow
from service.kit.errors import Conflict, NotFound
from service.kit.ids import new_id
from service.kit.pagination import paginate
from service.settlements import repository, run, statement
from service.settlements.models import Settlement, SettlementLine
from service.settlements.schemas import SettlementLineOut, SettlementOut, SettlementRequest
from service.webhooks.outbox import announce


def _event(settlement: Settlement) -> dict[str, Any]:
    return {
        "settlement_id": settlement.id,
        "arrangement_id": settlement.arrangement_id,
        "revision": settlement.revision,
        "status": settlement.status,
        "period_start": settlement.period_start.isoformat(),
        "period_end": settlement.period_end.isoformat(),
        "claims_cutoff": settlement.claims_cutoff.isoformat(),
        "settlement_amount": str(settlement.settlement_amount),
        "delta": None if settlement.delta is None else str(settlement.delta),
        "inputs_sha256": settlement.inputs_sha256,
    }


async def create(
    session: AsyncSession, *, viewer: Principal, arrangement_id: str, request: SettlementRequest
) -> SettlementOut:
    """Run a settlement: a stored draft revision, or with ``preview`` nothing stored."""
    arrangement = await load_in_force(session, viewer=viewer, arrangement_id=arrangement_id)
    run.check_request(arrangement, request)
    cutoff = run.cutoff_of(arrangement, request)
    if not request.preview:
        await repository.lock_arrangement(session, arrangement.id)
    settlement = Settlement(
        id=new_id("stl"),
        arrangement_id=arrangement.id,
        revision=await repository.next_revision(
            session, arrangement.id, request.period_start, request.period_end
        ),
        status="draft",
        period_start=request.period_start,
        period_end=request.period_end,
        claims_cutoff=cutoff,
        terms_version=arrangement.version,
        terms_sha256=arrangement.terms_sha256,
        definition_code=arrangement.definition_code,
        definition_version=arrangement.definition_version,
        # Placeholders until the lines (which reference this row) have been written.
        n_episodes=0,
        n_excluded=0,
        total_target=Decimal(0),
        total_actual=Decimal(0),
        savings=Decimal(0),
        quality_score=Decimal(0),
        shared_before_caps=Decimal(0),
        stop_gain_limit=Decimal(0),
        stop_loss_limit=Decimal(0),
        cap_bound=None,
        below_min_episodes=False,
        settlement_amount=Decimal(0),
        inputs={},
        inputs_sha256="",
        created_by=viewer.org_id or "ops",
        created_at=utcnow(),
    )
    if not request.preview:
        session.add(settlement)
        await session.flush()
    summary, n_excluded, inputs = await run.compute(
        session,
        arrangement=arrangement,
        request=request,
        cutoff=cutoff,
        settlement_id=None if request.preview else settlement.id,
    )
    final = await repository.last_final(session, arrangement.id, request.period_start, request.period_end)
    run.fill(settlement, summary, n_excluded=n_excluded, inputs=inputs, final=final)
    if request.preview:
        return statement.to_schema(settlement, stored=False)
    await session.flush()
    announce(
        session,
        actor=viewer.actor,
        event="settlement.created",
        resource_type="settlement",
        resource_id=settlement.id,
        data=_event(settlement),
        parties=[arrangement.aco_id, arrangement.provider_id],
    )
    return statement.to_schema(settlement)


async def _visible(
    session: AsyncSession, *, viewer: Principal, settlement_id: str, lock: bool = False
) -> tuple[Settlement, tuple[str, str]]:
    settlement = await repository.get_settlement(session, settlement_id, lock=lock)
    parties = None if settlement is None else await repository.parties_of(session, settlement.arrangement_id)
    if settlement is None or parties is None or not viewer.may_see(*parties):
        raise NotFound(f"settlement {settlement_id} not found")
    return settlement, parties


async def get(session: AsyncSession, *, viewer: Principal, settlement_id: str) -> SettlementOut:
    settlement, _ = await _visible(session, viewer=viewer, settlement_id=settlement_id)
    return statement.to_schema(settlement)


async def lines(
    session: AsyncSession, *, viewer: Principal, settlement_id: str, limit: int, cursor: str | None
) -> tuple[list[SettlementLineOut], str | None]:
    settlement, _ = await _visible(session, viewer=viewer, settlement_id=settlement_id)
    rows, next_cursor = await paginate(
        session, repository.lines_of(settlement.id), key=SettlementLine.episode_id, limit=limit, cursor=cursor
    )
    return [statement.line_out(row) for row in rows], next_cursor


async def statement_csv(session: AsyncSession, *, viewer: Principal, settlement_id: str) -> str:
    settlement, _ = await _visible(session, viewer=viewer, settlement_id=settlement_id)
    return statement.render_csv(settlement, await repository.all_lines(session, settlement.id))


async def finalize(session: AsyncSession, *, viewer: Principal, settlement_id: str) -> SettlementOut:
    settlement, parties = await _visible(session, viewer=viewer, settlement_id=settlement_id, lock=True)
    if settlement.status == "final":
        raise Conflict(
            f"settlement {settlement.id} is already final and never changes",
            current_state="final",
            allowed_actions=[],
        )
    settlement.status = "final"
    settlement.finalized_at = utcnow()
    settlement.finalized_by = viewer.org_id or "ops"
    await session.flush()
    announce(
        session,
        actor=viewer.actor,
        event="settlement.finalized",
        resource_type="settlement",
        resource_id=settlement.id,
        data=_event(settlement),
        parties=parties,
    )
    return statement.to_schema(settlement)
