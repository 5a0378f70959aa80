"""RFC 9457 problem details for every error the service produces.

Domain code raises a :class:`Problem` subclass; one set of handlers renders it, FastAPI's own
validation errors, unknown routes, wrong methods and unexpected exceptions alike. A 500 never
carries internals: it is logged with the request id, which the client also receives.
"""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount
from starlette.types import Send

from service.kit.context import request_id_var

log = logging.getLogger("cara.errors")

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://cara-service.org/problems/"


class FieldError(BaseModel):
    """One invalid input: where it is, and what is wrong with it."""

    location: str = Field(
        description="Where the bad value is: a JSON path (`body.terms.target_price`), a query parameter or, for uploads, `row 12: npi`."
    )
    message: str
    row: int | None = Field(
        None, description="Upload row number (1 = first data row) when the error is in an upload."
    )
    field: str | None = None
    value: str | None = None


class ProblemDetails(BaseModel):
    """An RFC 9457 problem document (media type `application/problem+json`)."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "example": {
                "type": "https://cara-service.org/problems/not-found",
                "title": "Not found",
                "status": 404,
                "detail": "arrangement arr_01JD7Q5Z0000000000000000 does not exist",
                "instance": "/v1/arrangements/arr_01JD7Q5Z0000000000000000",
                "request_id": "3f1c2a9e6b0d4e7f",
            }
        },
    )

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


class Problem(Exception):
    """Base of all errors the service answers with; subclasses fix status, slug and title. Every
    problem document is built by :meth:`document` (the exception handlers, the ASGI middleware
    and routes that answer a problem without raising alike)."""

    status: ClassVar[int] = 400
    slug: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Bad request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.extra = extra

    def document(self, *, instance: str | None = None, request_id: str | None = None) -> dict[str, Any]:
        """The RFC 9457 document: type, title, status, then what is known of this occurrence."""
        body: dict[str, Any] = {"type": PROBLEM_BASE + self.slug, "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail
        if instance is not None:
            body["instance"] = instance
        if request_id:
            body["request_id"] = request_id
        if self.errors:
            body["errors"] = [e.model_dump(exclude_none=True) for e in self.errors]
        if self.extra:
            body.update(self.extra)
        return body

    def response(self, *, instance: str | None = None, request_id: str | None = None) -> JSONResponse:
        return JSONResponse(
            self.document(instance=instance, request_id=request_id),
            status_code=self.status,
            media_type=PROBLEM_MEDIA_TYPE,
            headers=self.headers,
        )

    async def send(self, send: Send, *, close: bool = False) -> None:
        """Answer from ASGI middleware (no request object): the document with the request id."""
        response = self.response(request_id=request_id_var.get())
        headers = list(response.raw_headers)
        if close:
            # The rest of the body may still come; the connection cannot carry another request.
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": response.body})


class BadRequest(Problem):
    pass


class Unauthorized(Problem):
    status, slug, title = 401, "unauthorized", "Missing or invalid API key"


class Forbidden(Problem):
    status, slug, title = 403, "forbidden", "Your role may not do this"


class NotFound(Problem):
    status, slug, title = 404, "not-found", "Not found"


class MethodNotAllowed(Problem):
    status, slug, title = 405, "method-not-allowed", "Method not allowed"


class NotAcceptable(Problem):
    status, slug, title = 406, "not-acceptable", "Not acceptable"


class RequestTimeout(Problem):
    status, slug, title = 408, "request-timeout", "Request body not received in time"


class Conflict(Problem):
    status, slug, title = 409, "conflict", "Conflict with the current state"


class PreconditionFailed(Problem):
    status, slug, title = 412, "precondition-failed", "The resource changed (stale If-Match)"


class PayloadTooLarge(Problem):
    status, slug, title = 413, "payload-too-large", "Request body too large"


class UnsupportedMediaType(Problem):
    status, slug, title = 415, "unsupported-media-type", "Unsupported content type"


class Unprocessable(Problem):
    status, slug, title = 422, "validation-error", "The request is invalid"


class UploadRejected(Unprocessable):
    """An upload whose rows were refused: nothing stored; the document carries the upload report
    (answered, not raised: the report itself is stored in the request's transaction)."""

    slug, title = "upload-rejected", "Upload rejected: no row was stored"

    def __init__(self, detail: str, *, report: dict[str, Any]) -> None:
        super().__init__(detail)
        self.extra = dict(report)  # the report's own ``errors`` (its bad rows) included


class PreconditionRequired(Problem):
    status, slug, title = 428, "precondition-required", "If-Match header required"


class InternalError(Problem):
    status, slug, title = 500, "internal-error", "Internal server error"


class ServiceUnavailable(Problem):
    status, slug, title = 503, "service-unavailable", "Temporarily unavailable, retry later"


# The problem that answers a bare status (a framework's HTTP error, a documented response).
_BY_STATUS: dict[int, type[Problem]] = {
    cls.status: cls
    for cls in (
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        MethodNotAllowed,
        NotAcceptable,
        RequestTimeout,
        Conflict,
        PreconditionFailed,
        PayloadTooLarge,
        UnsupportedMediaType,
        Unprocessable,
        PreconditionRequired,
        InternalError,
        ServiceUnavailable,
    )
}


class _Unnamed(Problem):
    """A status no class names (a framework's rarer HTTP errors)."""

    slug, title = "error", "Error"

    def __init__(self, status: int, detail: str | None, headers: dict[str, str]) -> None:
        super().__init__(detail, headers=headers)
        self.status = status  # type: ignore[misc]


def for_status(status: int, detail: str | None = None, *, headers: dict[str, str] | None = None) -> Problem:
    """The problem answering ``status`` (its class's slug and title)."""
    cls = _BY_STATUS.get(status)
    return cls(detail, headers=headers) if cls else _Unnamed(status, detail, headers or {})


def _respond(request: Request, problem: Problem) -> JSONResponse:
    return problem.response(instance=request.url.path, request_id=request_id_var.get())


def _location(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


async def _problem_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, Problem)
    return _respond(request, exc)


async def _validation_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = []
    for err in exc.errors():
        message = str(err.get("msg", "invalid"))
        if err.get("type") == "json_invalid":
            message = "malformed JSON: " + str(err.get("ctx", {}).get("error", "cannot parse"))
        errors.append(FieldError(location=_location(err.get("loc", ())), message=message))
    return _respond(request, Unprocessable(f"{len(errors)} invalid value(s) in the request", errors=errors))


async def _http_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    status = exc.status_code
    detail = exc.detail if isinstance(exc.detail, str) else None
    if status == 404 and detail == "Not Found":
        detail = f"no route {request.method} {request.url.path}"
    if status == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
        # The router names the methods of the first route matching the path; the path may have
        # more routes (GET on one, POST on another): Allow lists them all (RFC 9110 15.5.6).
        allowed = _allowed_methods(request)
        if allowed:
            return _respond(request, MethodNotAllowed(detail, headers={"Allow": ", ".join(allowed)}))
    if status == 400 and detail == "There was an error parsing the body":
        # FastAPI's answer to a JSON body that is not even text (invalid UTF-8): like any
        # malformed JSON body, an invalid request (422), as docs/errors.md and every operation document.
        return _respond(
            request,
            Unprocessable(
                "1 invalid value(s) in the request",
                errors=[FieldError(location="body", message="malformed JSON: the body is not valid UTF-8")],
            ),
        )
    return _respond(request, for_status(status, detail, headers=dict(exc.headers or {})))


_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route fully matches for this path (asked of the routes themselves)."""
    return [
        method
        for method in _METHODS
        if any(
            not isinstance(route, Mount)
            and route.matches({**request.scope, "method": method})[0] is Match.FULL
            for route in request.app.router.routes
        )
    ]


def _is_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, PoolTimeoutError | ConnectionRefusedError | OSError):
        return True
    if isinstance(exc, OperationalError | DBAPIError):
        return bool(getattr(exc, "connection_invalidated", False)) or isinstance(exc, OperationalError)
    return False


def _is_nul_in_text(exc: BaseException) -> bool:
    """PostgreSQL text cannot hold NUL (0x00); psycopg refuses such a parameter before sending it."""
    return isinstance(exc, DataError) and "NUL (0x00)" in str(exc.orig)


async def unexpected_error_response(request: Request, exc: Exception) -> JSONResponse:
    if _is_nul_in_text(exc):
        # A NUL in a path, query or body value: invalid input, whatever the database.
        return _respond(
            request,
            Unprocessable(
                "1 invalid value(s) in the request",
                errors=[
                    FieldError(location="request", message="text must not contain NUL (0x00) characters")
                ],
            ),
        )
    if _is_unavailable(exc):
        log.warning("database unavailable: %s", type(exc).__name__)
        return _respond(
            request,
            ServiceUnavailable("the database is unreachable; retry shortly", headers={"Retry-After": "2"}),
        )
    log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path, exc_info=exc)
    return _respond(
        request, InternalError("an unexpected error occurred; quote the request_id when reporting it")
    )


def _document_validation_as_problem(app: FastAPI) -> None:
    """FastAPI documents its own 422 body (``HTTPValidationError``) on every route with
    parameters; this service answers a problem document instead, so the document says so."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        entry = problem_responses(422)[422]
        problem = {
            "description": entry["description"],
            "content": {
                PROBLEM_MEDIA_TYPE: {
                    "schema": {"$ref": "#/components/schemas/ProblemDetails"},
                    "example": entry["content"][PROBLEM_MEDIA_TYPE]["example"],
                }
            },
        }
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                responses = operation.get("responses", {})
                if "HTTPValidationError" in str(responses.get("422", "")):
                    responses["422"] = problem
        for name in ("HTTPValidationError", "ValidationError"):
            schema.get("components", {}).get("schemas", {}).pop(name, None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    _document_validation_as_problem(app)
    app.add_exception_handler(Problem, _problem_handler)
    app.add_exception_handler(RequestValidationError, _validation_handler)
    app.add_exception_handler(StarletteHTTPException, _http_handler)
    app.add_exception_handler(Exception, unexpected_error_response)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses=`` entries for the problems a route can return."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        problem = for_status(status)
        title = problem.title
        example: dict[str, Any] = {"type": PROBLEM_BASE + problem.slug, "title": title, "status": status}
        if status == 422:
            example["errors"] = [{"location": "body.terms.target_price", "message": "must be greater than 0"}]
        out[status] = {
            "model": ProblemDetails,
            "description": title,
            "content": {PROBLEM_MEDIA_TYPE: {"example": example}},
        }
    return out
