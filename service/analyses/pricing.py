"""A proposal's ``target_price: {"from_analysis": ...}`` resolved to the analysis's recommended
number and its provenance (registered with service/arrangements/target_prices.py at start-up)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.analyses.models import EpisodeAnalysis
from service.arrangements.schemas import ArrangementCreate, TargetPriceFromAnalysis, TargetPriceSource
from service.arrangements.target_prices import unresolvable


async def resolve_target_price(
    session: AsyncSession, viewer: Principal, ask: TargetPriceFromAnalysis, data: ArrangementCreate
) -> tuple[Decimal, TargetPriceSource]:
    """The recommended target price of ``ask.risk_factor`` in a done analysis of the proposal's
    ACO for the same episode definition; a 422 naming the field otherwise (an analysis the
    proposer may not read is reported as unknown)."""
    analysis = await session.get(EpisodeAnalysis, ask.from_analysis)
    if analysis is None or analysis.aco_id != data.aco_id or not viewer.may_see(analysis.aco_id):
        raise unresolvable(
            f"no episode analysis {ask.from_analysis} of ACO {data.aco_id}",
            location="body.terms.target_price.from_analysis",
        )
    if analysis.status != "done":
        raise unresolvable(
            f"the analysis is {analysis.status}, not done", location="body.terms.target_price.from_analysis"
        )
    if (analysis.definition_code, analysis.definition_version) != (data.episode.code, data.episode.version):
        raise unresolvable(
            f"the analysis is of {analysis.definition_code} v{analysis.definition_version}, the "
            f"proposal of {data.episode.code} v{data.episode.version}",
            location="body.terms.target_price.from_analysis",
        )
    entries = (analysis.recommendation or {}).get("entries", [])
    entry = next((e for e in entries if e["risk_factor"] == ask.risk_factor), None)
    if entry is None:
        available = ", ".join(e["risk_factor"] for e in entries) or "none: the analysis found no episodes"
        raise unresolvable(
            f"the analysis recommends no price for risk factor {ask.risk_factor} ({available})",
            location="body.terms.target_price.risk_factor",
        )
    source = TargetPriceSource(
        analysis_id=analysis.id,
        risk_factor=entry["risk_factor"],
        baseline_start=analysis.baseline_start,
        baseline_end=analysis.baseline_end,
        claims_cutoff=analysis.claims_cutoff,
        episodes=entry["episodes"],
        baseline_mean=Decimal(entry["baseline_mean"]),
        trend=Decimal(entry["trend"]),
        risk_ratio=Decimal(entry["risk_ratio"]),
        recommended_target_price=Decimal(entry["recommended_target_price"]),
        interval_low=Decimal(entry["interval"]["low"]),
        interval_high=Decimal(entry["interval"]["high"]),
        seed=analysis.seed,
    )
    return source.recommended_target_price, source
