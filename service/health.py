"""Liveness, readiness and metrics: unauthenticated, for load balancers and Prometheus."""

from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from service.kit.db import get_database
from service.kit.migrations import head_revision

router = APIRouter(tags=["health"])


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
