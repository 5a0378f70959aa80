"""A FHIR bulk export on disk, read as a delivery (service/ingest/deliveries.py): its alignment
from ``Patient`` and ``Coverage``, its claim lines from ``ExplanationOfBenefit``.

Files are ``.ndjson`` or ``.ndjson.gz`` (one resource a line), named as anything: BCDA names
them by job, so each file's resource type is read from its first resource. Resources are read
with ``orjson`` a line at a time, so memory does not grow with the size of a file, and every read
is bounded: a line longer than ``MAX_RESOURCE_BYTES`` is an error of its row, a gzip file that
inflates beyond ``max_bytes`` or more than ``max_ratio`` times its compressed size (past its first
MiB) refuses the export (413).

Versions of a claim (same claim type and claim group) are resolved as for CCLF
(service/ingest/cclf/versions.py): a cancelled version (``status`` ``cancelled``) cancels one
before it, the latest remaining by claim received date (then claim id) counts, and every decision
on a claim with more than one version is kept beside the claims upload. A first pass keeps only a
hash of each claim's key, as the CCLF reader does; a second builds versions for the resources that
may share one.
"""

from __future__ import annotations

import gzip
import hashlib
import sys
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, ClassVar, cast

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from service.ingest.archive import unpack
from service.ingest.cclf.layouts import as_date
from service.ingest.cclf.manifest import DeliveryRefused
from service.ingest.cclf.versions import Decision, Plan, Version, in_order, plans, resolve, store_decisions
from service.ingest.fhir import mapping
from service.ingest.models import Upload
from service.ingest.service import RawRecord
from service.ingest.validation import ALIGNMENT_FIELDS, CLAIM_FIELDS
from service.kit import clock, offload
from service.kit.errors import PayloadTooLarge

EOB, PATIENT, COVERAGE = "ExplanationOfBenefit", "Patient", "Coverage"
RESOURCE_TYPES = (EOB, PATIENT, COVERAGE)
MAX_RESOURCE_BYTES = 8 << 20  # one resource (a line); CMS's largest claims are far smaller
PROGRESS_EVERY = 10_000  # resources between two progress reports
_GZIP_MAGIC = b"\x1f\x8b"
_RATIO_GRACE = 1 << 20  # a small file may inflate more: the ratio bound applies past this

Progress = Callable[[int, int], None]  # (rows made so far, bytes of resources read so far)
Read = tuple[str, int, mapping.Resource | str]  # (file, line, the resource | why it is unreadable)


def _values(row: dict[str, str], picks: tuple[str, ...]) -> list[str]:
    """A mapped row as the validator's values (its field order; a column not mapped is empty)."""
    return [row.get(name, "") for name in picks]


@dataclass
class _Scan:
    """What the first pass over the claims learns."""

    shared: set[int] = field(default_factory=set)  # resources whose claim may have other versions
    earliest: date | None = None
    hospice_start: dict[str, str] = field(default_factory=dict)  # patient id -> first hospice day


