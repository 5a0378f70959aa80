"""How an arrangement is shown: its JSON (with the actions the viewer may take), its versions and
signatures, whether it is active today, and its ETag.

An arrangement is read whole with one statement (``repository.shown_rows``: head, latest terms,
signatures and the days each executed version is in force), laid out in the field order of
``ArrangementOut`` and written straight to bytes by orjson (``kit.responses.json_bytes``): the
values come from the database the service wrote them to, so they are not validated a second time
on the way out (a test holds the bytes equal to Pydantic's rendering of the model). Those bytes
are kept per revision, day and viewer (:func:`rendered`), so that a read of one arrangement or of
a page asks the database for the revisions alone and writes only what this process has not. A
version's terms, immutable, are read from their stored JSON and validated once per process (by
their hash); the write paths that return the model validate it (``Shown.out``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from service.access.auth import Principal
from service.arrangements import lifecycle, repository
from service.arrangements.models import Arrangement, ArrangementSignature, ArrangementVersion
from service.arrangements.schemas import ArrangementOut, ArrangementVersionOut, Period, Signature, Terms
from service.arrangements.timeline import days_in_force, effective_date
from service.kit import clock
from service.kit.cache import TtlCache
from service.kit.db import named_rows
from service.kit.etag import make_etag
from service.kit.responses import json_bytes

# A terms version never changes once stored, and its hash names it: its stored JSON is parsed and
# validated once per process (into the JSON-ready values ``Terms`` renders) instead of on every
# read of the arrangement.
_terms_by_hash: TtlCache[str, dict[str, Any]] = TtlCache(ttl_seconds=86_400, max_entries=4096)


def _terms(terms_sha256: str, stored_json: str) -> dict[str, Any]:
    terms = _terms_by_hash.get(terms_sha256)
    if terms is None:
        terms = Terms.model_validate(json.loads(stored_json)).model_dump(mode="json")
        _terms_by_hash.put(terms_sha256, terms)
    return terms


class Head(Protocol):
    """What these functions read of an arrangement: the ORM row, or a row of ``shown_rows``."""

    @property
    def id(self) -> str: ...
    @property
    def revision(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def period_start(self) -> date: ...
    @property
    def period_end(self) -> date: ...
    @property
    def termination_date(self) -> date | None: ...
    @property
    def proposer_id(self) -> str: ...
    @property
    def aco_id(self) -> str: ...
    @property
    def provider_id(self) -> str: ...


def etag_of(arrangement: Head) -> str:
    return make_etag(arrangement.id, arrangement.revision)


def period_of(arrangement: Arrangement) -> Period:
    return Period(start=arrangement.period_start, end=arrangement.period_end)


def is_active(arrangement: Head, today: date) -> bool:
    """docs/method.md section 3: executed (or terminated later than today) and today within the period."""
    in_period = arrangement.period_start <= today <= arrangement.period_end
    if arrangement.status == "executed":
        return in_period
    if arrangement.status == "terminated" and arrangement.termination_date is not None:
        return in_period and arrangement.termination_date > today
    return False


def roles_of(viewer: Principal, arrangement: Head) -> set[str]:
    return lifecycle.role_of(
        org_id=viewer.org_id,
        is_ops=viewer.is_ops,
        proposer_id=arrangement.proposer_id,
        aco_id=arrangement.aco_id,
        provider_id=arrangement.provider_id,
    )


async def version_out(session: AsyncSession, version: ArrangementVersion) -> ArrangementVersionOut:
    signatures = await repository.signatures_of(session, version.id)
    arrangement = await session.get(Arrangement, version.arrangement_id)
    assert arrangement is not None  # a foreign key
    return ArrangementVersionOut(
        version=version.number,
        kind=version.kind,
        terms=Terms.model_validate(version.terms),
        terms_sha256=version.terms_sha256,
        effective_from=effective_date(arrangement, version),
        created_by=version.created_by,
        created_at=version.created_at,
        signatures=[signature_out(s) for s in signatures],
    )


def signature_out(signature: ArrangementSignature) -> Signature:
    return Signature(
        organization_id=signature.organization_id,
        organization_name=signature.organization_name,
        key_id=signature.key_id,
        signer_name=signature.signer_name,
        signer_title=signature.signer_title,
        signed_at=signature.signed_at,
        terms_sha256=signature.terms_sha256,
        version=signature.version_number,
    )


@dataclass(frozen=True, slots=True)
class Shown:
    """An arrangement as a viewer sees it (``body``: the fields of ``ArrangementOut``, in order,
    as values orjson writes), with its revision and parties (for the cache and the visibility check)."""

    body: dict[str, Any]
    revision: int
    aco_id: str
    provider_id: str

    @property
    def id(self) -> str:
        arrangement_id: str = self.body["id"]
        return arrangement_id

    @property
    def out(self) -> ArrangementOut:
        """The arrangement as the validated model (for the routes that change it)."""
        return ArrangementOut.model_validate(self.body)


@lru_cache(maxsize=4096)
def _terms_in_force(
    executed_versions: str | None, period_start: date, period_end: date
) -> tuple[dict[str, Any], ...]:
    """The executed versions' days over the period (see ``timeline``), from the row's
    ``executed_versions`` (see ``repository.shown_rows``). A function of its arguments alone, so
    remembered: most reads ask again for what an earlier read worked out (nothing mutates it)."""
    executed: dict[int, tuple[date, str]] = {}
    for version in executed_versions.split(",") if executed_versions else ():
        number, effective_from, terms_sha256 = version.split(repository.VERSION_FIELD_SEPARATOR)
        start = date.fromisoformat(effective_from) if effective_from else period_start
        executed[int(number)] = (start, terms_sha256)
    days = days_in_force([(n, executed[n][0]) for n in sorted(executed)], start=period_start, end=period_end)
    return tuple({"version": n, "terms_sha256": executed[n][1], "start": a, "end": b} for n, a, b in days)


def _shown(rows: Sequence[Any], viewer: Principal, today: date) -> Shown:
    """One arrangement's rows of ``repository.shown_rows`` (one per signature) as its JSON."""
    head = rows[0]
    signatures = [
        {
            "organization_id": row.signature_organization_id,
            "organization_name": row.signature_organization_name,
            "key_id": row.signature_key_id,
            "signer_name": row.signature_signer_name,
            "signer_title": row.signature_signer_title,
            "signed_at": row.signature_signed_at,
            "terms_sha256": row.signature_terms_sha256,
            "version": row.signature_version_number,
        }
        for row in rows
        if row.signature_key_id is not None
    ]
    body = {
        "id": head.id,
        "status": head.status,
        "active": is_active(head, today),
        "version": head.latest_version,
        "version_in_force": head.version_in_force,
        "aco_id": head.aco_id,
        "provider_id": head.provider_id,
        "proposer_id": head.proposer_id,
        "episode": {"code": head.definition_code, "version": head.definition_version},
        "period": {"start": head.period_start, "end": head.period_end},
        "terms": _terms(head.terms_sha256, head.terms_json),
        "terms_sha256": head.terms_sha256,
        "effective_from": head.latest_effective_from or head.period_start,
        "signatures": signatures,
        "terms_in_force": _terms_in_force(head.executed_versions, head.period_start, head.period_end),
        "termination_date": head.termination_date,
        "termination_reason": head.termination_reason,
        "decline_reason": head.decline_reason,
        "renewal_of": head.renewal_of,
        "renewed_by": head.renewed_by,
        "allowed_actions": lifecycle.allowed_actions(head.status, roles_of(viewer, head)),
        "created_at": head.created_at,
        "updated_at": head.updated_at,
    }
    return Shown(body=body, revision=head.revision, aco_id=head.aco_id, provider_id=head.provider_id)


