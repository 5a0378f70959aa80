"""Field rules for alignment rows and claim lines (docs/method.md section 4), written once.

Every source (CSV, NDJSON, RIF, CCLF) maps its record onto the claim-line field names of docs/method.md section 4; the validators
below turn the values into a canonical row or a list of errors naming the row, the field, the
value and the reason. A canonical value is the text PostgreSQL's COPY reads (``2027-03-02``,
``142.10``, ``t``), or None for an empty optional field; ``storage`` writes it unchanged on
PostgreSQL and converts it for SQLite.

Speed: uploads run to millions of rows, and most values repeat (beneficiaries, NPIs, codes,
dates, diagnosis lists). Each field therefore remembers the raw values it has already accepted
(a bounded dict from raw text to canonical value), so a repeated value costs one dict look-up;
a new or bad value goes through the rule itself. The rules are the only definition of validity:
CSV claim lines are first checked a block at a time, column by column (``columnar``), with these
same rules and patterns, and every row that path does not pass comes back here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from service.definitions.code_sets import Icd10ByDate
from service.definitions.codes import (
    drg_problem,
    hcpcs_problem,
    icd10_shape_problem,
    normalize_code,
    pcs_problem,
)
from service.kit.identifiers import mbi_problem, npi_problem, tin_problem

CLAIM_TYPES = frozenset({"inpatient", "outpatient", "carrier", "snf", "hha", "dme", "hospice"})
ADJUSTMENTS = frozenset({"original", "replacement", "cancel"})
# A claim carries a principal, up to 25 other and up to 13 external-cause diagnoses (RIF, CCLF).
MAX_DIAGNOSES = 40
EARLIEST = date(1900, 1, 1)
LATEST = date(2100, 12, 31)
CACHE_LIMIT = 200_000

# ASCII digits only: PostgreSQL's numeric reads no other (Python's ``\d`` takes any Unicode digit).
AMOUNT_PATTERN = r"[0-9]{1,12}(\.[0-9]{1,2})?"
_AMOUNT = re.compile(AMOUNT_PATTERN)
_SCORE = re.compile(r"^\d{1,4}(\.\d{1,4})?\Z")
CLAIM_ID_PATTERN = r"[A-Za-z0-9._-]{1,64}"
_CLAIM_ID = re.compile(CLAIM_ID_PATTERN)
_CCN = re.compile(r"^[0-9A-Z]{6}\Z")
# An inpatient claim carries a principal and up to 24 other procedures (RIF ICD_PRCDR_CD1..25).
MAX_PROCEDURES = 25
_TRUE = frozenset({"true", "1", "yes", "y", "t"})
_FALSE = frozenset({"false", "0", "no", "n", "f"})


class Invalid(ValueError):
    """A field's value breaks its rule; the message is the reason."""


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    field: str
    value: str
    reason: str


# --- the rules: raw text (stripped, non-empty) -> canonical text, or Invalid ---------------------


def parse_date(value: str) -> str:
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise Invalid("not a date (YYYY-MM-DD)") from None
    if len(value) != 10 or not EARLIEST <= parsed <= LATEST:
        raise Invalid("not a date (YYYY-MM-DD) between 1900 and 2100")
    return value


def parse_amount(value: str) -> str:
    if not _AMOUNT.fullmatch(value):
        if value.startswith("-"):
            raise Invalid("must not be negative")
        raise Invalid("a decimal amount with at most two places, like 123.45")
    return value


def parse_bool(value: str) -> str:
    lowered = value.lower()
    if lowered in _TRUE:
        return "t"
    if lowered in _FALSE:
        return "f"
    raise Invalid("true or false")


