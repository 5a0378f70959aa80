"""Quality data: what an arrangement's parties report per period, and how a settlement reads it.

A report holds the numerator and denominator of each of the arrangement's chosen measures for
the period starting on a given date; reporting again replaces it (a new revision, the old
measures kept in the audit note). A settlement turns the report into the inputs of the pure
arithmetic (:func:`measure_inputs`).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.arrangements.in_force import load_in_force
from service.arrangements.schemas import InForceArrangement, outside_period
from service.kit.changes import record
from service.kit.clock import utcnow
from service.kit.errors import FieldError, NotFound, Unprocessable
from service.kit.ids import new_id
from service.settlements import math, repository
from service.settlements.models import QualityReport
from service.settlements.schemas import MeasureReport, QualityReportIn, QualityReportOut


def _quality_out(report: QualityReport) -> QualityReportOut:
    return QualityReportOut(
        arrangement_id=report.arrangement_id,
        period_start=report.period_start,
        measures=[MeasureReport.model_validate(m) for m in report.measures],
        revision=report.revision,
        reported_by=report.reported_by,
        updated_at=report.updated_at,
    )


def _check_period_start(arrangement: InForceArrangement, period_start: date) -> None:
    errors = outside_period(
        start=arrangement.period_start, end=arrangement.period_end, days={"path.period_start": period_start}
    )
    if errors:
        raise Unprocessable(
            "the period must start within the arrangement's performance period", errors=errors
        )


async def report_quality(
    session: AsyncSession,
    *,
    viewer: Principal,
    arrangement_id: str,
    period_start: date,
    data: QualityReportIn,
) -> QualityReportOut:
    """Store (or replace) the quality data of a period; only the arrangement's chosen measures."""
    arrangement = await load_in_force(session, viewer=viewer, arrangement_id=arrangement_id)
    _check_period_start(arrangement, period_start)
    chosen = {m.measure_id for m in arrangement.terms.quality_measures}
    errors = [
        FieldError(
            location=f"body.measures[{index}].measure_id",
            message=f"{m.measure_id} is not one of the arrangement's measures ({', '.join(sorted(chosen))})",
        )
        for index, m in enumerate(data.measures)
        if m.measure_id not in chosen
    ]
    if errors:
        raise Unprocessable("unknown quality measure", errors=errors)
    await repository.lock_arrangement(session, arrangement.id)
    report = await repository.quality_report(session, arrangement.id, period_start)
    measures = [m.model_dump() for m in data.measures]
    previous = None if report is None else report.measures
    if report is None:
        report = QualityReport(
            id=new_id("qr"),
            arrangement_id=arrangement.id,
            period_start=period_start,
            measures=measures,
            revision=1,
            reported_by=viewer.org_id or "ops",
            updated_at=utcnow(),
        )
        session.add(report)
    else:
        report.measures = measures
        report.revision += 1
        report.reported_by = viewer.org_id or "ops"
        report.updated_at = utcnow()
    await session.flush()
    record(
        session,
        actor=viewer.actor,
        action="quality.reported",
        resource_type="quality_report",
        resource_id=report.id,
        details={
            "arrangement_id": arrangement.id,
            "period_start": period_start.isoformat(),
            "revision": report.revision,
            "measures": measures,
            "replaced": previous,
        },
        party_org_ids=[arrangement.aco_id, arrangement.provider_id],
    )
    return _quality_out(report)


async def get_quality(
    session: AsyncSession, *, viewer: Principal, arrangement_id: str, period_start: date
) -> QualityReportOut:
    arrangement = await load_in_force(session, viewer=viewer, arrangement_id=arrangement_id)
    report = await repository.quality_report(session, arrangement.id, period_start)
    if report is None:
        raise NotFound(
            f"no quality data reported for {arrangement.id} and the period starting {period_start}"
        )
    return _quality_out(report)


def measure_inputs(arrangement: InForceArrangement, report: QualityReport | None) -> list[math.MeasureInput]:
    """The arrangement's chosen measures with the reported data (None where not reported)."""
    direction = {m.id: m.higher_is_better for m in arrangement.definition.quality_measures}
    reported = {m["measure_id"]: m for m in (report.measures if report is not None else [])}
    inputs = []
    for choice in arrangement.terms.quality_measures:
        data = reported.get(choice.measure_id)
        inputs.append(
            math.MeasureInput(
                measure_id=choice.measure_id,
                weight=choice.weight,
                higher_is_better=direction.get(choice.measure_id, True),
                numerator=None if data is None else Decimal(data["numerator"]),
                denominator=None if data is None else Decimal(data["denominator"]),
            )
        )
    return inputs
