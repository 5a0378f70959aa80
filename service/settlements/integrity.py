"""Money in the audit chain: the digest of a final settlement, and the verification of everything.

Finalising a settlement records, in the ``settlement.finalized`` audit event, a SHA-256 digest of
its figures and of every one of its lines (:func:`settlement_digest`). The audit chain is
hash-linked, so the digest cannot be edited unnoticed; :func:`verify_settlements` recomputes the
digest of every final (or superseded) settlement from its stored rows and reports any that no
longer match, with the settlement's id. :func:`verify_everything` adds the chain itself and every
signed terms version (service/arrangements/integrity.py): what ``cara audit verify`` and
``GET /v1/audit/verification`` report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.arrangements.integrity import verify_signed_versions
from service.audit.chain import Finding, VerifyResult
from service.audit.service import recorded, verify_chain
from service.kit.canonical import canonical_json, canonical_sha256
from service.settlements.models import Settlement, SettlementLine

# What a final settlement's digest covers: every figure, the inputs hash, what it was measured
# against and why it was finalised early; not its status (final becomes superseded) nor times.
SEALED_FIELDS = (
    "id", "arrangement_id", "revision", "period_start", "period_end", "claims_cutoff",
    "terms_version", "terms_sha256", "definition_code", "definition_version", "n_episodes",
    "n_excluded", "total_target", "total_actual", "savings", "quality_score", "shared_before_caps",
    "stop_gain_limit", "stop_loss_limit", "cap_bound", "below_min_episodes", "settlement_amount",
    "delta", "delta_against", "inputs_sha256", "override_reason",
)  # fmt: skip
LINE_FIELDS = (
    "episode_id", "mbi", "trigger_date", "end_date", "trigger_claim_id", "risk_factor", "target",
    "spending", "outlier_cap", "actual", "capped",
)  # fmt: skip
FINAL_STATES = ("final", "superseded")


def settlement_digest(settlement: Settlement, lines: Iterable[SettlementLine]) -> str:
    """SHA-256 over the canonical JSON of the sealed fields, then of each line (by episode id)."""
    digest = hashlib.sha256()
    head: dict[str, Any] = {name: getattr(settlement, name) for name in SEALED_FIELDS}
    # Recorded only since amendments take effect on a date: sealed when present, so that the
    # digests of settlements finalised before stay what the audit chain holds.
    if settlement.terms_versions is not None:
        head["terms_versions"] = settlement.terms_versions
    digest.update(canonical_json(head, omit_none=False).encode())
    for line in lines:
        body = {name: getattr(line, name) for name in LINE_FIELDS}
        if line.terms_version is not None:
            body["terms_version"] = line.terms_version
        digest.update(b"\n" + canonical_json(body, omit_none=False).encode())
    return digest.hexdigest()


def _lines(session: Session, settlement_id: str) -> Iterable[SettlementLine]:
    stmt = (
        select(SettlementLine)
        .where(SettlementLine.settlement_id == settlement_id)
        .order_by(SettlementLine.episode_id)
        .execution_options(yield_per=5000)
    )
    yield from session.scalars(stmt)


def verify_settlements(session: Session) -> tuple[int, int, list[Finding]]:
    """(final settlements checked, of which finalised before digests were recorded, findings)."""
    sealed: dict[str, dict[str, Any]] = {}
    for event in recorded(session, ("settlement.finalized",)):
        sealed[event.resource_id] = dict(event.details)
    findings: list[Finding] = []
    checked = unsealed = 0
    finals = session.scalars(
        select(Settlement).where(Settlement.status.in_(FINAL_STATES)).order_by(Settlement.id)
    ).all()
    for settlement in finals:
        checked += 1
        details = sealed.pop(settlement.id, None)

        def found(problem: str) -> None:
            findings.append(Finding("settlement", settlement.id, problem))  # noqa: B023

        if canonical_sha256(settlement.inputs, omit_none=False) != settlement.inputs_sha256:
            found("its inputs do not hash to its inputs_sha256: they were changed after it was computed")
        if details is None:
            found(f"it is {settlement.status}, but the audit chain records no finalisation of it")
        elif "digest" not in details:
            unsealed += 1  # finalised before digests were recorded: nothing to compare with
        elif settlement_digest(settlement, _lines(session, settlement.id)) != details["digest"]:
            found(
                "its figures or lines differ from the digest recorded in the audit chain when it was "
                "finalised: they were changed afterwards"
            )
    for settlement_id in sealed:
        current = session.get(Settlement, settlement_id)
        state = "deleted" if current is None else f"now {current.status}"
        findings.append(
            Finding(
                "settlement", settlement_id, f"the audit chain records it as finalised, but it is {state}"
            )
        )
    return checked, unsealed, findings


@dataclass(frozen=True)
class Verification:
    chain: VerifyResult
    terms_versions_checked: int
    settlements_checked: int
    settlements_unsealed: int
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.findings


def verify_everything(session: Session) -> Verification:
    """The chain, every signed terms version and every final settlement."""
    chain = verify_chain(session)
    versions, version_findings = verify_signed_versions(session)
    settlements, unsealed, settlement_findings = verify_settlements(session)
    return Verification(
        chain=chain,
        terms_versions_checked=versions,
        settlements_checked=settlements,
        settlements_unsealed=unsealed,
        findings=version_findings + settlement_findings,
    )
