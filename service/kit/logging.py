"""Structured JSON logs on stderr, one object per line, each carrying the request id.

Nothing secret is ever logged: no API key, webhook secret, request body or claim row. Log
records carry only ids, counts, routes and timings.

Tracebacks are logged with database errors reduced to their kind, SQLSTATE and statement: the
drivers' own messages may quote the values of the failing row (PostgreSQL's ``DETAIL: Failing row
contains (...)``, a COPY's ``CONTEXT`` line), and SQLAlchemy's add the statement's parameters
(the engines also run with ``hide_parameters``).
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import traceback
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

import orjson
from sqlalchemy.exc import DBAPIError

from service.kit.context import request_id_var

_STANDARD = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = request_id_var.get()
        if rid:
            out["request_id"] = rid
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                out[key] = value
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        # orjson: an access line is written for every request, and json.dumps costs three times as much.
        return orjson.dumps(out, default=str).decode()

    def formatException(
        self,
        ei: tuple[type[BaseException], BaseException, TracebackType | None] | tuple[None, None, None],
    ) -> str:
        return format_exception_safely(ei[1]) if ei[1] is not None else ""


def _is_database_error(exc: BaseException) -> bool:
    module = type(exc).__module__
    return isinstance(exc, DBAPIError | sqlite3.Error) or module.startswith(("psycopg", "aiosqlite"))


def _message(exc: BaseException) -> str:
    if not _is_database_error(exc):
        return str(exc)
    original = getattr(exc, "orig", None) or exc
    code = getattr(original, "sqlstate", None) or getattr(original, "sqlite_errorname", None)
    text = (
        f"{type(original).__name__}"
        + (f" ({code})" if code else "")
        + ": message not logged (it may quote data)"
    )
    statement = getattr(exc, "statement", None)
    return text + (f" [SQL: {statement}]" if statement else "")


def format_exception_safely(exc: BaseException) -> str:
    """A traceback like ``traceback.format_exception``'s, database errors' messages replaced."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    parts = []
    for item in reversed(chain):
        frames = "".join(traceback.format_tb(item.__traceback__))
        name = f"{type(item).__module__}.{type(item).__qualname__}".removeprefix("builtins.")
        parts.append(f"Traceback (most recent call last):\n{frames}{name}: {_message(item)}\n")
    return "\nDuring handling of the above exception, another exception occurred:\n\n".join(parts).rstrip()


class OwnDebugOnly(logging.Filter):
    """DEBUG lines only from the service's own ``cara.*`` loggers: libraries log at DEBUG what
    must never be logged (aiosqlite every statement with its parameters: keys' hashes, webhook
    secrets, MBIs, claim rows)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.INFO or record.name == "cara" or record.name.startswith("cara.")


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(OwnDebugOnly())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Our access log replaces uvicorn's, which would print query strings.
    logging.getLogger("uvicorn.access").disabled = True
    # httpx logs every request's full URL at INFO: a webhook receiver's URL may carry a token in
    # its query. The worker logs its own attempts (ids, status, timing) instead.
    for name in ("httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
