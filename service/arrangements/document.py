"""The arrangement as a document for people: the version in force (else the latest) rendered to
HTML from ``contracts/templates/arrangement.html.j2``, with the parties' names, the episode
definition and the signatures."""

from __future__ import annotations

from pathlib import Path

import jinja2
from sqlalchemy.ext.asyncio import AsyncSession

from service.access.auth import Principal
from service.access.models import Organization
from service.arrangements import repository
from service.arrangements.models import Arrangement
from service.arrangements.service import definition_of, get
from service.arrangements.views import version_out

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "contracts" / "templates"

_env = jinja2.Environment(
    loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
)


async def render_document(
    session: AsyncSession, *, viewer: Principal, arrangement_id: str
) -> tuple[Arrangement, str]:
    arrangement = await get(session, viewer=viewer, arrangement_id=arrangement_id)
    number = arrangement.version_in_force or arrangement.latest_version
    version = await repository.get_version(session, arrangement.id, number)
    assert version is not None
    out = await version_out(session, version)
    aco = await session.get(Organization, arrangement.aco_id)
    provider = await session.get(Organization, arrangement.provider_id)
    names = {o.id: o.name for o in (aco, provider) if o is not None}
    spec = await definition_of(session, arrangement)
    html = _env.get_template("arrangement.html.j2").render(
        arrangement=arrangement,
        version=out,
        aco=aco,
        provider=provider,
        names=names,
        definition=spec,
        terms=out.terms,
        measures={m.id: m.name for m in spec.quality_measures},
    )
    return arrangement, html
