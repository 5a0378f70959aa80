"""Entity tags and ``If-Match`` preconditions (RFC 9110 section 13.1.1).

A resource's ETag is derived from its id and a version counter that every change increments;
a change must present the current one: none is a 428, a stale one a 412.
"""

from __future__ import annotations

from fastapi import Request

from service.kit.errors import PreconditionFailed, PreconditionRequired


def make_etag(resource_id: str, revision: int) -> str:
    return f'"{resource_id}.{revision}"'


def require_if_match(request: Request, current: str) -> None:
    supplied = request.headers.get("if-match")
    if supplied is None:
        raise PreconditionRequired(
            "send If-Match with the ETag from your last read of this resource", current_etag=current
        )
    candidates = {tag.strip().removeprefix("W/") for tag in supplied.split(",")}
    if "*" in candidates or current in candidates:
        return
    raise PreconditionFailed(
        "the resource changed since you read it; fetch it again and retry", current_etag=current
    )
