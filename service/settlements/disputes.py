"""The parties' acceptance of a draft settlement, their disputes, and ops' resolution of them.

Each first locks the settlement's arrangement row (as every change of a settlement does), so a
dispute cannot slip in between finalising's checks and its write."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.kit.clock import utcnow
from service.kit.errors import Conflict, FieldError, NotFound, Unprocessable
from service.kit.ids import new_id
from service.settlements import repository, statement
from service.settlements.models import Settlement, SettlementAcceptance, SettlementDispute
from service.settlements.schemas import DisputeCreate, DisputeOut, DisputeResolution, SettlementOut
from service.settlements.service import event_data, settlement_out, visible
from service.webhooks.outbox import announce


def _party(viewer: Principal, parties: tuple[str, str]) -> str:
    return statement.party_of(viewer.org_id, parties)


def _only_drafts(settlement: Settlement, action: str) -> None:
    if settlement.status != "draft":
        raise Conflict(
            f"settlement {settlement.id} is {settlement.status}: only a draft can be {action}",
            current_state=settlement.status,
        )


async def accept(session: AsyncSession, *, viewer: Principal, settlement_id: str) -> SettlementOut:
    settlement, parties = await visible(session, viewer=viewer, settlement_id=settlement_id, lock=True)
    _only_drafts(settlement, "accepted")
    if any(
        a.organization_id == viewer.org_id for a in await repository.acceptances_of(session, [settlement.id])
    ):
        raise Conflict(f"your organisation has already accepted settlement {settlement.id}")
    mine = [
        d.id
        for d in await repository.disputes_of(session, [settlement.id])
        if d.organization_id == viewer.org_id and d.status == "open"
    ]
    if mine:
        raise Conflict(
            f"your dispute(s) {', '.join(mine)} of this settlement are open: ops resolves them first",
            open_dispute_ids=mine,
        )
    acceptance = SettlementAcceptance(
        id=new_id("acc"),
        settlement_id=settlement.id,
        organization_id=viewer.org_id,
        key_id=viewer.key_id,
        accepted_at=utcnow(),
    )
    session.add(acceptance)
    await session.flush()
    announce(
        session,
        actor=viewer.actor,
        event="settlement.accepted",
        resource_type="settlement",
        resource_id=settlement.id,
        data={**event_data(settlement), "party": _party(viewer, parties), "organization_id": viewer.org_id},
        parties=list(parties),
    )
    return await settlement_out(session, settlement, parties)


async def open_dispute(
    session: AsyncSession, *, viewer: Principal, settlement_id: str, data: DisputeCreate
) -> DisputeOut:
    settlement, parties = await visible(session, viewer=viewer, settlement_id=settlement_id, lock=True)
    _only_drafts(settlement, "disputed")
    known = await repository.existing_line_ids(session, settlement.id, data.line_ids)
    errors = [
        FieldError(
            location=f"body.line_ids[{i}]", message=f"settlement {settlement.id} has no line {line_id}"
        )
        for i, line_id in enumerate(data.line_ids)
        if line_id not in known
    ]
    if errors:
        raise Unprocessable("unknown settlement line", errors=errors)
    dispute = SettlementDispute(
        id=new_id("dsp"),
        settlement_id=settlement.id,
        arrangement_id=settlement.arrangement_id,
        period_start=settlement.period_start,
        period_end=settlement.period_end,
        organization_id=viewer.org_id,
        key_id=viewer.key_id,
        reason=data.reason,
        line_ids=list(dict.fromkeys(data.line_ids)),
        status="open",
        created_at=utcnow(),
    )
    session.add(dispute)
    await session.flush()
    announce(
        session,
        actor=viewer.actor,
        event="settlement.disputed",
        resource_type="settlement",
        resource_id=settlement.id,
        data={
            **event_data(settlement),
            "dispute_id": dispute.id,
            "party": _party(viewer, parties),
            "organization_id": viewer.org_id,
            "reason": dispute.reason,
            "line_ids": dispute.line_ids,
        },
        parties=list(parties),
    )
    return statement.dispute_out(dispute, parties)


async def _visible_dispute(
    session: AsyncSession, *, viewer: Principal, dispute_id: str
) -> tuple[SettlementDispute, tuple[str, str]]:
    dispute = await repository.get_dispute(session, dispute_id)
    parties = None if dispute is None else await repository.parties_of(session, dispute.arrangement_id)
    if dispute is None or parties is None or not viewer.may_see(*parties):
        raise NotFound(f"settlement dispute {dispute_id} not found")
    return dispute, parties


async def get_dispute(session: AsyncSession, *, viewer: Principal, dispute_id: str) -> DisputeOut:
    dispute, parties = await _visible_dispute(session, viewer=viewer, dispute_id=dispute_id)
    return statement.dispute_out(dispute, parties)


async def resolve_dispute(
    session: AsyncSession, *, viewer: Principal, dispute_id: str, data: DisputeResolution
) -> DisputeOut:
    dispute, parties = await _visible_dispute(session, viewer=viewer, dispute_id=dispute_id)
    await repository.lock_arrangement(session, dispute.arrangement_id)
    locked = await repository.get_dispute(session, dispute_id, lock=True)
    assert locked is not None
    dispute = locked
    if dispute.status != "open":
        raise Conflict(
            f"dispute {dispute.id} was already resolved ({dispute.status})", current_state=dispute.status
        )
    dispute.status = data.outcome
    dispute.resolution_note = data.note
    dispute.resolved_by = viewer.org_id
    dispute.resolved_key_id = viewer.key_id
    dispute.resolved_at = utcnow()
    await session.flush()
    announce(
        session,
        actor=viewer.actor,
        event="settlement.dispute_resolved",
        resource_type="settlement",
        resource_id=dispute.settlement_id,
        data={
            "settlement_id": dispute.settlement_id,
            "arrangement_id": dispute.arrangement_id,
            "dispute_id": dispute.id,
            "outcome": dispute.status,
            "note": dispute.resolution_note,
            "new_run_needed": dispute.status == "upheld",
        },
        parties=list(parties),
    )
    return statement.dispute_out(dispute, parties)
