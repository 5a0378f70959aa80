"""``cara openapi`` (the API document) and ``cara audit verify`` (the audit hash chain)."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.orm import Session

from service.cli.common import Subparsers, fail
from service.settings import Settings


def cmd_openapi(args: argparse.Namespace, settings: Settings) -> int:
    from service.app import openapi_yaml

    sys.stdout.write(openapi_yaml(settings))
    return 0


def cmd_audit_verify(args: argparse.Namespace, settings: Settings) -> int:
    from service.audit.service import verify_chain
    from service.kit.db import make_sync_engine

    engine = make_sync_engine(settings.database_url)
    with Session(engine) as session:
        result = verify_chain(session)
    engine.dispose()
    if result.ok:
        print(f"audit chain intact: {result.events} events")
        return 0
    return fail(
        f"audit chain broken at event {result.broken_seq}: {result.reason} ({result.events} events verified before it)"
    )


def register(sub: Subparsers) -> None:
    sub.add_parser("openapi", help="print the OpenAPI document (YAML)").set_defaults(handler=cmd_openapi)
    audit = sub.add_parser("audit", help="the audit trail")
    audit_sub = audit.add_subparsers(dest="action", required=True)
    audit_sub.add_parser("verify", help="check the hash chain").set_defaults(handler=cmd_audit_verify)
