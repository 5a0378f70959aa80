"""The settlement run (SPEC section 7).

Load the arrangement in force, recompute its episodes and their spending as of the claims cutoff
(service/episodes), feed them one by one through the pure arithmetic (``math.settle_episode``,
keeping running totals and a running digest, and for a stored draft writing each line as it
goes), then ``math.summarise``. The inputs that determined the figures (terms version and hash,
effective definition, cutoff, quality data, a digest of every episode's trigger line, alignment
row and counted claim line versions) are stored with their SHA-256, so a rerun on unchanged data
is recognisably the same.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.arrangements.schemas import InForceArrangement, outside_period
from service.definitions.service import content_sha256
from service.episodes.service import computed_episodes
from service.kit.canonical import canonical_sha256, decimal_text
from service.kit.errors import Conflict, FieldError, Unprocessable
from service.settlements import math, quality, repository
from service.settlements.models import Settlement
from service.settlements.schemas import SettlementRequest

SETTLEABLE = ("executed", "terminated")
LINE_BATCH = 5000


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


def cutoff_of(arrangement: InForceArrangement, request: SettlementRequest) -> date:
    if request.claims_cutoff is not None:
        return request.claims_cutoff
    return request.period_end + timedelta(days=arrangement.terms.runout_days)


def check_request(arrangement: InForceArrangement, request: SettlementRequest) -> None:
    if arrangement.status not in SETTLEABLE:
        raise Conflict(
            f"arrangement {arrangement.id} is {arrangement.status}: only executed or terminated "
            "arrangements are settled",
            current_state=arrangement.status,
        )
    errors = outside_period(
        start=arrangement.period_start,
        end=arrangement.period_end,
        days={"body.period_start": request.period_start, "body.period_end": request.period_end},
        message="must be within the arrangement's period",
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


async def compute(
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
    measures = quality.measure_inputs(arrangement, report)
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


def fill(
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
