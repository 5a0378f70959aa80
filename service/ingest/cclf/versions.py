"""Versions (section 5 of the Information Packet). Versions of one claim share a natural key (Part A
billing OSCAR + from + thru + current MBI; Part B and DME control number + current MBI + line).
Each cancellation is matched to the version it cancels (same amount preferred) and both are
dropped; of the rest, the latest by CLM_EFCTV_DT, then claim id, counts. Every version gets a
``Decision`` with its reason (``CclfDelivery.decisions``; ``cara import cclf --explain FILE``).

Storage of that decision. Our storage keeps versions by (claim_id, line_number) and counts the one
with the latest ``received_date`` (ties: the later row). So all versions of a natural key share one
``claim_id`` (``A-``/``B-``/``D-`` + the key), every version is stored (adjustment original,
cancel, replacement for codes 0, 1, 2) with its IDR load date as ``received_date``, and the
version that counts is stored with the latest load date of its group and written after every other
version of its group: ``counting_claim_lines`` then picks exactly the version chosen here. When
every version is cancelled, the last cancellation is that final row (so the line is removed). For
Part A, a line number that some version had but the counting version lacks gets a final cancel row.
Resolution runs within one delivery; later deliveries add versions under the same read-time rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from service.ingest.cclf.layouts import ADJUSTMENTS, as_date
from service.ingest.models import CclfDecision

T = TypeVar("T")

# --- versions and the claim that counts ------------------------------------------------------


@dataclass(slots=True, eq=False)  # identity: two identical records are still two versions
class Version:
    file: str
    record: int  # record number in its file
    key: str  # natural key (our claim_id) incl. the line for Part B / DME: "claim_id#line"
    uid: str  # CUR_CLM_UNIQ_ID
    code: str  # CLM_ADJSMT_TYPE_CD: 0 original, 1 cancellation, 2 adjustment
    effective: str
    loaded: str  # received_date as stored: the IDR load date (else effective, else thru)
    amount: Decimal | None
    denied: bool


@dataclass(slots=True)
class Decision:
    version: Version
    counts: bool
    reason: str


def _order(version: Version) -> tuple[str, str, int]:
    """CLM_EFCTV_DT, then claim id (numeric: zero-filled to its 13 positions), then file order."""
    return version.effective, version.uid.zfill(13), version.record


def resolve(versions: list[Version], *, date_name: str = "CLM_EFCTV_DT") -> list[Decision]:
    """Decide every version of one natural key: which one counts, and why each does or does not.
    ``date_name`` names the date versions are ordered by in the reasons (a FHIR export orders by
    the claim received date)."""
    order = sorted(versions, key=_order)
    reasons: dict[int, str] = {}
    open_: list[Version] = [v for v in order if v.code != "1"]
    for cancel in (v for v in order if v.code == "1"):
        position = order.index(cancel)
        same = [o for o in open_ if o.amount == cancel.amount]
        pool = same or open_
        before = [o for o in pool if order.index(o) < position]
        match = before[-1] if before else (pool[0] if pool else None)
        if match is None:
            reasons[id(cancel)] = (
                "cancellation without a version to cancel in this delivery: removes the line"
            )
            continue
        open_.remove(match)
        reasons[id(match)] = f"cancelled by {cancel.uid}"
        reasons[id(cancel)] = f"cancels {match.uid}" + (
            "" if match.amount == cancel.amount else " (amounts differ)"
        )
    counting = open_[-1] if open_ else None
    for other in open_[:-1]:
        reasons[id(other)] = (
            f"superseded by {counting.uid} (later by {date_name}, then claim id)" if counting else ""
        )
    if counting is not None:
        alone = len(versions) == 1
        reason = "the only version" if alone else f"latest remaining version by {date_name}, then claim id"
        if counting.denied:
            reason += "; denied: spends nothing"
        reasons[id(counting)] = reason
    return [Decision(v, v is counting, reasons[id(v)]) for v in versions]


@dataclass(frozen=True, slots=True)
class Plan:
    """How one stored version is written: its adjustment, received date, and whether it must wait
    until a later record of its group has been written (the final row of a group goes last)."""

    adjustment: str
    received: str
    final: bool
    after: int  # record number after which to write it (0: in file order)


def plans(decisions: list[Decision]) -> dict[int, Plan]:
    """The stored form of a group's decisions, keyed by record number."""
    versions = [d.version for d in decisions]
    latest = max(v.loaded for v in versions)
    counting = next((d.version for d in decisions if d.counts), None)
    if counting is None:  # everything cancelled: the last cancellation removes the line
        cancels = sorted((v for v in versions if v.code == "1"), key=_order)
        final = cancels[-1]
    else:
        final = counting
    out: dict[int, Plan] = {}
    after = 0
    for v in versions:
        if v is final:
            continue
        out[v.record] = Plan(ADJUSTMENTS.get(v.code, "original"), v.loaded, False, 0)
        if v.loaded == latest and v.record > final.record:
            after = max(after, v.record)
    adjustment = "cancel" if counting is None else ("replacement" if final.code == "2" else "original")
    out[final.record] = Plan(adjustment, latest, True, after)
    return out


def in_order(rows: Iterable[tuple[int, Plan | None, list[T]]]) -> Iterator[T]:
    """Each record's rows in record order, holding a group's final rows back until the versions
    they must follow have been written."""
    waiting: dict[int, list[T]] = {}
    for number, plan, out in rows:
        if plan is not None and plan.after > number:
            waiting.setdefault(plan.after, []).extend(out)
        else:
            yield from out
        yield from waiting.pop(number, ())
    for rest in waiting.values():  # not reached: every 'after' is a record of the input
        yield from rest


async def store_decisions(session: AsyncSession, upload_id: str, decided: list[Decision]) -> None:
    """Keep why each version of a multi-version claim counts or not, beside the claims upload."""
    rows = []
    for decision in decided:
        version = decision.version
        claim_id, _, line = version.key.partition("#")
        rows.append(
            {
                "upload_id": upload_id,
                "claim_id": claim_id,
                "line_number": int(line) if line.isdigit() else None,
                "source_file": version.file,
                "record_number": version.record,
                "cur_clm_uniq_id": version.uid,
                "adjustment_type": version.code,
                "effective_date": as_date(version.effective),
                "paid_amount": version.amount,
                "counts": decision.counts,
                "reason": decision.reason[:300],
            }
        )
    for start in range(0, len(rows), 5_000):
        await session.execute(insert(CclfDecision), rows[start : start + 5_000])
