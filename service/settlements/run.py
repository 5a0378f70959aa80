"""The settlement run (docs/method.md section 6).

Load the arrangement in force, recompute its episodes and their spending as of the claims cutoff
(service/episodes), feed them one by one through the pure arithmetic (``math.settle_episode``,
keeping running totals and a running digest, and for a stored draft writing each line as it
goes), then ``math.summarise``. The inputs that determined the figures (terms version and hash,
effective definition, cutoff, quality data, a digest of every episode's trigger line, alignment
row and counted claim line versions) are stored with their SHA-256, so a rerun on unchanged data
is recognisably the same.

What the run could read is its :class:`Basis`: the terms versions and the days each was in
force, the quality data version, the practice's NPIs, the termination date, the uploads the
service had stored (its horizon: no record of a later upload is read, whatever its
``received_date``), and the episodes other arrangements' final settlements already count. A
stored settlement keeps it (``sources``), so that :func:`recorded_basis` rebuilds exactly the same
basis for a recompute.

Terms versions: each episode settles under the version in force on its trigger date
(``math.summarise_versions``); the settlement's own ``terms_version`` is the version in force on
the last day of its period, whose quality measures, ``min_episodes`` and ``runout_days`` apply.
With one version the figures, the inputs and their hash are exactly those of the single-version
method; with several, the inputs also list the versions and their days.
"""

from __future__ import annotations

import dataclasses
import hashlib
from bisect import bisect_right
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, localcontext
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.access.roster import Stay
from service.arrangements.in_force import load_as_recorded
from service.arrangements.schemas import InForceArrangement, Terms, TermsInForce, outside_period
from service.definitions.service import content_sha256
from service.episodes.risk import UPLOADED, model_source
from service.episodes.service import EpisodeSpending, SettledElsewhere, computed_episodes
from service.ingest.repository import stored_uploads
from service.kit.canonical import canonical_sha256, decimal_text
from service.kit.errors import Conflict, FieldError, Unprocessable
from service.settlements import math, quality, repository
from service.settlements.models import Settlement
from service.settlements.schemas import SettlementRequest

SETTLEABLE = ("executed", "terminated")
LINE_BATCH = 5000


