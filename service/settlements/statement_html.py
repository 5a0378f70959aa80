"""The statement as a document: ``contracts/templates/statement.html.j2`` rendered in the
sandboxed template environment from a plain context (parties, outcome in words, summary, quality,
terms versions, caps, earlier finals, acceptances and disputes, every episode)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from service.kit import documents
from service.kit.documents import money, plain_decimal
from service.settlements import math, run
from service.settlements.documents import (
    EXCLUSION_WORDS,
    STATUS_WORDS,
    StatementView,
    episode_rows,
    outcome,
    rounded,
    when_text,
)
from service.settlements.statement import measure_scores, party_of


def _context(view: StatementView) -> dict[str, Any]:
    s = view.settlement
    terms = view.basis.arrangement.terms
    definition = view.basis.arrangement.definition
    names = {m.id: m.name for m in definition.quality_measures}
    measures = [
        {
            "name": names.get(m.measure_id, m.measure_id),
            "id": m.measure_id,
            "weight": plain_decimal(m.weight),
            "numerator": "no data" if m.numerator is None else m.numerator,
            "denominator": "no data" if m.denominator is None else m.denominator,
            "rate": "dropped (no eligible cases)" if m.rate is None else rounded(m.rate, 4),
            "direction": "higher is better" if m.higher_is_better else "lower is better",
        }
        for m in measure_scores(s.inputs)
    ]
    capped = sum(1 for line in view.lines if line.capped)
    caps = [
        {
            "name": "Outlier cap",
            "rule": f"each episode's counted spending is at most {plain_decimal(definition.outlier_cap_multiple)} "
            "times its target",
            "applied": f"applied to {capped} episode{'s' if capped != 1 else ''}"
            if capped
            else "did not apply",
        },
        {
            "name": "Stop-gain",
            "rule": f"a payment to the practice is at most {documents.percent(terms.stop_gain_pct)} of the "
            f"total target: {money(s.stop_gain_limit)}",
            "applied": "applied" if s.cap_bound == "stop_gain" else "did not apply",
        },
        {
            "name": "Stop-loss",
            "rule": f"a repayment by the practice is at most {documents.percent(terms.stop_loss_pct)} of the "
            f"total target: {money(abs(s.stop_loss_limit))}",
            "applied": "applied" if s.cap_bound == "stop_loss" else "did not apply",
        },
        {
            "name": "Minimum episodes",
            "rule": f"with fewer than {terms.min_episodes} settled episodes no repayment is owed",
            "applied": "applied: the loss was waived" if s.below_min_episodes else "did not apply",
        },
    ]
    episodes = [
        {
            **row,
            "reason_words": EXCLUSION_WORDS.get(row["exclusion_reason"], row["exclusion_reason"]),
            "target_text": money(Decimal(row["target"])) if row["target"] else "",
            "spending_text": money(Decimal(row["spending"])),
            "actual_text": money(Decimal(row["actual"])) if row["actual"] else "",
        }
        for row in episode_rows(view)
    ]
    accepted = {party_of(a.organization_id, view.parties): a for a in view.acceptances}
    # Under an inpatient anchor: the table of targets, one per risk factor (before HCC scaling).
    arithmetic = run.settlement_terms(view.basis.arrangement)
    target_prices = [
        {
            "id": factor.id,
            "name": factor.name,
            "base": money(terms.base_target(factor.id)),
            "target": money(math.episode_target(arithmetic, math.ONE, factor.id)),
        }
        for factor in (definition.anchor.risk_factors if definition.anchor and terms.target_prices else ())
    ]
    adjustment = terms.price_adjustment_pct
    versions = [
        {
            "version": v["version"],
            "terms_sha256": v["terms_sha256"],
            "start": v["start"],
            "end": v["end"],
            "n_episodes": v["n_episodes"],
            "total_target": money(Decimal(v["total_target"])),
            "total_actual": money(Decimal(v["total_actual"])),
            "savings": money(Decimal(v["savings"])),
            "shared": money(Decimal(v["shared"])),
        }
        for v in s.terms_versions or []
    ]
    return {
        "s": s,
        "terms_versions": versions,
        "status_words": STATUS_WORDS.get(s.status, s.status),
        "aco": view.aco,
        "provider": view.provider,
        "definition_name": definition.name,
        "outcome": outcome(view),
        "computed_at": when_text(s.created_at),
        "finalized_at": when_text(s.finalized_at),
        "total_target": money(s.total_target),
        "total_actual": money(s.total_actual),
        "savings_words": "Savings" if s.savings >= 0 else "Loss",
        "savings": money(abs(s.savings)),
        "quality_score": rounded(s.quality_score, 4),
        "measures": measures,
        "shared_before_caps": money(s.shared_before_caps),
        "caps": caps,
        "amount": money(s.settlement_amount),
        "episodes": episodes,
        "acceptances": [
            {"party": view.aco.name if role == "aco" else view.provider.name, "at": when_text(a.accepted_at)}
            for role, a in sorted(accepted.items())
        ],
        "disputes": [
            {
                "party": view.party_name(d.organization_id),
                "opened": when_text(d.created_at),
                "reason": d.reason,
                "lines": ", ".join(d.line_ids) or "the settlement as a whole",
                "status": d.status,
                "note": d.resolution_note or "",
                "resolved": when_text(d.resolved_at),
            }
            for d in view.disputes
        ],
        "prior_finals": [
            {
                "revision": p.revision,
                "amount": money(p.settlement_amount),
                "finalized_at": when_text(p.finalized_at),
                "status": STATUS_WORDS.get(p.status, p.status),
            }
            for p in view.prior_finals
        ],
        "target_prices": target_prices,
        "price_adjustment": ""
        if adjustment == 0
        else f"{'less' if adjustment < 0 else 'plus'} {documents.percent(abs(adjustment))}"
        + (", times the beneficiary's HCC factor" if definition.risk_adjustment == "hcc" else ""),
        "delta": None if s.delta is None else money(s.delta),
        "delta_against": s.delta_against,
    }


def statement_html(view: StatementView) -> str:
    return documents.render("statement.html.j2", _context(view))


# ---- evidence ----------------------------------------------------------------------------------
