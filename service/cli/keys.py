"""``cara keys create``: a key for an organisation named on the command line."""

from __future__ import annotations

import argparse

from sqlalchemy.ext.asyncio import AsyncSession

from service.access import service as access_service
from service.access.models import Role
from service.bootstrap import run_with_session
from service.cli.common import Subparsers, fail, migrate
from service.kit.changes import CLI_ACTOR
from service.settings import Settings


def cmd_keys_create(args: argparse.Namespace, settings: Settings) -> int:
    role = Role(args.role)

    async def work(session: AsyncSession) -> tuple[str, str, str]:
        org, key, plaintext = await access_service.issue_key_by_name(
            session, actor=CLI_ACTOR, org_name=args.org, role=role, name=args.name
        )
        return org.id, key.id, plaintext

    migrate(settings)
    try:
        org_id, key_id, plaintext = run_with_session(settings, work)
    except LookupError as exc:
        return fail(str(exc))
    print(f"organisation {org_id}, key {key_id}, role {role.value}. The key (shown once):")
    print(plaintext)
    return 0


def register(sub: Subparsers) -> None:
    keys = sub.add_parser("keys", help="API keys")
    keys_sub = keys.add_subparsers(dest="action", required=True)
    create = keys_sub.add_parser("create", help="issue a key; the key alone is the last line of output")
    create.add_argument(
        "--org", required=True, help="organisation name (an ops organisation is created if absent)"
    )
    create.add_argument(
        "--role",
        required=True,
        choices=["ops", "aco", "provider"],
        help="the key's role (the organisation's kind)",
    )
    create.add_argument("--name", help="a label for the key")
    create.set_defaults(handler=cmd_keys_create)
