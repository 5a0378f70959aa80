"""``cara import claims|alignment|rif|cclf|fhir``: files from disk through the upload validation
and storage (the work is service/ingest/file_import.py, deliveries.py and fhir/), with progress
on stderr (service/cli/progress.py)."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from service.bootstrap import bootstrap, run_with_session
from service.cli.common import Subparsers, fail, migrate
from service.cli.progress import ProgressCallback, reporting
from service.ingest import file_import
from service.ingest.cclf.delivery import CclfDelivery
from service.ingest.cclf.importer import open_delivery, write_explanation
from service.ingest.cclf.manifest import DeliveryRefused
from service.ingest.deliveries import DeliveryResult, import_delivery
from service.ingest.fhir.export import FhirExport, open_export
from service.ingest.rif import RifDelivery
from service.ingest.service import IngestResult
from service.kit.changes import CLI_ACTOR
from service.kit.db import Database
from service.settings import Settings

REPORTED_ERRORS = 20


def print_upload(kind: str, result: IngestResult) -> None:
    """One upload's report: its counts, then its first errors."""
    upload = result.upload
    note = "" if result.created else " (already imported: nothing new stored)"
    print(
        f"{kind}: upload {upload.id} {upload.status}{note}: {upload.rows_received} received, "
        f"{upload.rows_stored} stored, {upload.rows_rejected} rejected"
    )
    for error in upload.errors[:REPORTED_ERRORS]:
        print(f"  {error['location']}: {error['message']} ({error['value']!r})")


def cmd_import_file(args: argparse.Namespace, settings: Settings) -> int:
    """Import one CSV or NDJSON file (gzip or not) of claims or alignment for one ACO."""
    path = Path(args.file)
    try:
        file_import.file_format(path)
        size = path.stat().st_size
    except (OSError, ValueError) as exc:
        return fail(f"cannot read {path}: {exc}")
    migrate(settings)

    async def work(session: AsyncSession) -> IngestResult:
        with reporting() as reporter:
            return await file_import.import_file(
                session,
                actor=CLI_ACTOR,
                aco_id=args.aco,
                kind=args.format,
                path=path,
                on_error=args.on_error,
                settings=settings,
                progress=reporter.part(path.name, size),
            )

    try:
        result = run_with_session(settings, work)
    except Exception as exc:
        return fail(f"{file_import.describe(exc)}")
    print_upload(args.format, result)
    return 1 if result.upload.status == "rejected" else 0


def cmd_import_rif(args: argparse.Namespace, settings: Settings) -> int:
    """Import a directory of CMS RIF files for one ACO: alignment first, then claims."""
    migrate(settings)
    try:
        delivery = RifDelivery(Path(args.directory), shift_years=args.shift_years)
    except (FileNotFoundError, KeyError, ValueError) as exc:
        return fail(f"cannot read RIF files: {exc}")
    bootstrap()

    async def runner() -> int:
        database = Database(settings.database_url, 2)
        try:
            with reporting() as reporter:
                parts = file_import.import_rif(
                    database.sessionmaker,
                    actor=CLI_ACTOR,
                    aco_id=args.aco,
                    delivery=file_import.ReportedDelivery(delivery, reporter.part),
                    on_error=args.on_error,
                    settings=settings,
                )
                async for kind, result in parts:
                    print_upload(kind, result)
                    if result.upload.status == "rejected":
                        if file_import.rejected_for_synthetic_mbis(result.upload, settings):
                            print(
                                "  hint: CMS sample files carry synthetic MBIs; set CARA_SANDBOX=true to import them"
                            )
                        return 1
            return 0
        except file_import.PartFailed as exc:
            return fail(f"{exc.kind}: {file_import.describe(exc.cause)}")
        finally:
            await database.dispose()

    return asyncio.run(runner())


def cmd_import_cclf(args: argparse.Namespace, settings: Settings) -> int:
    """Import one CCLF delivery for one ACO: checked against CCLF0 first (a refused delivery stores
    nothing), then alignment (CCLF8), then claims (CCLF1/2/4, CCLF5, CCLF6), MBIs via CCLF9. The
    delivery is a directory, or a zip or tar of one (unpacked to a temporary directory)."""
    with tempfile.TemporaryDirectory() as scratch:  # where an archive is unpacked
        return _import_cclf(Path(args.directory), Path(scratch), args, settings)


def _import_cclf(source: Path, scratch: Path, args: argparse.Namespace, settings: Settings) -> int:
    migrate(settings)
    try:
        aligned_from = date.fromisoformat(args.aligned_from) if args.aligned_from else None
        delivery = open_delivery(source, scratch, aligned_from=aligned_from)
    except DeliveryRefused as exc:
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return fail("CCLF delivery refused: nothing was stored")
    except ValueError as exc:
        return fail(f"cannot read the CCLF delivery: {exc}")
    if args.explain:
        write_explanation(delivery, Path(args.explain))

    async def work(session: AsyncSession, delivery: CclfDelivery = delivery) -> DeliveryResult:
        with reporting() as reporter:
            return await import_delivery(
                session,
                actor=CLI_ACTOR,
                aco_id=args.aco,
                delivery=file_import.ReportedDelivery(delivery, reporter.part),
                on_error=args.on_error,
                settings=settings,
            )

    try:
        result = run_with_session(settings, work)
    except Exception as exc:
        return fail(f"{file_import.describe(exc)}")
    for kind, part in (("alignment", result.alignment), ("claims", result.claims)):
        if part is None:
            print(f"{kind}: not stored (the delivery was rejected)")
        else:
            print_upload(kind, part)
    return 1 if result.rejected else 0


