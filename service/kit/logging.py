"""Structured JSON logs on stderr, one object per line, each carrying the request id.

Nothing secret is ever logged: no API key, webhook secret, request body or claim row. Log
records carry only ids, counts, routes and timings.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

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
        return json.dumps(out, default=str)


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
