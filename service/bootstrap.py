"""What every process does once before it touches the database: the app (``cara serve``), the
command line and the webhook worker all call :func:`bootstrap`.

- The audit domain's commit hook is installed, so that every session's noted changes
  (:mod:`service.kit.changes`) become hash-chained audit events in the same transaction.
- With a log level, logging is configured (JSON lines on stderr). The short-lived sessions of a
  CLI command leave logging as it is: their output is what they print.
"""

from __future__ import annotations

from service.audit import service as audit_service
from service.kit.logging import configure_logging


def bootstrap(*, log_level: str | None = None) -> None:
    """Idempotent: a second call changes nothing."""
    if log_level is not None:
        configure_logging(log_level)
    audit_service.install()
