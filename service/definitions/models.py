"""Published episode definitions: immutable rows, one per (code, version)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.kit.clock import utcnow
from service.kit.db import Base, UTCDateTime


class EpisodeDefinition(Base):
    """A published definition. Never updated or deleted: a change is a new version."""

    __tablename__ = "episode_definition"
    __table_args__ = (UniqueConstraint("code", "version"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer)
    approach: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    # The validated spec as JSON (``EpisodeDefinitionSpec.model_dump(mode="json")``).
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    content_sha256: Mapped[str] = mapped_column(String(64))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
