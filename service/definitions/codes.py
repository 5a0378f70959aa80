"""Medical codes: normalisation, validation and the one place where code matching lives.

* ``normalize_code``: upper case, dots and surrounding blanks removed (``z91.81`` -> ``Z9181``).
* ``icd10_problem``: is this an ICD-10-CM code or category of the pinned code set (package
  ``simple_icd_10_cm``)? Cached; ingest calls it for every diagnosis of every claim line.
* ``hcpcs_problem``: HCPCS Level II / CPT shape: five characters, either five digits (CPT
  Category I), a letter and four digits (HCPCS Level II), or four digits and a letter
  (CPT Category II ``F`` and Category III ``T`` codes).
* ``drg_problem``: an MS-DRG is three digits, 001 .. 999 (well formed only: no MS-DRG table is
  bundled).
* ``pcs_problem``: an ICD-10-PCS code or prefix: up to seven characters, digits and letters but
  I and O (well formed only: no ICD-10-PCS table is bundled).
* ``CodeSet``: a list of exact codes, ranges ``A-B`` and prefixes compiled once into frozensets
  keyed by prefix length, so that classifying a line is a few set look-ups (no regex, no scan).

Matching rules (docs/definitions.md explains them with examples):

* HCPCS entries are exact codes or ranges ``LO-HI`` of the same shape (``99202-99215``,
  ``G0000-G0099``). A range is expanded into its codes at compile time, so it matches exactly
  the codes of that shape between LO and HI inclusive (``9920F`` is not in ``99202-99215``).
* ICD-10-CM entries are prefixes (``R26`` matches ``R26``, ``R260``, ``R2689`` ...). A range
  ``LO-HI`` of two codes or categories of equal length n stands for every code or category of
  length n in the code set between LO and HI inclusive, each used as a prefix: ``W00-W19`` is
  the 20 categories W00 .. W19, so it matches ``W00`` and ``W19XXXA`` but not ``W20``.
  Expanding against the code set gives Python (``matches``) and SQL (``like_patterns``) exactly
  the same meaning; diagnoses outside the code set are refused at ingest anyway.
"""

from __future__ import annotations

import bisect
import importlib.util
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import ColumnElement, false, or_

CodeKind = Literal["hcpcs", "icd10"]

# A range wider than this is almost certainly a typo (a whole HCPCS letter is 10,000 codes).
MAX_HCPCS_RANGE = 10_000
# Shorter ICD-10-CM prefixes than a category (letter, digit, character) would be chapter-sized.
MIN_ICD10_PREFIX = 3

_ICD10_SHAPE = re.compile(r"[A-Z][0-9][0-9A-Z]{1,5}")
_DRG_SHAPE = re.compile(r"[0-9]{3}")
# ICD-10-PCS never uses I or O (they would read as 1 and 0).
_PCS_SHAPE = re.compile(r"[0-9A-HJ-NP-Z]{1,7}")
PCS_LENGTH = 7
_HCPCS_SHAPES = (
    ("five digits", re.compile(r"[0-9]{5}")),
    ("a letter and four digits", re.compile(r"[A-Z][0-9]{4}")),
    ("four digits and a letter", re.compile(r"[0-9]{4}[A-Z]")),
)


def normalize_code(code: str) -> str:
    """``" z91.81 "`` -> ``"Z9181"``: the form every code is stored and compared in."""
    return code.strip().upper().replace(".", "")


@dataclass(frozen=True, slots=True)
class _Icd10Index:
    codes: frozenset[str]  # every code, subcategory and category, without dots
    ordered: tuple[str, ...]  # the same, sorted: prefix and range look-ups by bisection


# The code list the pinned ``simple_icd_10_cm`` ships beside its XML tabular (one code a line,
# with its dot, then its description). Read as text, without importing the package: the package
# builds its whole code hierarchy on import (about 190 MB in 600,000 objects), and the service
# needs the list only. tests/test_code_sets.py checks that the list is exactly the package's codes.
BUNDLED_CODE_LIST = "code-list-April-2026.txt"


def bundled_code_list() -> Path:
    """The package's code-list file (found without executing the package)."""
    spec = importlib.util.find_spec("simple_icd_10_cm")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the simple_icd_10_cm package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / BUNDLED_CODE_LIST


def read_code_list(path: Path) -> frozenset[str]:
    """Codes and categories (no chapters ``1``, no blocks ``A00-A09``) of a code list, without dots."""
    with path.open(encoding="utf-8") as handle:
        found = (line.split(" ", 1)[0].strip().replace(".", "") for line in handle)
        # sys.intern: each code a single string object, shared by the set and the sorted tuple.
        return frozenset(sys.intern(code) for code in found if _ICD10_SHAPE.fullmatch(code))


@lru_cache(maxsize=1)
def _icd10() -> _Icd10Index:
    items = read_code_list(bundled_code_list())
    return _Icd10Index(codes=items, ordered=tuple(sorted(items)))


