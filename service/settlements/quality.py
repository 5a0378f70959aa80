"""Quality data: what an arrangement's parties report per period, and how a settlement reads it.

A report holds the numerator and denominator of each of the arrangement's chosen measures for
the period starting on a given date. Reporting again adds a new version: no version is ever
overwritten, each keeps who submitted it (organisation and API key) and what they attested. The
terms say which party reports (``quality_reporter``: the provider by default); the other party
is refused (403), and is told of every new version by a ``quality.reported`` event. A settlement
records which version it used and turns it into the inputs of the pure arithmetic
(:func:`measure_inputs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.arrangements.in_force import load_in_force
from service.arrangements.schemas import InForceArrangement, outside_period
from service.kit.changes import record
from service.kit.clock import utcnow
from service.kit.errors import FieldError, Forbidden, NotFound, Unprocessable
from service.kit.ids import new_id
from service.kit.pagination import paginate
from service.settlements import math, repository
from service.settlements.models import QualityReport, QualityReportVersion
from service.settlements.schemas import MeasureReport, QualityReportIn, QualityReportOut
from service.webhooks.outbox import emit


def _quality_out(version: QualityReportVersion) -> QualityReportOut:
    return QualityReportOut(
        arrangement_id=version.arrangement_id,
        period_start=version.period_start,
        measures=[MeasureReport.model_validate(m) for m in version.measures],
        revision=version.version,
        version_id=version.id,
        reported_by=version.organization_id,
        key_id=version.key_id,
        attestation=version.attestation,
        updated_at=version.created_at,
    )


def _check_period_start(arrangement: InForceArrangement, period_start: date) -> None:
    errors = outside_period(
        start=arrangement.period_start, end=arrangement.period_end, days={"path.period_start": period_start}
    )
    if errors:
        raise Unprocessable(
            "the period must start within the arrangement's performance period", errors=errors
        )


def _check_reporter(viewer: Principal, arrangement: InForceArrangement) -> None:
    """Ops may report for either party; otherwise only the party the terms name."""
    reporter = arrangement.terms.quality_reporter
    if viewer.is_ops or reporter == "either" or viewer.role.value == reporter:
        return
    raise Forbidden(
        f"the terms of arrangement {arrangement.id} name the {reporter} as the party that reports "
        "quality data (quality_reporter); dispute a settlement to contest the figures",
        quality_reporter=reporter,
    )


async def report_quality(
    session: AsyncSession,
    *,
    viewer: Principal,
    arrangement_id: str,
    period_start: date,
    data: QualityReportIn,
) -> QualityReportOut:
    """Add a version of the quality data of a period; only the arrangement's chosen measures,
    only from the party the terms name."""
    arrangement = await load_in_force(session, viewer=viewer, arrangement_id=arrangement_id)
    _check_reporter(viewer, arrangement)
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
    now = utcnow()
    reporter = viewer.org_id or "ops"
    if report is None:
        report = QualityReport(
            id=new_id("qr"),
            arrangement_id=arrangement.id,
            period_start=period_start,
            measures=measures,
            revision=1,
            reported_by=reporter,
            updated_at=now,
        )
        session.add(report)
    else:
        report.measures = measures
        report.revision += 1
        report.reported_by = reporter
        report.updated_at = now
    version = QualityReportVersion(
        id=new_id("qrv"),
        report_id=report.id,
        arrangement_id=arrangement.id,
        period_start=period_start,
        version=report.revision,
        measures=measures,
        organization_id=reporter,
        key_id=viewer.key_id,
        attestation=data.attestation,
        created_at=now,
    )
    session.add(version)
    await session.flush()
    details: dict[str, Any] = {
        "arrangement_id": arrangement.id,
        "period_start": period_start.isoformat(),
        "revision": version.version,
        "version_id": version.id,
        "measures": measures,
        "attestation": data.attestation,
    }
    record(
        session,
        actor=viewer.actor,
        action="quality.reported",
        resource_type="quality_report",
        resource_id=report.id,
        details={**details, "replaced": previous},
        party_org_ids=[arrangement.aco_id, arrangement.provider_id],
    )
    # The counterparty learns of every version (both parties when ops reported).
    emit(
        session,
        type="quality.reported",
        data={**details, "reported_by": reporter},
        recipients=[p for p in (arrangement.aco_id, arrangement.provider_id) if p != viewer.org_id],
    )
    return _quality_out(version)


async def get_quality(
    session: AsyncSession, *, viewer: Principal, arrangement_id: str, period_start: date
) -> QualityReportOut:
    arrangement = await load_in_force(session, viewer=viewer, arrangement_id=arrangement_id)
    version = await repository.latest_quality_version(session, arrangement.id, period_start)
    if version is None:
        raise NotFound(
            f"no quality data reported for {arrangement.id} and the period starting {period_start}"
        )
    return _quality_out(version)


async def list_versions(
    session: AsyncSession,
    *,
    viewer: Principal,
    arrangement_id: str,
    period_start: date | None,
    limit: int,
    cursor: str | None,
) -> tuple[list[QualityReportOut], str | None]:
    """Every version of the arrangement's quality data (of one period), oldest first."""
    arrangement = await load_in_force(session, viewer=viewer, arrangement_id=arrangement_id)
    rows, next_cursor = await paginate(
        session,
        repository.quality_versions_of(arrangement.id, period_start),
        key=QualityReportVersion.id,
        limit=limit,
        cursor=cursor,
    )
    return [_quality_out(row) for row in rows], next_cursor


def measure_inputs(
    arrangement: InForceArrangement, reported_measures: Sequence[dict[str, Any]] | None
) -> list[math.MeasureInput]:
    """The arrangement's chosen measures with the reported data (None where not reported)."""
    direction = {m.id: m.higher_is_better for m in arrangement.definition.quality_measures}
    reported = {m["measure_id"]: m for m in (reported_measures or [])}
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
