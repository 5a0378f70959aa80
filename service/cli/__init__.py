"""The ``cara`` command. Each command group is a module here; a command parses its arguments,
calls a domain service (or the app, or the migrations) and prints. It does no domain work itself.

    serve, worker     service/cli/server.py
    demo              service/cli/demo.py
    db                service/cli/database.py
    keys              service/cli/keys.py
    definitions       service/cli/definitions.py
    import            service/cli/imports.py
    openapi, audit    service/cli/documents.py
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from importlib.metadata import version

from service.cli import database, definitions, demo, documents, imports, keys, server
from service.cli.common import fail
from service.settings import Settings, get_settings

GROUPS = (server.register_serve, demo.register, server.register_worker, database.register)
GROUPS_AFTER = (keys.register, definitions.register, imports.register, documents.register)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cara", description="CARA episode contracting service")
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('cara-service')}")
    sub = parser.add_subparsers(dest="command", required=True)
    for register in (*GROUPS, *GROUPS_AFTER):
        register(sub)
    return parser


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    """Run one command; ``settings`` default to the environment's (tests pass their own)."""
    args = build_parser().parse_args(argv)
    if settings is None:
        try:
            settings = get_settings()
        except ValueError as exc:
            return fail(f"configuration refused: {exc}", 2)
    handler: Callable[[argparse.Namespace, Settings], int] = args.handler
    return handler(args, settings)
