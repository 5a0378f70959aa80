"""Import of CMS CCLF deliveries (fixed-width claim and claim line feeds; /work/shared/CCLF.md).

A delivery is a directory (or an unpacked zip/tar) with one file per CCLF type. Each file type has
one declarative layout below (``LAYOUTS``: field name, 1-based inclusive start and end, and the
record length); the parser, the CCLF0 check and the test generator (tests/cclf_data.py) all read
the same tables. Records are read by position, streaming, file by file.

Before anything is read for storage the delivery is checked against its CCLF0 summary: every file
CCLF0 lists that this importer reads must be present, hold exactly the record count CCLF0 gives,
have the record length of our layout (an unknown length refuses the delivery) and contain only
records of that length (a truncated file refuses it). A refused delivery stores nothing.

Mapping onto the SPEC section 5 fields (docs/ingest.md, "CCLF deliveries"):

* Every previous MBI is replaced by the current one (CCLF9, chains followed) before grouping.
* Part A (CCLF1 header; CCLF4 diagnoses after CCLF1's principal; CCLF2 revenue lines only when
  their CLM_LINE_CVRD_PD_AMT sum to the header's CLM_PMT_AMT, else one line with the header
  amount): allowed = paid = CLM_PMT_AMT (or the line amount); ``rendering_npi`` the attending NPI.
* Part B (CCLF5): one line per record; allowed CLM_LINE_ALOWD_CHRG_AMT, paid CLM_LINE_CVRD_PD_AMT,
  ``rendering_npi`` RNDRG_PRVDR_NPI_NUM, ``billing_tin`` CLM_RNDRG_PRVDR_TAX_NUM (when 9 digits),
  diagnoses CLM_DGNS_1..12 then the line diagnosis. DME (CCLF6): the same, supplier PAYTO NPI.
* Denied claims and lines spend nothing (0.00): CCLF1 CLM_MDCR_NPMT_RSN_CD non-blank; CCLF5
  CLM_CARR_PMT_DNL_CD '0', or CLM_PRCSG_IND_CD not A, R, S or O.
* CCLF8: alignment rows (birth date, sex, dual status, ESRD from BENE_MDCR_STUS_CD, death date,
  hospice start BENE_RNG_BGN_DT); names and addresses are never read.

Versions (section 5 of the Information Packet). Versions of one claim share a natural key (Part A
billing OSCAR + from + thru + current MBI; Part B and DME control number + current MBI + line).
Each cancellation is matched to the version it cancels (same amount preferred) and both are
dropped; of the rest, the latest by CLM_EFCTV_DT, then claim id, counts. Every version gets a
``Decision`` with its reason (``CclfDelivery.decisions``; ``cara import cclf --explain FILE``).

Storage of that decision. Our storage keeps versions by (claim_id, line_number) and counts the one
with the latest ``received_date`` (ties: the later row). So all versions of a natural key share one
``claim_id`` (``A-``/``B-``/``D-`` + the key), every version is stored (adjustment original,
cancel, replacement for codes 0, 1, 2) with its IDR load date as ``received_date``, and the
version that counts is stored with the latest load date of its group and written after every other
version of its group: ``counting_claim_lines`` then picks exactly the version chosen here. When
every version is cancelled, the last cancellation is that final row (so the line is removed). For
Part A, a line number that some version had but the counting version lacks gets a final cancel row.
Resolution runs within one delivery; later deliveries add versions under the same read-time rule.
"""

from __future__ import annotations

import hashlib
import re
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession

from service.ingest.models import CclfDecision, Upload
from service.ingest.service import IngestResult, ingest, record_rejection
from service.ingest.validation import CLAIM_FIELDS
from service.kit import clock, offload
from service.kit.changes import Actor
from service.kit.errors import PayloadTooLarge
from service.kit.text import without_reprs
from service.settings import Settings

# --- layouts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    start: int  # 1-based, inclusive
    end: int  # inclusive


