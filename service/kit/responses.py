"""JSON responses serialised straight to bytes.

A route that declares ``response_model=`` and returns :func:`json_response` skips FastAPI's own
rendering (validating the returned model again, dumping it to Python objects, then ``json.dumps``):
the model, already validated when it was built, is written by Pydantic's serialiser in one pass.
The OpenAPI document still describes ``response_model``.

A hot read can go one step further with :func:`values_response`: values it laid out itself, in the
model's field order and already JSON-ready, written by orjson without building the model at all.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def values_response(
    values: Any, *, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    """``values`` (dicts, lists, text, numbers, dates and datetimes, laid out as the route's
    ``response_model`` renders them) written straight to JSON bytes."""
    return Response(
        orjson.dumps(values, option=_ORJSON_OPTIONS),
        status_code=status_code,
        headers=headers,
        media_type="application/json",
    )