ON_ERROR_HELP = (
    "reject: store nothing when any row is invalid; skip: store the valid rows and report the others"
)


def cmd_import_fhir(args: argparse.Namespace, settings: Settings) -> int:
    """Import one FHIR bulk export (BCDA) for one ACO: alignment (Patient, Coverage), then claims
    (ExplanationOfBenefit, versions resolved), in one transaction. The export is a directory of
    .ndjson / .ndjson.gz files, or a zip or tar of one (unpacked to a temporary directory)."""
    with tempfile.TemporaryDirectory() as scratch:
        return _import_fhir(Path(args.path), Path(scratch), args, settings)


def _import_fhir(source: Path, scratch: Path, args: argparse.Namespace, settings: Settings) -> int:
    migrate(settings)
    with reporting() as reporter:
        return _import_fhir_reported(source, scratch, args, settings, reporter.part("FHIR export", None))


def _import_fhir_reported(
    source: Path, scratch: Path, args: argparse.Namespace, settings: Settings, progress: ProgressCallback
) -> int:
    try:
        aligned_from = date.fromisoformat(args.aligned_from) if args.aligned_from else None
        export = open_export(source, scratch, aligned_from=aligned_from, progress=progress)
    except DeliveryRefused as exc:
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return fail("FHIR export refused: nothing was stored")
    except ValueError as exc:
        return fail(f"cannot read the FHIR export: {exc}")

    async def work(session: AsyncSession, export: FhirExport = export) -> DeliveryResult:
        return await import_delivery(
            session,
            actor=CLI_ACTOR,
            aco_id=args.aco,
            delivery=export,
            on_error=args.on_error,
            settings=settings,
        )

    try:
        result = run_with_session(settings, work)
    except Exception as exc:
        return fail(f"{file_import.describe(exc)}")
    for kind, part in (("alignment", result.alignment), ("claims", result.claims)):
        if part is None:
            print(f"{kind}: not stored (the export was rejected)")
        else:
            print_upload(kind, part)
    return 1 if result.rejected else 0


def register(sub: Subparsers) -> None:
    importer = sub.add_parser("import", help="import claim files through the upload validation and storage")
    import_sub = importer.add_subparsers(dest="format", required=True)
    for kind, what in (("claims", "claim lines"), ("alignment", "beneficiary alignment rows")):
        one = import_sub.add_parser(
            kind,
            help=f"one CSV or NDJSON file of {what} (.csv, .ndjson, .jsonl; .gz too), as POST /v1/{kind}",
        )
        one.add_argument("file", help="the file: CSV with a header line, or NDJSON; gzip-compressed or not")
        one.add_argument("--aco", required=True, help="the ACO's organisation id (org_...)")
        one.add_argument("--on-error", choices=["reject", "skip"], default="reject", help=ON_ERROR_HELP)
        one.set_defaults(handler=cmd_import_file)
    rif = import_sub.add_parser("rif", help="a directory of CMS RIF files (pipe-delimited)")
    rif.add_argument("directory", help="the directory holding the RIF files (beneficiary, carrier, ...)")
    rif.add_argument("--aco", required=True, help="the ACO's organisation id (org_...)")
    rif.add_argument("--shift-years", type=int, default=0, help="move every date by this many years")
    rif.add_argument(
        "--on-error",
        choices=["reject", "skip"],
        default="reject",
        help=ON_ERROR_HELP,
    )
    rif.set_defaults(handler=cmd_import_rif)
    cclf = import_sub.add_parser(
        "cclf", help="one CMS CCLF delivery (fixed-width files with a CCLF0 summary)"
    )
    cclf.add_argument("directory", metavar="PATH", help="the delivery: a directory, or a zip or tar of one")
    cclf.add_argument("--aco", required=True, help="the ACO's organisation id (org_...)")
    cclf.add_argument(
        "--on-error",
        choices=["reject", "skip"],
        default="reject",
        help=ON_ERROR_HELP,
    )
    cclf.add_argument(
        "--aligned-from",
        help="YYYY-MM-DD for the alignment rows (default: 1 January of the earliest claim's year)",
    )
    cclf.add_argument(
        "--explain", metavar="FILE", help="write every claim version's decision and reason (CSV)"
    )
    cclf.set_defaults(handler=cmd_import_cclf)
    fhir = import_sub.add_parser(
        "fhir", help="one FHIR bulk export (BCDA: ExplanationOfBenefit, Patient, Coverage as NDJSON)"
    )
    fhir.add_argument(
        "path",
        metavar="PATH",
        help="the export: a directory of .ndjson or .ndjson.gz files, or a zip or tar of one",
    )
    fhir.add_argument("--aco", required=True, help="the ACO's organisation id (org_...)")
    fhir.add_argument(
        "--on-error",
        choices=["reject", "skip"],
        default="reject",
        help="reject: store nothing when any row is invalid; skip: store the valid rows and report the others",
    )
    fhir.add_argument(
        "--aligned-from",
        help="YYYY-MM-DD for the alignment rows (default: 1 January of the earliest claim's year)",
    )
    fhir.set_defaults(handler=cmd_import_fhir)
