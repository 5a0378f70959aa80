"""Queries on published episode definitions."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from service.definitions.models import EpisodeDefinition


async def get(session: AsyncSession, *, code: str, version: int) -> EpisodeDefinition | None:
    return await session.scalar(
        select(EpisodeDefinition).where(EpisodeDefinition.code == code, EpisodeDefinition.version == version)
    )


def list_query(*, code: str | None = None) -> Select[EpisodeDefinition]:
    stmt = select(EpisodeDefinition)
    if code is not None:
        stmt = stmt.where(EpisodeDefinition.code == code)
    return stmt
