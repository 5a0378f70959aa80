"""JSON responses serialised straight to bytes.

A route that declares ``response_model=`` and returns :func:`json_response` skips FastAPI's own
rendering (validating the returned model again, dumping it to Python objects, then ``json.dumps``):
the model, already validated when it was built, is written by Pydantic's serialiser in one pass.
The OpenAPI document still describes ``response_model``.

A hot read can go one step further with :func:`values_response`: values it laid out itself, in the
model's field order and already JSON-ready, written by orjson without building the model at all;
or with :func:`bytes_response` and :func:`page_response`, JSON it wrote earlier and kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from pydantic import BaseModel
from starlette.responses import Response


def json_response(
    model: BaseModel, *, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(
        model.model_dump_json(), status_code=status_code, headers=headers, media_type="application/json"
    )


# Pydantic writes a UTC datetime with "Z"; orjson does too with this option.
_ORJSON_OPTIONS = orjson.OPT_UTC_Z


def json_bytes(values: Any) -> bytes:
    """``values`` (dicts, lists, text, numbers, dates and datetimes, laid out as the route's
    ``response_model`` renders them) written straight to JSON bytes."""
    return orjson.dumps(values, option=_ORJSON_OPTIONS)


def values_response(
    values: Any, *, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """:func:`json_bytes` of ``values`` as the response."""
    return bytes_response(json_bytes(values), status_code=status_code, headers=headers)


def bytes_response(
    body: bytes, *, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """JSON already written (by :func:`json_bytes`) as the response."""
    return Response(body, status_code=status_code, headers=headers, media_type="application/json")


def page_response(items: Sequence[bytes], next_cursor: str | None) -> Response:
    """A page (``kit.pagination.Page``) of items already written as JSON."""
    body = b'{"items":[' + b",".join(items) + b'],"next_cursor":' + orjson.dumps(next_cursor) + b"}"
    return bytes_response(body)
