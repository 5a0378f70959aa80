"""The arrangement as a document for people: the version in force (else the latest) rendered to
HTML from ``contracts/templates/arrangement.html.j2``, with the parties, the episode definition
and the signatures.

A party that signed the version shown appears as it was when it signed (name, TIN, the NPIs on
its roster), from its signature's snapshot: renaming an organisation later does not rewrite a
contract. A party that has not signed yet appears as it is today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2
from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.access.models import Organization
from service.arrangements import repository
from service.arrangements.models import Arrangement, ArrangementSignature
from service.arrangements.service import definition_of, get
from service.arrangements.views import version_out
from service.kit import clock

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "contracts" / "templates"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


@dataclass(frozen=True, slots=True)
class Party:
    """A party as the document names it, and the day that description is of."""

    id: str
    name: str
    tin: str | None
    npis: list[str]
    as_of: date
    signed: bool


def party_as_signed(org: Organization, signature: ArrangementSignature | None, today: date) -> Party:
    if signature is None or signature.organization_name is None:
        return Party(org.id, org.name, org.tin, org.npis_from(today), today, signed=False)
    return Party(
        org.id,
        signature.organization_name,
        signature.organization_tin,
        list(signature.organization_npis or []),
        signature.signed_at.date(),
        signed=True,
    )


async def render_document(
    session: AsyncSession, *, viewer: Principal, arrangement_id: str
) -> tuple[Arrangement, str]:
    arrangement = await get(session, viewer=viewer, arrangement_id=arrangement_id)
    number = arrangement.version_in_force or arrangement.latest_version
    version = await repository.get_version(session, arrangement.id, number)
    assert version is not None
    out = await version_out(session, version)
    signed = {s.organization_id: s for s in await repository.signatures_of(session, version.id)}
    aco_org = await session.get(Organization, arrangement.aco_id)
    provider_org = await session.get(Organization, arrangement.provider_id)
    assert aco_org is not None and provider_org is not None  # foreign keys
    today = clock.today()
    aco = party_as_signed(aco_org, signed.get(aco_org.id), today)
    provider = party_as_signed(provider_org, signed.get(provider_org.id), today)
    spec = await definition_of(session, arrangement)
    html = _env.get_template("arrangement.html.j2").render(
        arrangement=arrangement,
        version=out,
        aco=aco,
        provider=provider,
        names={aco_org.id: aco_org.name, provider_org.id: provider_org.name},
        definition=spec,
        terms=out.terms,
        measures={m.id: m.name for m in spec.quality_measures},
    )
    return arrangement, html
