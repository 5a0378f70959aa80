"""ICD-10-CM code sets by date of service.

ICD-10-CM changes every 1 October (the start of the federal fiscal year): codes are added,
and a few retired. A claim's diagnoses are checked against the set in force on its date of
service (its ``thru_date``: the discharge date of an inpatient stay, the service date of a
professional line). The service holds:

* the set bundled with ``simple_icd_10_cm`` (its April 2026 update: fiscal year 2026, in force
  2025-10-01 .. 2026-09-30), and
* any newer (or replacement) set added as data: a file ``contracts/code-sets/icd-10-cm/FY<year>.txt``
  in CMS's code-file layout (each line a code without its dot, optionally followed by blanks and
  its description; CMS publishes it yearly as ``icd10cm-codes-<year>.txt``), in force from
  1 October of the year before through 30 September of that year.

A date before the oldest set is checked against the oldest. A date after the newest set's year
has no set here: a well-formed code that the newest set lacks is then stored, and flagged in the
upload report as a warning (the code and the newest set), instead of rejecting the upload. A code
the newest set knows only as the start of longer codes (``M8000X``, which lacks its seventh
character) is incomplete whatever the year, and stays an error.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from service.definitions.codes import icd10_codes
from service.settings import project_dir

BUNDLED_FISCAL_YEAR = 2026
_FILE_NAME = re.compile(r"FY(\d{4})\.txt")
_CODE = re.compile(r"[A-Z][0-9][0-9A-Z]{1,5}")


@dataclass(frozen=True, slots=True)
class Icd10Set:
    fiscal_year: int
    codes: frozenset[str]  # codes, subcategories and categories, without dots
    ordered: tuple[str, ...]
    source: str

    @property
    def name(self) -> str:
        return f"ICD-10-CM FY{self.fiscal_year}"

    @property
    def effective_from(self) -> date:
        return date(self.fiscal_year - 1, 10, 1)

    @property
    def effective_through(self) -> date:
        return date(self.fiscal_year, 9, 30)

    def is_stem(self, code: str) -> bool:
        """True when ``code`` is not in the set but begins longer codes of it."""
        position = bisect.bisect_right(self.ordered, code)
        return position < len(self.ordered) and self.ordered[position].startswith(code)


def code_sets_dir() -> Path:
    return project_dir("contracts") / "code-sets" / "icd-10-cm"


def _make(fiscal_year: int, codes: frozenset[str], source: str) -> Icd10Set:
    return Icd10Set(fiscal_year, codes, tuple(sorted(codes)), source)


def read_code_file(path: Path) -> frozenset[str]:
    """The codes of a CMS code file, with every category and subcategory above them."""
    codes: set[str] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
        fields = line.split(maxsplit=1)
        if not fields:
            continue
        code = fields[0].replace(".", "").upper()
        if not _CODE.fullmatch(code):
            raise ValueError(f"{path.name} line {number}: {fields[0]!r} is not an ICD-10-CM code")
        codes.update(code[:length] for length in range(3, len(code) + 1))
    if not codes:
        raise ValueError(f"{path.name} lists no code")
    return frozenset(codes)


@lru_cache(maxsize=4)
def icd10_sets(directory: Path | None = None) -> tuple[Icd10Set, ...]:
    """Every set the service has, oldest first (a file replaces the bundled set of its year)."""
    sets = {BUNDLED_FISCAL_YEAR: _make(BUNDLED_FISCAL_YEAR, icd10_codes(), "simple_icd_10_cm (April 2026)")}
    folder = directory or code_sets_dir()
    if folder.is_dir():
        for path in sorted(folder.iterdir()):
            match = _FILE_NAME.fullmatch(path.name)
            if match:
                year = int(match.group(1))
                sets[year] = _make(year, read_code_file(path), str(path.name))
    return tuple(sets[year] for year in sorted(sets))


class Icd10ByDate:
    """Checks a claim's diagnoses against the set in force on its date; remembers its answers."""

    def __init__(self, sets: tuple[Icd10Set, ...] | None = None) -> None:
        self.sets = sets or icd10_sets()
        self.newest = self.sets[-1]
        self._set_on: dict[str, Icd10Set | None] = {}
        self._answers: dict[tuple[str, int], tuple[str | None, tuple[str, ...]]] = {}

    def set_on(self, day: str) -> Icd10Set | None:
        """The set in force on ``day`` (ISO date); None after the newest set's year."""
        found = self._set_on.get(day, False)
        if found is not False:
            return found  # type: ignore[return-value]
        when = date.fromisoformat(day)
        chosen: Icd10Set | None = self.sets[0]
        if when > self.newest.effective_through:
            chosen = None
        else:
            for code_set in self.sets:
                if code_set.effective_from <= when:
                    chosen = code_set
        if len(self._set_on) > 10_000:
            self._set_on.clear()
        self._set_on[day] = chosen
        return chosen

    def check(self, diagnoses: str, day: str) -> tuple[str | None, tuple[str, ...]]:
        """For ``|A|B|`` on ``day``: (the first error or None, the codes to flag as warnings)."""
        code_set = self.set_on(day)
        key = (diagnoses, code_set.fiscal_year if code_set else 0)
        answer = self._answers.get(key)
        if answer is None:
            answer = self._check(diagnoses.strip("|").split("|"), code_set, day)
            if len(self._answers) > 100_000:
                self._answers.clear()
            self._answers[key] = answer
        return answer

    def _check(
        self, codes: list[str], code_set: Icd10Set | None, day: str
    ) -> tuple[str | None, tuple[str, ...]]:
        if code_set is not None:
            for code in codes:
                if code not in code_set.codes:
                    return (
                        f"{code} is not an ICD-10-CM code or category of {code_set.name} (in force on {day})",
                        (),
                    )
            return None, ()
        unknown = []
        for code in codes:
            if code in self.newest.codes:
                continue
            if self.newest.is_stem(code):
                return f"{code} is incomplete: {self.newest.name} has only longer codes starting so", ()
            unknown.append(code)
        return None, tuple(unknown)
