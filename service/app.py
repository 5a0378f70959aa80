"""The FastAPI application factory: routers, middleware, error handlers, docs."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import timedelta
from functools import partial
from importlib.metadata import version
from pathlib import Path
from typing import Any

import fastapi_offline
import yaml
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from service import health
from service.access.auth import KeyCache, key_cache, verified_key
from service.access.router import router as access_router
from service.analyses.router import router as analyses_router
from service.arrangements.router import router as arrangements_router
from service.audit.router import router as audit_router
from service.bootstrap import bootstrap
from service.definitions import code_sets, codes
from service.definitions.router import router as definitions_router
from service.episodes.router import router as episodes_router
from service.ingest.fhir.router import router as fhir_router
from service.ingest.router import router as ingest_router
from service.kit.body_limits import JsonBodyGuard
from service.kit.db import Database, set_database
from service.kit.errors import install_error_handlers, unexpected_error_response
from service.kit.idempotency import IdempotencyMiddleware
from service.kit.middleware import ServiceMiddleware
from service.kit.openapi import finish_document, operation_id
from service.kit.ratelimit import Budget, RateLimitHeaders, RateLimits
from service.kit.security_headers import SecurityHeaders
from service.rosters.router import router as rosters_router
from service.settings import Settings, get_settings
from service.settlements.router import router as settlements_router
from service.webhooks import worker as webhooks_worker
from service.webhooks.router import router as webhooks_router

STREAMING_PREFIXES = ("/v1/alignment", "/v1/claims", "/v1/cclf-deliveries", "/v1/fhir-imports")
# The interactive docs run Swagger UI's script and styles; an arrangement's ``/document`` is
# self-contained HTML; API answers are never cached.
SECURITY_HEADERS = SecurityHeaders(
    docs_prefixes=("/docs", "/static/docs"), document_suffixes=("/document",), no_store_prefixes=("/v1/",)
)

DESCRIPTION = """
Contracting and settlement of **CARA** episode-based risk arrangements (EBRAs) under Medicare's
LEAD model: an ACO and a specialist practice (the *preferred provider*) agree a target price per
episode of care; after the performance period the episodes' actual Medicare spending, summed
from claims, is settled against the targets.

**Authentication.** Every `/v1` call takes `Authorization: Bearer <api key>`; press
*Authorize* and paste your key. Each key belongs to one organisation and one role
(`ops`, `aco`, `provider`); each operation's description names the roles it admits.
Another organisation's resource answers 404, as if it did not exist.

