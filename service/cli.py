"""The ``cara`` command: serve, db, keys, openapi, audit (and the domains' own commands)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from service.health import alembic_config
from service.settings import Settings, get_settings

T = TypeVar("T")


def _fail(message: str, code: int = 1) -> int:
    print(f"cara: {message}", file=sys.stderr)
    return code


def upgrade_database(settings: Settings) -> None:
    from service.kit.db import make_sync_engine

    engine = make_sync_engine(settings.database_url)
    with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several processes starting at once: one migrates, the others wait, then find it done.
            connection.execute(text("SELECT pg_advisory_xact_lock(727272)"))
        config = alembic_config(settings.database_url)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    engine.dispose()


def run_with_session(settings: Settings, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Run ``work`` in one committed transaction, as a request would."""
    from service.bootstrap import bootstrap
    from service.kit.db import Database

    bootstrap()

    async def runner() -> T:
        database = Database(settings.database_url, 2)
        try:
            async with database.sessionmaker() as session:
                result = await work(session)
                await session.commit()
                return result
        finally:
            await database.dispose()

    return asyncio.run(runner())


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from service.app import create_app
    from service.kit.http_protocol import header_timeout_protocol

    upgrade_database(settings)
    if settings.load_definitions_on_start:
        status = load_definitions(settings)
        if status != 0:
            return status
    if args.with_worker:
        settings = settings.model_copy(update={"webhook_worker_in_process": True})
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        log_config=None,
        proxy_headers=False,
        server_header=False,  # no product banner for scanners
        timeout_keep_alive=5,
        http=header_timeout_protocol(settings.header_read_timeout_seconds),
        limit_concurrency=args.limit_concurrency,
        timeout_graceful_shutdown=30,
    )
    return 0


def load_definitions(settings: Settings, directory: str | None = None) -> int:
    """Publish contracts/episodes/*.yaml (idempotent); a changed published definition fails."""
    from pathlib import Path

    from service.definitions.service import DefinitionFileError, LoadedFile, load_directory
    from service.kit.changes import CLI_ACTOR

    async def work(session: AsyncSession) -> list[LoadedFile]:
        return await load_directory(
            session, actor=CLI_ACTOR, directory=Path(directory) if directory else None
        )

    try:
        loaded = run_with_session(settings, work)
    except DefinitionFileError as exc:
        return _fail(f"episode definitions not loaded: {exc}")
    for item in loaded:
        print(f"{item.code} version {item.version}: {item.outcome} ({item.path.name})")
    return 0


def cmd_definitions(args: argparse.Namespace, settings: Settings) -> int:
    from service.definitions.service import render_json_schema

    if args.action == "schema":
        sys.stdout.write(render_json_schema())
        return 0
    upgrade_database(settings)
    return load_definitions(settings, args.dir)


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    """Deliver webhooks until SIGINT or SIGTERM; several workers may run at once (PostgreSQL)."""
    import signal

    from service.bootstrap import bootstrap
    from service.kit.db import Database
    from service.webhooks.worker import run_worker

    bootstrap(log_level=settings.log_level)
    upgrade_database(settings)

    async def runner() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        database = Database(settings.database_url, settings.database_pool_size)
        try:
            await run_worker(database, settings, stop=stop)
        finally:
            await database.dispose()

    asyncio.run(runner())
    return 0


def cmd_import_rif(args: argparse.Namespace, settings: Settings) -> int:
    """Import a directory of CMS RIF files for one ACO: alignment first, then claims."""
    from pathlib import Path

    from service.ingest import service as ingest_service
    from service.ingest.rif import RifDelivery
    from service.kit.changes import CLI_ACTOR

    upgrade_database(settings)
    try:
        delivery = RifDelivery(Path(args.directory), shift_years=args.shift_years)
    except (FileNotFoundError, KeyError, ValueError) as exc:
        return _fail(f"cannot read RIF files: {exc}")
    exit_code = 0
    for kind in ("alignment", "claims"):
        records = delivery.alignment_records() if kind == "alignment" else delivery.claim_records()

        async def work(
            session: AsyncSession, kind: str = kind, records: Any = records
        ) -> ingest_service.IngestResult:
            await ingest_service.require_aco(session, args.aco)
            return await ingest_service.ingest(
                session,
                actor=CLI_ACTOR,
                aco_id=args.aco,
                kind=kind,
                source="rif",
                records=records,
                content_sha256=lambda: delivery.sha256(kind),
                bytes_received=delivery.size,
                on_error=args.on_error,
                settings=settings,
            )

        try:
            result = run_with_session(settings, work)
        except Exception as exc:
            return _fail(f"{kind}: {getattr(exc, 'detail', None) or exc}")
        upload = result.upload
        note = "" if result.created else " (already imported: nothing new stored)"
        print(
            f"{kind}: upload {upload.id} {upload.status}{note}: {upload.rows_received} received, "
            f"{upload.rows_stored} stored, {upload.rows_rejected} rejected"
        )
        for error in upload.errors[:20]:
            print(f"  {error['location']}: {error['message']} ({error['value']!r})")
        if upload.status == "rejected":
            if not settings.sandbox and any(
                e["field"] == "mbi" and "synthetic" in e["message"] for e in upload.errors
            ):
                print("  hint: CMS sample files carry synthetic MBIs; set CARA_SANDBOX=true to import them")
            exit_code = 1
            break
    return exit_code


