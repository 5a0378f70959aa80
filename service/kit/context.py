"""Per-request context values that logging and error rendering read without being passed them."""

from contextvars import ContextVar

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)