def icd10_codes() -> frozenset[str]:
    """Every ICD-10-CM code, subcategory and category of the pinned code set, without dots."""
    return _icd10().codes


@lru_cache(maxsize=200_000)
def icd10_problem(code: str) -> str | None:
    """None when ``code`` (normalised here) is an ICD-10-CM code or category, else the reason."""
    normal = normalize_code(code)
    if normal in _icd10().codes:
        return None
    return icd10_shape_problem(code) or f"{code} is not an ICD-10-CM code or category"


def icd10_shape_problem(code: str) -> str | None:
    """None when ``code`` is shaped like an ICD-10-CM code, in whatever year's code set."""
    if _ICD10_SHAPE.fullmatch(normalize_code(code)):
        return None
    return f"{code} is not shaped like an ICD-10-CM code (a letter, a digit, then 1 to 5 characters)"


def drg_problem(code: str) -> str | None:
    """None when ``code`` is an MS-DRG number (three digits, 001 .. 999), else the reason."""
    if _DRG_SHAPE.fullmatch(code) and code != "000":
        return None
    return f"{code} is not an MS-DRG (three digits, 001 to 999, like 470)"


def pcs_problem(code: str, *, prefix: bool = False) -> str | None:
    """None when ``code`` (normalised here) is shaped like an ICD-10-PCS code (seven characters,
    digits and letters but I and O), or with ``prefix`` like the start of one, else the reason."""
    normal = normalize_code(code)
    if _PCS_SHAPE.fullmatch(normal) and (prefix or len(normal) == PCS_LENGTH):
        return None
    shape = "up to seven" if prefix else "seven"
    return f"{code} is not an ICD-10-PCS code ({shape} letters or digits, no I or O)"


def _hcpcs_shape(normal: str) -> str | None:
    for name, pattern in _HCPCS_SHAPES:
        if pattern.fullmatch(normal):
            return name
    return None


@lru_cache(maxsize=50_000)
def hcpcs_problem(code: str) -> str | None:
    """None when ``code`` (normalised here) has the HCPCS/CPT shape, else the reason."""
    if _hcpcs_shape(normalize_code(code)) is None:
        return (
            f"{code} is not an HCPCS/CPT code (5 characters: five digits, a letter and four digits, "
            "or four digits and a letter)"
        )
    return None


def _split_range(entry: str) -> tuple[str, str] | None:
    if "-" not in entry:
        return None
    low, _, high = entry.partition("-")
    return normalize_code(low), normalize_code(high)


def _hcpcs_range(entry: str, low: str, high: str) -> tuple[str, ...]:
    """The codes of an HCPCS range, or ValueError naming what is wrong with it."""
    for end in (low, high):
        if hcpcs_problem(end) is not None:
            raise ValueError(f"{entry}: {hcpcs_problem(end)}")
    shape = _hcpcs_shape(low)
    if (
        shape is None
        or shape != _hcpcs_shape(high)
        or (shape != "five digits" and _letter(low) != _letter(high))
    ):
        raise ValueError(f"{entry} mixes code shapes: both ends must have the same letter and layout")
    if low > high:
        raise ValueError(f"{entry} is not ordered: {low} comes after {high}")
    # The numeric part: all five characters, or the four digits beside the letter.
    digits = {"five digits": slice(0, 5), "a letter and four digits": slice(1, 5)}.get(shape, slice(0, 4))
    start, stop = int(low[digits]), int(high[digits])
    if stop - start + 1 > MAX_HCPCS_RANGE:
        raise ValueError(f"{entry} spans {stop - start + 1} codes; at most {MAX_HCPCS_RANGE} are allowed")
    width = digits.stop - digits.start
    head, tail = low[: digits.start], low[digits.stop :]
    return tuple(f"{head}{n:0{width}d}{tail}" for n in range(start, stop + 1))


def _letter(code: str) -> str:
    return "".join(ch for ch in code if ch.isalpha())


def _icd10_prefix_problem(entry: str, normal: str) -> str | None:
    index = _icd10()
    if normal in index.codes:
        return None
    if len(normal) < MIN_ICD10_PREFIX:
        return f"{entry} is shorter than an ICD-10-CM category (3 characters)"
    position = bisect.bisect_left(index.ordered, normal)
    if position < len(index.ordered) and index.ordered[position].startswith(normal):
        return None  # a valid stem of at least one code
    return f"{entry} is not an ICD-10-CM code or category"


def _icd10_range(entry: str, low: str, high: str) -> tuple[str, ...]:
    for end in (low, high):
        if end not in _icd10().codes:
            raise ValueError(f"{entry}: {end} is not an ICD-10-CM code or category")
    if len(low) != len(high):
        raise ValueError(f"{entry}: both ends of an ICD-10-CM range must have the same length")
    if low > high:
        raise ValueError(f"{entry} is not ordered: {low} comes after {high}")
    ordered = _icd10().ordered
    members = ordered[bisect.bisect_left(ordered, low) : bisect.bisect_right(ordered, high)]
    return tuple(code for code in members if len(code) == len(low))


