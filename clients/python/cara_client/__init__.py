"""Typed Python client of the CARA episode contracting service.

``cara_client.generated`` is generated from the service's openapi.yaml (scripts/generate-client):
one module per operation under ``cara_client.generated.api``, one class per schema under
``cara_client.generated.models``. :class:`Cara` adds what an integration needs around it: bearer
auth, retries that are safe, idempotency keys, cursor pages, ETag/If-Match, streamed uploads
and typed problems.
"""

from cara_client.session import (
    PROBLEM_TYPES,
    BadRequest,
    Cara,
    Conflict,
    Forbidden,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    PreconditionRequired,
    Problem,
    Progress,
    RateLimited,
    Read,
    Unauthorized,
    Unavailable,
    Unprocessable,
    UnsupportedMediaType,
)

__all__ = [
    "PROBLEM_TYPES",
    "BadRequest",
    "Cara",
    "Conflict",
    "Forbidden",
    "NotFound",
    "PayloadTooLarge",
    "PreconditionFailed",
    "PreconditionRequired",
    "Problem",
    "Progress",
    "RateLimited",
    "Read",
    "Unauthorized",
    "Unavailable",
    "Unprocessable",
    "UnsupportedMediaType",
]
