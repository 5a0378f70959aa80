"""Quality reports and settlements (SPEC section 7, API.md).

A settlement run: load the arrangement in force, recompute its episodes and their spending as of
the claims cutoff (service/episodes), feed them one by one through the pure arithmetic
(``math.settle_episode``, keeping running totals and a running digest, and for a stored draft
writing each line as it goes), then ``math.summarise``. The inputs that determined the figures
(terms version and hash, effective definition, cutoff, quality data, a digest of every episode's
trigger line, alignment row and counted claim line versions) are stored with their SHA-256, so a
rerun on unchanged data is recognisably the same.
"""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.arrangements.schemas import InForceArrangement
from service.arrangements.service import load_in_force
from service.definitions.service import content_sha256
from service.episodes.service import computed_episodes
from service.kit.canonical import canonical_sha256, decimal_text
from service.kit.changes import record
from service.kit.clock import utcnow
from service.kit.errors import Conflict, FieldError, NotFound, Unprocessable
from service.kit.ids import new_id
from service.kit.pagination import paginate
from service.settlements import math, repository
from service.settlements.models import QualityReport, Settlement, SettlementLine
from service.settlements.schemas import (
    MeasureReport,
    MeasureScore,
    QualityReportIn,
    QualityReportOut,
    SettlementLineOut,
    SettlementOut,
    SettlementRequest,
)
from service.webhooks.outbox import emit

SETTLEABLE = ("executed", "terminated")
LINE_BATCH = 5000


