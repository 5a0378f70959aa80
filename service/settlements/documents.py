"""A settlement as people check it: the statement (HTML to read and print, a CSV of every episode,
a one-row summary CSV) and the evidence behind each episode's spending.

Everything is gathered once into a :class:`StatementView` from what the settlement stored: its
figures, its lines, the episodes it found but did not settle (``settlement_exclusion``; for a
settlement stored before those were kept, found again from its recorded sources), the terms
version and definition it ran under, the parties' names and TINs, acceptances, disputes, and the
period's earlier final revisions. The HTML is ``contracts/templates/statement.html.j2``.

Money in the files is shown rounded to cents; a figure carried at more places (the quality score
and rates, the shared amount before caps, the caps, the risk factors) also has an ``_exact``
column with every stored place. Text that came from an upload or a person (claim ids, names,
reasons) is neutralised against spreadsheet formulas.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.access.models import Organization
from service.episodes import evidence
from service.episodes.schemas import EpisodeEvidence
from service.kit import documents
from service.kit.documents import money, neutralise, plain_decimal, round_cents
from service.kit.errors import NotFound
from service.settlements import repository, run
from service.settlements.models import (
    Settlement,
    SettlementAcceptance,
    SettlementDispute,
    SettlementExclusion,
    SettlementLine,
)
from service.settlements.statement import measure_scores, party_of

EXCLUSION_WORDS = {
    "hospice_in_window": "Hospice elected during the episode",
    "alignment_ended": "Beneficiary's alignment ended before the episode did",
    "settled_elsewhere": "Already settled under another arrangement",
}
STATUS_WORDS = {"draft": "Draft", "final": "Final", "superseded": "Superseded by a later final revision"}
CAP_WORDS = {"stop_gain": "stop-gain", "stop_loss": "stop-loss"}


@dataclass(frozen=True, slots=True)
class Party:
    role: str  # "ACO" or "Practice"
    id: str
    name: str
    tin: str | None


@dataclass(frozen=True, slots=True)
class StatementView:
    settlement: Settlement
    aco: Party
    provider: Party
    basis: run.Basis
    lines: Sequence[SettlementLine]
    exclusions: Sequence[SettlementExclusion]
    acceptances: Sequence[SettlementAcceptance]
    disputes: Sequence[SettlementDispute]
    prior_finals: Sequence[Settlement]

    @property
    def parties(self) -> tuple[str, str]:
        return (self.aco.id, self.provider.id)

    def party_name(self, organization_id: str) -> str:
        return self.aco.name if organization_id == self.aco.id else self.provider.name


async def _party(session: AsyncSession, organization_id: str, role: str) -> Party:
    org = await session.get(Organization, organization_id)
    return Party(
        role=role,
        id=organization_id,
        name=organization_id if org is None else org.name,
        tin=None if org is None else org.tin,
    )


async def recorded_exclusions(
    session: AsyncSession, *, settlement: Settlement, basis: run.Basis
) -> Sequence[SettlementExclusion]:
    """The episodes the settlement found but did not settle: as stored, or (for a settlement
    stored before they were kept) found again from its recorded sources, which reproduce its run."""
    stored = await repository.all_exclusions(session, settlement.id)
    if len(stored) == settlement.n_excluded:
        return stored
    found: list[SettlementExclusion] = []
    async with basis.episodes(session) as episodes:
        async for episode in episodes:
            if episode.exclusion_reason is not None:
                found.append(
                    SettlementExclusion(
                        settlement_id=settlement.id,
                        episode_id=episode.id,
                        mbi=episode.mbi,
                        trigger_date=episode.trigger_date,
                        end_date=episode.end_date,
                        trigger_claim_id=episode.trigger_claim_id,
                        exclusion_reason=episode.exclusion_reason,
                        spending=episode.spending,
                    )
                )
    return sorted(found, key=lambda e: e.episode_id)


async def load_view(
    session: AsyncSession, *, viewer: Principal, settlement: Settlement, parties: tuple[str, str]
) -> StatementView:
    basis = await run.recorded_basis(session, viewer=viewer, settlement=settlement)
    return StatementView(
        settlement=settlement,
        aco=await _party(session, parties[0], "ACO"),
        provider=await _party(session, parties[1], "Practice"),
        basis=basis,
        lines=await repository.all_lines(session, settlement.id),
        exclusions=await recorded_exclusions(session, settlement=settlement, basis=basis),
        acceptances=await repository.acceptances_of(session, [settlement.id]),
        disputes=await repository.disputes_of(session, [settlement.id]),
        prior_finals=await repository.period_finals(
            session,
            settlement.arrangement_id,
            settlement.period_start,
            settlement.period_end,
            below=settlement.revision,
        ),
    )


# ---- figures in words --------------------------------------------------------------------------


def outcome(view: StatementView) -> dict[str, Any]:
    """Who pays whom how much, in a sentence and in words."""
    amount = view.settlement.settlement_amount
    if amount > 0:
        payer, payee = view.aco, view.provider
    elif amount < 0:
        payer, payee = view.provider, view.aco
    else:
        return {
            "payer": None,
            "payee": None,
            "amount": money(Decimal(0)),
            "words": documents.amount_in_words(Decimal(0)),
            "sentence": f"No payment is due between {view.aco.name} and {view.provider.name}.",
        }
    return {
        "payer": payer.name,
        "payee": payee.name,
        "amount": money(abs(amount)),
        "words": documents.amount_in_words(amount),
        "sentence": f"{payer.name} pays {payee.name} {money(abs(amount))}.",
    }


def _iso(value: datetime | None) -> str:
    return "" if value is None else value.isoformat().replace("+00:00", "Z")


def when_text(value: datetime | None) -> str:
    """A time as people read it on paper: ``2028-04-02 14:05:09 UTC``."""
    return "" if value is None else value.strftime("%Y-%m-%d %H:%M:%S UTC")


def rounded(value: Decimal, places: int) -> str:
    return plain_decimal(value.quantize(Decimal(1).scaleb(-places))) if places else str(value)


# ---- the episode rows --------------------------------------------------------------------------


def episode_rows(view: StatementView) -> list[dict[str, Any]]:
    """One row per episode of the period, settled or excluded, by episode id."""
    rows: list[dict[str, Any]] = []
    for line in view.lines:
        rows.append(
            {
                "line_id": line.episode_id,
                "status": "settled",
                "exclusion_reason": "",
                # Lines stored before amendments had effective dates settled under one version.
                "terms_version": line.terms_version or view.settlement.terms_version,
                "mbi": line.mbi,
                "trigger_date": line.trigger_date.isoformat(),
                "end_date": line.end_date.isoformat(),
                "trigger_claim_id": line.trigger_claim_id,
                "risk_factor": rounded(line.risk_factor, 4),
                "risk_factor_exact": plain_decimal(line.risk_factor),
                "target": str(line.target),
                "spending": str(line.spending),
                "outlier_cap": str(line.outlier_cap),
                "actual": str(line.actual),
                "capped": "true" if line.capped else "false",
                "risk_score_source": line.hcc_source or "",
                "price_group": line.price_group or "",
            }
        )
    for excluded in view.exclusions:
        rows.append(
            {
                "line_id": excluded.episode_id,
                "status": "excluded",
                "exclusion_reason": excluded.exclusion_reason,
                "terms_version": "",
                "mbi": excluded.mbi,
                "trigger_date": excluded.trigger_date.isoformat(),
                "end_date": excluded.end_date.isoformat(),
                "trigger_claim_id": excluded.trigger_claim_id,
                "risk_factor": "",
                "risk_factor_exact": "",
                "target": "",
                "spending": str(excluded.spending),
                "outlier_cap": "",
                "actual": "",
                "capped": "",
                "risk_score_source": "",
                "price_group": "",
            }
        )
    return sorted(rows, key=lambda r: r["line_id"])


STATEMENT_COLUMNS = (
    "settlement_id", "line_id", "status", "exclusion_reason", "terms_version", "mbi", "trigger_date",
    "end_date", "trigger_claim_id", "risk_factor", "risk_factor_exact", "target", "spending", "outlier_cap",
    "actual", "capped", "risk_score_source", "price_group",
)  # fmt: skip
# Columns whose values came from an upload or a person: neutralised against formulas.
UNTRUSTED = {"mbi", "trigger_claim_id", "aco_name", "aco_tin", "provider_name", "provider_tin",
             "payer", "payee", "outcome", "override_reason"}  # fmt: skip


def _write(columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(
            [
                neutralise(str(row[c])) if c in UNTRUSTED else ("" if row[c] is None else row[c])
                for c in columns
            ]
        )
    return out.getvalue()


def statement_csv(view: StatementView) -> str:
    """A header, then one row per episode (settled and excluded) by line id."""
    rows = [{"settlement_id": view.settlement.id, **row} for row in episode_rows(view)]
    return _write(STATEMENT_COLUMNS, rows)


# ---- the summary -------------------------------------------------------------------------------


def summary_row(view: StatementView) -> dict[str, Any]:
    """The summary as one ordered row (also what the HTML shows)."""
    s = view.settlement
    said = outcome(view)
    accepted = {party_of(a.organization_id, view.parties): a for a in view.acceptances}
    previous = view.prior_finals[-1] if view.prior_finals else None
    row: dict[str, Any] = {
        "settlement_id": s.id,
        "arrangement_id": s.arrangement_id,
        "revision": s.revision,
        "status": s.status,
        "aco_name": view.aco.name,
        "aco_tin": view.aco.tin or "",
        "provider_name": view.provider.name,
        "provider_tin": view.provider.tin or "",
        "episode_code": s.definition_code,
        "episode_version": s.definition_version,
        "terms_version": s.terms_version,
        "terms_sha256": s.terms_sha256,
        "period_start": s.period_start.isoformat(),
        "period_end": s.period_end.isoformat(),
        "claims_cutoff": s.claims_cutoff.isoformat(),
        "computed_at": _iso(s.created_at),
        "finalized_at": _iso(s.finalized_at),
        "inputs_sha256": s.inputs_sha256,
        "episodes_settled": s.n_episodes,
        "episodes_excluded": s.n_excluded,
        "episodes_capped": sum(1 for line in view.lines if line.capped),
        "total_target": str(s.total_target),
        "total_actual": str(s.total_actual),
        "savings": str(s.savings),
        "quality_score": rounded(s.quality_score, 4),
        "quality_score_exact": plain_decimal(s.quality_score),
    }
    for measure in measure_scores(s.inputs):
        prefix = f"measure_{measure.measure_id}"
        row[f"{prefix}_numerator"] = "" if measure.numerator is None else measure.numerator
        row[f"{prefix}_denominator"] = "" if measure.denominator is None else measure.denominator
        row[f"{prefix}_rate"] = "" if measure.rate is None else rounded(measure.rate, 4)
        row[f"{prefix}_rate_exact"] = "" if measure.rate is None else plain_decimal(measure.rate)
    row.update(
        {
            "shared_before_caps": str(round_cents(s.shared_before_caps)),
            "shared_before_caps_exact": plain_decimal(s.shared_before_caps),
            "stop_gain_limit": str(round_cents(s.stop_gain_limit)),
            "stop_gain_limit_exact": plain_decimal(s.stop_gain_limit),
            "stop_loss_limit": str(round_cents(s.stop_loss_limit)),
            "stop_loss_limit_exact": plain_decimal(s.stop_loss_limit),
            "cap_applied": s.cap_bound or "",
            "below_min_episodes": "true" if s.below_min_episodes else "false",
            "settlement_amount": str(s.settlement_amount),
            "payer": said["payer"] or "",
            "payee": said["payee"] or "",
            "amount_payable": str(abs(s.settlement_amount)),
            "outcome": said["sentence"],
            "prior_finals": len(view.prior_finals),
            "previous_final_id": "" if previous is None else previous.id,
            "previous_final_amount": "" if previous is None else str(previous.settlement_amount),
            "delta": "" if s.delta is None else str(s.delta),
            "delta_against": s.delta_against or "",
            "aco_accepted_at": _iso(accepted["aco"].accepted_at) if "aco" in accepted else "",
            "provider_accepted_at": _iso(accepted["provider"].accepted_at) if "provider" in accepted else "",
            "disputes_open": sum(1 for d in view.disputes if d.status == "open"),
            "disputes_upheld": sum(1 for d in view.disputes if d.status == "upheld"),
            "disputes_rejected": sum(1 for d in view.disputes if d.status == "rejected"),
            "override_reason": s.override_reason or "",
        }
    )
    return row


def summary_csv(view: StatementView) -> str:
    row = summary_row(view)
    return _write(list(row), [row])


# ---- the HTML statement ------------------------------------------------------------------------


async def line_evidence(
    session: AsyncSession,
    *,
    viewer: Principal,
    settlement: Settlement,
    line_id: str,
    limit: int,
    cursor: str | None,
) -> EpisodeEvidence:
    """The claim lines behind one episode of a stored settlement, read as the settlement read
    them: its recorded uploads only, its cutoff, its terms version's definition."""
    basis = await run.recorded_basis(session, viewer=viewer, settlement=settlement)
    line = await repository.get_line(session, settlement.id, line_id)
    window: evidence.Window | None = None
    if line is not None:
        window = evidence.Window(
            id=line.episode_id,
            mbi=line.mbi,
            trigger_date=line.trigger_date,
            end_date=line.end_date,
            trigger_claim_id=line.trigger_claim_id,
            status="settled",
            exclusion_reason=None,
            spending=line.spending,
        )
    else:
        for excluded in await recorded_exclusions(session, settlement=settlement, basis=basis):
            if excluded.episode_id == line_id:
                window = evidence.Window(
                    id=excluded.episode_id,
                    mbi=excluded.mbi,
                    trigger_date=excluded.trigger_date,
                    end_date=excluded.end_date,
                    trigger_claim_id=excluded.trigger_claim_id,
                    status="excluded",
                    exclusion_reason=excluded.exclusion_reason,
                    spending=excluded.spending,
                )
    if window is None:
        raise NotFound(f"settlement {settlement.id} has no line {line_id}")
    return await evidence.evidence(
        session,
        arrangement=basis.arrangement,
        window=window,
        cutoff=settlement.claims_cutoff,
        uploads=basis.upload_ids,
        limit=limit,
        cursor=cursor,
    )
