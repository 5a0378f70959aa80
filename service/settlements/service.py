"""Settlements: create (a stored draft revision, or a preview), read, list, lines, the statement,
finalise and recompute (the parties' acceptances and disputes are
:mod:`service.settlements.disputes`). The run itself is
:mod:`service.settlements.run`, its display :mod:`service.settlements.statement`, quality data
:mod:`service.settlements.quality`, the digests the audit chain keeps
:mod:`service.settlements.integrity`.

Every change of a settlement (a run, finalising, accepting, disputing, resolving) first locks
its arrangement's row, so that concurrent requests about one arrangement happen one after the
other: revision numbers never collide, at most one revision of a period is final, and no
dispute slips in between finalising's checks and its write.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.arrangements.in_force import load_in_force
from service.episodes.schemas import EpisodeEvidence
from service.episodes.service import EpisodeSpending
from service.kit.changes import record
from service.kit.clock import today, utcnow
from service.kit.errors import Conflict, NotFound
from service.kit.ids import new_id
from service.kit.pagination import paginate
from service.settlements import documents, integrity, projection, repository, run, statement, statement_html
from service.settlements.models import Settlement, SettlementDispute, SettlementLine
from service.settlements.schemas import (
    SettlementLineOut,
    SettlementOut,
    SettlementRecomputation,
    SettlementRequest,
)
from service.webhooks.outbox import announce

# The figures a recomputation must reproduce.
REPRODUCED = (
    "inputs_sha256", "n_episodes", "n_excluded", "total_target", "total_actual", "savings",
    "quality_score", "shared_before_caps", "stop_gain_limit", "stop_loss_limit", "cap_bound",
    "below_min_episodes", "settlement_amount",
)  # fmt: skip


def event_data(settlement: Settlement) -> dict[str, Any]:
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


async def settlement_out(
    session: AsyncSession, settlement: Settlement, parties: tuple[str, str]
) -> SettlementOut:
    return statement.to_schema(
        settlement,
        parties=parties,
        acceptances=await repository.acceptances_of(session, [settlement.id]),
        disputes=await repository.disputes_of(session, [settlement.id]),
    )


async def _outs(session: AsyncSession, rows: Sequence[Settlement]) -> list[SettlementOut]:
    """A page of settlements with their acceptances and disputes (three queries, not 3 x n)."""
    ids = [row.id for row in rows]
    acceptances = await repository.acceptances_of(session, ids)
    disputes = await repository.disputes_of(session, ids)
    parties: dict[str, tuple[str, str]] = {}
    for arrangement_id in {row.arrangement_id for row in rows}:
        found = await repository.parties_of(session, arrangement_id)
        assert found is not None
        parties[arrangement_id] = found
    return [
        statement.to_schema(
            row,
            parties=parties[row.arrangement_id],
            acceptances=[a for a in acceptances if a.settlement_id == row.id],
            disputes=[d for d in disputes if d.settlement_id == row.id],
        )
        for row in rows
    ]


def _upheld_since(disputes: Sequence[SettlementDispute], settlement: Settlement) -> list[SettlementDispute]:
    """Disputes of the period upheld after ``settlement`` was computed: it needs a new run."""
    return [
        d
        for d in disputes
        if d.status == "upheld" and d.resolved_at is not None and d.resolved_at >= settlement.created_at
    ]


# ---- runs ---------------------------------------------------------------------------------------


async def create(
    session: AsyncSession, *, viewer: Principal, arrangement_id: str, request: SettlementRequest
) -> tuple[SettlementOut, bool]:
    """Run a settlement: a stored draft revision, or with ``preview`` nothing stored. Returns the
    settlement and whether it is new: a run whose inputs hash equals that of the latest revision,
    a draft, returns that draft instead of storing a copy (unless a dispute upheld since asks
    for a new run)."""
    arrangement = await load_in_force(session, viewer=viewer, arrangement_id=arrangement_id)
    run.check_request(arrangement, request)
    arrangement = run.for_period(arrangement, request.period_start, request.period_end)
    cutoff = run.cutoff_of(arrangement, request)
    if not request.preview:
        await repository.lock_arrangement(session, arrangement.id)
    basis = await run.current_basis(session, arrangement=arrangement, request=request, cutoff=cutoff)
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
        sources=basis.sources(),
        created_by=viewer.org_id or "ops",
        created_at=utcnow(),
    )
    if not request.preview:
        session.add(settlement)
        await session.flush()
    settled: list[tuple[int, EpisodeSpending]] | None = [] if request.preview else None
    summary, n_excluded, inputs = await run.compute(
        session, basis=basis, settlement_id=None if request.preview else settlement.id, settled=settled
    )
    final = await repository.last_final(session, arrangement.id, request.period_start, request.period_end)
    run.fill(settlement, summary, arrangement=arrangement, n_excluded=n_excluded, inputs=inputs, final=final)
    parties = (arrangement.aco_id, arrangement.provider_id)
    if request.preview:
        assert settled is not None
        out = statement.to_schema(settlement, stored=False)
        out.projection = await projection.project(session, basis=basis, settled=settled, today=summary)
        return out, True
    latest = await repository.latest_revision(
        session, arrangement.id, request.period_start, request.period_end, before=settlement.revision
    )
    if latest is not None and latest.status == "draft" and latest.inputs_sha256 == settlement.inputs_sha256:
        disputes = await repository.period_disputes(
            session, arrangement.id, request.period_start, request.period_end
        )
        if not _upheld_since(disputes, latest):
            await repository.delete_settlement(session, settlement)
            return await settlement_out(session, latest, parties), False
    await session.flush()
    announce(
        session,
        actor=viewer.actor,
        event="settlement.created",
        resource_type="settlement",
        resource_id=settlement.id,
        data=event_data(settlement),
        parties=list(parties),
    )
    return await settlement_out(session, settlement, parties), True


async def visible(
    session: AsyncSession, *, viewer: Principal, settlement_id: str, lock: bool = False
) -> tuple[Settlement, tuple[str, str]]:
    """The settlement if the viewer is a party or ops (NotFound otherwise). With ``lock``, its
    arrangement's row is locked first and the settlement read again under the lock."""
    settlement = await repository.get_settlement(session, settlement_id)
    parties = None if settlement is None else await repository.parties_of(session, settlement.arrangement_id)
    if settlement is None or parties is None or not viewer.may_see(*parties):
        raise NotFound(f"settlement {settlement_id} not found")
    if lock:
        await repository.lock_arrangement(session, settlement.arrangement_id)
        locked = await repository.get_settlement(session, settlement_id, lock=True)
        assert locked is not None
        settlement = locked
    return settlement, parties


