"""JSON responses serialised straight to bytes.

A route that declares ``response_model=`` and returns :func:`json_response` skips FastAPI's own
rendering (validating the returned model again, dumping it to Python objects, then ``json.dumps``):
the model, already validated when it was built, is written by Pydantic's serialiser in one pass.
The OpenAPI document still describes ``response_model``.
"""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import BaseModel
from starlette.responses import Response


def json_response(
    model: BaseModel, *, status_code: int = 200, headers: Mapping[str, str] | None = None
) -> Response:
    return Response(
        model.model_dump_json(), status_code=status_code, headers=headers, media_type="application/json"
    )
