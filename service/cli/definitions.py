"""``cara definitions load`` and ``cara definitions schema``; ``serve`` and ``demo`` load too."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from service.bootstrap import run_with_session
from service.cli.common import Subparsers, fail, migrate
from service.definitions.service import DefinitionFileError, LoadedFile, load_directory, render_json_schema
from service.kit.changes import CLI_ACTOR
from service.settings import Settings


def load_definitions(settings: Settings, directory: str | None = None) -> int:
    """Publish contracts/episodes/*.yaml (idempotent); a changed published definition fails."""

    async def work(session: AsyncSession) -> list[LoadedFile]:
        return await load_directory(
            session, actor=CLI_ACTOR, directory=Path(directory) if directory else None
        )

    try:
        loaded = run_with_session(settings, work)
    except DefinitionFileError as exc:
        return fail(f"episode definitions not loaded: {exc}")
    for item in loaded:
        print(f"{item.code} version {item.version}: {item.outcome} ({item.path.name})")
    return 0


def cmd_definitions(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "schema":
        sys.stdout.write(render_json_schema())
        return 0
    migrate(settings)
    return load_definitions(settings, args.dir)


def register(sub: Subparsers) -> None:
    definitions = sub.add_parser("definitions", help="episode definitions (contracts/episodes/)")
    definitions_sub = definitions.add_subparsers(dest="action", required=True)
    load = definitions_sub.add_parser(
        "load", help="publish every definition file; unchanged ones are skipped, changed ones refused"
    )
    load.add_argument("--dir", help="folder of *.yaml files (default: contracts/episodes/)")
    load.set_defaults(handler=cmd_definitions)
    definitions_sub.add_parser(
        "schema", help="print the JSON Schema of a definition file (contracts/schema/)"
    ).set_defaults(handler=cmd_definitions)