def cmd_import_cclf(args: argparse.Namespace, settings: Settings) -> int:
    """Import one CCLF delivery for one ACO: checked against CCLF0 first (a refused delivery stores
    nothing), then alignment (CCLF8), then claims (CCLF1/2/4, CCLF5, CCLF6), MBIs via CCLF9. The
    delivery is a directory, or a zip or tar of one (unpacked to a temporary directory)."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:  # where an archive is unpacked
        return _import_cclf(Path(args.directory), Path(scratch), args, settings)


def _import_cclf(source: Path, scratch: Path, args: argparse.Namespace, settings: Settings) -> int:
    import csv
    from datetime import date

    from service.ingest import service as ingest_service
    from service.ingest.cclf import CclfDelivery, DeliveryRefused, DeliveryResult, import_delivery, unpack
    from service.kit.changes import CLI_ACTOR

    upgrade_database(settings)
    try:
        aligned_from = date.fromisoformat(args.aligned_from) if args.aligned_from else None
        if source.is_file():
            unpack(source, scratch, max_bytes=sys.maxsize)  # the operator's own file
            source = scratch
        delivery = CclfDelivery(source, aligned_from=aligned_from)
    except DeliveryRefused as exc:
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return _fail("CCLF delivery refused: nothing was stored")
    except ValueError as exc:
        return _fail(f"cannot read the CCLF delivery: {exc}")
    if args.explain:
        with open(args.explain, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(
                [
                    "file",
                    "record",
                    "cur_clm_uniq_id",
                    "claim",
                    "adjustment_type",
                    "effective",
                    "paid_amount",
                    "counts",
                    "reason",
                ]
            )
            for d in delivery.decisions():
                v = d.version
                writer.writerow(
                    [v.file, v.record, v.uid, v.key, v.code, v.effective, v.amount, d.counts, d.reason]
                )

    async def work(session: AsyncSession) -> DeliveryResult:
        await ingest_service.require_aco(session, args.aco)
        return await import_delivery(
            session,
            actor=CLI_ACTOR,
            aco_id=args.aco,
            delivery=delivery,
            on_error=args.on_error,
            settings=settings,
        )

    try:
        result = run_with_session(settings, work)
    except Exception as exc:
        return _fail(f"{getattr(exc, 'detail', None) or exc}")
    for kind, part in (("alignment", result.alignment), ("claims", result.claims)):
        if part is None:
            print(f"{kind}: not stored (the delivery was rejected)")
            continue
        upload = part.upload
        note = "" if part.created else " (already imported: nothing new stored)"
        print(
            f"{kind}: upload {upload.id} {upload.status}{note}: {upload.rows_received} received, "
            f"{upload.rows_stored} stored, {upload.rows_rejected} rejected"
        )
        for error in upload.errors[:20]:
            print(f"  {error['location']}: {error['message']} ({error['value']!r})")
    return 1 if result.rejected else 0


def cmd_db(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "upgrade":
        upgrade_database(settings)
        print("database at head")
        return 0
    config = alembic_config(settings.database_url)
    command.downgrade(config, args.revision)
    print(f"database at {args.revision}")
    return 0


def cmd_keys_create(args: argparse.Namespace, settings: Settings) -> int:
    from service.access import repository, service
    from service.access.models import OrgKind, Role
    from service.kit.changes import CLI_ACTOR

    role = Role(args.role)

    async def work(session: AsyncSession) -> tuple[str, str, str]:
        if role is Role.ops:
            org = await service.ensure_ops_organization(session, args.org)
        else:
            found = await repository.get_by_name(session, args.org, OrgKind(role.value))
            if found is None:
                raise LookupError(
                    f"no {role.value} organisation named {args.org!r}; create it with the API first"
                )
            org = found
        key, plaintext = await service.create_api_key(
            session, actor=CLI_ACTOR, org_id=org.id, name=args.name or f"{args.org} ({role.value})", role=role
        )
        return org.id, key.id, plaintext

    upgrade_database(settings)
    try:
        org_id, key_id, plaintext = run_with_session(settings, work)
    except LookupError as exc:
        return _fail(str(exc))
    print(f"organisation {org_id}, key {key_id}, role {role.value}. The key (shown once):")
    print(plaintext)
    return 0


def cmd_openapi(args: argparse.Namespace, settings: Settings) -> int:
    from service.app import create_app

    sys.stdout.write(render_openapi(create_app(settings).openapi()))
    return 0


def render_openapi(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)


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
    return _fail(
        f"audit chain broken at event {result.broken_seq}: {result.reason} ({result.events} events verified before it)"
    )


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from service import demo

    if settings.environment == "production":
        return _fail("refusing to load demo data in production (CARA_ENVIRONMENT=production)")
    upgrade_database(settings)
    status = load_definitions(settings)
    if status != 0:
        return status
    from service.bootstrap import bootstrap

    bootstrap()
    try:
        keys, loaded_now = asyncio.run(demo.run(settings, Path(args.keys_file)))
    except demo.DemoError as exc:
        return _fail(f"demo data could not be loaded: {exc}")
    path = Path(args.keys_file)
    demo.write_keys(path, keys)
    print("Demo data " + ("loaded" if loaded_now else "already present; new keys issued") + ".")
    print(f"  ops key       {keys.ops}")
    print(f"  ACO key       {keys.aco}   ({demo.ACO_NAME})")
    print(f"  provider key  {keys.provider}   ({demo.GERIATRICS_NAME}, executed arrangement)")
    print(f"  provider key  {keys.therapy}   ({demo.THERAPY_NAME}, proposed arrangement)")
    print(f"Keys and ids saved to {path} (load them with: source {path}).")
    print(f"API docs: http://{args.host}:{args.port}/docs once `cara serve` runs.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cara", description="CARA episode contracting service")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="apply pending migrations, then serve HTTP")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--limit-concurrency",
        type=int,
        default=None,
        help="answer 503 beyond this many concurrent connections",
    )
    serve.add_argument(
        "--with-worker",
        action="store_true",
        help="also deliver webhooks from this process (instead of a separate `cara worker`)",
    )
    serve.set_defaults(handler=cmd_serve)

    demo = sub.add_parser(
        "demo", help="load demo organisations, arrangements, claims and a settlement (sandbox only)"
    )
    demo.add_argument("--host", default="127.0.0.1", help="where the docs will be (for the message)")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--keys-file", default="var/demo-keys.env", help="where to save the keys and ids")
    demo.set_defaults(handler=cmd_demo)

    worker = sub.add_parser("worker", help="deliver webhooks until interrupted (SIGINT/SIGTERM)")
    worker.set_defaults(handler=cmd_worker)

    db = sub.add_parser("db", help="database migrations")
    db_sub = db.add_subparsers(dest="action", required=True)
    db_sub.add_parser("upgrade", help="apply all pending migrations").set_defaults(handler=cmd_db)
    down = db_sub.add_parser("downgrade", help="revert to a revision (base = empty)")
    down.add_argument("revision")
    down.set_defaults(handler=cmd_db)

    keys = sub.add_parser("keys", help="API keys")
    keys_sub = keys.add_subparsers(dest="action", required=True)
    create = keys_sub.add_parser("create", help="issue a key; the key alone is the last line of output")
    create.add_argument(
        "--org", required=True, help="organisation name (an ops organisation is created if absent)"
    )
    create.add_argument("--role", required=True, choices=["ops", "aco", "provider"])
    create.add_argument("--name", help="a label for the key")
    create.set_defaults(handler=cmd_keys_create)

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

    importer = sub.add_parser("import", help="import claim files through the upload validation and storage")
    import_sub = importer.add_subparsers(dest="format", required=True)
    rif = import_sub.add_parser("rif", help="a directory of CMS RIF files (pipe-delimited)")
    rif.add_argument("directory")
    rif.add_argument("--aco", required=True, help="the ACO's organisation id (org_...)")
    rif.add_argument("--shift-years", type=int, default=0, help="move every date by this many years")
    rif.add_argument("--on-error", choices=["reject", "skip"], default="reject")
    rif.set_defaults(handler=cmd_import_rif)
    cclf = import_sub.add_parser(
        "cclf", help="one CMS CCLF delivery (fixed-width files with a CCLF0 summary)"
    )
    cclf.add_argument("directory", metavar="PATH", help="the delivery: a directory, or a zip or tar of one")
    cclf.add_argument("--aco", required=True, help="the ACO's organisation id (org_...)")
    cclf.add_argument("--on-error", choices=["reject", "skip"], default="reject")
    cclf.add_argument(
        "--aligned-from",
        help="YYYY-MM-DD for the alignment rows (default: 1 January of the earliest claim's year)",
    )
    cclf.add_argument(
        "--explain", metavar="FILE", help="write every claim version's decision and reason (CSV)"
    )
    cclf.set_defaults(handler=cmd_import_cclf)

    sub.add_parser("openapi", help="print the OpenAPI document (YAML)").set_defaults(handler=cmd_openapi)

    audit = sub.add_parser("audit", help="the audit trail")
    audit_sub = audit.add_subparsers(dest="action", required=True)
    audit_sub.add_parser("verify", help="check the hash chain").set_defaults(handler=cmd_audit_verify)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = get_settings()
    except ValueError as exc:
        return _fail(f"configuration refused: {exc}", 2)
    handler: Callable[[argparse.Namespace, Settings], int] = args.handler
    return handler(args, settings)


if __name__ == "__main__":
    sys.exit(main())
