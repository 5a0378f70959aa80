"""``cara openapi`` (the API document) and ``cara audit verify`` (the audit hash chain, every
signed terms version and every final settlement against the digests the chain recorded)."""

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
    from service.kit.db import make_sync_engine
    from service.settlements.integrity import verify_everything

    engine = make_sync_engine(settings.database_url)
    with Session(engine) as session:
        result = verify_everything(session)
    engine.dispose()
    chain = result.chain
    if chain.ok:
        print(f"audit chain intact: {chain.events} events")
    else:
        print(
            f"audit chain broken at event {chain.broken_seq}: {chain.reason} "
            f"({chain.events} events verified before it)",
            file=sys.stderr,
        )
    print(
        f"signed terms versions checked: {result.terms_versions_checked}; final settlements checked: "
        f"{result.settlements_checked} ({result.settlements_unsealed} finalised before digests were recorded)"
    )
    for finding in result.findings:
        print(f"ALTERED {finding.resource_type} {finding.resource_id}: {finding.problem}", file=sys.stderr)
    if result.ok:
        return 0
    return fail(
        f"verification failed: {len(result.findings)} altered resource(s), chain {'intact' if chain.ok else 'broken'}"
    )


def register(sub: Subparsers) -> None:
    sub.add_parser("openapi", help="print the OpenAPI document (YAML)").set_defaults(handler=cmd_openapi)
    audit = sub.add_parser("audit", help="the audit trail")
    audit_sub = audit.add_subparsers(dest="action", required=True)
    audit_sub.add_parser(
        "verify", help="check the hash chain, signed terms versions and final settlements"
    ).set_defaults(handler=cmd_audit_verify)
