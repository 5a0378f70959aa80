"""The arrangement as an agreement people sign: ``contracts/templates/arrangement.html.j2`` (the
wording, kept as data) rendered in Jinja's sandbox from a plain context dict.

:func:`agreement_context` gathers what the wording needs for the version in force (else the
latest): the parties' names, TINs and NPIs, the period, the terms, the episode definition in
words (its codes listed, its claim types named), each signature with the signing organisation's
name and TIN, and every version's history. :func:`render_agreement` renders any such dict, so a
caller may pass other values for a key (a signature's organisation name and TIN as recorded when
it signed, for example). The wording never shows an internal id or an enum's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.access.models import Organization
from service.arrangements import repository
from service.arrangements.in_force import apply_overrides
from service.arrangements.models import Arrangement, ArrangementSignature
from service.arrangements.schemas import ArrangementVersionOut, Signature
from service.arrangements.service import definition_of, get
from service.arrangements.views import version_out
from service.definitions.schemas import EpisodeDefinitionSpec
from service.kit import clock, documents

TEMPLATE = "arrangement.html.j2"

CLAIM_TYPE_WORDS = {
    "inpatient": "inpatient hospital",
    "outpatient": "hospital outpatient",
    "carrier": "physician and other professional (Part B carrier)",
    "snf": "skilled nursing facility",
    "hha": "home health agency",
    "dme": "durable medical equipment",
    "hospice": "hospice",
}
VERSION_WORDS = {"initial": "Original terms", "revision": "Revised terms", "amendment": "Amendment"}
STATUS_WORDS = {
    "draft": "Proposed; not yet signed",
    "partially_signed": "Signed by one party; awaiting the other's signature",
    "executed": "In force (signed by both parties)",
    "pending_approval": "Signed by both parties; awaiting the model administrator's approval of its flexibilities",
    "rejected": "Not approved by the model administrator; not in force",
    "declined": "Declined; not in force",
    "withdrawn": "Withdrawn; not in force",
    "terminated": "Terminated",
}


def _codes(entries: list[str]) -> list[str]:
    """``99202-99205`` -> ``99202 to 99205``: a range as people write it."""
    return [entry.replace("-", " to ") for entry in entries]


def definition_words(spec: EpisodeDefinitionSpec) -> dict[str, Any]:
    """The episode definition as the agreement states it."""
    trigger, anchor = spec.trigger, spec.anchor
    opening: dict[str, Any]
    if anchor is not None:
        opening = {
            "anchor": {
                "drgs": list(anchor.drgs),
                "procedures": _codes(list(anchor.procedure_prefixes)),
                "by_operating_physician": anchor.attribution == "operating_physician",
                "risk_factors": [{"id": f.id, "name": f.name} for f in anchor.risk_factors],
                "excluded_drgs": list(anchor.excluded_drgs),
            },
            "min_age": anchor.min_age,
        }
    else:
        assert trigger is not None
        opening = {
            "anchor": None,
            "trigger_claim_types": [CLAIM_TYPE_WORDS[str(t)] for t in trigger.claim_types],
            "trigger_codes": _codes(list(trigger.hcpcs)),
            "trigger_diagnoses": _codes(list(trigger.diagnosis_prefixes)),
            "practice_renders": trigger.rendering_npi_in_arrangement,
            "min_age": trigger.min_age,
        }
    return {
        "name": spec.name,
        "code": spec.code,
        "version": spec.version,
        "description": spec.description,
        "length_days": spec.episode_length_days,
        **opening,
        "included_claim_types": [CLAIM_TYPE_WORDS[str(t)] for t in spec.included_claim_types],
        "excluded_diagnoses": _codes(list(spec.excluded_principal_diagnosis_prefixes)),
        "outlier_cap_multiple": documents.plain_decimal(spec.outlier_cap_multiple),
        "risk_adjusted": spec.risk_adjustment == "hcc",
        "measures": {m.id: m.name for m in spec.quality_measures},
        "lower_is_better": {m.id for m in spec.quality_measures if not m.higher_is_better},
    }


def party(org: Organization | None, *, fallback: str) -> dict[str, Any]:
    if org is None:
        return {"name": fallback, "tin": None, "npis": []}
    return {"name": org.name, "tin": org.tin, "npis": org.npis_from(clock.today())}


def as_signed(current: dict[str, Any], signature: ArrangementSignature | None) -> dict[str, Any]:
    """A party as it was when it signed the version shown (its signature's snapshot), so that
    renaming an organisation later does not rewrite a contract; unchanged when it has not signed
    (or signed before snapshots were kept)."""
    if signature is None or signature.organization_name is None:
        return current
    return {
        "name": signature.organization_name,
        "tin": signature.organization_tin,
        "npis": list(signature.organization_npis or []),
    }


def signature_words(signature: Signature, parties: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """One signature as the signature block shows it. ``organization_name`` and
    ``organization_tin`` are the signing party's (a caller may replace them with the values
    recorded when it signed)."""
    signer = parties.get(signature.organization_id, {"name": "the model administrator", "tin": None})
    return {
        "signer_name": signature.signer_name,
        "signer_title": signature.signer_title,
        "organization_name": signature.organization_name or signer["name"],
        "organization_tin": signer["tin"],
        "signed_at": signature.signed_at,
        "terms_sha256": signature.terms_sha256,
    }


def version_words(
    version: ArrangementVersionOut, parties: Mapping[str, Mapping[str, Any]], *, in_force: int | None
) -> dict[str, Any]:
    if in_force is None:
        standing = "not in force"
    elif version.version == in_force:
        standing = "in force"
    elif version.version < in_force:
        standing = "replaced by a later version"
    else:
        standing = "awaiting signatures"
    return {
        "number": version.version,
        "kind": VERSION_WORDS.get(version.kind, "Terms"),
        "created_at": version.created_at,
        "terms_sha256": version.terms_sha256,
        "standing": standing,
        "signatures": [signature_words(s, parties) for s in version.signatures],
    }


def agreement_context(
    *,
    arrangement: Arrangement,
    shown: ArrangementVersionOut,
    versions: list[ArrangementVersionOut],
    aco: Organization | None,
    provider: Organization | None,
    definition: EpisodeDefinitionSpec,
    signed: Mapping[str, ArrangementSignature] | None = None,
) -> dict[str, Any]:
    """Everything the agreement's wording reads, as plain values. ``signed``: the shown version's
    signatures by organisation, whose snapshots name the parties as they signed."""
    signed = signed or {}
    parties = {
        arrangement.aco_id: as_signed(party(aco, fallback="the ACO"), signed.get(arrangement.aco_id)),
        arrangement.provider_id: as_signed(
            party(provider, fallback="the Practice"), signed.get(arrangement.provider_id)
        ),
    }
    terms = shown.terms
    words = definition_words(apply_overrides(definition, terms))
    cutoff: date = arrangement.period_end + timedelta(days=terms.runout_days)
    return {
        "status": STATUS_WORDS.get(arrangement.status, "Recorded"),
        "aco": parties[arrangement.aco_id],
        "provider": parties[arrangement.provider_id],
        "period_start": arrangement.period_start,
        "period_end": arrangement.period_end,
        "termination_date": arrangement.termination_date,
        "termination_reason": arrangement.termination_reason,
        "definition": words,
        "flexibilities": terms.overrides is not None,
        "terms": terms,
        "measures": [
            {
                "name": words["measures"].get(m.measure_id, m.measure_id),
                "id": m.measure_id,
                "weight": documents.plain_decimal(m.weight),
                "lower_is_better": m.measure_id in words["lower_is_better"],
            }
            for m in terms.quality_measures
        ],
        "quality_reporter": terms.quality_reporter,
        "claims_cutoff": cutoff,
        "version": {
            "number": shown.version,
            "terms_sha256": shown.terms_sha256,
            "signatures": [signature_words(s, parties) for s in shown.signatures],
        },
        "history": [version_words(v, parties, in_force=arrangement.version_in_force) for v in versions],
    }


def render_agreement(context: Mapping[str, Any]) -> str:
    """The agreement as HTML from a context such as :func:`agreement_context` returns."""
    return documents.render(TEMPLATE, context)


async def render_document(
    session: AsyncSession, *, viewer: Principal, arrangement_id: str
) -> tuple[Arrangement, str]:
    arrangement = await get(session, viewer=viewer, arrangement_id=arrangement_id)
    number = arrangement.version_in_force or arrangement.latest_version
    versions = []
    for n in range(1, arrangement.latest_version + 1):
        stored = await repository.get_version(session, arrangement.id, n)
        if stored is not None:
            versions.append(await version_out(session, stored))
    shown = next(v for v in versions if v.version == number)
    shown_row = await repository.get_version(session, arrangement.id, number)
    assert shown_row is not None
    signed = {s.organization_id: s for s in await repository.signatures_of(session, shown_row.id)}
    context = agreement_context(
        signed=signed,
        arrangement=arrangement,
        shown=shown,
        versions=versions,
        aco=await session.get(Organization, arrangement.aco_id),
        provider=await session.get(Organization, arrangement.provider_id),
        definition=await definition_of(session, arrangement),
    )
    return arrangement, render_agreement(context)
