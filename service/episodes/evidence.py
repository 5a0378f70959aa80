"""Episode evidence: the claim line versions behind one episode's spending, counted or not, and why.

Two reads over the beneficiary's records:

1. the record numbers that the window's spending sums, selected by exactly the conditions of the
   spending query (``repository.counted_records``), so that the counted lines add up to the
   episode's spending to the cent by construction;
2. every version of every line of the beneficiary's claims that touch the window
   (``repository.window_records``), each of which is either counted or given the first reason
   that applies: received after the cutoff, superseded by a later version, cancelled, claim type
   not included, dated outside the window, principal diagnosis left out.

With ``uploads`` (a stored settlement's recorded sources) only the records of those uploads are
read, as the settlement read them: later uploads change nothing here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.arrangements.schemas import InForceArrangement
from service.definitions.service import compile_definition
from service.episodes import repository
from service.episodes.schemas import ClaimLineEvidence, EpisodeEvidence, EvidenceEpisode
from service.kit.errors import FieldError, Unprocessable
from service.kit.pagination import decode_cursor, encode_cursor


@dataclass(frozen=True, slots=True)
class Window:
    """The episode whose evidence is asked for."""

    id: str
    mbi: str
    trigger_date: date
    end_date: date
    trigger_claim_id: str
    status: str
    exclusion_reason: str | None
    spending: Decimal


def classify(
    records: Sequence[Any],
    *,
    counted: set[int],
    cutoff: date,
    window: tuple[date, date],
    included_claim_types: set[str],
    excluded_drgs: frozenset[str] = frozenset(),
) -> list[tuple[Any, str | None]]:
    """Each record with None (counted) or the reason it does not count. ``records`` are rows of
    ``claim_line_record`` (every version of the lines concerned); ``counted`` the record numbers
    the spending query summed."""
    # The version of each line that counts as of the cutoff: the latest received on or before
    # it, ties to the later record.
    winners: dict[tuple[str, int], Any] = {}
    for record in records:
        if record.received_date > cutoff:
            continue
        key = (record.claim_id, record.line_number)
        best = winners.get(key)
        if best is None or (record.received_date, record.seq) > (best.received_date, best.seq):
            winners[key] = record
    first, last = window
    out: list[tuple[Any, str | None]] = []
    for record in records:
        reason: str | None
        if record.seq in counted:
            reason = None
        elif record.received_date > cutoff:
            reason = "received_after_cutoff"
        elif winners[(record.claim_id, record.line_number)].seq != record.seq:
            reason = "superseded"
        elif record.adjustment == "cancel":
            reason = "cancelled"
        elif record.claim_type not in included_claim_types:
            reason = "claim_type_not_included"
        elif not first <= record.from_date <= last:
            reason = "outside_window"
        elif record.claim_type == "inpatient" and record.drg_code in excluded_drgs:
            reason = "drg_excluded"
        else:
            reason = "principal_diagnosis_excluded"
        out.append((record, reason))
    return out


def _order_key(record: Any) -> str:
    # Dates sort as ISO text; the claim id is bounded (64 characters); seq breaks every tie.
    return f"{record.from_date.isoformat()}|{record.claim_id}|{record.line_number:06d}|{record.seq:020d}"


async def evidence(
    session: AsyncSession,
    *,
    arrangement: InForceArrangement,
    window: Window,
    cutoff: date,
    uploads: Sequence[str] | None,
    limit: int,
    cursor: str | None,
) -> EpisodeEvidence:
    """One page of the window's claim line versions (by service date, claim, line, record), with
    the count and sum of those counted over all pages."""
    definition = compile_definition(arrangement.definition)
    counted = set(
        (
            await session.scalars(
                repository.counted_records(
                    aco_id=arrangement.aco_id,
                    cutoff=cutoff,
                    definition=definition,
                    mbi=window.mbi,
                    first=window.trigger_date,
                    last=window.end_date,
                    uploads=uploads,
                )
            )
        ).all()
    )
    records = (
        await session.execute(
            repository.window_records(
                aco_id=arrangement.aco_id,
                mbi=window.mbi,
                first=window.trigger_date,
                last=window.end_date,
                uploads=uploads,
            )
        )
    ).all()
    classified = classify(
        records,
        counted=counted,
        cutoff=cutoff,
        window=(window.trigger_date, window.end_date),
        included_claim_types={str(t) for t in arrangement.definition.included_claim_types},
        excluded_drgs=frozenset() if definition.anchor is None else definition.anchor.excluded_drgs,
    )
    counted_amount = sum((r.allowed_amount for r, reason in classified if reason is None), Decimal("0.00"))
    counted_lines = sum(1 for _, reason in classified if reason is None)
    classified.sort(key=lambda item: _order_key(item[0]))
    if cursor is not None:
        after = decode_cursor(cursor)
        if not isinstance(after, str) or after.count("|") != 3:
            raise Unprocessable(
                "the cursor is not one this service issued",
                errors=[FieldError(location="query.cursor", message="invalid cursor")],
            )
        classified = [item for item in classified if _order_key(item[0]) > after]
    page = classified[: limit + 1]
    next_cursor = encode_cursor(_order_key(page[limit - 1][0])) if len(page) > limit else None
    return EpisodeEvidence(
        episode=EvidenceEpisode(
            id=window.id,
            mbi=window.mbi,
            trigger_date=window.trigger_date,
            end_date=window.end_date,
            trigger_claim_id=window.trigger_claim_id,
            status=window.status,
            exclusion_reason=window.exclusion_reason,
            spending=window.spending,
        ),
        claims_cutoff=cutoff,
        counted_lines=counted_lines,
        counted_allowed_amount=counted_amount,
        items=[_out(record, reason) for record, reason in page[:limit]],
        next_cursor=next_cursor,
    )


def _out(record: Any, reason: str | None) -> ClaimLineEvidence:
    return ClaimLineEvidence(
        claim_id=record.claim_id,
        line_number=record.line_number,
        claim_type=record.claim_type,
        from_date=record.from_date,
        thru_date=record.thru_date,
        hcpcs=record.hcpcs or None,
        principal_diagnosis=record.principal_diagnosis,
        rendering_npi=record.rendering_npi,
        allowed_amount=record.allowed_amount,
        paid_amount=record.paid_amount,
        adjustment=record.adjustment,
        received_date=record.received_date,
        upload_id=record.upload_id,
        counted=reason is None,
        reason=reason,
    )
