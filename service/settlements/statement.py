"""How a settlement is shown: figures carried at full precision displayed to fixed places, the
quality scores recomputed from the stored inputs, the per-episode lines. The statement files
are :mod:`service.settlements.documents`."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from service.settlements import math
from service.settlements.models import Settlement, SettlementAcceptance, SettlementDispute, SettlementLine
from service.settlements.schemas import (
    AcceptanceOut,
    DisputeOut,
    MeasureScore,
    SettlementLineOut,
    SettlementOut,
    TermsVersionFigures,
)

STATUS_RANK = {"draft": 0, "final": 1, "superseded": 2}


def _display(value: Decimal, places: int) -> Decimal:
    """A figure carried at full precision, shown to ``places`` (trailing zeros dropped)."""
    shown = value.quantize(Decimal(1).scaleb(-places)).normalize()
    if shown == 0:
        return Decimal(0)
    # normalize() turns 440 into 4.4E+2; JSON and CSV readers expect plain digits.
    return shown.quantize(Decimal(1)) if shown == shown.to_integral_value() else shown


def measure_scores(inputs: dict[str, Any]) -> list[MeasureScore]:
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


def party_of(organization_id: str, parties: tuple[str, str]) -> Literal["aco", "provider"]:
    return "aco" if organization_id == parties[0] else "provider"


def dispute_out(dispute: SettlementDispute, parties: tuple[str, str]) -> DisputeOut:
    return DisputeOut(
        id=dispute.id,
        settlement_id=dispute.settlement_id,
        arrangement_id=dispute.arrangement_id,
        party=party_of(dispute.organization_id, parties),
        organization_id=dispute.organization_id,
        key_id=dispute.key_id,
        reason=dispute.reason,
        line_ids=list(dispute.line_ids),
        status=dispute.status,
        created_at=dispute.created_at,
        resolution_note=dispute.resolution_note,
        resolved_at=dispute.resolved_at,
    )


def etag_version(out: SettlementOut) -> int:
    """Grows with every change a settlement sees: finalised, superseded, accepted, disputed, resolved."""
    accepted = sum(1 for a in out.acceptance.values() if a is not None)
    resolved = sum(1 for d in out.disputes if d.status != "open")
    return 1 + STATUS_RANK.get(out.status, 0) + accepted + len(out.disputes) + resolved


def to_schema(
    settlement: Settlement,
    *,
    stored: bool = True,
    parties: tuple[str, str] | None = None,
    acceptances: Sequence[SettlementAcceptance] = (),
    disputes: Sequence[SettlementDispute] = (),
) -> SettlementOut:
    acceptance: dict[Literal["aco", "provider"], AcceptanceOut | None] = {"aco": None, "provider": None}
    if parties is not None:
        for accepted in acceptances:
            acceptance[party_of(accepted.organization_id, parties)] = AcceptanceOut(
                organization_id=accepted.organization_id,
                key_id=accepted.key_id,
                accepted_at=accepted.accepted_at,
            )
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
        measures=measure_scores(settlement.inputs),
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
        terms_versions=None
        if settlement.terms_versions is None
        else [TermsVersionFigures.model_validate(v) for v in settlement.terms_versions],
        definition={"code": settlement.definition_code, "version": settlement.definition_version},
        inputs=settlement.inputs,
        inputs_sha256=settlement.inputs_sha256,
        sources=settlement.sources,
        created_at=settlement.created_at if stored else None,
        finalized_at=settlement.finalized_at if stored else None,
        override_reason=settlement.override_reason if stored else None,
        superseded_by=settlement.superseded_by if stored else None,
        acceptance=acceptance,
        disputes=[dispute_out(d, parties) for d in disputes] if parties is not None else [],
    )


def line_out(line: SettlementLine) -> SettlementLineOut:
    return SettlementLineOut(
        id=line.episode_id,
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
        terms_version=line.terms_version,
        risk_score_source=line.hcc_source,
        price_group=line.price_group,
    )