def settlement_terms(arrangement: InForceArrangement, terms: Terms | None = None) -> math.SettlementTerms:
    """The arithmetic's view of ``terms`` (default: the arrangement's version in force)."""
    terms = arrangement.terms if terms is None else terms
    return math.SettlementTerms(
        target_price=terms.target_price,
        target_prices=tuple(sorted((terms.target_prices or {}).items())),
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


def for_period(arrangement: InForceArrangement, start: date, end: date) -> InForceArrangement:
    """The arrangement as a settlement of ``start .. end`` reads it: the terms versions in force
    on some day of that period, and as its version the one in force on ``end``."""
    versions = tuple(
        dataclasses.replace(v, start=max(v.start, start), end=min(v.end, end))
        for v in arrangement.terms_versions
        if v.start <= end and v.end >= start
    )
    if not versions:  # an arrangement read without its timeline: its version throughout
        versions = (
            TermsInForce(arrangement.version, arrangement.terms, arrangement.terms_sha256, start, end),
        )
    last = versions[-1]
    return dataclasses.replace(
        arrangement,
        version=last.version,
        terms=last.terms,
        terms_sha256=last.terms_sha256,
        terms_versions=versions,
    )


def _line_row(
    settlement_id: str, episode: EpisodeSpending, result: math.EpisodeResult, version: int
) -> tuple[Any, ...]:
    """A settlement line in the table's column order (repository.add_lines)."""
    return (
        settlement_id,
        episode.id,
        episode.mbi,
        episode.trigger_date,
        episode.end_date,
        episode.trigger_claim_id,
        result.risk_factor,
        result.target,
        result.spending,
        result.outlier_cap,
        result.actual,
        result.capped,
        version,
        episode.hcc_source,
        episode.risk_factor_id,
    )


def _exclusion_row(settlement_id: str, episode: Any) -> dict[str, Any]:
    return {
        "settlement_id": settlement_id,
        "episode_id": episode.id,
        "mbi": episode.mbi,
        "trigger_date": episode.trigger_date,
        "end_date": episode.end_date,
        "trigger_claim_id": episode.trigger_claim_id,
        "exclusion_reason": episode.exclusion_reason,
        "spending": episode.spending,
    }


@dataclass(frozen=True, slots=True)
class Basis:
    """Everything a run reads besides the claim line and alignment records themselves."""

    arrangement: InForceArrangement
    period_start: date
    period_end: date
    cutoff: date
    quality_measures: list[dict[str, Any]] | None
    quality_version: dict[str, Any] | None
    uploads: list[dict[str, str]]
    settled_elsewhere_ids: list[str]
    settled_elsewhere: SettledElsewhere
    # Scores computed from claims where none was uploaded (service/episodes/risk.py): for every
    # run since they exist; a settlement stored before keeps reading uploaded scores only.
    risk_scores: bool = True

    @property
    def upload_ids(self) -> list[str]:
        """The uploads a run may read (the horizon of its claim lines and alignment rows)."""
        return [u["id"] for u in self.uploads]

    def episodes(self, session: AsyncSession) -> AbstractAsyncContextManager[AsyncIterator[EpisodeSpending]]:
        """The episodes of the settlement period exactly as this basis reads them (its cutoff,
        uploads and episodes settled elsewhere): what a run settles, and what a statement finds
        again for a settlement stored before its exclusions were kept."""
        return computed_episodes(
            session,
            arrangement=self.arrangement,
            cutoff=self.cutoff,
            trigger_from=self.period_start,
            trigger_to=self.period_end,
            uploads=self.upload_ids,
            settled_elsewhere=self.settled_elsewhere,
            risk_scores=self.risk_scores and self.arrangement.definition.risk_adjustment == "hcc",
        )

    def sources(self) -> dict[str, Any]:
        termination = self.arrangement.termination_date
        return {
            "terms_versions": [
                {"version": v.version, "from": v.start.isoformat(), "through": v.end.isoformat()}
                for v in self.arrangement.terms_versions
            ],
            "uploads": self.uploads,
            "quality_report": self.quality_version,
            "provider_roster": [
                {"npi": s.npi, "from": s.start.isoformat(), "through": s.end.isoformat()}
                for s in self.arrangement.provider_roster
            ],
            "termination_date": None if termination is None else termination.isoformat(),
            "settled_elsewhere": self.settled_elsewhere_ids,
            "risk_scores": "computed when not uploaded" if self.risk_scores else "uploaded only",
        }


def _upload_entry(upload: Any) -> dict[str, str]:
    return {"id": upload.id, "kind": upload.kind, "content_sha256": upload.content_sha256}


async def _elsewhere(
    session: AsyncSession, arrangement: InForceArrangement, settlement_ids: list[str]
) -> SettledElsewhere:
    return await repository.episodes_of(
        session, settlement_ids, arrangement.period_start, arrangement.period_end
    )


async def current_basis(
    session: AsyncSession, *, arrangement: InForceArrangement, request: SettlementRequest, cutoff: date
) -> Basis:
    """What a run now reads: the latest quality version, every upload stored so far, the
    episodes the other arrangements' current final settlements count."""
    version = await repository.latest_quality_version(session, arrangement.id, request.period_start)
    uploads = await stored_uploads(session, aco_id=arrangement.aco_id)
    elsewhere = await repository.finals_elsewhere(
        session,
        aco_id=arrangement.aco_id,
        definition_code=arrangement.definition_code,
        excluding=arrangement.id,
    )
    return Basis(
        arrangement=arrangement,
        period_start=request.period_start,
        period_end=request.period_end,
        cutoff=cutoff,
        quality_measures=None if version is None else list(version.measures),
        quality_version=None
        if version is None
        else {
            "version_id": version.id,
            "version": version.version,
            "organization_id": version.organization_id,
            "key_id": version.key_id,
        },
        uploads=[_upload_entry(u) for u in uploads],
        settled_elsewhere_ids=elsewhere,
        settled_elsewhere=await _elsewhere(session, arrangement, elsewhere),
    )


async def recorded_basis(session: AsyncSession, *, viewer: Principal, settlement: Settlement) -> Basis:
    """The basis a stored settlement ran on. Settlements stored before ``sources`` was recorded
    read the uploads stored before they were created, the quality data of their inputs, today's
    roster and termination date, and nothing settled elsewhere (the rule did not exist yet)."""
    sources = settlement.sources
    if sources is not None:
        termination = sources.get("termination_date")
        recorded_terms = sources.get("terms_versions")
        arrangement = await load_as_recorded(
            session,
            viewer=viewer,
            arrangement_id=settlement.arrangement_id,
            version=settlement.terms_version,
            terms_days=None
            if recorded_terms is None
            else [
                (v["version"], date.fromisoformat(v["from"]), date.fromisoformat(v["through"]))
                for v in recorded_terms
            ],
            roster=[
                Stay(s["npi"], date.fromisoformat(s["from"]), date.fromisoformat(s["through"]))
                for s in sources.get("provider_roster") or []
            ],
            termination_date=None if termination is None else date.fromisoformat(termination),
        )
        recorded_version = sources.get("quality_report")
        measures: list[dict[str, Any]] | None = None
        if recorded_version is not None:
            row = await repository.quality_version(session, recorded_version["version_id"])
            measures = None if row is None else list(row.measures)
        uploads = list(sources.get("uploads") or [])
        elsewhere = list(sources.get("settled_elsewhere") or [])
        risk_scores = sources.get("risk_scores") == "computed when not uploaded"
    else:
        arrangement = await load_as_recorded(
            session,
            viewer=viewer,
            arrangement_id=settlement.arrangement_id,
            version=settlement.terms_version,
            terms_days=None,
            roster=None,
            termination_date=await repository.termination_date(session, settlement.arrangement_id),
        )
        recorded_version = None
        measures = [
            {"measure_id": m["measure_id"], "numerator": m["numerator"], "denominator": m["denominator"]}
            for m in settlement.inputs.get("quality", [])
            if m.get("numerator") is not None
        ]
        before = await stored_uploads(
            session, aco_id=arrangement.aco_id, created_before=settlement.created_at
        )
        uploads = [_upload_entry(u) for u in before]
        elsewhere = []
        risk_scores = False
    arrangement = for_period(arrangement, settlement.period_start, settlement.period_end)
    return Basis(
        arrangement=arrangement,
        period_start=settlement.period_start,
        period_end=settlement.period_end,
        cutoff=settlement.claims_cutoff,
        quality_measures=measures,
        quality_version=recorded_version,
        uploads=uploads,
        settled_elsewhere_ids=elsewhere,
        settled_elsewhere=await _elsewhere(session, arrangement, elsewhere),
        risk_scores=risk_scores,
    )


def _score_text(episode: EpisodeSpending) -> str:
    """An episode's score as the inputs digest reads it: an uploaded one as it always was, a
    computed one marked so (a score computed and the same score uploaded are different inputs)."""
    if episode.hcc_score is None:
        return ""
    text = decimal_text(episode.hcc_score)
    return text if episode.hcc_source == UPLOADED else f"computed:{text}"


async def compute(
    session: AsyncSession,
    *,
    basis: Basis,
    settlement_id: str | None,
    settled: list[tuple[int, EpisodeSpending]] | None = None,
) -> tuple[math.VersionedSummary, int, dict[str, Any]]:
    """Run the settlement; with ``settlement_id`` write its lines (and its excluded episodes,
    with their reason) as they are computed. With ``settled``, append each settled episode there
    with the index of its terms version (a projection reads them again)."""
    arrangement, cutoff = basis.arrangement, basis.cutoff
    versions = arrangement.terms_versions
    starts = [v.start for v in versions]
    terms = [settlement_terms(arrangement, v.terms) for v in versions]
    groups = [_Group() for _ in versions]
    measures = quality.measure_inputs(arrangement, basis.quality_measures)
    digest = hashlib.sha256()
    n_excluded = claim_lines = computed_scores = 0
    pending: list[tuple[Any, ...]] = []
    excluded: list[dict[str, Any]] = []
    async with basis.episodes(session) as episodes:
        async for episode in episodes:
            hcc = _score_text(episode)
            digest.update(
                f"{episode.id}|{episode.trigger_seq}|{episode.alignment_seq}|{hcc}|{episode.exclusion_reason or ''}|"
                f"{decimal_text(episode.spending)}|{episode.line_count}|{episode.line_seq_sum}\n".encode()
            )
            if episode.exclusion_reason is not None:
                n_excluded += 1
                if settlement_id is not None:
                    excluded.append(_exclusion_row(settlement_id, episode))
                    if len(excluded) >= LINE_BATCH:
                        await repository.add_exclusions(session, excluded)
                        excluded.clear()
                continue
            # The version in force on the trigger date (the versions cover the period day by day).
            index = bisect_right(starts, episode.trigger_date) - 1
            assert index >= 0 and episode.trigger_date <= versions[index].end, episode.trigger_date
            result = math.settle_episode(
                terms[index],
                math.EpisodeInput(episode.id, episode.hcc_score, episode.spending, episode.risk_factor_id),
            )
            if settled is not None:
                settled.append((index, episode))
            if episode.hcc_source not in (None, UPLOADED):
                computed_scores += 1
            group = groups[index]
            group.n += 1
            group.target += result.target
            group.actual += result.actual
            claim_lines += episode.line_count
            if settlement_id is not None:
                pending.append(_line_row(settlement_id, episode, result, versions[index].version))
                if len(pending) >= LINE_BATCH:
                    await repository.add_lines(session, pending)
                    pending.clear()
    if settlement_id is not None:
        await repository.add_lines(session, pending)
        await repository.add_exclusions(session, excluded)
    summary = math.summarise_versions(
        [
            math.VersionGroup(v.version, t, g.n, g.target, g.actual)
            for v, t, g in zip(versions, terms, groups, strict=True)
        ],
        reference=terms[-1],
        measures=measures,
    )
    inputs: dict[str, Any] = {
        "arrangement_id": arrangement.id,
        "period_start": basis.period_start.isoformat(),
        "period_end": basis.period_end.isoformat(),
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
            "settled": summary.n_episodes,
            "excluded": n_excluded,
            "claim_lines_counted": claim_lines,
            # Per episode: trigger line version, alignment row, HCC score, exclusion, spending and
            # the count and record numbers of the claim line versions summed.
            "sha256": digest.hexdigest(),
        },
    }
    if computed_scores:
        # Only then: a settlement whose scores were all uploaded keeps the inputs it always had.
        inputs["risk_scores"] = {"computed": computed_scores, "model": model_source()}
    if len(versions) > 1:
        # Only then: a settlement under one version keeps the inputs (and hash) it always had.
        inputs["terms_versions"] = [
            {
                "version": v.version,
                "sha256": v.terms_sha256,
                "from": v.start.isoformat(),
                "through": v.end.isoformat(),
            }
            for v in versions
        ]
    return summary, n_excluded, inputs


