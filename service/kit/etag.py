"""Entity tags and ``If-Match`` preconditions (RFC 9110 section 13.1.1).

A resource's ETag is derived from its id and a version counter that every change increments;
a change must present the current one, compared strongly (RFC 9110 section 8.8.3.2):

* no ``If-Match``, ``If-Match: *`` or a list of several tags: 428. The service requires the one
  tag the client read: ``*`` ("any version") and a list ("one of these versions") would let a
  change through without proof that its author saw the current terms.
* a weak tag (``W/"..."``): 412, whatever its opaque part; a weak tag never matches strongly.
* any other tag than the current one: 412, with the current ETag in the problem.
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
    tags = [tag.strip() for tag in supplied.split(",") if tag.strip()]
    if len(tags) != 1 or tags[0] == "*":
        raise PreconditionRequired(
            "If-Match must carry exactly one ETag, the one from your last read of this resource "
            "(not * and not a list)",
            current_etag=current,
        )
    if tags[0] == current:  # strong comparison: a weak W/"..." tag never matches
        return
    raise PreconditionFailed(
        "the resource changed since you read it (or the tag is weak); fetch it again and retry",
        current_etag=current,
    )
