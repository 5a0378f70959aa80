"""``cara db upgrade`` and ``cara db downgrade REV``."""

from __future__ import annotations

import argparse

from service.cli.common import Subparsers
from service.kit import migrations
from service.settings import Settings


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "upgrade":
        migrations.upgrade(settings.database_url)
        print("database at head")
        return 0
    migrations.downgrade(settings.database_url, args.revision)
    print(f"database at {args.revision}")
    return 0


def register(sub: Subparsers) -> None:
    db = sub.add_parser("db", help="database migrations")
    db_sub = db.add_subparsers(dest="action", required=True)
    db_sub.add_parser("upgrade", help="apply all pending migrations").set_defaults(handler=cmd_db)
    down = db_sub.add_parser("downgrade", help="revert to a revision (base = empty)")
    down.add_argument("revision", help="the revision to go back to (for example 0008), or base")
    down.set_defaults(handler=cmd_db)
