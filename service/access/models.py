"""Organisations (ops, ACOs, preferred providers), their clinicians' NPIs, and API keys."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
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
    tin: Mapped[str | None] = mapped_column(String(9))
    aco_id: Mapped[str | None] = mapped_column(ForeignKey("organization.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    npis: Mapped[list[OrganizationNpi]] = relationship(
        lazy="selectin", order_by="OrganizationNpi.npi", cascade="all, delete-orphan"
    )

    @property
    def npi_list(self) -> list[str]:
        return [row.npi for row in self.npis]


class OrganizationNpi(Base):
    """An NPI of a clinician billing under a provider organisation's TIN (TIN-NPI participation)."""

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
