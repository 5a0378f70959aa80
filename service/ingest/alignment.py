"""A beneficiary's alignment over time, readable: every row uploaded for one MBI, which one counts
now, and what each says about one day.

The episode engine reads a beneficiary's current row (the latest uploaded, ``current_row``);
this view shows that row beside the ones it replaced, so that an ACO can see why an episode was
excluded or never opened ("not aligned", hospice, ESRD, death) and which upload said so.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.ingest.models import AlignmentRecord, Upload
from service.kit.errors import FieldError, NotFound, Unprocessable
from service.kit.identifiers import mbi_problem
from service.kit.pagination import paginate

StatusOnDay = Literal["aligned", "not_yet_aligned", "alignment_ended", "esrd", "in_hospice", "deceased"]


class AlignmentRowOut(BaseModel):
    """One alignment row as uploaded, with what it says about the day asked about."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "aco_id": "org_01JD7Q5Z0000000000000001",
                "mbi": "1EG4TE5MK73",
                "upload_id": "upl_01JD7Q5Z0000000000000005",
                "uploaded_at": "2027-04-02T09:00:00Z",
                "current": True,
                "birth_date": "1948-05-17",
                "sex": "F",
                "dual_status": False,
                "hcc_score": "1.137",
                "aligned_from": "2027-01-01",
                "aligned_through": "2027-06-30",
                "esrd": False,
                "hospice_start": None,
                "death_date": None,
                "entitlement_reason": "0",
                "as_of": "2027-08-15",
                "status_on_as_of": "alignment_ended",
            }
        }
    )

    aco_id: str
    mbi: str
    upload_id: str
    uploaded_at: datetime
    current: bool = Field(
        description="The row that counts now: the latest uploaded by this ACO for this MBI (episodes and "
        "settlements read it; the earlier rows are history)."
    )
    birth_date: date
    sex: str
    dual_status: bool
    hcc_score: Decimal | None = Field(description="Null: 1.0.")
    aligned_from: date
    aligned_through: date | None
    esrd: bool
    hospice_start: date | None
    death_date: date | None
    entitlement_reason: str | None = Field(
        description="Original reason for Medicare entitlement (OREC): `0` age, `1` disability, `2` ESRD, "
        "`3` disability and ESRD; null when not sent."
    )
    as_of: date
    status_on_as_of: StatusOnDay = Field(
        description="What this row says about `as_of`: `aligned` (a service that day may open an "
        "episode), else the first reason it may not: `not_yet_aligned` (before `aligned_from`), "
        "`alignment_ended` (after `aligned_through`), `esrd`, `in_hospice` (on or after "
        "`hospice_start`), `deceased` (on or after `death_date`). An episode is excluded as not aligned "
        "when the current row's status on the episode's end date is `alignment_ended`."
    )


def status_on(row: AlignmentRecord, day: date) -> StatusOnDay:
    """The trigger rules' reading of an alignment row on ``day`` (see the episode engine)."""
    if day < row.aligned_from:
        return "not_yet_aligned"
    if row.aligned_through is not None and day > row.aligned_through:
        return "alignment_ended"
    if row.esrd:
        return "esrd"
    if row.hospice_start is not None and row.hospice_start <= day:
        return "in_hospice"
    if row.death_date is not None and row.death_date <= day:
        return "deceased"
    return "aligned"


def _aco_scope(viewer: Principal, aco_id: str | None) -> str | None:
    """The ACO whose rows the viewer reads: an ACO its own (naming another is a 404), ops the one
    named or every ACO's (None)."""
    if viewer.is_ops:
        return aco_id
    if aco_id is not None and aco_id != viewer.org_id:
        raise NotFound(f"organization {aco_id} does not exist")
    return viewer.org_id


async def alignment_history(
    session: AsyncSession,
    *,
    viewer: Principal,
    mbi: str | None,
    as_of: date,
    aco_id: str | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[AlignmentRowOut], str | None]:
    """The beneficiary's alignment rows (every beneficiary's without ``mbi``), oldest upload first."""
    scope = _aco_scope(viewer, aco_id)
    conditions: list[ColumnElement[bool]] = []
    if mbi is not None:
        mbi = mbi.strip().upper()
        problem = mbi_problem(mbi, sandbox=True)
        if problem:
            raise Unprocessable(
                "mbi is not an MBI", errors=[FieldError(location="query.mbi", message=problem)]
            )
        conditions.append(AlignmentRecord.mbi == mbi)
    if scope is not None:
        conditions.append(AlignmentRecord.aco_id == scope)
    rows: Sequence[AlignmentRecord]
    rows, next_cursor = await paginate(
        session,
        select(AlignmentRecord).where(*conditions),
        key=AlignmentRecord.seq,
        limit=limit,
        cursor=cursor,
    )
    if not rows:
        return [], next_cursor
    # The current row of each (ACO, beneficiary) on the page: its latest.
    latest: dict[tuple[str, str], int] = {
        (aco, who): seq
        for aco, who, seq in (
            await session.execute(
                select(AlignmentRecord.aco_id, AlignmentRecord.mbi, func.max(AlignmentRecord.seq))
                .where(*conditions, AlignmentRecord.mbi.in_({r.mbi for r in rows}))
                .group_by(AlignmentRecord.aco_id, AlignmentRecord.mbi)
            )
        ).all()
    }
    uploaded = dict(
        (
            await session.execute(
                select(Upload.id, Upload.created_at).where(Upload.id.in_({r.upload_id for r in rows}))
            )
        ).all()
    )
    return [
        AlignmentRowOut(
            aco_id=r.aco_id,
            mbi=r.mbi,
            upload_id=r.upload_id,
            uploaded_at=uploaded[r.upload_id],
            current=latest.get((r.aco_id, r.mbi)) == r.seq,
            birth_date=r.birth_date,
            sex=r.sex,
            dual_status=r.dual_status,
            hcc_score=r.hcc_score,
            aligned_from=r.aligned_from,
            aligned_through=r.aligned_through,
            esrd=r.esrd,
            hospice_start=r.hospice_start,
            death_date=r.death_date,
            entitlement_reason=r.entitlement_reason,
            as_of=as_of,
            status_on_as_of=status_on(r, as_of),
        )
        for r in rows
    ], next_cursor