@dataclass(frozen=True)
class Layout:
    file: str
    record_length: int
    fields: tuple[Field, ...]
    parse: Callable[[str], dict[str, str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for f in self.fields:
            assert 1 <= f.start <= f.end <= self.record_length, (self.file, f)
        object.__setattr__(self, "parse", self.parser(self.names))

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def parser(self, names: Iterable[str]) -> Callable[[str], dict[str, str]]:
        """A function from one record to the named fields, by position, stripped of padding."""
        wanted = tuple(names)
        spec = {f.name: f for f in self.fields}
        slices = [slice(spec[n].start - 1, spec[n].end) for n in wanted]
        if len(slices) == 1:
            only, name = slices[0], wanted[0]
            return lambda line: {name: line[only].strip()}
        get = itemgetter(*slices)
        strip = str.strip
        return lambda line: dict(zip(wanted, map(strip, get(line)), strict=True))


def _layout(file: str, record_length: int, *fields: tuple[str, int, int]) -> Layout:
    return Layout(file, record_length, tuple(Field(*f) for f in fields))


def _dgns(first: int, start: int, count: int) -> list[tuple[str, int, int]]:
    return [(f"CLM_DGNS_{first + i}_CD", start + 7 * i, start + 7 * i + 6) for i in range(count)]


LAYOUTS: dict[str, Layout] = {
    # CCLF0, the summary: a header row ("File Number  |File Description ... |Record Length"), then
    # a row a file, "CCLF5  |Part B Physicians File ...|     123456|  388", read at the positions
    # CMS's own importer (CMSgov/bcda-app) reads (CCLF.md gives none).
    "CCLF0": _layout(
        "CCLF0",
        69,
        ("FILE_TYPE", 1, 7),
        ("FILE_DESC", 9, 51),
        ("TOT_REC_CNT", 53, 63),
        ("REC_LNGTH", 65, 69),
    ),
    "CCLF1": _layout(
        "CCLF1",
        437,
        ("CUR_CLM_UNIQ_ID", 1, 13),
        ("PRVDR_OSCAR_NUM", 14, 19),
        ("BENE_MBI_ID", 20, 30),
        ("CLM_TYPE_CD", 42, 43),
        ("CLM_FROM_DT", 44, 53),
        ("CLM_THRU_DT", 54, 63),
        ("PRNCPL_DGNS_CD", 66, 72),
        ("ADMTG_DGNS_CD", 73, 79),
        ("CLM_MDCR_NPMT_RSN_CD", 80, 81),
        ("CLM_PMT_AMT", 82, 98),
        ("FAC_PRVDR_NPI_NUM", 109, 118),
        ("OPRTG_PRVDR_NPI_NUM", 119, 128),
        ("ATNDG_PRVDR_NPI_NUM", 129, 138),
        ("CLM_ADJSMT_TYPE_CD", 149, 150),
        ("CLM_EFCTV_DT", 151, 160),
        ("CLM_IDR_LD_DT", 161, 170),
        ("DGNS_PRCDR_ICD_IND", 188, 188),
        ("CLM_BLG_PRVDR_OSCAR_NUM", 293, 312),
        ("CLM_BLG_PRVDR_NPI_NUM", 313, 322),
        ("CLM_ATNDG_PRVDR_NPI_NUM", 333, 342),
        ("CLM_CNTL_NUM", 353, 392),
        ("CLM_ORG_CNTL_NUM", 393, 432),
        ("CLM_CNTRCTR_NUM", 433, 437),
    ),
    "CCLF2": _layout(
        "CCLF2",
        199,
        ("CUR_CLM_UNIQ_ID", 1, 13),
        ("CLM_LINE_NUM", 14, 23),
        ("BENE_MBI_ID", 24, 34),
        ("CLM_TYPE_CD", 46, 47),
        ("CLM_LINE_FROM_DT", 48, 57),
        ("CLM_LINE_THRU_DT", 58, 67),
        ("CLM_LINE_PROD_REV_CTR_CD", 68, 71),
        ("CLM_LINE_HCPCS_CD", 82, 86),
        ("CLM_FROM_DT", 104, 113),
        ("CLM_THRU_DT", 114, 123),
        ("CLM_LINE_CVRD_PD_AMT", 148, 164),
    ),
    "CCLF4": _layout(
        "CCLF4",
        112,
        ("CUR_CLM_UNIQ_ID", 1, 13),
        ("BENE_MBI_ID", 14, 24),
        ("CLM_TYPE_CD", 36, 37),
        ("CLM_PROD_TYPE_CD", 38, 38),
        ("CLM_VAL_SQNC_NUM", 39, 40),
        ("CLM_DGNS_CD", 41, 47),
        ("CLM_FROM_DT", 65, 74),
        ("CLM_THRU_DT", 75, 84),
        ("DGNS_PRCDR_ICD_IND", 92, 92),
    ),
    "CCLF5": _layout(
        "CCLF5",
        388,
        ("CUR_CLM_UNIQ_ID", 1, 13),
        ("CLM_LINE_NUM", 14, 23),
        ("BENE_MBI_ID", 24, 34),
        ("CLM_TYPE_CD", 46, 47),
        ("CLM_FROM_DT", 48, 57),
        ("CLM_THRU_DT", 58, 67),
        ("CLM_PRVDR_SPCLTY_CD", 73, 74),
        ("CLM_POS_CD", 76, 77),
        ("CLM_LINE_FROM_DT", 78, 87),
        ("CLM_LINE_THRU_DT", 88, 97),
        ("CLM_LINE_HCPCS_CD", 98, 102),
        ("CLM_LINE_CVRD_PD_AMT", 103, 117),
        ("CLM_LINE_DGNS_CD", 119, 125),
        ("CLM_RNDRG_PRVDR_TAX_NUM", 126, 135),
        ("RNDRG_PRVDR_NPI_NUM", 136, 145),
        ("CLM_CARR_PMT_DNL_CD", 146, 147),
        ("CLM_PRCSG_IND_CD", 148, 149),
        ("CLM_ADJSMT_TYPE_CD", 150, 151),
        ("CLM_EFCTV_DT", 152, 161),
        ("CLM_IDR_LD_DT", 162, 171),
        ("CLM_CNTL_NUM", 172, 211),
        ("CLM_LINE_ALOWD_CHRG_AMT", 223, 239),
        *_dgns(1, 276, 8),
        ("DGNS_PRCDR_ICD_IND", 332, 332),
        *_dgns(9, 333, 4),
        ("CLM_RNDRG_PRVDR_NPI_NUM", 364, 373),
    ),
    "CCLF6": _layout(
        "CCLF6",
        247,
        ("CUR_CLM_UNIQ_ID", 1, 13),
        ("CLM_LINE_NUM", 14, 23),
        ("BENE_MBI_ID", 24, 34),
        ("CLM_TYPE_CD", 46, 47),
        ("CLM_FROM_DT", 48, 57),
        ("CLM_THRU_DT", 58, 67),
        ("CLM_LINE_FROM_DT", 71, 80),
        ("CLM_LINE_THRU_DT", 81, 90),
        ("CLM_LINE_HCPCS_CD", 91, 95),
        ("CLM_LINE_CVRD_PD_AMT", 96, 110),
        ("PAYTO_PRVDR_NPI_NUM", 112, 121),
        ("ORDRG_PRVDR_NPI_NUM", 122, 131),
        ("CLM_ADJSMT_TYPE_CD", 136, 137),
        ("CLM_EFCTV_DT", 138, 147),
        ("CLM_IDR_LD_DT", 148, 157),
        ("CLM_CNTL_NUM", 158, 197),
        ("CLM_LINE_ALOWD_CHRG_AMT", 209, 225),
    ),
    # Names and addresses (82-549) are deliberately not in the layout: never read, never stored.
    "CCLF8": _layout(
        "CCLF8",
        549,
        ("BENE_MBI_ID", 1, 11),
        ("BENE_DOB", 33, 42),
        ("BENE_SEX_CD", 43, 43),
        ("BENE_MDCR_STUS_CD", 48, 49),
        ("BENE_DUAL_STUS_CD", 50, 51),
        ("BENE_DEATH_DT", 52, 61),
        ("BENE_RNG_BGN_DT", 62, 71),
        ("BENE_RNG_END_DT", 72, 81),
    ),
    "CCLF9": _layout(
        "CCLF9",
        55,
        ("HICN_MBI_XREF_IND", 1, 1),
        ("CRNT_NUM", 2, 12),
        ("PRVS_NUM", 13, 23),
        ("PRVS_ID_EFCTV_DT", 24, 33),
        ("PRVS_ID_OBSLT_DT", 34, 43),
    ),
}
KEY_FIELDS = {
    "CCLF1": ("BENE_MBI_ID", "CLM_FROM_DT", "CLM_THRU_DT", "CLM_BLG_PRVDR_OSCAR_NUM", "PRVDR_OSCAR_NUM"),
    "CCLF5": ("BENE_MBI_ID", "CLM_CNTL_NUM", "CLM_LINE_NUM"),
    "CCLF6": ("BENE_MBI_ID", "CLM_CNTL_NUM", "CLM_LINE_NUM"),
}
# What deciding the versions needs (the first pass over a claim file reads only these).
_COMMON = (
    "CUR_CLM_UNIQ_ID",
    "BENE_MBI_ID",
    "CLM_ADJSMT_TYPE_CD",
    "CLM_EFCTV_DT",
    "CLM_IDR_LD_DT",
    "CLM_THRU_DT",
)
VERSION_FIELDS = {
    "CCLF1": (
        *_COMMON,
        "CLM_FROM_DT",
        "CLM_BLG_PRVDR_OSCAR_NUM",
        "PRVDR_OSCAR_NUM",
        "CLM_PMT_AMT",
        "CLM_MDCR_NPMT_RSN_CD",
    ),
    "CCLF5": (
        *_COMMON,
        "CLM_CNTL_NUM",
        "CLM_LINE_NUM",
        "CLM_LINE_CVRD_PD_AMT",
        "CLM_CARR_PMT_DNL_CD",
        "CLM_PRCSG_IND_CD",
    ),
    "CCLF6": (*_COMMON, "CLM_CNTL_NUM", "CLM_LINE_NUM", "CLM_LINE_CVRD_PD_AMT"),
}
# What a Part B or DME row needs (the second pass reads only these).
_LINE = (
    *_COMMON, "CLM_CNTL_NUM", "CLM_LINE_NUM", "CLM_TYPE_CD", "CLM_FROM_DT", "CLM_LINE_HCPCS_CD",
    "CLM_LINE_CVRD_PD_AMT", "CLM_LINE_ALOWD_CHRG_AMT",
)  # fmt: skip
ROW_FIELDS = {
    "CCLF5": (
        *_LINE,
        "CLM_CARR_PMT_DNL_CD",
        "CLM_PRCSG_IND_CD",
        "CLM_RNDRG_PRVDR_TAX_NUM",
        "RNDRG_PRVDR_NPI_NUM",
        "CLM_RNDRG_PRVDR_NPI_NUM",
        *(f"CLM_DGNS_{i}_CD" for i in range(1, 13)),
        "CLM_LINE_DGNS_CD",
    ),
    "CCLF6": (*_LINE, "PAYTO_PRVDR_NPI_NUM"),
}
READ = ("CCLF1", "CCLF2", "CCLF4", "CCLF5", "CCLF6", "CCLF8", "CCLF9")

CLAIM_TYPES = {
    "10": "hha",
    "20": "snf",
    "30": "snf",
    "40": "outpatient",
    "50": "hospice",
    "60": "inpatient",
    "61": "inpatient",
    "71": "carrier",
    "72": "carrier",
    "81": "dme",
    "82": "dme",
}
ADJUSTMENTS = {"0": "original", "1": "cancel", "2": "replacement"}
NULL_DATES = frozenset({"1000-01-01", "9999-12-31", ""})
ALLOWED_PROCESSING = frozenset({"A", "R", "S", "O"})
ESRD_STATUS = frozenset({"11", "21", "31"})
DUAL_STATUS = frozenset({f"{n:02d}" for n in range(1, 10)})
SEX = {"1": "M", "2": "F"}
MAX_DIAGNOSES = 25
DIAGNOSIS_FIELDS = (*(f"CLM_DGNS_{i}_CD" for i in range(1, 13)), "CLM_LINE_DGNS_CD")
# CCLF6 carries no diagnosis, and a stored line needs one: DME lines get R69 ("illness,
# unspecified"), which no episode definition triggers on; their spending still counts.
DME_DIAGNOSIS = "R69"

# P.A1234.ACO.ZC1Y24.D240115.T1200000 (CMS) or cclf1.txt (tests, hand-made deliveries)
_NAME = re.compile(r"(?:^|\.)ZC([0-9AB])[A-Z]?\d{0,2}(?:\.|$)|^CCLF([0-9AB])(?:\b|_)", re.IGNORECASE)
_AMOUNT = re.compile(r"[-+]?\d+(?:\.\d{0,2})?")
MAX_AMOUNT = Decimal(10) ** 14
_CLAIM_ID_SAFE = re.compile(r"[^A-Za-z0-9._-]")


class DeliveryRefused(ValueError):
    """The delivery is incomplete or of an unknown layout: nothing of it is read or stored."""

    def __init__(self, problems: list[str]) -> None:
        # Shown to the client: no Python reprs, nothing a JSON encoder or a database refuses
        # (a tar member's name may hold anything).
        problems = [without_reprs(p) for p in problems]
        super().__init__("; ".join(problems))
        self.problems = problems


def file_type(name: str) -> str | None:
    match = _NAME.search(name)
    if not match:
        return None
    return "CCLF" + (match.group(1) or match.group(2)).upper()


def records(
    path: Path, layout: Layout, names: Iterable[str] | None = None
) -> Iterator[tuple[int, dict[str, str]]]:
    """Stream the records of a checked file: (record number, fields, all or ``names``)."""
    parse = layout.parse if names is None else layout.parser(names)
    with path.open(encoding="latin-1", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            yield number, parse(line)


def cclf_date(value: str) -> str:
    """``YYYY-MM-DD``, or "" for CMS's null dates (the validator judges the rest)."""
    return "" if value in NULL_DATES else value


def amount(value: str) -> Decimal | None:
    """``-9(n).99``: optional sign, padding trimmed; blank is 0; None when unreadable (anything
    but digits with at most two decimals: no exponent, no third decimal to round away) or beyond
    what money columns hold (NUMERIC(16, 2))."""
    text = value.replace(" ", "")
    if not text:
        return Decimal(0)
    if not _AMOUNT.fullmatch(text):
        return None
    parsed = Decimal(text)
    return parsed if abs(parsed) < MAX_AMOUNT else None


def _money(value: Decimal | None, raw: str) -> str:
    """An amount as stored, or the raw text when unreadable (the validator reports it)."""
    return raw if value is None else f"{value:.2f}"


def _npi(*candidates: str) -> str:
    for value in candidates:
        if len(value) == 10 and value.isdigit():
            return value
    return ""


def _safe(value: str) -> str:
    return value if value.isascii() and value.isalnum() else _CLAIM_ID_SAFE.sub("", value)


# --- the delivery check ----------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryFile:
    type: str
    path: Path
    records: int


def check_delivery(directory: Path) -> dict[str, DeliveryFile]:
    """Check a delivery against its CCLF0 summary; raise ``DeliveryRefused`` naming every problem."""
    if not directory.is_dir():
        raise DeliveryRefused([f"{directory} is not a directory"])
    found: dict[str, list[Path]] = {}
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        kind = file_type(path.name)
        if kind:
            found.setdefault(kind, []).append(path)
    problems = [
        f"{kind}: {len(paths)} files ({', '.join(p.name for p in paths)})"
        for kind, paths in found.items()
        if len(paths) > 1
    ]
    if "CCLF0" not in found:
        raise DeliveryRefused(["no CCLF0 summary file: the delivery cannot be checked", *problems])
    summary: dict[str, tuple[int, int]] = {}
    with found["CCLF0"][0].open(encoding="latin-1", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().lower().startswith("file number"):
                continue  # blank, or the header row
            row = LAYOUTS["CCLF0"].parse(line.ljust(LAYOUTS["CCLF0"].record_length))
            kind = file_type(row["FILE_TYPE"])
            count, length = row["TOT_REC_CNT"].replace(",", ""), row["REC_LNGTH"].replace(",", "")
            if kind is None or not count.isdigit() or not length.isdigit():
                problems.append(f"CCLF0 record {number}: not a summary record ({line.strip()[:60]!r})")
                continue
            summary[kind] = (int(count), int(length))
    checked: dict[str, DeliveryFile] = {}
    for kind in READ:
        paths = found.get(kind, [])
        if kind not in summary:
            if paths:
                problems.append(f"{kind}: {paths[0].name} is not listed in CCLF0")
            continue
        expected_count, expected_length = summary[kind]
        layout = LAYOUTS[kind]
        if expected_length != layout.record_length:
            problems.append(
                f"{kind}: record length {expected_length} is unknown (this importer reads {layout.record_length})"
            )
            continue
        if not paths:
            if expected_count:
                problems.append(f"{kind}: CCLF0 lists {expected_count} records but the file is missing")
            continue
        found_count, bad = _count(paths[0], layout.record_length)
        if bad:
            problems.append(f"{kind}: {bad}")
        elif found_count != expected_count:
            problems.append(
                f"{kind}: {found_count} records, CCLF0 says {expected_count} (truncated or incomplete)"
            )
        else:
            checked[kind] = DeliveryFile(kind, paths[0], found_count)
    if problems:
        raise DeliveryRefused(problems)
    return checked


def _count(path: Path, length: int) -> tuple[int, str | None]:
    count = 0
    with path.open("rb") as handle:
        for count, line in enumerate(handle, start=1):
            size = len(line.rstrip(b"\r\n"))
            if size != length:
                return (
                    count,
                    f"record {count} is {size} characters long, not {length} (truncated or another layout)",
                )
    return count, None


# --- versions and the claim that counts ------------------------------------------------------


_Line = tuple[int, str, Decimal | None]  # a Part A line: number, HCPCS, amount (None: unreadable)


@dataclass(slots=True, eq=False)  # identity: two identical records are still two versions
class Version:
    file: str
    record: int  # record number in its file
    key: str  # natural key (our claim_id) incl. the line for Part B / DME: "claim_id#line"
    uid: str  # CUR_CLM_UNIQ_ID
    code: str  # CLM_ADJSMT_TYPE_CD: 0 original, 1 cancellation, 2 adjustment
    effective: str
    loaded: str  # received_date as stored: the IDR load date (else effective, else thru)
    amount: Decimal | None
    denied: bool


@dataclass(slots=True)
class Decision:
    version: Version
    counts: bool
    reason: str


def _order(version: Version) -> tuple[str, str, int]:
    """CLM_EFCTV_DT, then claim id (numeric: zero-filled to its 13 positions), then file order."""
    return version.effective, version.uid.zfill(13), version.record


def resolve(versions: list[Version]) -> list[Decision]:
    """Decide every version of one natural key: which one counts, and why each does or does not."""
    order = sorted(versions, key=_order)
    reasons: dict[int, str] = {}
    open_: list[Version] = [v for v in order if v.code != "1"]
    for cancel in (v for v in order if v.code == "1"):
        position = order.index(cancel)
        same = [o for o in open_ if o.amount == cancel.amount]
        pool = same or open_
        before = [o for o in pool if order.index(o) < position]
        match = before[-1] if before else (pool[0] if pool else None)
        if match is None:
            reasons[id(cancel)] = (
                "cancellation without a version to cancel in this delivery: removes the line"
            )
            continue
        open_.remove(match)
        reasons[id(match)] = f"cancelled by {cancel.uid}"
        reasons[id(cancel)] = f"cancels {match.uid}" + (
            "" if match.amount == cancel.amount else " (amounts differ)"
        )
    counting = open_[-1] if open_ else None
    for other in open_[:-1]:
        reasons[id(other)] = (
            f"superseded by {counting.uid} (later by CLM_EFCTV_DT, then claim id)" if counting else ""
        )
    if counting is not None:
        alone = len(versions) == 1
        reason = "the only version" if alone else "latest remaining version by CLM_EFCTV_DT, then claim id"
        if counting.denied:
            reason += "; denied: spends nothing"
        reasons[id(counting)] = reason
    return [Decision(v, v is counting, reasons[id(v)]) for v in versions]


@dataclass(frozen=True, slots=True)
class Plan:
    """How one stored version is written: its adjustment, received date, and whether it must wait
    until a later record of its group has been written (the final row of a group goes last)."""

    adjustment: str
    received: str
    final: bool
    after: int  # record number after which to write it (0: in file order)


def plans(decisions: list[Decision]) -> dict[int, Plan]:
    """The stored form of a group's decisions, keyed by record number."""
    versions = [d.version for d in decisions]
    latest = max(v.loaded for v in versions)
    counting = next((d.version for d in decisions if d.counts), None)
    if counting is None:  # everything cancelled: the last cancellation removes the line
        cancels = sorted((v for v in versions if v.code == "1"), key=_order)
        final = cancels[-1]
    else:
        final = counting
    out: dict[int, Plan] = {}
    after = 0
    for v in versions:
        if v is final:
            continue
        out[v.record] = Plan(ADJUSTMENTS.get(v.code, "original"), v.loaded, False, 0)
        if v.loaded == latest and v.record > final.record:
            after = max(after, v.record)
    adjustment = "cancel" if counting is None else ("replacement" if final.code == "2" else "original")
    out[final.record] = Plan(adjustment, latest, True, after)
    return out


# --- the delivery ----------------------------------------------------------------------------


@dataclass
class CclfDelivery:
    """One checked CCLF delivery, read lazily. ``aligned_from`` defaults to 1 January of the year
    of the earliest claim in the delivery (CCLF8 carries no alignment period)."""

    directory: Path
    aligned_from: date | None = None
    files: dict[str, DeliveryFile] = field(default_factory=dict)
    current_mbi: dict[str, str] = field(default_factory=dict)
    # Decisions on claims with more than one version, gathered while the claim rows are made
    # (a claim's only version counts as it is; recording that for every line would double the
    # stored rows of a delivery for nothing).
    decided: list[Decision] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.files = check_delivery(self.directory)
        self.current_mbi = self._crosswalk()

    # MBIs

    def _crosswalk(self) -> dict[str, str]:
        pairs: dict[str, str] = {}
        for _, row in self._records("CCLF9"):
            previous, current = row["PRVS_NUM"], row["CRNT_NUM"]
            if previous and current and previous != current:
                pairs[previous] = current
        resolved: dict[str, str] = {}
        for previous in pairs:
            seen, mbi = {previous}, pairs[previous]
            while mbi in pairs and mbi not in seen:  # chains: A -> B -> C
                seen.add(mbi)
                mbi = pairs[mbi]
            resolved[previous] = mbi
        return resolved

    def mbi(self, value: str) -> str:
        return self.current_mbi.get(value, value)

    # files

    def _records(self, kind: str, names: Iterable[str] | None = None) -> Iterator[tuple[int, dict[str, str]]]:
        file = self.files.get(kind)
        if file is None:
            return iter(())
        return records(file.path, LAYOUTS[kind], names)

    def sha256(self, kind: str) -> str:
        prefix = f"cclf:{kind}:aligned_from={self._aligned_from()}" if kind == "alignment" else f"cclf:{kind}"
        digest = hashlib.sha256(f"{prefix}\n".encode())
        names = (
            ("CCLF8", "CCLF9")
            if kind == "alignment"
            else ("CCLF1", "CCLF2", "CCLF4", "CCLF5", "CCLF6", "CCLF9")
        )
        for name in names:
            file = self.files.get(name)
            if file is None:
                continue
            digest.update(f"{name}\n".encode())
            with file.path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        return digest.hexdigest()

    def size(self) -> int:
        return sum(f.path.stat().st_size for f in self.files.values())

    # alignment

    def _aligned_from(self) -> str:
        if self.aligned_from is not None:
            return self.aligned_from.isoformat()
        earliest: date | None = None
        for kind in ("CCLF1", "CCLF5", "CCLF6"):
            file = self.files.get(kind)
            if file is None:
                continue
            spec = next(f for f in LAYOUTS[kind].fields if f.name == "CLM_FROM_DT")
            with file.path.open(encoding="latin-1", newline="") as handle:
                for line in handle:
                    # An unreadable date is the claim validator's to report; it dates nothing here.
                    day = _as_date(cclf_date(line[spec.start - 1 : spec.end].strip()))
                    if day is not None and (earliest is None or day < earliest):
                        earliest = day
        self.aligned_from = date((earliest or clock.today()).year, 1, 1)
        return self.aligned_from.isoformat()

    async def alignment_records(self) -> AsyncIterator[tuple[int, dict[str, Any]]]:
        """Read (and mapped) in a worker thread, a batch at a time."""
        async for record in offload.iterate(self._alignment_rows()):
            yield record

    def _alignment_rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        aligned_from = self._aligned_from()
        for number, row in self._records("CCLF8"):
            yield number, self._alignment(row, aligned_from)

    def _alignment(self, row: dict[str, str], aligned_from: str) -> dict[str, Any]:
        status = row["BENE_MDCR_STUS_CD"]
        return {
            "mbi": self.mbi(row["BENE_MBI_ID"]),
            "birth_date": cclf_date(row["BENE_DOB"]),
            "sex": SEX.get(row["BENE_SEX_CD"], "U"),
            "dual_status": "true" if row["BENE_DUAL_STUS_CD"] in DUAL_STATUS else "false",
            "hcc_score": "",
            "aligned_from": aligned_from,
            "aligned_through": "",
            "esrd": "true" if status in ESRD_STATUS else "false",
            "hospice_start": cclf_date(row["BENE_RNG_BGN_DT"]),
            "death_date": cclf_date(row["BENE_DEATH_DT"]),
        }

    # claims: versions

    def _part_a_key(self, row: dict[str, str]) -> str:
        oscar = row["CLM_BLG_PRVDR_OSCAR_NUM"] or row["PRVDR_OSCAR_NUM"]
        return "A-" + _safe(
            f"{oscar}-{row['CLM_FROM_DT'].replace('-', '')}-{row['CLM_THRU_DT'].replace('-', '')}-"
            f"{self.mbi(row['BENE_MBI_ID'])}"
        )

    def _line_key(self, prefix: str, row: dict[str, str]) -> str:
        return f"{prefix}-{_safe(row['CLM_CNTL_NUM'])}-{self.mbi(row['BENE_MBI_ID'])}"

    def _key(self, kind: str, row: dict[str, str]) -> str:
        if kind == "CCLF1":
            return self._part_a_key(row)
        return f"{self._line_key('B' if kind == 'CCLF5' else 'D', row)}#{_line_number(row['CLM_LINE_NUM'])}"

    def _facts(self, kind: str, row: dict[str, str]) -> tuple[str, str, str, bool]:
        """(natural key, adjustment type code, received date, denied) of one record."""
        loaded = cclf_date(row["CLM_IDR_LD_DT"]) or cclf_date(row["CLM_EFCTV_DT"]) or row["CLM_THRU_DT"]
        if kind == "CCLF1":
            denied = bool(row["CLM_MDCR_NPMT_RSN_CD"])
        else:
            denied = kind == "CCLF5" and (
                row["CLM_CARR_PMT_DNL_CD"] == "0" or row["CLM_PRCSG_IND_CD"] not in ALLOWED_PROCESSING
            )
        return self._key(kind, row), row["CLM_ADJSMT_TYPE_CD"].lstrip("0") or "0", loaded, denied

    def _version(self, kind: str, number: int, row: dict[str, str]) -> Version:
        key, code, loaded, denied = self._facts(kind, row)
        value = amount(row["CLM_PMT_AMT"] if kind == "CCLF1" else row["CLM_LINE_CVRD_PD_AMT"])
        return Version(
            kind,
            number,
            key,
            row["CUR_CLM_UNIQ_ID"],
            code,
            cclf_date(row["CLM_EFCTV_DT"]),
            loaded,
            value,
            denied,
        )

    def _groups(self, kind: str, only: set[int] | None = None) -> dict[str, list[Version]]:
        groups: dict[str, list[Version]] = {}
        file = self.files.get(kind)
        if file is None:
            return groups
        parse = LAYOUTS[kind].parser(VERSION_FIELDS[kind])
        with file.path.open(encoding="latin-1", newline="") as handle:
            for number, line in enumerate(handle, start=1):
                if only is None or number in only:
                    version = self._version(kind, number, parse(line))
                    groups.setdefault(version.key, []).append(version)
        return groups

    def _shared_groups(self, kind: str) -> dict[str, list[Version]]:
        """The groups of two or more versions. Most claims have one version: a first pass keeps
        only a hash of each key, a second builds versions for the records that may share one."""
        first: dict[int, int] = {}
        shared: set[int] = set()
        part_b = kind != "CCLF1"
        mbi = self.current_mbi
        for number, row in self._records(kind, KEY_FIELDS[kind]):
            if part_b:  # the parts of _key, hashed as a tuple (no string to build)
                parts = (
                    _safe(row["CLM_CNTL_NUM"]),
                    mbi.get(row["BENE_MBI_ID"], row["BENE_MBI_ID"]),
                    _line_number(row["CLM_LINE_NUM"]),
                )
                digest = hash(parts)
            else:
                digest = hash(self._key(kind, row))
            seen = first.setdefault(digest, number)
            if seen != number:
                shared.update((seen, number))
        del first
        if not shared:
            return {}
        return {k: v for k, v in self._groups(kind, shared).items() if len(v) > 1}

    def decisions(self) -> Iterator[Decision]:
        """Every version of every claim in the delivery, with whether it counts and why."""
        for kind in ("CCLF1", "CCLF5", "CCLF6"):
            for versions in self._groups(kind).values():
                yield from resolve(versions)

    def _plans(self, kind: str) -> dict[int, Plan]:
        """Plans of versions in groups of two or more; a version alone counts as it is."""
        out: dict[int, Plan] = {}
        for versions in self._shared_groups(kind).values():
            decided = resolve(versions)
            self.decided.extend(decided)
            out.update(plans(decided))
        return out

    # claims: rows

    async def claim_records(self) -> AsyncIterator[tuple[int, list[str]]]:
        """Rows as values in the claim validator's field order (``CLAIM_FIELDS``), made in a
        worker thread a batch at a time."""
        async for record in offload.iterate(enumerate(self._claim_values(), start=1)):
            yield record

    def claim_rows(self) -> Iterator[dict[str, str]]:
        """The same rows as field mappings."""
        for values in self._claim_values():
            yield dict(zip(CLAIM_FIELDS, values, strict=True))

    def _claim_values(self) -> Iterator[list[str]]:
        yield from self._part_a_rows()
        yield from self._part_b_rows("CCLF5")
        yield from self._part_b_rows("CCLF6")

    def _ordered(self, rows: Iterable[tuple[int, Plan | None, list[list[str]]]]) -> Iterator[list[str]]:
        """Write each record's rows in file order, holding a group's final rows back until the
        versions they must follow have been written."""
        waiting: dict[int, list[list[str]]] = {}
        for number, plan, out in rows:
            if plan is not None and plan.after > number:
                waiting.setdefault(plan.after, []).extend(out)
            else:
                yield from out
            yield from waiting.pop(number, ())
        for rest in waiting.values():  # not reached: every 'after' is a record of the file
            yield from rest

    def _part_b_rows(self, kind: str) -> Iterator[list[str]]:
        if kind not in self.files:
            return
        group_plans = self._plans(kind)

        def rows() -> Iterator[tuple[int, Plan | None, list[list[str]]]]:
            for number, row in self._records(kind, ROW_FIELDS[kind]):
                plan = group_plans.get(number)
                yield number, plan, [self._part_b_row(kind, row, plan)]

        yield from self._ordered(rows())

    def _part_b_row(self, kind: str, row: dict[str, str], plan: Plan | None) -> list[str]:
        # The hot path of a large delivery: what _facts decides, inline.
        mbi = self.current_mbi.get(row["BENE_MBI_ID"], row["BENE_MBI_ID"])
        raw_allowed, raw_paid = row["CLM_LINE_ALOWD_CHRG_AMT"], row["CLM_LINE_CVRD_PD_AMT"]
        allowed, paid = amount(raw_allowed), amount(raw_paid)
        if plan is not None:
            adjustment, received = plan.adjustment, plan.received
        else:
            adjustment = ADJUSTMENTS.get(row["CLM_ADJSMT_TYPE_CD"].lstrip("0") or "0", "original")
            received = cclf_date(row["CLM_IDR_LD_DT"]) or cclf_date(row["CLM_EFCTV_DT"]) or row["CLM_THRU_DT"]
        if kind == "CCLF5":
            denied = row["CLM_CARR_PMT_DNL_CD"] == "0" or row["CLM_PRCSG_IND_CD"] not in ALLOWED_PROCESSING
            codes = list(dict.fromkeys(filter(None, [row[name] for name in DIAGNOSIS_FIELDS])))
            npi = _npi(row["RNDRG_PRVDR_NPI_NUM"], row["CLM_RNDRG_PRVDR_NPI_NUM"])
            tin = row["CLM_RNDRG_PRVDR_TAX_NUM"]
            prefix = "B-"
        else:
            denied, codes, npi, tin, prefix = (
                False,
                [DME_DIAGNOSIS],
                _npi(row["PAYTO_PRVDR_NPI_NUM"]),
                "",
                "D-",
            )
        if adjustment == "cancel":  # unsigned: a cancel removes the line whatever it carries
            allowed = None if allowed is None else abs(allowed)
            paid = None if paid is None else abs(paid)
        elif denied:
            allowed = paid = Decimal(0)
        return [  # CLAIM_FIELDS order
            f"{prefix}{_safe(row['CLM_CNTL_NUM'])}-{mbi}",
            row["CLM_LINE_NUM"],
            CLAIM_TYPES.get(row["CLM_TYPE_CD"], f"CLM_TYPE_CD {row['CLM_TYPE_CD']}"),
            mbi,
            row["CLM_FROM_DT"],
            row["CLM_THRU_DT"],
            npi,
            tin if len(tin) == 9 and tin.isdigit() else "",
            row["CLM_LINE_HCPCS_CD"],
            "|".join(codes[:MAX_DIAGNOSES]),
            _money(allowed, raw_allowed),
            _money(paid, raw_paid),
            adjustment,
            received,
        ]

    def _part_a_rows(self) -> Iterator[list[str]]:
        if "CCLF1" not in self.files:
            return
        diagnoses: dict[str, list[tuple[str, str]]] = {}
        for _, row in self._records("CCLF4"):
            diagnoses.setdefault(row["CUR_CLM_UNIQ_ID"], []).append(
                (row["CLM_VAL_SQNC_NUM"], row["CLM_DGNS_CD"])
            )
        lines: dict[str, list[_Line]] = {}
        for _, row in self._records("CCLF2"):
            number = _line_number(row["CLM_LINE_NUM"])
            lines.setdefault(row["CUR_CLM_UNIQ_ID"], []).append(
                (
                    int(number) if number.isdigit() else 0,
                    row["CLM_LINE_HCPCS_CD"],
                    amount(row["CLM_LINE_CVRD_PD_AMT"]),
                )
            )
        groups = self._shared_groups("CCLF1")
        group_plans: dict[int, Plan] = {}
        line_sets: dict[str, set[int]] = {}
        headers = {number: row for number, row in self._records("CCLF1")}
        for key, versions in groups.items():
            if len(versions) > 1:
                decided = resolve(versions)
                self.decided.extend(decided)
                group_plans.update(plans(decided))
                line_sets[key] = {
                    n for v in versions for n, *_ in self._claim_lines(headers[v.record], lines)
                }
        del groups

        def rows() -> Iterator[tuple[int, Plan | None, list[list[str]]]]:
            for number, row in headers.items():
                version = self._version("CCLF1", number, row)
                plan = group_plans.get(number)
                out = self._part_a_version_rows(
                    row, version, plan, lines, diagnoses, line_sets.get(version.key)
                )
                yield number, plan, [[r[name] for name in CLAIM_FIELDS] for r in out]

        yield from self._ordered(rows())

    @staticmethod
    def _claim_lines(row: dict[str, str], lines: dict[str, list[_Line]]) -> list[_Line]:
        """CCLF2 lines when they reconcile with the header amount, else one line with it."""
        header = amount(row["CLM_PMT_AMT"])
        own = sorted(lines.get(row["CUR_CLM_UNIQ_ID"], []), key=lambda line: line[0])
        readable = [a for *_, a in own if a is not None]
        if (
            own
            and header is not None
            and len(readable) == len(own)
            and all(n > 0 for n, *_ in own)
            and sum(readable) == header
        ):
            return own
        return [(1, "", header)]

    def _part_a_version_rows(
        self,
        row: dict[str, str],
        version: Version,
        plan: Plan | None,
        lines: dict[str, list[_Line]],
        diagnoses: dict[str, list[tuple[str, str]]],
        group_lines: set[int] | None,
    ) -> list[dict[str, Any]]:
        codes = [row["PRNCPL_DGNS_CD"]] if row["PRNCPL_DGNS_CD"] else []
        for _, code in sorted(diagnoses.get(version.uid, [])):
            if code and code not in codes:
                codes.append(code)
        adjustment = plan.adjustment if plan else ADJUSTMENTS.get(version.code, "original")
        received = plan.received if plan else version.loaded
        base = {
            "claim_id": version.key,
            "claim_type": CLAIM_TYPES.get(row["CLM_TYPE_CD"], f"CLM_TYPE_CD {row['CLM_TYPE_CD']}"),
            "mbi": self.mbi(row["BENE_MBI_ID"]),
            "from_date": row["CLM_FROM_DT"],
            "thru_date": row["CLM_THRU_DT"],
            "rendering_npi": _npi(
                row["ATNDG_PRVDR_NPI_NUM"], row["CLM_ATNDG_PRVDR_NPI_NUM"], row["OPRTG_PRVDR_NPI_NUM"]
            ),
            "billing_tin": "",
            "diagnoses": "|".join(codes[:MAX_DIAGNOSES]),
            "adjustment": adjustment,
            "received_date": received,
        }
        out = []
        own = self._claim_lines(row, lines)
        for number, hcpcs, value in own:
            if adjustment == "cancel":
                value = None if value is None else abs(value)
            elif version.denied:
                value = Decimal(0)
            text = _money(value, row["CLM_PMT_AMT"])  # unreadable: only the header amount can be
            out.append(
                {
                    **base,
                    "line_number": str(number),
                    "hcpcs": hcpcs,
                    "allowed_amount": text,
                    "paid_amount": text,
                }
            )
        if plan is not None and plan.final and group_lines:
            # Lines other versions had and the final one lacks must not keep counting.
            for number in sorted(group_lines - {n for n, *_ in own}):
                out.append(
                    {
                        **base,
                        "line_number": str(number),
                        "hcpcs": "",
                        "allowed_amount": "0.00",
                        "paid_amount": "0.00",
                        "adjustment": "cancel",
                    }
                )
        return out


def _line_number(value: str) -> str:
    stripped = value.lstrip("0")
    return stripped if stripped.isdigit() else value


# --- a delivery through the one storage path -------------------------------------------------


@dataclass(frozen=True)
class DeliveryResult:
    """The uploads of one delivery. ``alignment`` is None when a rejected claims upload rolled it
    back with everything else; ``claims`` is None when the alignment was rejected (claims unread)."""

    alignment: IngestResult | None
    claims: IngestResult | None

    @property
    def rejected(self) -> bool:
        return any(r is not None and r.upload.status == "rejected" for r in (self.alignment, self.claims))

    @property
    def created(self) -> bool:
        return any(r is not None and r.created for r in (self.alignment, self.claims))


def _as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:  # the claim row itself is judged by the validator
        return None


async def store_decisions(session: AsyncSession, upload_id: str, decided: list[Decision]) -> None:
    """Keep why each version of a multi-version claim counts or not, beside the claims upload."""
    rows = []
    for decision in decided:
        version = decision.version
        claim_id, _, line = version.key.partition("#")
        rows.append(
            {
                "upload_id": upload_id,
                "claim_id": claim_id,
                "line_number": int(line) if line.isdigit() else None,
                "source_file": version.file,
                "record_number": version.record,
                "cur_clm_uniq_id": version.uid,
                "adjustment_type": version.code,
                "effective_date": _as_date(version.effective),
                "paid_amount": version.amount,
                "counts": decision.counts,
                "reason": decision.reason[:300],
            }
        )
    for start in range(0, len(rows), 5_000):
        await session.execute(insert(CclfDecision), rows[start : start + 5_000])


async def import_delivery(
    session: AsyncSession,
    *,
    actor: Actor,
    aco_id: str,
    delivery: CclfDelivery,
    on_error: str,
    settings: Settings,
) -> DeliveryResult:
    """Alignment, then claims, through ``ingest`` in the caller's one transaction, inside a
    savepoint of the delivery: a rejected part rejects the delivery whole. When the claims are
    rejected, the alignment stored before them is rolled back with its audit note and event,
    and the claims' rejection report is what remains."""

    async def run(kind: str) -> IngestResult:
        return await ingest(
            session,
            actor=actor,
            aco_id=aco_id,
            kind=kind,
            source="cclf",
            records=delivery.alignment_records() if kind == "alignment" else delivery.claim_records(),
            content_sha256=lambda: delivery.sha256(kind),
            bytes_received=delivery.size,
            on_error=on_error,
            settings=settings,
        )

    whole = await session.begin_nested()
    alignment = await run("alignment")
    if alignment.upload.status == "rejected":
        await whole.commit()
        return DeliveryResult(alignment, None)
    delivery.decided.clear()
    claims = await run("claims")
    if claims.upload.status == "rejected":
        report = _snapshot(claims.upload)
        await whole.rollback()
        stored = await record_rejection(session, actor=actor, upload=report)
        return DeliveryResult(None, IngestResult(stored, created=True))
    if claims.created:
        await store_decisions(session, claims.upload.id, delivery.decided)
    await whole.commit()
    return DeliveryResult(alignment, claims)


def _snapshot(upload: Upload) -> Upload:
    """A detached copy of an upload report (to store again after its savepoint rolled back)."""
    columns = Upload.__table__.columns.keys()
    return Upload(**{name: getattr(upload, name) for name in columns})


# Accepted media types; what the archive is (zip, or tar plain or gzipped) is read from its bytes.
ARCHIVE_TYPES = frozenset(
    {
        "application/zip",
        "application/x-zip-compressed",
        "application/x-tar",
        "application/gzip",
        "application/x-gtar",
        "application/octet-stream",
    }
)


MAX_ARCHIVE_FILES = 100
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def unpack(archive: Path, destination: Path, *, max_bytes: int) -> None:
    """Extract the regular files of a zip or tar (gzip allowed) into ``destination``, flat (only
    base names, so no path leaves it), refusing more than ``max_bytes`` of content. A member that
    is itself a zip (CMS zips each file of a delivery) is unpacked in its place, one level deep."""
    total = 0
    count = 0
    written: set[str] = set()

    def copy(source: IO[bytes], target: Path, head: bytes = b"") -> None:
        nonlocal total
        total += len(head)
        with target.open("wb") as out:
            out.write(head)
            while chunk := source.read(1 << 20):
                total += len(chunk)
                if total > max_bytes:
                    raise PayloadTooLarge(f"the unpacked delivery exceeds {max_bytes} bytes")
                out.write(chunk)

    def write(name: str, source: IO[bytes], *, nested: bool) -> None:
        nonlocal count
        base = Path(name).name
        if not base or base.startswith("."):
            return
        count += 1
        if count > MAX_ARCHIVE_FILES:
            raise DeliveryRefused(
                [f"the archive holds more than {MAX_ARCHIVE_FILES} files (a delivery has about a dozen)"]
            )
        head = b"" if nested else source.read(4)
        if head in _ZIP_MAGIC:
            with tempfile.TemporaryDirectory() as scratch:
                inner = Path(scratch) / "inner.zip"
                copy(source, inner, head)
                members(inner, nested=True)
            return
        if base in written:  # two folders' files of one name: which one is meant is unknowable
            raise DeliveryRefused([f"the archive holds more than one file named {base}"])
        written.add(base)
        copy(source, destination / base, head)

    def members(path: Path, *, nested: bool) -> None:
        with path.open("rb") as handle:
            is_zip = handle.read(4) in _ZIP_MAGIC
        if is_zip:
            with zipfile.ZipFile(path) as bundle:
                for info in bundle.infolist():
                    if not info.is_dir():
                        with bundle.open(info) as source:
                            write(info.filename, source, nested=nested)
        else:
            with tarfile.open(path, mode="r:*") as tar:
                for member in tar:
                    if member.isfile():
                        member_file = tar.extractfile(member)
                        if member_file is not None:
                            write(member.name, member_file, nested=nested)

    try:
        members(archive, nested=False)
    # RuntimeError: an encrypted zip member; NotImplementedError (a RuntimeError): a compression
    # method zipfile lacks. Their messages may hold reprs (``<ZipInfo ...>``): DeliveryRefused
    # replaces those by the member's name.
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, zlib.error, RuntimeError) as exc:
        raise DeliveryRefused([f"not a readable zip or tar archive: {exc}"]) from exc


def unpack_delivery(archive: Path, directory: Path, max_bytes: int) -> CclfDelivery:
    """``unpack`` the archive into ``directory`` and check the delivery (blocking: run it in a
    worker thread)."""
    unpack(archive, directory, max_bytes=max_bytes)
    return CclfDelivery(directory)