@dataclass
class FhirExport:
    """One export, read lazily. ``aligned_from`` defaults to 1 January of the year of the earliest
    claim (an export carries no alignment period). ``progress`` is called from the worker thread
    that reads the claims."""

    source: ClassVar[str] = "fhir"

    directory: Path
    aligned_from: date | None = None
    max_bytes: int = sys.maxsize
    max_ratio: int = 0  # 0: no ratio bound (an operator's own files)
    max_blank_lines: int = sys.maxsize  # empty lines in the files of one resource type
    progress: Progress | None = None
    files: dict[str, list[Path]] = field(default_factory=dict)
    decided: list[Decision] = field(default_factory=list)
    _scan: _Scan | None = None
    _mbis: dict[str, str] | None = None
    _bytes_read: int = 0  # of the resources read by the current pass

    def __post_init__(self) -> None:
        if not self.directory.is_dir():
            raise DeliveryRefused([f"{self.directory} is not a directory"])
        self.files = {kind: [] for kind in RESOURCE_TYPES}
        for path in sorted(p for p in self.directory.rglob("*") if p.is_file()):
            if path.name.endswith((".ndjson", ".ndjson.gz")):
                kind = self._first_type(path)
                if kind in self.files:
                    self.files[kind].append(path)
        if not self.files[EOB] and not self.files[PATIENT]:
            raise DeliveryRefused(
                [
                    "no ExplanationOfBenefit or Patient resources (.ndjson or .ndjson.gz files): not a FHIR bulk export"
                ]
            )

    # reading

    def _lines(self, path: Path) -> Generator[tuple[int, bytes | None], None, None]:
        """(line number, the line) of a file; None for a line longer than MAX_RESOURCE_BYTES."""
        with path.open("rb") as probe:
            compressed = probe.read(2) == _GZIP_MAGIC
        raw = path.open("rb") if compressed else None
        handle: IO[bytes] = cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb")) if raw else path.open("rb")
        inflated = 0
        try:
            number = 0
            while line := handle.readline(MAX_RESOURCE_BYTES + 1):
                number += 1
                inflated += len(line)
                if raw is not None:
                    self._check_inflation(path, inflated, raw.tell())
                if len(line) > MAX_RESOURCE_BYTES and not line.endswith(b"\n"):
                    while rest := handle.readline(1 << 20):  # skip the rest of the line
                        inflated += len(rest)
                        if rest.endswith(b"\n"):
                            break
                    yield number, None
                    continue
                yield number, line
        except (OSError, EOFError) as exc:
            raise DeliveryRefused([f"{path.name}: not a readable gzip file ({exc})"]) from exc
        finally:
            handle.close()
            if raw is not None:
                raw.close()

    def _check_inflation(self, path: Path, inflated: int, compressed: int) -> None:
        if inflated > self.max_bytes:
            raise PayloadTooLarge(f"{path.name} inflates beyond {self.max_bytes} bytes")
        if self.max_ratio and inflated > _RATIO_GRACE and inflated > self.max_ratio * max(compressed, 1):
            raise PayloadTooLarge(
                f"{path.name} inflates more than {self.max_ratio} times: refused as a decompression bomb"
            )

    def _first_type(self, path: Path) -> str:
        with closing(self._lines(path)) as lines:
            for _, line in lines:
                if line is None:
                    return ""
                if line.strip():
                    try:
                        resource = orjson.loads(line)
                    except orjson.JSONDecodeError:
                        return ""
                    return str(resource.get("resourceType", "")) if isinstance(resource, dict) else ""
        return ""

    def _resources(self, kind: str) -> Iterator[Read]:
        """Every resource of the files of ``kind``, or why a line is not one."""
        self._bytes_read = 0
        blank = 0
        for path in self.files[kind]:
            for number, line in self._lines(path):
                if line is None:
                    yield (
                        path.name,
                        number,
                        f"{path.name} line {number}: longer than {MAX_RESOURCE_BYTES} bytes",
                    )
                    continue
                self._bytes_read += len(line)
                if not line.strip():
                    blank += 1
                    if blank > self.max_blank_lines:
                        raise DeliveryRefused(
                            [f"the {kind} files hold more than {self.max_blank_lines} empty lines"]
                        )
                    continue
                try:
                    resource = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    yield path.name, number, f"{path.name} line {number}: not JSON ({exc})"
                    continue
                if not isinstance(resource, dict) or resource.get("resourceType") != kind:
                    found = resource.get("resourceType") if isinstance(resource, dict) else "not an object"
                    yield (
                        path.name,
                        number,
                        f"{path.name} line {number}: {str(found)[:40]} where {kind} was expected",
                    )
                    continue
                yield path.name, number, resource

    # identity

    def sha256(self, kind: str) -> str:
        prefix = f"fhir:{kind}:aligned_from={self._aligned_from()}" if kind == "alignment" else f"fhir:{kind}"
        digest = hashlib.sha256(f"{prefix}\n".encode())
        kinds = (PATIENT, COVERAGE, EOB) if kind == "alignment" else (PATIENT, EOB)
        for resource_type in kinds:
            for path in self.files[resource_type]:
                digest.update(f"{resource_type} {path.name}\n".encode())
                with path.open("rb") as handle:
                    while chunk := handle.read(1 << 20):
                        digest.update(chunk)
        return digest.hexdigest()

    def size(self) -> int:
        return sum(p.stat().st_size for paths in self.files.values() for p in paths)

    async def keep(self, session: AsyncSession, claims: Upload) -> None:
        """Beside its stored claims upload: why each version of a multi-version claim counts."""
        await store_decisions(session, claims.id, self.decided)

    # the first pass over the claims

    def scan(self) -> _Scan:
        if self._scan is not None:
            return self._scan
        scan = _Scan()
        first: dict[int, int] = {}
        for ordinal, (_, _, resource) in enumerate(self._resources(EOB), start=1):
            if isinstance(resource, str):
                continue
            code = mapping.eob_type(resource)
            if code in mapping.SKIPPED_TYPES:
                continue
            kind = mapping.CLAIM_TYPES.get(code, "")
            seen = first.setdefault(hash(mapping.claim_key(resource, kind)), ordinal)
            if seen != ordinal:
                scan.shared.update((seen, ordinal))
            period = resource.get("billablePeriod")
            start = as_date(mapping.day(period.get("start"))) if isinstance(period, dict) else None
            if start is not None and (scan.earliest is None or start < scan.earliest):
                scan.earliest = start
            if start is not None and kind == "hospice":
                patient = mapping.patient_id(resource)
                if patient not in scan.hospice_start or start.isoformat() < scan.hospice_start[patient]:
                    scan.hospice_start[patient] = start.isoformat()
        self._scan = scan
        return scan

    def _aligned_from(self) -> str:
        if self.aligned_from is None:
            earliest = self.scan().earliest
            self.aligned_from = date((earliest or clock.today()).year, 1, 1)
        return self.aligned_from.isoformat()

    # alignment

    async def alignment_records(self) -> AsyncIterator[RawRecord]:
        """Read (and mapped) in a worker thread, a batch at a time."""
        async for record in offload.iterate(enumerate(self._alignment_values(), start=1)):
            yield record

    def alignment_rows(self) -> Iterator[dict[str, str] | str]:
        """Every alignment row (all the mapping's columns), or why a resource is unreadable."""
        aligned_from = self._aligned_from()
        hospice = self.scan().hospice_start
        coverages: dict[str, list[dict[str, str]]] = {}
        for _, _, resource in self._resources(COVERAGE):
            if isinstance(resource, str):
                yield resource
                continue
            facts = mapping.coverage_facts(resource)
            coverages.setdefault(facts["patient"], []).append(facts)
        for _, _, resource in self._resources(PATIENT):
            if isinstance(resource, str):
                yield resource
                continue
            patient = mapping.patient_facts(resource)
            yield mapping.alignment_row(
                patient,
                coverages.get(patient["id"], ()),
                aligned_from=aligned_from,
                hospice_start=hospice.get(patient["id"], ""),
            )

    def _alignment_values(self) -> Iterator[list[str] | str]:
        for row in self.alignment_rows():
            yield row if isinstance(row, str) else _values(row, ALIGNMENT_FIELDS)

    # claims

    def mbis(self) -> dict[str, str]:
        """Patient id -> current MBI."""
        if self._mbis is None:
            self._mbis = {}
            for _, _, resource in self._resources(PATIENT):
                if not isinstance(resource, str):
                    facts = mapping.patient_facts(resource)
                    self._mbis[facts["id"]] = facts["mbi"]
        return self._mbis

    def _mbi(self, eob: mapping.Resource) -> str:
        patient = mapping.patient_id(eob)
        return self.mbis().get(patient) or f"Patient/{patient} (not in the export)"

    async def claim_records(self) -> AsyncIterator[RawRecord]:
        """Rows as values in the claim validator's field order, made in a worker thread a batch at
        a time. Gathers ``decided`` anew."""
        async for record in offload.iterate(enumerate(self._claim_values(), start=1)):
            yield record

    def _claim_values(self) -> Iterator[list[str] | str]:
        for rows in self.claim_rows():
            if isinstance(rows, str):
                yield rows
            else:
                for row in rows:
                    yield _values(row, CLAIM_FIELDS)

    def claim_rows(self) -> Iterator[list[dict[str, str]] | str]:
        """The rows of each version in storage order (every mapping column), or why a resource is
        unreadable. Gathers ``decided`` anew."""
        self.decided.clear()
        scan = self.scan()
        group_plans, line_sets = self._plans(scan.shared)
        self.mbis()  # read before the claims: the progress counts the claims' bytes alone

        def versions() -> Iterator[tuple[int, Plan | None, list[list[dict[str, str]] | str]]]:
            made = 0
            for ordinal, (_, _, resource) in enumerate(self._resources(EOB), start=1):
                if isinstance(resource, str):
                    yield ordinal, None, [resource]
                    continue
                if mapping.eob_type(resource) in mapping.SKIPPED_TYPES:
                    continue
                rows = mapping.claim_rows(resource, self._mbi(resource))
                plan = group_plans.get(ordinal)
                if plan is not None:
                    _apply(plan, rows, line_sets.get(rows[0]["claim_id"], set()))
                made += len(rows)
                if self.progress is not None and ordinal % PROGRESS_EVERY == 0:
                    self.progress(made, self._bytes_read)
                yield ordinal, plan, [rows]
            if self.progress is not None:
                self.progress(made, self._bytes_read)

        yield from in_order(versions())

    def _plans(self, shared: set[int]) -> tuple[dict[int, Plan], dict[str, set[str]]]:
        """Plans of the versions of claims with two or more, and each such claim's line numbers."""
        if not shared:
            return {}, {}
        groups: dict[str, list[Version]] = {}
        line_sets: dict[str, set[str]] = {}
        for ordinal, (name, _, resource) in enumerate(self._resources(EOB), start=1):
            if ordinal not in shared or isinstance(resource, str):
                continue
            rows = mapping.claim_rows(resource, "")
            key = rows[0]["claim_id"]
            version = Version(
                name,
                ordinal,
                key,
                mapping.claim_uid(resource),
                "1" if mapping.cancelled(resource) else "0",
                rows[0]["received_date"],
                rows[0]["received_date"],
                mapping.claim_amount(rows),
                mapping.claim_denied(resource),
            )
            groups.setdefault(key, []).append(version)
            line_sets.setdefault(key, set()).update(row["line_number"] for row in rows)
        out: dict[int, Plan] = {}
        for versions in groups.values():
            if len(versions) < 2:
                continue
            _mark_adjustments(versions)
            decided = resolve(versions, date_name="claim received date")
            self.decided.extend(decided)
            out.update(plans(decided))
        return out, line_sets


