"""Queries of the arrangement tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Integer, Select, String, Text, bindparam, cast, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from service.access.models import Organization
from service.arrangements.models import Arrangement, ArrangementSignature, ArrangementVersion


async def get_arrangement(
    session: AsyncSession, arrangement_id: str, *, for_update: bool
) -> Arrangement | None:
    stmt = select(Arrangement).where(Arrangement.id == arrangement_id)
    if for_update:
        # Serialises concurrent changes of one arrangement; the reload sees the winner's commit.
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return (await session.scalars(stmt)).one_or_none()


async def get_version(session: AsyncSession, arrangement_id: str, number: int) -> ArrangementVersion | None:
    stmt = select(ArrangementVersion).where(
        ArrangementVersion.arrangement_id == arrangement_id, ArrangementVersion.number == number
    )
    return (await session.scalars(stmt)).one_or_none()


async def signatures_of(session: AsyncSession, version_id: str) -> Sequence[ArrangementSignature]:
    stmt = (
        select(ArrangementSignature)
        .where(ArrangementSignature.version_id == version_id)
        .order_by(ArrangementSignature.signed_at, ArrangementSignature.id)
    )
    return (await session.scalars(stmt)).all()


_head = Arrangement.__table__
_version = ArrangementVersion.__table__
_signature = ArrangementSignature.__table__
# What an arrangement's JSON shows of its head, of its latest version, and of each signature.
_HEAD_COLUMNS = (
    "id", "revision", "status", "latest_version", "version_in_force", "aco_id", "provider_id",
    "proposer_id", "definition_code", "definition_version", "period_start", "period_end",
    "termination_date", "termination_reason", "decline_reason", "renewal_of", "created_at",
    "updated_at",
)  # fmt: skip
_SIGNATURE_COLUMNS = (
    "organization_id", "organization_name", "key_id", "signer_name", "signer_title", "signed_at",
    "terms_sha256", "version_number",
)  # fmt: skip


class _IsoDate(FunctionElement[str]):
    """A date as ``YYYY-MM-DD`` text whatever the server's date style (PostgreSQL's cast to text
    follows ``DateStyle``; SQLite stores dates as that text)."""

    type = String()
    inherit_cache = True


@compiles(_IsoDate)
def _iso_date(element: _IsoDate, compiler: SQLCompiler, **kw: Any) -> str:
    return f"CAST({compiler.process(element.clauses, **kw)} AS VARCHAR)"


@compiles(_IsoDate, "postgresql")
def _iso_date_postgresql(element: _IsoDate, compiler: SQLCompiler, **kw: Any) -> str:
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"


# Between the fields of one version in ``executed_versions`` (none of which can hold it).
VERSION_FIELD_SEPARATOR = " "


@cache
def _shown_base() -> Select[Any]:
    # Built once (a select of some forty labelled columns costs more to build than to run).
    executed = _version.alias("executed")
    # The versions whose days in force the JSON shows: executed ones up to the version in force
    # (that one counts even before its execution time is recorded), each as "number effective_from
    # terms_sha256" (effective_from empty when it takes effect with the period), in no order.
    executed_versions = (
        select(
            func.aggregate_strings(
                cast(executed.c.number, String)
                + VERSION_FIELD_SEPARATOR
                + func.coalesce(_IsoDate(executed.c.effective_from), "")
                + VERSION_FIELD_SEPARATOR
                + executed.c.terms_sha256,
                # Written into the SQL: a separator given as a string is a parameter SQLAlchemy
                # renders into the statement's text again on every execution.
                literal_column("','"),  # type: ignore[arg-type]
            )
        )
        .where(
            executed.c.arrangement_id == _head.c.id,
            executed.c.number <= _head.c.version_in_force,
            or_(executed.c.executed_at.is_not(None), executed.c.number == _head.c.version_in_force),
        )
        .scalar_subquery()
    )
    renewal = _head.alias("renewal")
    renewed_by = (
        select(renewal.c.id)
        .where(renewal.c.renewal_of == _head.c.id)
        .order_by(renewal.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(
            *(_head.c[name] for name in _HEAD_COLUMNS),
            # As stored text: parsed only when this process has not seen the terms' hash before.
            cast(_version.c.terms, Text).label("terms_json"),
            _version.c.terms_sha256,
            _version.c.effective_from.label("latest_effective_from"),
            executed_versions.label("executed_versions"),
            renewed_by.label("renewed_by"),
            *(_signature.c[name].label(f"signature_{name}") for name in _SIGNATURE_COLUMNS),
        )
        .join(
            _version,
            (_version.c.arrangement_id == _head.c.id) & (_version.c.number == _head.c.latest_version),
        )
        .outerjoin(_signature, _signature.c.version_id == _version.c.id)
        .order_by(_head.c.id, _signature.c.signed_at, _signature.c.id)
    )


# The statements below are built once per shape and take their values as bound parameters: a
# select of some forty labelled columns costs more to build, and to compute the cache key of,
# than to run, and a statement object built once computes its cache key once.


@cache
def _shown_by_id() -> Select[Any]:
    # Equality, not ``IN`` with an expanding list: an expanding parameter makes SQLAlchemy render
    # the statement's text again on every execution.
    return _shown_base().where(_head.c.id == bindparam("id", type_=String))


def shown_rows(arrangement_id: str) -> tuple[Select[Any], dict[str, Any]]:
    """Everything the JSON of the arrangement ``arrangement_id`` shows, in one statement (with its
    parameters): the head's columns, the latest version's ``terms``, ``terms_sha256`` and
    effective date (``latest_effective_from``), the executed versions whose days in force it
    shows (``executed_versions``, see ``_shown_base``), the id of the latest renewal proposed of
    it (``renewed_by``), and that version's signatures (``signature_*`` columns), one row each
    (one row of NULLs when none), in signing order."""
    return _shown_by_id(), {"id": arrangement_id}


# What decides an arrangement's JSON besides the day and the viewer: the head's revision, which
# every change to the arrangement, its versions and signatures (and a renewal proposed of it)
# increases (service.touch). With the parties, for the visibility check.
_HEADS = (_head.c.id, _head.c.revision, _head.c.aco_id, _head.c.provider_id)


@cache
def _head_by_id() -> Select[Any]:
    return select(*_HEADS).where(_head.c.id == bindparam("id", type_=String))


def head_row(arrangement_id: str) -> tuple[Select[Any], dict[str, Any]]:
    """The id, revision and parties of the arrangement ``arrangement_id`` (one small statement)."""
    return _head_by_id(), {"id": arrangement_id}


_FILTERS = ("org_id", "status", "episode_code", "counterparty_id", "after")


@dataclass(frozen=True, slots=True)
class ListFilter:
    """Which arrangements a list shows: those of ``org_id`` (None: all, for ops), optionally of one
    status, episode code and counterparty, after the id ``after`` (the page cursor)."""

    org_id: str | None
    status: str | None
    episode_code: str | None
    counterparty_id: str | None
    after: str | None


def _listed_ids(org: bool, status: bool, episode_code: bool, counterparty: bool, after: bool) -> Select[Any]:
    """The ids a list selects, in order, its filters as bound parameters."""
    ids = select(Arrangement.id)
    if org:
        party = bindparam("org_id", type_=String)
        ids = ids.where(or_(Arrangement.aco_id == party, Arrangement.provider_id == party))
    if status:
        ids = ids.where(Arrangement.status == bindparam("status", type_=String))
    if episode_code:
        ids = ids.where(Arrangement.definition_code == bindparam("episode_code", type_=String))
    if counterparty:
        other = bindparam("counterparty_id", type_=String)
        ids = ids.where(or_(Arrangement.aco_id == other, Arrangement.provider_id == other))
    if after:
        ids = ids.where(Arrangement.id > bindparam("after", type_=String))
    return ids.order_by(Arrangement.id).limit(bindparam("limit", type_=Integer))


@cache
def _listed_shape(
    org: bool, status: bool, episode_code: bool, counterparty: bool, after: bool
) -> Select[Any]:
    ids = _listed_ids(org, status, episode_code, counterparty, after)
    return _shown_base().where(_head.c.id.in_(ids.scalar_subquery()))


@cache
def _listed_heads_shape(
    org: bool, status: bool, episode_code: bool, counterparty: bool, after: bool
) -> Select[Any]:
    return _listed_ids(org, status, episode_code, counterparty, after).with_only_columns(*_HEADS)


def listed_statements(
    listed: ListFilter, *, limit: int
) -> tuple[tuple[Select[Any], dict[str, Any]], tuple[Select[Any], dict[str, Any]]]:
    """Two statements, with their parameters, over the first ``limit`` arrangements ``listed``
    selects, in id order: ``head_row`` of each, and ``shown_rows`` of each."""
    values = {name: getattr(listed, name) for name in _FILTERS if getattr(listed, name) is not None}
    values["limit"] = limit
    shape = tuple(getattr(listed, name) is not None for name in _FILTERS)
    return (_listed_heads_shape(*shape), values), (_listed_shape(*shape), values)


async def lock_organization(session: AsyncSession, org_id: str) -> None:
    """Serialise executions for one ACO (a row lock on PostgreSQL; SQLite serialises writers)."""
    await session.execute(select(Organization.id).where(Organization.id == org_id).with_for_update())


async def same_episode_arrangements(
    session: AsyncSession, *, aco_id: str, definition_code: str, excluding: str
) -> Sequence[Arrangement]:
    """The ACO's other arrangements for the same episode code that have an executed version."""
    stmt = (
        select(Arrangement)
        .where(
            Arrangement.aco_id == aco_id,
            Arrangement.definition_code == definition_code,
            Arrangement.id != excluding,
            Arrangement.version_in_force.is_not(None),
        )
        .order_by(Arrangement.id)
    )
    return (await session.scalars(stmt)).all()


