"""Computing one analysis (docs/analyses.md): detect the episodes the definition would have
opened in the ACO's claims of the baseline (service/episodes, the engine settlements use, over a
:class:`~service.episodes.service.Scope` without an arrangement), attribute each, then summarise
per practice and per NPI and recommend a target price.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.roster import Stay, npis_during
from service.analyses import recommendation
from service.analyses.attribution import Attribution
from service.analyses.models import EpisodeAnalysis, EpisodeAnalysisRow
from service.definitions.schemas import EpisodeDefinitionSpec, WinsorisationSpec
from service.definitions.service import get as get_definition
from service.definitions.service import spec_of
from service.episodes.risk import UPLOADED
from service.episodes.service import Scope, detected_episodes
from service.episodes.statistics import Bounds, cents, summarise, winsorisation_bounds
from service.kit import offload
from service.kit.db import insert_rows
from service.settlements.math import bounded_hcc_score

ONE = Decimal(1)
SHARE_PLACES = Decimal("0.000001")
SCORE_PLACES = Decimal("0.0001")


@dataclass(frozen=True, slots=True)
class Counted:
    """One closed, not excluded episode as the statistics read it."""

    practice_id: str | None
    npi: str | None
    spending: Decimal
    risk_score: Decimal
    covered: bool
    risk_factor: str  # the price group (an inpatient anchor's risk factor; else recommendation.ALL)


def risk_score(spec: EpisodeDefinitionSpec, hcc_score: Decimal | None) -> Decimal:
    """The beneficiary's HCC score as the alignment has it (none: 1.0); for a definition
    risk-adjusted by HCC, bounded as settlement bounds it (0.5 .. 3.0)."""
    if spec.risk_adjustment == "hcc":
        return bounded_hcc_score(hcc_score)
    return ONE if hcc_score is None else hcc_score


async def _roster(session: AsyncSession, analysis: EpisodeAnalysis) -> tuple[Stay, ...] | None:
    """The clinicians who may open an episode: the requested practices' rosters over the
    baseline and the requested NPIs throughout it; nothing requested: anyone (``None``)."""
    if not analysis.practice_ids and not analysis.npis:
        return None
    stays: list[Stay] = []
    for practice_id in analysis.practice_ids:
        stays.extend(
            await npis_during(session, practice_id, start=analysis.baseline_start, end=analysis.baseline_end)
        )
    stays.extend(Stay(npi, analysis.baseline_start, analysis.baseline_end) for npi in analysis.npis)
    return tuple(stays)


def _row(
    key: tuple[str, str],
    ordinal: int,
    level: str,
    practice_id: str | None,
    name: str | None,
    npi: str | None,
    episodes: list[Counted],
    bounds: Bounds,
) -> dict[str, Any]:
    summary = summarise([e.spending for e in episodes], [bounds.clip(e.spending) for e in episodes])
    outside = sum((e.spending for e in episodes if not e.covered), Decimal(0))
    scores = sum((e.risk_score for e in episodes), Decimal(0))
    return {
        "aco_id": key[0],
        "analysis_id": key[1],
        "ordinal": ordinal,
        "level": level,
        "practice_id": practice_id,
        "practice_name": name,
        "npi": npi,
        "episodes": summary.count,
        "total_spending": summary.total,
        "mean_spending": cents(summary.mean),
        "winsorised_mean_spending": cents(summary.winsorised_mean),
        "median_spending": cents(summary.median),
        "p10_spending": cents(summary.p10),
        "p90_spending": cents(summary.p90),
        "mean_risk_score": (scores / summary.count).quantize(SCORE_PLACES),
        "spending_outside_arrangements": outside,
        "leakage_share": _share(outside, summary.total),
    }


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return Decimal(0) if whole == 0 else (part / whole).quantize(SHARE_PLACES)


def _order(key: str | None) -> tuple[bool, str]:
    """Practices by id, episodes of no practice last."""
    return (key is None, key or "")


async def compute(session: AsyncSession, analysis: EpisodeAnalysis) -> None:
    """Fill ``analysis``'s summary and recommendation and write its report rows."""
    definition = await get_definition(
        session, code=analysis.definition_code, version=analysis.definition_version
    )
    spec = spec_of(definition)
    scope = Scope(
        key=analysis.id,
        aco_id=analysis.aco_id,
        definition=spec,
        first_date=analysis.baseline_start,
        last_date=analysis.baseline_end,
        roster=await _roster(session, analysis),
    )
    attribution = await Attribution.load(
        session,
        aco_id=analysis.aco_id,
        definition_code=analysis.definition_code,
        start=analysis.baseline_start,
        end=analysis.baseline_end,
    )
    counted: list[Counted] = []
    excluded = open_ = 0
    sources = {"uploaded": 0, "computed": 0, "none": 0}
    async with detected_episodes(session, scope=scope, cutoff=analysis.claims_cutoff) as episodes:
        async for episode in episodes:
            status = episode.status(analysis.claims_cutoff)
            if status == "excluded":
                excluded += 1
                continue
            if status == "open":
                open_ += 1
                continue
            who = attribution.attribute(episode.trigger_npi, episode.trigger_date)
            source = episode.hcc_source
            sources["none" if source is None else "uploaded" if source == UPLOADED else "computed"] += 1
            counted.append(
                Counted(
                    who.practice_id,
                    episode.trigger_npi,
                    episode.spending,
                    risk_score(spec, episode.hcc_score),
                    who.covered,
                    episode.risk_factor_id or recommendation.ALL,
                )
            )
    winsorisation = spec.winsorisation or WinsorisationSpec()
    total = sum((e.spending for e in counted), Decimal(0))
    outside = sum((e.spending for e in counted if not e.covered), Decimal(0))
    summary: dict[str, Any] = {
        "episodes": len(counted),
        "excluded_episodes": excluded,
        "open_episodes": open_,
        "total_spending": str(total),
        "spending_outside_arrangements": str(outside),
        "leakage_share": str(_share(outside, total)),
        "risk_score_sources": sources,
        "winsorisation": {
            "low_percentile": str(winsorisation.low_percentile),
            "high_percentile": str(winsorisation.high_percentile),
        },
    }
    analysis.recommendation = None
    if not counted:
        analysis.summary = summary
        return
    parameters = recommendation.Parameters(
        trend=analysis.trend,
        target_mean_risk_score=ONE if spec.risk_adjustment == "hcc" else analysis.target_mean_risk_score,
        price_adjustment_pct=analysis.price_adjustment_pct,
        seed=analysis.seed,
    )
    # The arithmetic (tens of thousands of decimals, the bootstrap) off the event loop.
    bounds, rows, analysis.recommendation = await offload.run(
        _report, (analysis.aco_id, analysis.id), counted, winsorisation, attribution, parameters
    )
    summary["winsorisation"].update(low=str(cents(bounds.low)), high=str(cents(bounds.high)))
    analysis.summary = summary
    await insert_rows(session, EpisodeAnalysisRow.__table__, rows)  # type: ignore[arg-type]