# ---- quality ---------------------------------------------------------------------------------


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
    if not arrangement.period_start <= period_start <= arrangement.period_end:
        raise Unprocessable(
            "the period must start within the arrangement's performance period",
            errors=[
                FieldError(
                    location="path.period_start",
                    message=f"must be within {arrangement.period_start} .. {arrangement.period_end}",
                )
            ],
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


# ---- settlement ------------------------------------------------------------------------------


def settlement_terms(arrangement: InForceArrangement) -> math.SettlementTerms:
    terms = arrangement.terms
    return math.SettlementTerms(
        target_price=terms.target_price,
        price_adjustment_pct=terms.price_adjustment_pct,
        savings_share_pct=terms.savings_share_pct,
        loss_share_pct=terms.loss_share_pct,
        performance_adjustment_pct=terms.performance_adjustment_pct,
        loss_quality_relief_pct=terms.loss_quality_relief_pct,
        stop_gain_pct=terms.stop_gain_pct,
        stop_loss_pct=terms.stop_loss_pct,
        min_episodes=terms.min_episodes,
        outlier_cap_multiple=arrangement.definition.outlier_cap_multiple,
        hcc_risk_adjustment=arrangement.definition.risk_adjustment == "hcc",
    )


def measure_inputs(arrangement: InForceArrangement, report: QualityReport | None) -> list[math.MeasureInput]:
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


def _cutoff(arrangement: InForceArrangement, request: SettlementRequest) -> date:
    if request.claims_cutoff is not None:
        return request.claims_cutoff
    return request.period_end + timedelta(days=arrangement.terms.runout_days)


def _check_request(arrangement: InForceArrangement, request: SettlementRequest) -> None:
    if arrangement.status not in SETTLEABLE:
        raise Conflict(
            f"arrangement {arrangement.id} is {arrangement.status}: only executed or terminated "
            "arrangements are settled",
            current_state=arrangement.status,
        )
    errors = []
    if not arrangement.period_start <= request.period_start <= arrangement.period_end:
        errors.append(
            FieldError(location="body.period_start", message="must be within the arrangement's period")
        )
    if not arrangement.period_start <= request.period_end <= arrangement.period_end:
        errors.append(
            FieldError(location="body.period_end", message="must be within the arrangement's period")
        )
    if request.claims_cutoff is not None and request.claims_cutoff < request.period_start:
        errors.append(FieldError(location="body.claims_cutoff", message="must not be before period_start"))
    if errors:
        raise Unprocessable(
            f"the settlement period must lie within {arrangement.period_start} .. {arrangement.period_end}",
            errors=errors,
        )


def _line_row(settlement_id: str, episode: Any, result: math.EpisodeResult) -> dict[str, Any]:
    return {
        "settlement_id": settlement_id,
        "episode_id": episode.id,
        "mbi": episode.mbi,
        "trigger_date": episode.trigger_date,
        "end_date": episode.end_date,
        "trigger_claim_id": episode.trigger_claim_id,
        "risk_factor": result.risk_factor,
        "target": result.target,
        "spending": result.spending,
        "outlier_cap": result.outlier_cap,
        "actual": result.actual,
        "capped": result.capped,
    }


async def _compute(
    session: AsyncSession,
    *,
    arrangement: InForceArrangement,
    request: SettlementRequest,
    cutoff: date,
    settlement_id: str | None,
) -> tuple[math.SettlementSummary, int, dict[str, Any]]:
    """Run the settlement; with ``settlement_id`` write its lines as they are computed."""
    terms = settlement_terms(arrangement)
    report = await repository.quality_report(session, arrangement.id, request.period_start)
    measures = measure_inputs(arrangement, report)
    digest = hashlib.sha256()
    n_settled = n_excluded = claim_lines = 0
    total_target = total_actual = Decimal("0.00")  # cents even when no episode settles
    pending: list[dict[str, Any]] = []
    async with computed_episodes(
        session,
        arrangement=arrangement,
        cutoff=cutoff,
        trigger_from=request.period_start,
        trigger_to=request.period_end,
    ) as episodes:
        async for episode in episodes:
            hcc = "" if episode.hcc_score is None else decimal_text(episode.hcc_score)
            digest.update(
                f"{episode.id}|{episode.trigger_seq}|{episode.alignment_seq}|{hcc}|{episode.exclusion_reason or ''}|"
                f"{decimal_text(episode.spending)}|{episode.line_count}|{episode.line_seq_sum}\n".encode()
            )
            if episode.exclusion_reason is not None:
                n_excluded += 1
                continue
            result = math.settle_episode(
                terms, math.EpisodeInput(episode.id, episode.hcc_score, episode.spending)
            )
            n_settled += 1
            claim_lines += episode.line_count
            total_target += result.target
            total_actual += result.actual
            if settlement_id is not None:
                pending.append(_line_row(settlement_id, episode, result))
                if len(pending) >= LINE_BATCH:
                    await repository.add_lines(session, pending)
                    pending.clear()
    if settlement_id is not None:
        await repository.add_lines(session, pending)
    summary = math.summarise(
        terms, n_episodes=n_settled, total_target=total_target, total_actual=total_actual, measures=measures
    )
    inputs = {
        "arrangement_id": arrangement.id,
        "period_start": request.period_start.isoformat(),
        "period_end": request.period_end.isoformat(),
        "claims_cutoff": cutoff.isoformat(),
        "terms": {"version": arrangement.version, "sha256": arrangement.terms_sha256},
        "definition": {
            "code": arrangement.definition_code,
            "version": arrangement.definition_version,
            # The definition as applied (approved max-flex overrides included).
            "effective_sha256": content_sha256(arrangement.definition),
        },
        "quality": [
            {
                "measure_id": m.measure_id,
                "weight": decimal_text(m.weight),
                "higher_is_better": m.higher_is_better,
                "numerator": None if m.numerator is None else int(m.numerator),
                "denominator": None if m.denominator is None else int(m.denominator),
            }
            for m in measures
        ],
        "episodes": {
            "settled": n_settled,
            "excluded": n_excluded,
            "claim_lines_counted": claim_lines,
            # Per episode: trigger line version, alignment row, HCC score, exclusion, spending and
            # the count and record numbers of the claim line versions summed.
            "sha256": digest.hexdigest(),
        },
    }
    return summary, n_excluded, inputs


def _display(value: Decimal, places: int) -> Decimal:
    """A figure carried at full precision, shown to ``places`` (trailing zeros dropped)."""
    shown = value.quantize(Decimal(1).scaleb(-places)).normalize()
    if shown == 0:
        return Decimal(0)
    # normalize() turns 440 into 4.4E+2; JSON and CSV readers expect plain digits.
    return shown.quantize(Decimal(1)) if shown == shown.to_integral_value() else shown


def _measure_scores(inputs: dict[str, Any]) -> list[MeasureScore]:
    scores = []
    for item in inputs.get("quality", []):
        measure = math.MeasureInput(
            measure_id=item["measure_id"],
            weight=Decimal(item["weight"]),
            higher_is_better=item["higher_is_better"],
            numerator=None if item["numerator"] is None else Decimal(item["numerator"]),
            denominator=None if item["denominator"] is None else Decimal(item["denominator"]),
        )
        rate = math.measure_rate(measure)
        scores.append(
            MeasureScore(
                measure_id=measure.measure_id,
                weight=measure.weight,
                higher_is_better=measure.higher_is_better,
                numerator=item["numerator"],
                denominator=item["denominator"],
                rate=None if rate is None else _display(rate, 12),
            )
        )
    return scores


def to_schema(settlement: Settlement, *, stored: bool = True) -> SettlementOut:
    return SettlementOut(
        id=settlement.id if stored else None,
        arrangement_id=settlement.arrangement_id,
        revision=settlement.revision if stored else None,
        status=settlement.status if stored else "preview",
        period_start=settlement.period_start,
        period_end=settlement.period_end,
        claims_cutoff=settlement.claims_cutoff,
        n_episodes=settlement.n_episodes,
        n_excluded=settlement.n_excluded,
        total_target=settlement.total_target,
        total_actual=settlement.total_actual,
        savings=settlement.savings,
        quality_score=_display(settlement.quality_score, 12),
        measures=_measure_scores(settlement.inputs),
        shared_before_caps=_display(settlement.shared_before_caps, 6),
        cap_bound=settlement.cap_bound,
        below_min_episodes=settlement.below_min_episodes,
        stop_gain_limit=_display(settlement.stop_gain_limit, 6),
        stop_loss_limit=_display(settlement.stop_loss_limit, 6),
        settlement_amount=settlement.settlement_amount,
        delta=settlement.delta,
        delta_against=settlement.delta_against,
        terms_version=settlement.terms_version,
        terms_sha256=settlement.terms_sha256,
        definition={"code": settlement.definition_code, "version": settlement.definition_version},
        inputs=settlement.inputs,
        inputs_sha256=settlement.inputs_sha256,
        created_at=settlement.created_at if stored else None,
        finalized_at=settlement.finalized_at if stored else None,
    )


def _fill(
    settlement: Settlement,
    summary: math.SettlementSummary,
    *,
    n_excluded: int,
    inputs: dict[str, Any],
    final: Settlement | None,
) -> None:
    settlement.n_episodes = summary.n_episodes
    settlement.n_excluded = n_excluded
    settlement.total_target = summary.total_target
    settlement.total_actual = summary.total_actual
    settlement.savings = summary.savings
    settlement.quality_score = summary.quality_score
    settlement.shared_before_caps = summary.shared_before_caps
    settlement.stop_gain_limit = summary.stop_gain_limit
    settlement.stop_loss_limit = summary.stop_loss_limit
    settlement.cap_bound = summary.cap_bound
    settlement.below_min_episodes = summary.below_min_episodes
    settlement.settlement_amount = summary.settlement_amount
    settlement.delta = None if final is None else summary.settlement_amount - final.settlement_amount
    settlement.delta_against = None if final is None else final.id
    settlement.inputs = inputs
    settlement.inputs_sha256 = canonical_sha256(inputs, omit_none=False)


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
    _check_request(arrangement, request)
    cutoff = _cutoff(arrangement, request)
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
    summary, n_excluded, inputs = await _compute(
        session,
        arrangement=arrangement,
        request=request,
        cutoff=cutoff,
        settlement_id=None if request.preview else settlement.id,
    )
    final = await repository.last_final(session, arrangement.id, request.period_start, request.period_end)
    _fill(settlement, summary, n_excluded=n_excluded, inputs=inputs, final=final)
    if request.preview:
        return to_schema(settlement, stored=False)
    await session.flush()
    event = _event(settlement)
    parties = [arrangement.aco_id, arrangement.provider_id]
    record(
        session,
        actor=viewer.actor,
        action="settlement.created",
        resource_type="settlement",
        resource_id=settlement.id,
        details=event,
        party_org_ids=parties,
    )
    emit(session, type="settlement.created", data=event, recipients=parties)
    return to_schema(settlement)


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
    return to_schema(settlement)


def _line_out(line: SettlementLine) -> SettlementLineOut:
    return SettlementLineOut(
        episode_id=line.episode_id,
        mbi=line.mbi,
        trigger_date=line.trigger_date,
        end_date=line.end_date,
        risk_factor=_display(line.risk_factor, 4),
        target=line.target,
        spending=line.spending,
        outlier_cap=line.outlier_cap,
        actual=line.actual,
        capped=line.capped,
    )


async def lines(
    session: AsyncSession, *, viewer: Principal, settlement_id: str, limit: int, cursor: str | None
) -> tuple[list[SettlementLineOut], str | None]:
    settlement, _ = await _visible(session, viewer=viewer, settlement_id=settlement_id)
    rows, next_cursor = await paginate(
        session, repository.lines_of(settlement.id), key=SettlementLine.episode_id, limit=limit, cursor=cursor
    )
    return [_line_out(row) for row in rows], next_cursor


LINE_FIELDS = (
    "episode_id",
    "mbi",
    "trigger_date",
    "end_date",
    "risk_factor",
    "target",
    "spending",
    "outlier_cap",
    "actual",
    "capped",
)
SUMMARY_FIELDS = (
    "id", "arrangement_id", "revision", "status", "period_start", "period_end", "claims_cutoff",
    "n_episodes", "n_excluded", "total_target", "total_actual", "savings", "quality_score",
    "shared_before_caps", "cap_bound", "below_min_episodes", "stop_gain_limit", "stop_loss_limit",
    "settlement_amount", "delta", "delta_against", "terms_version", "terms_sha256", "inputs_sha256",
)  # fmt: skip


async def statement_csv(session: AsyncSession, *, viewer: Principal, settlement_id: str) -> str:
    """The lines (one per settled episode, by episode id), a blank row, then the totals as
    ``item,value`` rows: one file an analyst can open and check."""
    settlement, _ = await _visible(session, viewer=viewer, settlement_id=settlement_id)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(LINE_FIELDS)
    for line in await repository.all_lines(session, settlement.id):
        data = _line_out(line).model_dump(mode="json")
        writer.writerow(
            ["true" if data[f] is True else "false" if data[f] is False else data[f] for f in LINE_FIELDS]
        )
    writer.writerow([])
    writer.writerow(("item", "value"))
    summary = to_schema(settlement).model_dump(mode="json")
    for field in SUMMARY_FIELDS:
        value = summary[field]
        writer.writerow(
            (field, "" if value is None else str(value).lower() if isinstance(value, bool) else value)
        )
    return out.getvalue()


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
    event = _event(settlement)
    record(
        session,
        actor=viewer.actor,
        action="settlement.finalized",
        resource_type="settlement",
        resource_id=settlement.id,
        details=event,
        party_org_ids=list(parties),
    )
    emit(session, type="settlement.finalized", data=event, recipients=list(parties))
    return to_schema(settlement)
