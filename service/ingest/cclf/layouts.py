"""A delivery is a directory (or an unpacked zip/tar) with one file per CCLF type. Each file type has
one declarative layout below (``LAYOUTS``: field name, 1-based inclusive start and end, and the
record length); the parser, the CCLF0 check and the test generator (tests/support/cclf_data.py) all read
the same tables. Records are read by position, streaming, file by file.

The tables are declarative data; below them the readers of single fields (dates, amounts, NPIs).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

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
        ("BENE_PTNT_STUS_CD", 102, 103),
        ("DGNS_DRG_CD", 104, 107),
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
    # Names and addresses (82-166, 169-549) are deliberately not in the layout: never read, never
    # stored. Between them, the original reason for entitlement (OREC) at 167.
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
        ("BENE_ORGNL_ENTLMT_RSN_CD", 167, 167),
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
# Original reason for entitlement: 0 age, 1 disability, 2 ESRD, 3 disability and ESRD.
ENTITLEMENT_REASONS = frozenset({"0", "1", "2", "3"})
MAX_DIAGNOSES = 25
# Inpatient claim types (CCLF1 carries no admission or discharge date: a stay's claim runs from
# its admission, CLM_FROM_DT, through its discharge, CLM_THRU_DT, unless the patient status says
# the beneficiary is still a patient).
INPATIENT_TYPES = frozenset({"60", "61"})
STILL_A_PATIENT = "30"
# The CCLF Information Packet version whose layouts LAYOUTS holds (record lengths above).
LAYOUT_VERSION = "v38.0 (February 2024)"
# Record lengths of earlier layout versions that deliveries still arrive in (the public sample
# archives of CMS's own importer, CMSgov/bcda-app, hold CCLF1 files of 292 characters: the
# layout before the billing provider, its NPIs and the claim control numbers, 293-437).
EARLIER_LENGTHS = {"CCLF1": {292: "an earlier layout version"}}
DIAGNOSIS_FIELDS = (*(f"CLM_DGNS_{i}_CD" for i in range(1, 13)), "CLM_LINE_DGNS_CD")
# CCLF6 carries no diagnosis, and a stored line needs one: DME lines get R69 ("illness,
# unspecified"), which no episode definition triggers on; their spending still counts.
DME_DIAGNOSIS = "R69"

# P.A1234.ACO.ZC1Y24.D240115.T1200000 (CMS) or cclf1.txt (tests, hand-made deliveries)
_NAME = re.compile(r"(?:^|\.)ZC([0-9AB])[A-Z]?\d{0,2}(?:\.|$)|^CCLF([0-9AB])(?:\b|_)", re.IGNORECASE)
_AMOUNT = re.compile(r"[-+]?\d+(?:\.\d{0,2})?")
MAX_AMOUNT = Decimal(10) ** 14
_CLAIM_ID_SAFE = re.compile(r"[^A-Za-z0-9._-]")


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


def money_text(value: Decimal | None, raw: str) -> str:
    """An amount as stored, or the raw text when unreadable (the validator reports it)."""
    return raw if value is None else f"{value:.2f}"


def first_npi(*candidates: str) -> str:
    for value in candidates:
        if len(value) == 10 and value.isdigit():
            return value
    return ""


def safe_key(value: str) -> str:
    return value if value.isascii() and value.isalnum() else _CLAIM_ID_SAFE.sub("", value)


def as_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:  # the claim row itself is judged by the validator
        return None