def _mark_adjustments(versions: list[Version]) -> None:
    """A version that is not a cancellation and follows another such version replaces it (code
    2, as CCLF's adjustments); the first is the original (0)."""
    originals = sorted((v for v in versions if v.code != "1"), key=lambda v: (v.effective, v.uid, v.record))
    for version in originals[1:]:
        version.code = "2"


def _apply(plan: Plan, rows: list[dict[str, str]], group_lines: set[str]) -> None:
    """A version's rows as its plan stores them; the final version of a claim also cancels the
    lines that other versions had and it lacks."""
    for row in rows:
        row["adjustment"] = plan.adjustment
        row["received_date"] = plan.received
    if plan.final:
        own = {row["line_number"] for row in rows}
        for number in sorted(group_lines - own, key=lambda n: (len(n), n)):
            rows.append(
                {
                    **rows[0],
                    "line_number": number,
                    "hcpcs": "",
                    "allowed_amount": "0.00",
                    "paid_amount": "0.00",
                    "adjustment": "cancel",
                }
            )


def unpack_export(
    archive: Path, directory: Path, *, max_bytes: int, max_ratio: int, max_blank_lines: int
) -> FhirExport:
    """``unpack`` an uploaded zip or tar into ``directory`` and open the export in it, bounded as
    every upload is (blocking: run it in a worker thread)."""
    unpack(archive, directory, max_bytes=max_bytes)
    return FhirExport(directory, max_bytes=max_bytes, max_ratio=max_ratio, max_blank_lines=max_blank_lines)


def open_export(
    source: Path, scratch: Path, *, aligned_from: date | None, progress: Progress | None = None
) -> FhirExport:
    """The export at ``source``: a directory, or a zip or tar unpacked into ``scratch`` (the
    operator's own file: no size limit). Raises DeliveryRefused."""
    if source.is_file():
        unpack(source, scratch, max_bytes=sys.maxsize)
        source = scratch
    return FhirExport(source, aligned_from=aligned_from, progress=progress)