async def get(session: AsyncSession, *, viewer: Principal, settlement_id: str) -> SettlementOut:
    settlement, parties = await visible(session, viewer=viewer, settlement_id=settlement_id)
    return await settlement_out(session, settlement, parties)


async def list_settlements(
    session: AsyncSession,
    *,
    viewer: Principal,
    arrangement_id: str | None,
    status: str | None,
    period_start: date | None,
    limit: int,
    cursor: str | None,
    of_arrangement: bool = False,
) -> tuple[list[SettlementOut], str | None]:
    """Settlements newest first (every revision): the viewer's arrangements' (ops: all). With
    ``of_arrangement`` the arrangement must exist and be visible (404 otherwise)."""
    if of_arrangement:
        assert arrangement_id is not None
        parties = await repository.parties_of(session, arrangement_id)
        if parties is None or not viewer.may_see(*parties):
            raise NotFound(f"arrangement {arrangement_id} does not exist")
    stmt = repository.settlements_stmt(
        org_id=None if viewer.is_ops else viewer.org_id,
        arrangement_id=arrangement_id,
        status=status,
        period_start=period_start,
    )
    rows, next_cursor = await paginate(
        session, stmt, key=Settlement.id, limit=limit, cursor=cursor, descending=True
    )
    return await _outs(session, rows), next_cursor


async def lines(
    session: AsyncSession, *, viewer: Principal, settlement_id: str, limit: int, cursor: str | None
) -> tuple[list[SettlementLineOut], str | None]:
    settlement, _ = await visible(session, viewer=viewer, settlement_id=settlement_id)
    rows, next_cursor = await paginate(
        session, repository.lines_of(settlement.id), key=SettlementLine.episode_id, limit=limit, cursor=cursor
    )
    return [statement.line_out(row) for row in rows], next_cursor


async def statement_file(
    session: AsyncSession, *, viewer: Principal, settlement_id: str, kind: Literal["html", "csv", "summary"]
) -> str:
    """The statement as HTML, its episodes as CSV, or its summary as a one-row CSV."""
    settlement, parties = await visible(session, viewer=viewer, settlement_id=settlement_id)
    view = await documents.load_view(session, viewer=viewer, settlement=settlement, parties=parties)
    if kind == "html":
        return statement_html.statement_html(view)
    if kind == "csv":
        return documents.statement_csv(view)
    return documents.summary_csv(view)


async def line_claims(
    session: AsyncSession,
    *,
    viewer: Principal,
    settlement_id: str,
    line_id: str,
    limit: int,
    cursor: str | None,
) -> EpisodeEvidence:
    """The claim lines behind one episode (settled or excluded) of a stored settlement."""
    settlement, _ = await visible(session, viewer=viewer, settlement_id=settlement_id)
    return await documents.line_evidence(
        session, viewer=viewer, settlement=settlement, line_id=line_id, limit=limit, cursor=cursor
    )