def _report(
    key: tuple[str, str],
    counted: list[Counted],
    winsorisation: WinsorisationSpec,
    attribution: Attribution,
    parameters: recommendation.Parameters,
) -> tuple[Bounds, list[dict[str, Any]], dict[str, Any]]:
    """The winsorisation bounds, the report rows (each practice, then each NPI) and the
    recommendation of ``counted`` (not empty). Pure: run in a worker thread."""

    def bounds_of(episodes: list[Counted]) -> Bounds:
        return winsorisation_bounds(
            sorted(e.spending for e in episodes), winsorisation.low_percentile, winsorisation.high_percentile
        )

    bounds = bounds_of(counted)
    by_practice: dict[str | None, list[Counted]] = defaultdict(list)
    by_npi: dict[tuple[str | None, str | None], list[Counted]] = defaultdict(list)
    for e in counted:
        by_practice[e.practice_id].append(e)
        by_npi[(e.practice_id, e.npi)].append(e)
    rows: list[dict[str, Any]] = []
    for practice_id in sorted(by_practice, key=_order):
        name = attribution.name_of(practice_id)
        rows.append(
            _row(key, len(rows) + 1, "practice", practice_id, name, None, by_practice[practice_id], bounds)
        )
    for practice_id, npi in sorted(by_npi, key=lambda k: (_order(k[0]), k[1] or "")):
        name = attribution.name_of(practice_id)
        rows.append(
            _row(key, len(rows) + 1, "npi", practice_id, name, npi, by_npi[(practice_id, npi)], bounds)
        )
    # One price per price group, each winsorised within its group (a hip fracture's spending is
    # not an outlier among elective knees' but among its own); one group, "all", for a
    # definition without risk factors.
    by_factor: dict[str, list[Counted]] = defaultdict(list)
    for e in counted:
        by_factor[e.risk_factor].append(e)
    groups: dict[str, tuple[list[Decimal], list[Decimal]]] = {}
    for factor in sorted(by_factor):
        members = by_factor[factor]
        group_bounds = bounds if len(by_factor) == 1 else bounds_of(members)
        groups[factor] = ([group_bounds.clip(e.spending) for e in members], [e.risk_score for e in members])
    return bounds, rows, recommendation.recommendation(groups, parameters)