@dataclass(slots=True)
class _Group:
    """Running totals of one terms version's settled episodes."""

    n: int = 0
    target: Decimal = Decimal("0.00")  # cents even when no episode settles
    actual: Decimal = Decimal("0.00")


def _shown(value: Decimal, places: int = 6) -> str:
    """A figure carried at full precision, written to ``places`` (trailing zeros dropped)."""
    with localcontext() as context:
        context.prec = math.PRECISION
        return decimal_text(value.quantize(Decimal(1).scaleb(-places)))


def breakdown(arrangement: InForceArrangement, summary: math.VersionedSummary) -> list[dict[str, Any]]:
    """The figures per terms version, as the settlement stores and shows them."""
    days = {v.version: v for v in arrangement.terms_versions}
    return [
        {
            "version": v.version,
            "terms_sha256": days[v.version].terms_sha256,
            "start": days[v.version].start.isoformat(),
            "end": days[v.version].end.isoformat(),
            "n_episodes": v.n_episodes,
            "total_target": str(v.total_target),
            "total_actual": str(v.total_actual),
            "savings": str(v.savings),
            "shared": _shown(v.shared),
            "stop_gain_limit": _shown(v.stop_gain_limit),
            "stop_loss_limit": _shown(v.stop_loss_limit),
        }
        for v in summary.versions
    ]


def fill(
    settlement: Settlement,
    summary: math.VersionedSummary,
    *,
    arrangement: InForceArrangement,
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
    settlement.terms_versions = breakdown(arrangement, summary)
