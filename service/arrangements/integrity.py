"""Signed terms checked against the audit chain.

Every signature records, in the audit chain, the terms hash of the version signed
(``arrangement.signed``: ``signed_version``, ``terms_sha256``), and executing a version records
it again (``arrangement.executed`` / ``arrangement.amended``: ``executed_version``). The chain is
hash-linked, so those records cannot be edited unnoticed; this module recomputes the hash of
every signed version from the stored terms and the arrangement's parties, definition and period,
and reports a version whose stored terms, stored hash or signatures no longer agree with it or
with what the chain recorded.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.arrangements.models import Arrangement, ArrangementSignature, ArrangementVersion
from service.arrangements.schemas import Period, Terms, terms_sha256
from service.audit.chain import Finding
from service.audit.service import recorded

RECORDING_ACTIONS = ("arrangement.signed", "arrangement.executed", "arrangement.amended")


def _recorded_hashes(session: Session) -> dict[tuple[str, int], set[str]]:
    hashes: dict[tuple[str, int], set[str]] = defaultdict(set)
    for event in recorded(session, RECORDING_ACTIONS):
        details = event.details
        number = details.get("signed_version", details.get("executed_version"))
        digest = details.get("terms_sha256")
        if isinstance(number, int) and isinstance(digest, str):
            hashes[(event.resource_id, number)].add(digest)
    return hashes


def verify_signed_versions(session: Session) -> tuple[int, list[Finding]]:
    """(versions checked, findings) over every version that carries a signature."""
    hashes = _recorded_hashes(session)
    signatures: dict[str, list[ArrangementSignature]] = defaultdict(list)
    for signature in session.scalars(select(ArrangementSignature).order_by(ArrangementSignature.id)):
        signatures[signature.version_id].append(signature)
    findings: list[Finding] = []
    checked = 0
    stmt = (
        select(ArrangementVersion, Arrangement)
        .join(Arrangement, Arrangement.id == ArrangementVersion.arrangement_id)
        .where(ArrangementVersion.id.in_(list(signatures)))
        .order_by(ArrangementVersion.id)
    )
    for version, arrangement in session.execute(stmt):
        checked += 1
        where = f"version {version.number} of arrangement {arrangement.id}"

        def found(problem: str) -> None:
            findings.append(Finding("arrangement_version", version.id, f"{where}: {problem}"))  # noqa: B023

        try:
            actual = terms_sha256(
                aco_id=arrangement.aco_id,
                provider_id=arrangement.provider_id,
                definition_code=arrangement.definition_code,
                definition_version=arrangement.definition_version,
                period=Period(start=arrangement.period_start, end=arrangement.period_end),
                terms=Terms.model_validate(version.terms),
                effective_from=version.effective_from,
            )
        except ValueError as exc:
            found(f"the stored terms are no longer valid terms ({exc.__class__.__name__})")
            continue
        if actual != version.terms_sha256:
            found(
                "the stored terms do not hash to the version's terms_sha256: they were changed after signing"
            )
        if any(s.terms_sha256 != actual for s in signatures[version.id]):
            found("a signature names a terms hash other than that of the stored terms")
        seen = hashes.get((arrangement.id, version.number))
        if not seen:
            found("no signature of it is recorded in the audit chain")
        elif actual not in seen or len(seen) > 1:
            found(
                "the terms hash recorded in the audit chain when it was signed "
                f"({', '.join(sorted(seen))}) differs from that of the stored terms ({actual})"
            )
    return checked, findings