async def shown(
    connection: AsyncConnection, statement: tuple[Select[Any], dict[str, Any]], *, viewer: Principal
) -> list[Shown]:
    """The arrangements of ``statement`` (``repository.shown_rows`` or the list's, with its
    parameters) as ``viewer`` sees them, in id order; one statement. Visibility is the caller's
    business."""
    stmt, parameters = statement
    # A Core statement: the ORM's row loading would have nothing to do here.
    rows = await named_rows(connection, stmt, parameters)
    today = clock.today()
    found: list[Shown] = []
    start = 0
    for end in range(1, len(rows) + 1):
        if end == len(rows) or rows[end].id != rows[start].id:
            found.append(_shown(rows[start:end], viewer, today))
            start = end
    return found


@dataclass(frozen=True, slots=True)
class Rendered:
    """An arrangement's JSON as a viewer sees it today, written (``json``), with its revision."""

    id: str
    json: bytes
    revision: int

    @property
    def etag(self) -> str:
        return make_etag(self.id, self.revision)


# An arrangement's JSON is a function of its head's revision (which grows with every change to
# the arrangement, its versions and signatures, and when a renewal of it is proposed:
# service.touch), of the day (``active``) and of who asks (``allowed_actions``, from the viewer's
# organisation and whether it is ops). So a read first asks the database for the revisions alone,
# and writes again only what this process has not written for that revision, day and viewer
# before. An entry is never stale, only unused: the next change has a new revision.
# Bounded in bytes too: an arrangement is about 2 KB, but terms may carry up to a hundred prices and
# fifty measures.
RENDERED_MAX_BYTES = 8 * 1024 * 1024
_rendered: TtlCache[tuple[str, int, date, str | None, bool], bytes] = TtlCache(
    ttl_seconds=86_400, max_entries=4096, size_of=len, max_size=RENDERED_MAX_BYTES
)


async def rendered(
    connection: AsyncConnection,
    heads: tuple[Select[Any], dict[str, Any]],
    shown_statement: tuple[Select[Any], dict[str, Any]],
    *,
    viewer: Principal,
) -> list[Rendered]:
    """Those arrangements of ``heads`` (``repository.head_row`` or the list's) that ``viewer``
    may see, as the viewer sees them, written, in id order: one small statement when this
    process has written each of them at its revision today for this viewer; otherwise
    ``shown_statement`` (``repository.shown_rows`` or the list's, selecting the same
    arrangements) too, and every arrangement it finds is written and remembered."""
    today = clock.today()
    org_id, is_ops = viewer.org_id, viewer.is_ops
    found: list[Rendered] = []
    visible = [h for h in await named_rows(connection, *heads) if viewer.may_see(h.aco_id, h.provider_id)]
    for head in visible:
        json = _rendered.get((head.id, head.revision, today, org_id, is_ops))
        if json is None:
            break
        found.append(Rendered(head.id, json, head.revision))
    else:
        return found
    # A miss: every arrangement again, from the statement that reads them whole (what it finds
    # is at least as recent as the revisions just read).
    written = []
    for one in await shown(connection, shown_statement, viewer=viewer):
        if viewer.may_see(one.aco_id, one.provider_id):
            json = json_bytes(one.body)
            _rendered.put((one.id, one.revision, today, org_id, is_ops), json)
            written.append(Rendered(one.id, json, one.revision))
    return written


async def to_schema(session: AsyncSession, arrangement: Arrangement, *, viewer: Principal) -> ArrangementOut:
    """The JSON of an arrangement just changed in this session."""
    await session.flush()  # the statement below runs on the connection, past the ORM's autoflush
    [one] = await shown(await session.connection(), repository.shown_rows(arrangement.id), viewer=viewer)
    return one.out
