"""Arrangements, their immutable versions, and the signatures bound to a version."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.clock import utcnow
from service.kit.db import Base, UTCDateTime


class Arrangement(Base):
    """The mutable head of an arrangement; ``revision`` feeds its ETag and grows with every change."""

    __tablename__ = "arrangement"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    aco_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    provider_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    proposer_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    definition_id: Mapped[str] = mapped_column(ForeignKey("episode_definition.id"))
    definition_code: Mapped[str] = mapped_column(String(40), index=True)
    definition_version: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    # The newest version (signatures are collected for it) and the executed one in force.
    latest_version: Mapped[int] = mapped_column(Integer)
    version_in_force: Mapped[int | None] = mapped_column(Integer)
    # An amendment of an executed arrangement awaiting both signatures (or ops approval).
    pending_version: Mapped[int | None] = mapped_column(Integer)
    termination_date: Mapped[date | None] = mapped_column(Date)
    termination_reason: Mapped[str | None] = mapped_column(String(2000))
    decline_reason: Mapped[str | None] = mapped_column(String(2000))
    # The arrangement this one renews (same parties and episode, the following period).
    renewal_of: Mapped[str | None] = mapped_column(ForeignKey("arrangement.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ArrangementVersion(Base):
    """One version of the terms. Never updated: a revision or amendment is a new row."""

    __tablename__ = "arrangement_version"
    __table_args__ = (UniqueConstraint("arrangement_id", "number"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    arrangement_id: Mapped[str] = mapped_column(ForeignKey("arrangement.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    # ``Terms.model_dump(mode="json")``: decimals as the strings the client sent.
    terms: Mapped[dict[str, Any]] = mapped_column(JSON)
    terms_sha256: Mapped[str] = mapped_column(String(64))
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # An amendment's first day: episodes triggered on or after it settle under this version once
    # it is executed. NULL (initial versions, revisions, amendments made before effective dates
    # existed) means the period's start. Hashed with the terms unless it is the period's start.
    effective_from: Mapped[date | None] = mapped_column(Date)
    # When the version was put in force (both signatures, and ops approval for max-flex
    # overrides). NULL for versions never executed and for those executed before it was recorded.
    executed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ArrangementSignature(Base):
    """A party's signature of one version: who, with which key, when, and the hash they saw;
    and the signing organisation as it was that day (name, TIN, the NPIs on its roster), which
    the document shows however the organisation changes later."""

    __tablename__ = "arrangement_signature"
    __table_args__ = (UniqueConstraint("version_id", "organization_id"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    arrangement_id: Mapped[str] = mapped_column(ForeignKey("arrangement.id"), index=True)
    version_id: Mapped[str] = mapped_column(ForeignKey("arrangement_version.id"), index=True)
    version_number: Mapped[int] = mapped_column(Integer)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    key_id: Mapped[str] = mapped_column(String(40))
    signer_name: Mapped[str] = mapped_column(String(200))
    signer_title: Mapped[str] = mapped_column(String(200))
    terms_sha256: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Null only on a signature a process of the previous release made during a deployment (the
    # document then names the organisation as it is).
    organization_name: Mapped[str | None] = mapped_column(String(200))
    organization_tin: Mapped[str | None] = mapped_column(String(9))
    organization_npis: Mapped[list[str] | None] = mapped_column(JSON)
