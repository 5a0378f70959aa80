"""The OpenAPI document as clients generate from it.

FastAPI writes most of the document from the routes; :func:`finish_document` adds what it cannot
know, so that a generated client can use every operation:

- operation ids from the route functions' names, in camelCase (``create_arrangement`` ->
  ``createArrangement``): stable while a function keeps its name, unique (checked here);
- ``application/problem+json`` with the ``ProblemDetails`` schema on every error response (and
  nothing under ``application/json``, which the service never sends for an error);
- a 429 problem with ``Retry-After`` and the rate-limit headers on every rate-limited operation;
- the request headers ``If-Match`` (where a change needs it) and ``Idempotency-Key`` (every
  POST the idempotency layer covers), and ``Content-Encoding`` on streamed uploads;
- the response headers ``ETag``, ``Location`` and ``RateLimit-*`` where the service sends them;
- uploads' bodies as binary strings of their real media types.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from fastapi.routing import APIRoute

from service.kit.errors import PROBLEM_BASE, PROBLEM_MEDIA_TYPE

PROBLEM_REF = {"$ref": "#/components/schemas/ProblemDetails"}
_METHODS = ("get", "put", "post", "delete", "patch")

HEADERS: dict[str, dict[str, Any]] = {
    "ETag": {
        "description": "The resource's current entity tag: send it as `If-Match` to change it.",
        "schema": {"type": "string"},
    },
    "Location": {"description": "The path of the created resource.", "schema": {"type": "string"}},
    "RateLimit-Limit": {
        "description": "Requests this API key may make in the current window (one minute).",
        "schema": {"type": "integer"},
    },
    "RateLimit-Remaining": {
        "description": "Requests left in the current window.",
        "schema": {"type": "integer"},
    },
    "RateLimit-Reset": {
        "description": "Seconds until the window frees capacity again.",
        "schema": {"type": "integer"},
    },
    "Retry-After": {"description": "Seconds to wait before retrying.", "schema": {"type": "integer"}},
}

PARAMETERS: dict[str, dict[str, Any]] = {
    "IfMatch": {
        "name": "If-Match",
        "in": "header",
        "required": True,
        "description": "The `ETag` from your last read of the resource. Missing: 428; stale: 412.",
        "schema": {"type": "string"},
    },
    "IdempotencyKey": {
        "name": "Idempotency-Key",
        "in": "header",
        "required": False,
        "description": "A unique key (1 to 255 characters) per intended change: a retry with the same key "
        "and body replays the first response instead of acting twice (for 24 hours).",
        "schema": {"type": "string", "minLength": 1, "maxLength": 255},
    },
    "ContentEncoding": {
        "name": "Content-Encoding",
        "in": "header",
        "required": False,
        "description": "`gzip` for a gzip-compressed body.",
        "schema": {"type": "string", "enum": ["gzip", "identity"]},
    },
}

_RATE_LIMIT_HEADERS = ("RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")

TOO_MANY_REQUESTS: dict[str, Any] = {
    "description": "Too many requests for this API key: wait `Retry-After` seconds.",
    "headers": {
        name: {"$ref": f"#/components/headers/{name}"} for name in ("Retry-After", *_RATE_LIMIT_HEADERS)
    },
    "content": {
        PROBLEM_MEDIA_TYPE: {
            "schema": PROBLEM_REF,
            "example": {
                "type": PROBLEM_BASE + "rate-limited",
                "title": "Too many requests",
                "status": 429,
                "detail": "this API key may make 600 requests a minute; retry in 12 s",
            },
        }
    },
}


def operation_id(route: APIRoute) -> str:
    """``create_arrangement`` -> ``createArrangement``."""
    head, *rest = route.name.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def finish_document(
    document: dict[str, Any],
    *,
    if_match: Iterable[str],
    etag: Iterable[str],
    location: Iterable[str],
    is_idempotent_post: Callable[[str], bool],
    is_upload: Callable[[str], bool],
    is_rate_limited: Callable[[str], bool],
) -> dict[str, Any]:
    """Complete ``document`` in place (see the module docstring); the sets name operation ids."""
    operations: dict[str, tuple[str, str, dict[str, Any]]] = {}
    for path, item in document.get("paths", {}).items():
        for method in _METHODS:
            if method in item:
                op = item[method]
                op_id = op["operationId"]
                if op_id in operations:
                    raise ValueError(
                        f"two operations are called {op_id}: {operations[op_id][:2]}, {(method, path)}"
                    )
                operations[op_id] = (method, path, op)
    wanted = {"If-Match": set(if_match), "ETag": set(etag), "Location": set(location)}
    for name, ids in wanted.items():
        unknown = ids - operations.keys()
        if unknown:
            raise ValueError(f"{name} is declared for unknown operation(s) {sorted(unknown)}")

    components = document.setdefault("components", {})
    components.setdefault("headers", {}).update(HEADERS)
    components.setdefault("parameters", {}).update(PARAMETERS)

    for op_id, (method, path, op) in operations.items():
        parameters: list[dict[str, Any]] = op.setdefault("parameters", [])
        if op_id in wanted["If-Match"]:
            parameters.append({"$ref": "#/components/parameters/IfMatch"})
        if method == "post" and is_idempotent_post(path):
            parameters.append({"$ref": "#/components/parameters/IdempotencyKey"})
        if method == "post" and is_upload(path):
            _describe_upload(op)
        if not parameters:
            del op["parameters"]
        limited = is_rate_limited(path)
        responses: dict[str, Any] = op["responses"]
        if limited and "429" not in responses:
            responses["429"] = TOO_MANY_REQUESTS
        for code, response in responses.items():
            if code[0] in "45":
                _problem_content(response)
                continue
            if not code.startswith("2"):
                continue
            headers = response.setdefault("headers", {})
            if op_id in wanted["ETag"]:
                headers["ETag"] = {"$ref": "#/components/headers/ETag"}
            if op_id in wanted["Location"] and code == "201":
                headers["Location"] = {"$ref": "#/components/headers/Location"}
            if limited:
                headers.update(
                    {name: {"$ref": f"#/components/headers/{name}"} for name in _RATE_LIMIT_HEADERS}
                )
            if not headers:
                del response["headers"]
    return document


def _problem_content(response: dict[str, Any]) -> None:
    """Only ``application/problem+json``, whatever FastAPI listed (its ``application/json`` for a
    ``model``, the route's own media type): an error is a problem document."""
    content: dict[str, Any] = response.get("content", {})
    example = next((c["example"] for c in content.values() if "example" in c), None)
    problem: dict[str, Any] = {"schema": PROBLEM_REF}
    if example is not None:
        problem["example"] = example
    response["content"] = {PROBLEM_MEDIA_TYPE: problem}


def _describe_upload(op: dict[str, Any]) -> None:
    """A streamed body is bytes of its media type; ``Content-Encoding: gzip`` may compress it."""
    body: Mapping[str, Any] = op.get("requestBody", {})
    content: dict[str, Any] = dict(body.get("content", {}))
    textual = False
    for media_type, entry in content.items():
        schema = entry.get("schema", {})
        if schema.get("type") == "string":
            schema["format"] = "binary"
        textual = textual or media_type.startswith("text/") or "ndjson" in media_type
    if textual:
        op.setdefault("parameters", []).append({"$ref": "#/components/parameters/ContentEncoding"})