def _problem_rule(check: Callable[[str], str | None]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        problem = check(value)
        if problem:
            raise Invalid(problem)
        return value

    return parse


def _hcpcs(value: str) -> str:
    code = normalize_code(value)
    problem = hcpcs_problem(code)
    if problem:
        raise Invalid(problem)
    return code


def _choice(options: frozenset[str]) -> Callable[[str], str]:
    def parse(value: str) -> str:
        lowered = value.lower()
        if lowered not in options:
            raise Invalid("one of " + ", ".join(sorted(options)))
        return lowered

    return parse


def _line_number(value: str) -> str:
    if not value.isdigit() or not 1 <= int(value) <= 99_999:
        raise Invalid("a whole number from 1 to 99999")
    return str(int(value))


def _claim_id(value: str) -> str:
    if not _CLAIM_ID.fullmatch(value):
        raise Invalid("1 to 64 letters, digits, '.', '_' or '-'")
    return value


def _score(value: str) -> str:
    if not _SCORE.match(value) or Decimal(value) <= 0:
        raise Invalid("a positive decimal with at most four places")
    return value


def _entitlement_reason(value: str) -> str:
    if value not in ("0", "1", "2", "3"):
        raise Invalid("0 (age), 1 (disability), 2 (ESRD) or 3 (disability and ESRD)")
    return value


def _sex(value: str) -> str:
    upper = value.upper()
    if upper not in ("M", "F", "U"):
        raise Invalid("M, F or U")
    return upper


def parse_diagnoses(value: str) -> tuple[str, str]:
    """``Z91.81|R26.81`` -> (``|Z9181|R2681|``, principal ``Z9181``)."""
    codes = [c for c in (normalize_code(item) for item in value.split("|")) if c]
    if not codes:
        raise Invalid("at least one ICD-10-CM diagnosis is required (the first is principal)")
    if len(codes) > MAX_DIAGNOSES:
        raise Invalid(f"at most {MAX_DIAGNOSES} diagnoses")
    for code in codes:
        # The code set in force depends on the line's date: ClaimValidator.cross_check.
        problem = icd10_shape_problem(code)
        if problem:
            raise Invalid(problem)
    return "|" + "|".join(codes) + "|", codes[0]


def _drg(value: str) -> str:
    problem = drg_problem(value)
    if problem:
        raise Invalid(problem)
    return value


def drg_text(value: str) -> str:
    """An MS-DRG as CMS files carry it (``470``, or zero-padded to four, ``0470``) as three digits;
    anything else unchanged, for the rule to judge."""
    value = value.strip()
    return value[1:] if len(value) == 4 and value.startswith("0") else value


def _ccn(value: str) -> str:
    upper = value.upper()
    if not _CCN.match(upper):
        raise Invalid("a CMS Certification Number: six letters or digits, like 450058")
    return upper


def parse_procedures(value: str) -> str:
    """``0SR9019|0SRB019`` -> ``|0SR9019|0SRB019|`` (dots and case forgiven), prefix-matchable
    in SQL like ``diagnoses``."""
    codes = [c for c in (normalize_code(item) for item in value.split("|")) if c]
    if len(codes) > MAX_PROCEDURES:
        raise Invalid(f"at most {MAX_PROCEDURES} procedures")
    for code in codes:
        problem = pcs_problem(code)
        if problem:
            raise Invalid(problem)
    return "|" + "|".join(codes) + "|" if codes else NULL


@dataclass(frozen=True)
class Rule:
    name: str
    parse: Callable[[str], Any]
    required: bool = True
    cache: bool = True  # False for values that rarely repeat (claim ids): checked every time
    # A regular expression (in the syntax Python's ``re`` and Arrow's RE2 share) that a value
    # matching in full is valid by this rule and already canonical: checked over a whole column
    # at once (here, and in ``columnar``). The rule may accept more (blanks around the value).
    pattern: str | None = None

    def all_plain(self, column: Sequence[str]) -> bool:
        """True when every value of ``column`` matches ``pattern`` (one C-level pass)."""
        return self.pattern is not None and all(map(re.compile(self.pattern).fullmatch, column))


NULL = "\\N"  # COPY's text for NULL: the canonical value of an empty optional field


@dataclass
class BatchResult:
    rows: list[tuple[str, ...]]
    errors: list[RowError]
    rejected: int


class RowValidator:
    """Validates rows of one kind given their values in ``fields`` order.

    ``validate_batch`` is the fast path for thousands of rows at once: per column, only values
    never seen before go through their rule (a set difference against the column's cache), and
    canonical values are mapped column by column. Any bad value sends the batch down the
    row-by-row path, which reports each error with its row number. Both paths use the same
    rules, caches and cross-field checks.
    """

    rules: tuple[Rule, ...] = ()

    def __init__(self, *, sandbox: bool) -> None:
        self.sandbox = sandbox
        self.fields = tuple(rule.name for rule in self.rules)
        # Money: a decimal string in NDJSON, never a JSON number (the reader refuses one).
        self.money_fields = frozenset(rule.name for rule in self.rules if rule.parse is parse_amount)
        self._caches: list[dict[str, Any] | None] = []
        for rule in self.rules:
            cache: dict[str, Any] | None = {} if rule.cache else None
            if cache is not None and not rule.required:
                cache[""] = NULL
            self._caches.append(cache)

    def mbi(self, value: str) -> str:
        problem = mbi_problem(value, sandbox=self.sandbox)
        if problem:
            raise Invalid(problem)
        return value

    def values_of(self, raw: Mapping[str, Any]) -> list[str]:
        """A mapping (a file importer's record) as values in ``fields`` order."""
        return [as_text(raw.get(name)) for name in self.fields]

    def _canonical(self, index: int, value: str) -> Any:
        """The one path from a raw value to its canonical value (raises Invalid)."""
        rule = self.rules[index]
        stripped = value.strip()
        if not stripped:
            if rule.required:
                raise Invalid("required")
            return NULL
        canonical = rule.parse(stripped)
        cache = self._caches[index]
        if cache is not None:
            if len(cache) >= CACHE_LIMIT:
                cache.clear()
                if not rule.required:
                    cache[""] = NULL
            cache[value] = canonical
        return canonical

    def known_values(self, index: int) -> Mapping[str, Any]:
        """The raw values of field ``index`` already accepted, with their canonical values."""
        return self._caches[index] or {}

    def canonical(self, index: int, value: str) -> Any:
        """The canonical value of ``value`` in field ``index`` (remembered), or Invalid."""
        cache = self._caches[index]
        if cache is not None and value in cache:
            return cache[value]
        return self._canonical(index, value)

    def validate(self, values: Sequence[str], row: int) -> tuple[str, ...] | list[RowError]:
        """One row: its canonical tuple, or every error in it."""
        out: list[Any] = []
        errors: list[RowError] = []
        for index, value in enumerate(values):
            cache = self._caches[index]
            if cache is not None and value in cache:
                out.append(cache[value])
                continue
            try:
                out.append(self._canonical(index, value))
            except Invalid as exc:
                errors.append(RowError(row, self.rules[index].name, value.strip()[:100], str(exc)))
                out.append(NULL)
        if errors:
            return errors
        assembled = self.assemble(out)
        return self.cross_check(assembled, row) or assembled

    def validate_batch(self, batch: Sequence[tuple[int, Sequence[str]]]) -> BatchResult:
        if not batch:
            return BatchResult([], [], 0)
        columns = list(zip(*(values for _, values in batch), strict=True))
        canonical_columns: list[Any] = []
        for index, column in enumerate(columns):
            cache = self._caches[index]
            if cache is None:
                canonical_columns.append(self._uncached_column(index, column))
            else:
                for value in set(column).difference(cache):
                    try:
                        self._canonical(index, value)
                    except Invalid:
                        return self._row_by_row(batch)
                try:
                    canonical_columns.append([cache[value] for value in column])
                except KeyError:  # the cache filled up and was cleared meanwhile
                    return self._row_by_row(batch)
            if canonical_columns[-1] is None:
                return self._row_by_row(batch)
        rows = list(zip(*self.assemble_columns(canonical_columns), strict=True))
        for (row_number, _), row in zip(batch, rows, strict=True):
            if self.cross_check(row, row_number):
                return self._row_by_row(batch)
        for (row_number, _), row in zip(batch, rows, strict=True):
            self.note(row, row_number)
        return BatchResult(rows, [], 0)

    def _uncached_column(self, index: int, column: Sequence[str]) -> Sequence[str] | None:
        rule = self.rules[index]
        if rule.all_plain(column):
            return column
        try:
            if all(value and value == rule.parse(value) for value in column):
                return column
        except Invalid:
            pass
        return None

    def _row_by_row(self, batch: Sequence[tuple[int, Sequence[str]]]) -> BatchResult:
        result = BatchResult([], [], 0)
        for row_number, values in batch:
            outcome = self.validate(values, row_number)
            if isinstance(outcome, list):
                result.errors.extend(outcome)
                result.rejected += 1
            else:
                self.note(outcome, row_number)
                result.rows.append(outcome)
        return result

    def assemble(self, values: list[Any]) -> tuple[str, ...]:
        """One row of canonical values in stored column order."""
        return tuple(values)

    def assemble_columns(self, columns: list[Any]) -> list[Any]:
        """``assemble`` for a whole batch, column by column."""
        return columns

    def cross_check(self, row: tuple[str, ...], row_number: int) -> list[RowError]:
        return []

    def note(self, row: tuple[str, ...], row_number: int) -> None:
        """Called once for each valid row (warnings about it go to ``warnings``)."""

    def warnings(self) -> list[dict[str, Any]]:
        """What the upload report flags without rejecting, in row order."""
        return []


def as_text(value: Any) -> str:
    """A JSON or record value as the text a CSV cell would carry (lists joined by ``|``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "|".join(as_text(v) for v in value)
    if isinstance(value, dict):
        return "{}"  # never valid for any field: reported by the field's rule
    return str(value)


class ClaimValidator(RowValidator):
    rules: tuple[Rule, ...] = (
        Rule("claim_id", _claim_id, cache=False, pattern=CLAIM_ID_PATTERN),
        Rule("line_number", _line_number),
        Rule("claim_type", _choice(CLAIM_TYPES)),
        Rule("mbi", lambda v: v),  # replaced per instance (sandbox)
        Rule("from_date", parse_date),
        Rule("thru_date", parse_date),
        Rule("rendering_npi", _problem_rule(npi_problem), required=False),
        Rule("billing_tin", _problem_rule(tin_problem), required=False),
        Rule("hcpcs", _hcpcs, required=False),
        Rule("diagnoses", parse_diagnoses),
        Rule("allowed_amount", parse_amount, pattern=AMOUNT_PATTERN),
        Rule("paid_amount", parse_amount, pattern=AMOUNT_PATTERN),
        Rule("adjustment", _choice(ADJUSTMENTS)),
        Rule("received_date", parse_date),
        # The inpatient stay a line belongs to (optional; what inpatient episode anchors read).
        Rule("drg_code", _drg, required=False),
        Rule("admission_date", parse_date, required=False),
        Rule("discharge_date", parse_date, required=False),
        Rule("facility_ccn", _ccn, required=False),
        Rule("attending_npi", _problem_rule(npi_problem), required=False),
        Rule("operating_npi", _problem_rule(npi_problem), required=False),
        Rule("procedure_codes", parse_procedures, required=False),
    )

    def __init__(self, *, sandbox: bool) -> None:
        self.rules = tuple(Rule("mbi", self.mbi) if r.name == "mbi" else r for r in type(self).rules)
        super().__init__(sandbox=sandbox)
        self.code_sets = Icd10ByDate()
        # (code, code set) -> [rows, first row]: codes newer than the newest set, stored and flagged.
        self._new_codes: dict[tuple[str, str], list[int]] = {}

    def validate(self, values: Sequence[str], row: int) -> tuple[str, ...] | list[RowError]:
        outcome = super().validate(values, row)
        if isinstance(outcome, list):  # a code-set error names the value as it was sent
            raw = values[9].strip()[:100]
            outcome = [
                RowError(e.row, e.field, raw, e.reason) if e.field == "diagnoses" else e for e in outcome
            ]
        return outcome

    def assemble(self, values: list[Any]) -> tuple[str, ...]:
        """The stored column order: ``diagnoses`` becomes the delimited list and the principal."""
        diagnoses, principal = values[9]
        return (*values[:9], diagnoses, principal, *values[10:])

    def assemble_columns(self, columns: list[Any]) -> list[Any]:
        pairs = columns[9]
        return [*columns[:9], [p[0] for p in pairs], [p[1] for p in pairs], *columns[10:]]

    def cross_check(self, row: tuple[str, ...], row_number: int) -> list[RowError]:
        errors = []
        if row[4] > row[5]:  # ISO dates compare as text
            errors.append(RowError(row_number, "thru_date", row[5], "before from_date"))
        admission, discharge = row[ADMISSION], row[ADMISSION + 1]
        if admission != NULL and discharge != NULL and discharge < admission:
            errors.append(RowError(row_number, "discharge_date", discharge, "before admission_date"))
        # Diagnoses against the ICD-10-CM set in force on the date of service (the thru date).
        problem, _ = self.code_sets.check(row[9], row[5])
        if problem:
            errors.append(RowError(row_number, "diagnoses", row[9].strip("|"), problem))
        return errors

    def note(self, row: tuple[str, ...], row_number: int) -> None:
        _, unknown = self.code_sets.check(row[9], row[5])
        for code in unknown:
            tally = self._new_codes.setdefault((code, self.code_sets.newest.name), [0, row_number])
            tally[0] += 1

    def warnings(self) -> list[dict[str, Any]]:
        newest = self.code_sets.newest
        return [
            {
                "code": code,
                "code_set": code_set,
                "rows": rows,
                "first_row": first_row,
                "message": f"{code} is not in {code_set}, the newest code set here (in force until "
                f"{newest.effective_through}); stored unchecked, as a code of a later year may be",
            }
            for (code, code_set), (rows, first_row) in sorted(self._new_codes.items(), key=lambda i: i[1][1])
        ]


# The position of admission_date in a stored claim row (after ``diagnoses`` became two values).
ADMISSION = [r.name for r in ClaimValidator.rules].index("admission_date") + 1


class AlignmentValidator(RowValidator):
    rules: tuple[Rule, ...] = (
        Rule("mbi", lambda v: v),
        Rule("birth_date", parse_date),
        Rule("sex", _sex),
        Rule("dual_status", parse_bool, required=False),
        Rule("hcc_score", _score, required=False),
        Rule("aligned_from", parse_date),
        Rule("aligned_through", parse_date, required=False),
        Rule("esrd", parse_bool, required=False),
        Rule("hospice_start", parse_date, required=False),
        Rule("death_date", parse_date, required=False),
        Rule("entitlement_reason", _entitlement_reason, required=False),
    )

    def __init__(self, *, sandbox: bool) -> None:
        self.rules = tuple(Rule("mbi", self.mbi) if r.name == "mbi" else r for r in type(self).rules)
        super().__init__(sandbox=sandbox)

    def assemble(self, values: list[Any]) -> tuple[str, ...]:
        return tuple(self.assemble_columns([[v] for v in values])[i][0] for i in range(len(values)))

    def assemble_columns(self, columns: list[Any]) -> list[Any]:
        # The flags default to false.
        columns = list(columns)
        for index in (3, 7):
            columns[index] = ["f" if v == NULL else v for v in columns[index]]
        return columns

    def cross_check(self, row: tuple[str, ...], row_number: int) -> list[RowError]:
        errors = []
        if row[6] != NULL and row[6] < row[5]:
            errors.append(RowError(row_number, "aligned_through", row[6], "before aligned_from"))
        if row[9] != NULL and row[9] < row[1]:
            errors.append(RowError(row_number, "death_date", row[9], "before birth_date"))
        return errors


CLAIM_FIELDS = tuple(r.name for r in ClaimValidator.rules)
ALIGNMENT_FIELDS = tuple(r.name for r in AlignmentValidator.rules)


def validator_for(kind: str, *, sandbox: bool) -> ClaimValidator | AlignmentValidator:
    return ClaimValidator(sandbox=sandbox) if kind == "claims" else AlignmentValidator(sandbox=sandbox)