**Conventions.** Errors are RFC 9457 problem documents (`application/problem+json`). Money and
percentages are decimal strings (`"1176.00"`, `"-2"`). Lists take `limit` and an opaque
`cursor`. Arrangement changes need `If-Match` with the current `ETag`. Every POST accepts an
`Idempotency-Key`.
"""

TAGS = [
    {
        "name": "organizations and keys",
        "description": "Onboarding ACOs and providers, issuing and revoking API keys (ops).",
    },
    {
        "name": "episode definitions",
        "description": "The episode library: triggers, windows, measures (docs/method.md section 1).",
    },
    {
        "name": "arrangements",
        "description": "Proposing, negotiating, signing, amending and terminating EBRAs.",
    },
    {"name": "uploads", "description": "Beneficiary alignment and claim lines, streamed and validated."},
    {"name": "episodes", "description": "Episodes detected from claims for an arrangement."},
    {
        "name": "analyses",
        "description": "Historical episodes in an ACO's own claims without an arrangement: spending per "
        "practice and NPI, leakage, a recommended target price.",
    },
    {
        "name": "settlements",
        "description": "Quality reporting, settlement previews, revisions and statements.",
    },
    {"name": "webhooks", "description": "Signed event delivery (Standard Webhooks)."},
    {"name": "audit", "description": "The append-only, hash-chained audit trail."},
    {"name": "health", "description": "Liveness, readiness and metrics."},
]

# What the OpenAPI document cannot learn from the routes (see service/kit/openapi.py), by
# operation id: the changes that need If-Match, and the responses carrying ETag or Location.
_ARRANGEMENT_CHANGES = {
    "reviseArrangement",
    "signArrangement",
    "declineArrangement",
    "withdrawArrangement",
    "amendArrangement",
    "terminateArrangement",
    "approveArrangement",
    "rejectArrangement",
}
IF_MATCH = _ARRANGEMENT_CHANGES
ETAG = _ARRANGEMENT_CHANGES | {
    "createArrangement",
    "getArrangement",
    "getArrangementVersion",
    "getArrangementDocument",
    "createSettlement",
    "getSettlement",
    "finalizeSettlement",
    "getEpisodeDefinition",
    "publishEpisodeDefinition",
}
LOCATION = {"createArrangement", "createSettlement", "publishEpisodeDefinition", "createEpisodeAnalysis"}

_DOCS_STATIC = Path(fastapi_offline.__file__).resolve().parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        bootstrap(log_level=settings.log_level)
        # Load the ICD-10-CM code set (about 98,000 codes read from the package's code list,
        # some 10 MB) before the first request, then exempt everything loaded so far from garbage
        # collection: uploads allocate millions of short-lived objects, and each
        # full collection would otherwise walk the long-lived ones again.
        codes.icd10_codes()
        code_sets.icd10_sets()  # and any newer set added as data (contracts/code-sets/)
        gc.freeze()
        database = Database(settings.database_url, settings.database_pool_size)
        set_database(database)
        app.state.settings = settings
        # Optional in-process webhook delivery (`cara serve --with-worker`); else `cara worker`.
        stop_worker = (
            await webhooks_worker.start_in_process(database, settings)
            if settings.webhook_worker_in_process
            else None
        )
        try:
            yield
        finally:
            if stop_worker is not None:
                await stop_worker()
            await database.dispose()
            set_database(None)

    app = FastAPI(
        title="CARA episode contracting service",
        version=version("cara-service"),
        summary="Episode-based risk arrangements between Medicare ACOs and specialists, settled from claims.",
        description=DESCRIPTION,
        openapi_tags=TAGS,
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    app.state.api_keys = key_cache(settings.api_key_cache_seconds)
    app.state.rate_limits = RateLimits(
        Budget(
            per_role={
                "ops": settings.rate_limit_ops_per_minute,
                "aco": settings.rate_limit_aco_per_minute,
                "provider": settings.rate_limit_provider_per_minute,
            },
            uploads=settings.rate_limit_uploads_per_minute,
        ),
        redis_url=settings.redis_url,
        is_upload=lambda path: path.startswith(STREAMING_PREFIXES),
    )
    install_error_handlers(app)

    for router in (
        health.router,
        access_router,
        rosters_router,
        definitions_router,
        arrangements_router,
        ingest_router,
        fhir_router,
        episodes_router,
        analyses_router,
        settlements_router,
        webhooks_router,
        audit_router,
    ):
        app.include_router(router)

    _finish_openapi(app, is_streaming=lambda path: path.startswith(STREAMING_PREFIXES))

    app.mount("/static/docs", StaticFiles(directory=_DOCS_STATIC), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="CARA API",
            swagger_js_url="/static/docs/swagger-ui-bundle.js",
            swagger_css_url="/static/docs/swagger-ui.css",
            swagger_favicon_url="/static/docs/favicon.png",
            swagger_ui_parameters={"persistAuthorization": True, "displayRequestDuration": True},
        )

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    def is_streaming(path: str) -> bool:
        return path.startswith(STREAMING_PREFIXES)

    # Added innermost first: ServiceMiddleware ends up outermost.
    app.add_middleware(
        IdempotencyMiddleware,
        ttl=timedelta(hours=settings.idempotency_ttl_hours),
        is_streaming_path=is_streaming,
        identify=partial(_key_id, cache=app.state.api_keys),
    )
    app.add_middleware(
        JsonBodyGuard,
        max_body_bytes=settings.max_json_body_bytes,
        max_json_depth=settings.max_json_depth,
        is_streaming_path=is_streaming,
    )
    app.add_middleware(
        ServiceMiddleware,
        max_body_bytes=settings.max_json_body_bytes,
        body_read_timeout=settings.body_read_timeout_seconds,
        is_streaming_path=is_streaming,
        error_response=unexpected_error_response,
        security_headers=SECURITY_HEADERS,
    )
    app.add_middleware(RateLimitHeaders)
    return app


def render_openapi(document: dict[str, Any]) -> str:
    """The OpenAPI document as the committed ``openapi.yaml`` holds it."""
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


def openapi_yaml(settings: Settings | None = None) -> str:
    return render_openapi(create_app(settings).openapi())


def _finish_openapi(app: FastAPI, *, is_streaming: Callable[[str], bool]) -> None:
    generate = app.openapi
    finished: list[dict[str, Any]] = []

    def openapi() -> dict[str, Any]:
        if not finished:
            finished.append(
                finish_document(
                    generate(),
                    if_match=IF_MATCH,
                    etag=ETAG,
                    location=LOCATION,
                    is_idempotent_post=lambda path: not is_streaming(path),
                    is_upload=is_streaming,
                    is_rate_limited=lambda path: path.startswith("/v1/"),
                )
            )
        return finished[0]

    app.openapi = openapi  # type: ignore[method-assign]


async def _key_id(token: str, *, cache: KeyCache) -> str | None:
    """The idempotency middleware's caller: the id of a live API key (the check authentication
    makes, through the same key cache)."""
    principal = await verified_key(token, cache)
    return None if principal is None else principal.key_id
