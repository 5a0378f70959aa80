"""Ops' review of an arrangement whose terms use the model's maximal flexibilities: approving
puts the signed version in force (after the one-payment-per-episode check), rejecting leaves the
arrangement rejected, or, for an amendment, the version already in force unchanged."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.arrangements import repository
from service.arrangements.coverage import check_single_coverage
from service.arrangements.models import Arrangement
from service.arrangements.service import Precondition, for_change, notify, touch
from service.arrangements.timeline import effective_date
from service.kit.clock import utcnow


async def review(
    session: AsyncSession,
    *,
    viewer: Principal,
    arrangement_id: str,
    approve: bool,
    reason: str | None,
    precondition: Precondition,
) -> Arrangement:
    arrangement, _ = await for_change(
        session,
        viewer=viewer,
        arrangement_id=arrangement_id,
        precondition=precondition,
        action="approve" if approve else "reject",
    )
    amendment = arrangement.version_in_force is not None
    if approve:
        await check_single_coverage(session, arrangement=arrangement, version=arrangement.latest_version)
        arrangement.status = "executed"
        arrangement.version_in_force = arrangement.latest_version
        arrangement.pending_version = None
        approved = await repository.get_version(session, arrangement.id, arrangement.latest_version)
        assert approved is not None
        approved.executed_at = utcnow()
    elif amendment:
        # The amendment is refused; the executed version stays in force.
        arrangement.status = "executed"
        arrangement.pending_version = None
    else:
        arrangement.status = "rejected"
    touch(arrangement)
    details: dict[str, Any] = {"reviewed_version": arrangement.latest_version, "reason": reason}
    notify(session, viewer, arrangement, "approved" if approve else "rejected", **details)
    if approve:
        executed = await repository.get_version(session, arrangement.id, arrangement.latest_version)
        assert executed is not None
        extra = {"effective_from": effective_date(arrangement, executed).isoformat()}
        notify(
            session,
            viewer,
            arrangement,
            "amended" if amendment else "executed",
            terms_sha256=executed.terms_sha256,
            executed_version=executed.number,
            stage="executed",
            **(extra if amendment else {}),
        )
    return arrangement