# States in which the parties have (or are building) a relationship: not refused or abandoned.
_RELATED_STATES = ("draft", "partially_signed", "executed", "pending_approval", "terminated")


async def counterparties_of(session: AsyncSession, org_id: str) -> list[str]:
    """The organisations that have an arrangement with ``org_id`` (proposed, signed, in force or
    terminated; not declined, withdrawn or rejected), sorted."""
    stmt = select(Arrangement.aco_id, Arrangement.provider_id).where(
        or_(Arrangement.aco_id == org_id, Arrangement.provider_id == org_id),
        Arrangement.status.in_(_RELATED_STATES),
    )
    rows = (await session.execute(stmt)).all()
    return sorted({party for row in rows for party in row if party != org_id})


_ENDED_PROPOSALS = ("declined", "withdrawn", "rejected")


async def renewals_of(session: AsyncSession, arrangement_id: str) -> Sequence[Arrangement]:
    """The arrangements proposed as renewals of ``arrangement_id``, newest first."""
    stmt = select(Arrangement).where(Arrangement.renewal_of == arrangement_id).order_by(Arrangement.id.desc())
    return (await session.scalars(stmt)).all()


def is_live_renewal(renewal: Arrangement) -> bool:
    """A renewal still proposed, signed or in force (not declined, withdrawn or rejected)."""
    return renewal.status not in _ENDED_PROPOSALS


async def latest_renewal_id(session: AsyncSession, arrangement_id: str) -> str | None:
    stmt = (
        select(Arrangement.id)
        .where(Arrangement.renewal_of == arrangement_id)
        .order_by(Arrangement.id.desc())
        .limit(1)
    )
    return await session.scalar(stmt)


async def executed_versions(session: AsyncSession, arrangement: Arrangement) -> Sequence[ArrangementVersion]:
    """The versions put in force, in the order they were (version numbers only grow). The
    version in force always counts, also when it was executed before executions were recorded."""
    if arrangement.version_in_force is None:
        return []
    stmt = (
        select(ArrangementVersion)
        .where(
            ArrangementVersion.arrangement_id == arrangement.id,
            or_(
                ArrangementVersion.executed_at.is_not(None),
                ArrangementVersion.number == arrangement.version_in_force,
            ),
            ArrangementVersion.number <= arrangement.version_in_force,
        )
        .order_by(ArrangementVersion.number)
    )
    return (await session.scalars(stmt)).all()
