"""Liveness, readiness and metrics: unauthenticated, for load balancers and Prometheus."""

from __future__ import annotations

from alembic.config import Config
from alembic.script import ScriptDirectory
from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from service.kit.db import get_database
from service.settings import project_dir

router = APIRouter(tags=["health"])

MIGRATIONS_DIR = project_dir("migrations")


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        # The option is read through configparser's interpolation: a percent-encoded password
        # (as CARA_DATABASE_PASSWORD_FILE produces) must have its % doubled.
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


_HEAD: list[str] = []


def head_revision() -> str:
    if not _HEAD:
        _HEAD.append(ScriptDirectory.from_config(alembic_config()).get_current_head() or "")
    return _HEAD[0]


@router.get("/healthz", summary="Liveness", description="**Anyone.** 200 while the process runs.")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="Readiness",
    description="**Anyone.** 200 when the database answers and its schema is at the code's migration "
    "head; 503 otherwise (with the reason).",
    responses={503: {"description": "Not ready"}},
)
async def readyz() -> JSONResponse:
    try:
        async with get_database().engine.connect() as conn:
            current = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    except Exception:
        return JSONResponse({"status": "unavailable", "reason": "database unreachable or not migrated"}, 503)
    head = head_revision()
    if current != head:
        return JSONResponse(
            {"status": "unavailable", "reason": f"schema at {current}, code expects {head}"}, 503
        )
    return JSONResponse({"status": "ready", "schema": current})


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    description="**Anyone.** Request counts and latency histograms per route.",
    response_class=Response,
    responses={
        200: {
            "description": "Prometheus text exposition format",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }
    },
)
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