async def recompute(
    session: AsyncSession, *, viewer: Principal, settlement_id: str
) -> SettlementRecomputation:
    """Compute the settlement again from what it recorded (terms version, quality version,
    uploads, NPIs, termination, settled elsewhere); store nothing; compare."""
    settlement, _ = await visible(session, viewer=viewer, settlement_id=settlement_id)
    basis = await run.recorded_basis(session, viewer=viewer, settlement=settlement)
    summary, n_excluded, inputs = await run.compute(session, basis=basis, settlement_id=None)
    again = Settlement(
        id=settlement.id,
        arrangement_id=settlement.arrangement_id,
        revision=settlement.revision,
        status="recomputed",
        period_start=settlement.period_start,
        period_end=settlement.period_end,
        claims_cutoff=settlement.claims_cutoff,
        terms_version=basis.arrangement.version,
        terms_sha256=basis.arrangement.terms_sha256,
        definition_code=settlement.definition_code,
        definition_version=settlement.definition_version,
        sources=basis.sources(),
        created_by=settlement.created_by,
        created_at=settlement.created_at,
    )
    run.fill(again, summary, arrangement=basis.arrangement, n_excluded=n_excluded, inputs=inputs, final=None)
    again.delta, again.delta_against = settlement.delta, settlement.delta_against
    recomputed = statement.to_schema(again, stored=False).model_copy(update={"status": "recomputed"})
    recorded = statement.to_schema(settlement, stored=False)
    differences = [f for f in REPRODUCED if getattr(recorded, f) != getattr(recomputed, f)]
    # The figures per terms version, where they were recorded (not before versions had dates).
    if recorded.terms_versions is not None and recorded.terms_versions != recomputed.terms_versions:
        differences.append("terms_versions")
    return SettlementRecomputation(
        settlement_id=settlement.id, matches=not differences, differences=differences, recomputed=recomputed
    )


# ---- finality -----------------------------------------------------------------------------------


async def finalize(
    session: AsyncSession, *, viewer: Principal, settlement_id: str, override_reason: str | None
) -> SettlementOut:
    """draft -> final: the latest revision of its period only, after its claims cutoff (unless
    ops gives a reason), never while a dispute of the period is open, nor before a new run when
    one was upheld. The final it replaces becomes superseded; ``delta`` is fixed against it."""
    settlement, parties = await visible(session, viewer=viewer, settlement_id=settlement_id, lock=True)
    if settlement.status != "draft":
        raise Conflict(
            f"settlement {settlement.id} is already {settlement.status} and never changes",
            current_state=settlement.status,
            allowed_actions=[],
        )
    latest = await repository.latest_revision(
        session, settlement.arrangement_id, settlement.period_start, settlement.period_end
    )
    assert latest is not None
    if latest.id != settlement.id:
        raise Conflict(
            f"only the latest revision of a period may be finalised: that is {latest.id} "
            f"(revision {latest.revision}), not revision {settlement.revision}",
            latest_settlement_id=latest.id,
            latest_revision=latest.revision,
        )
    disputes = await repository.period_disputes(
        session, settlement.arrangement_id, settlement.period_start, settlement.period_end
    )
    still_open = [d.id for d in disputes if d.status == "open"]
    if still_open:
        raise Conflict(
            f"dispute(s) {', '.join(still_open)} of this period are open: ops resolves them before "
            "the settlement is finalised (an override reason does not change that)",
            open_dispute_ids=still_open,
        )
    upheld = _upheld_since(disputes, settlement)
    if upheld:
        raise Conflict(
            f"dispute(s) {', '.join(d.id for d in upheld)} were upheld after this revision was "
            "computed: run the settlement again and finalise the new revision",
            upheld_dispute_ids=[d.id for d in upheld],
        )
    if today() <= settlement.claims_cutoff and override_reason is None:
        raise Conflict(
            f"the claims cutoff {settlement.claims_cutoff} has not passed: claims may still arrive. "
            'Finalise after it, or send {"override_reason": "..."} to finalise now',
            claims_cutoff=settlement.claims_cutoff.isoformat(),
        )
    previous = await repository.last_final(
        session, settlement.arrangement_id, settlement.period_start, settlement.period_end
    )
    settlement.status = "final"
    settlement.finalized_at = utcnow()
    settlement.finalized_by = viewer.org_id or "ops"
    settlement.override_reason = override_reason
    settlement.delta = settlement.settlement_amount - (
        Decimal(0) if previous is None else previous.settlement_amount
    )
    settlement.delta_against = None if previous is None else previous.id
    if previous is not None:
        previous.status = "superseded"
        previous.superseded_by = settlement.id
    await session.flush()
    digest = integrity.settlement_digest(settlement, await repository.all_lines(session, settlement.id))
    announce(
        session,
        actor=viewer.actor,
        event="settlement.finalized",
        resource_type="settlement",
        resource_id=settlement.id,
        data={
            **event_data(settlement),
            "supersedes": None if previous is None else previous.id,
            "override_reason": override_reason,
            "digest": digest,
        },
        parties=list(parties),
    )
    if previous is not None:
        record(
            session,
            actor=viewer.actor,
            action="settlement.superseded",
            resource_type="settlement",
            resource_id=previous.id,
            details={"superseded_by": settlement.id, "arrangement_id": settlement.arrangement_id},
            party_org_ids=list(parties),
        )
    return await settlement_out(session, settlement, parties)