def check_entry(entry: str, kind: CodeKind) -> str | None:
    """None when ``entry`` (a code, prefix or range of ``kind``) is valid, else the reason."""
    try:
        _expand(entry, kind)
    except ValueError as exc:
        return str(exc)
    return None


def _expand(entry: str, kind: CodeKind) -> tuple[str, ...]:
    """The normalised codes (hcpcs) or prefixes (icd10) an entry stands for; ValueError if bad."""
    bounds = _split_range(entry)
    if kind == "hcpcs":
        if bounds is not None:
            return _hcpcs_range(entry, *bounds)
        problem = hcpcs_problem(entry)
        if problem is not None:
            raise ValueError(problem)
        return (normalize_code(entry),)
    if bounds is not None:
        return _icd10_range(entry, *bounds)
    normal = normalize_code(entry)
    problem = _icd10_prefix_problem(entry, normal)
    if problem is not None:
        raise ValueError(problem)
    return (normal,)


class CodeSet:
    """Exact HCPCS codes or ICD-10-CM prefixes, compiled once; ``matches`` is a few set look-ups.

    Build with :meth:`hcpcs` (exact codes and ranges) or :meth:`icd10_prefixes` (prefixes and
    ranges); entries are validated (ValueError on the first bad one).
    """

    __slots__ = ("_by_length", "_exact", "entries", "kind")

    def __init__(self, entries: Iterable[str], kind: CodeKind) -> None:
        self.kind: CodeKind = kind
        self.entries: tuple[str, ...] = tuple(entries)
        expanded = {code for entry in self.entries for code in _expand(entry, kind)}
        self._exact: frozenset[str] = frozenset(expanded) if kind == "hcpcs" else frozenset()
        by_length: dict[int, set[str]] = {}
        if kind == "icd10":
            for prefix in expanded:
                by_length.setdefault(len(prefix), set()).add(prefix)
        self._by_length: tuple[tuple[int, frozenset[str]], ...] = tuple(
            (length, frozenset(prefixes)) for length, prefixes in sorted(by_length.items())
        )

    @classmethod
    def hcpcs(cls, entries: Iterable[str]) -> CodeSet:
        return cls(entries, "hcpcs")

    @classmethod
    def icd10_prefixes(cls, entries: Iterable[str]) -> CodeSet:
        return cls(entries, "icd10")

    def matches(self, code: str) -> bool:
        """Does the normalised ``code`` belong to the set? (Normalise first: ``normalize_code``.)"""
        if self.kind == "hcpcs":
            return code in self._exact
        for length, prefixes in self._by_length:
            if len(code) < length:
                return False  # lengths ascend: no longer prefix fits either
            if code[:length] in prefixes:
                return True
        return False

    def matches_any(self, codes: Iterable[str]) -> bool:
        """Does any of the normalised ``codes`` (e.g. all diagnoses of a claim) belong?"""
        return any(self.matches(code) for code in codes)

    @property
    def codes(self) -> frozenset[str]:
        """The exact codes (HCPCS) or the prefixes (ICD-10-CM) after range expansion."""
        if self.kind == "hcpcs":
            return self._exact
        return frozenset(p for _, prefixes in self._by_length for p in prefixes)

    def like_patterns(self) -> list[str]:
        """``LIKE`` patterns, sorted, for a ``|``-delimited column such as ingest's ``diagnoses``
        (``|Z9181|W19XXXA|``): a prefix P becomes ``%|P%``, an exact code C ``%|C|%``."""
        if self.kind == "hcpcs":
            return sorted(f"%|{code}|%" for code in self._exact)
        return sorted(f"%|{prefix}%" for prefix in self.codes)

    def sql_condition(self, column: ColumnElement[Any], *, delimited: bool = False) -> ColumnElement[bool]:
        """A SQL condition true when ``column`` matches: a single normalised code (``hcpcs``,
        ``principal_diagnosis``), or with ``delimited`` any code of a ``|``-delimited list."""
        if delimited:
            conditions = [column.like(pattern) for pattern in self.like_patterns()]
        elif self.kind == "hcpcs":
            return column.in_(sorted(self._exact)) if self._exact else false()
        else:
            conditions = [column.like(f"{prefix}%") for prefix in sorted(self.codes)]
        return or_(*conditions) if conditions else false()

    def __len__(self) -> int:
        return len(self.codes)

    def __repr__(self) -> str:
        return f"CodeSet.{'hcpcs' if self.kind == 'hcpcs' else 'icd10_prefixes'}({list(self.entries)!r})"
