"""Organisations (ops, ACOs, preferred providers), their rosters of clinicians' NPIs over time,
and API keys."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, Enum, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.kit.clock import utcnow
from service.kit.db import Base, UTCDateTime


class OrgKind(enum.StrEnum):
    ops = "ops"
    aco = "aco"
    provider = "provider"


class Role(enum.StrEnum):
    """A key's role; it always equals the kind of the organisation it belongs to."""

    ops = "ops"
    aco = "aco"
    provider = "provider"


class Organization(Base):
    __tablename__ = "organization"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[OrgKind] = mapped_column(Enum(OrgKind, native_enum=False, length=16))
    name: Mapped[str] = mapped_column(String(200), index=True)
    # Unique per kind, checked on onboarding (rows stored before that rule may repeat one).
    tin: Mapped[str | None] = mapped_column(String(9))
    aco_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    # The identifier CMS assigned to an ACO (for example A1234); only ACOs have one.
    cms_aco_id: Mapped[str | None] = mapped_column(String(5), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    roster: Mapped[list[RosterEntry]] = relationship(
        lazy="selectin",
        order_by="(RosterEntry.npi, RosterEntry.effective_from)",
        cascade="all, delete-orphan",
    )

    def npis_from(self, day: date) -> list[str]:
        """The NPIs on the roster on ``day`` or from a later day (entries not ended before it),
        sorted: the roster as it stands, including clinicians already announced to join."""
        return sorted({e.npi for e in self.roster if e.effective_to is None or e.effective_to >= day})


class RosterEntry(Base):
    """One stay of a clinician's NPI on an organisation's roster (TIN-NPI participation), from
    ``effective_from`` through ``effective_to`` (both included; null: still on it). The same NPI
    may come back later as a new entry; the stays of one NPI on one roster never overlap."""

    __tablename__ = "roster_entry"
    __table_args__ = (
        Index("ix_roster_entry_org_npi", "organization_id", "npi", "effective_from"),
        CheckConstraint("effective_to IS NULL OR effective_to >= effective_from", name="dates_ordered"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"))
    npi: Mapped[str] = mapped_column(String(10), index=True)
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class OrganizationNpi(Base):
    """Legacy: the fixed NPI list of before rosters had dates. Nothing reads it any more (read
    the roster, :mod:`service.access.roster`); onboarding still writes it so that processes of
    the previous release, which read it, keep working while a deployment rolls over. A later
    release drops it (after copying any rows such a process added, see docs/operations.md)."""

    __tablename__ = "organization_npi"
    __table_args__ = (UniqueConstraint("organization_id", "npi"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    npi: Mapped[str] = mapped_column(String(10), index=True)


class ApiKey(Base):
    __tablename__ = "api_key"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    organization_id: Mapped[str] = mapped_column(ForeignKey("organization.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=16))
    prefix: Mapped[str] = mapped_column(String(24))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
