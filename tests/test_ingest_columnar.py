"""The column-by-column fast path for CSV claim lines (service/ingest/columnar.py) stores exactly
what the row validator stores and reports exactly its errors and warnings: generated claim files
mixing good, bad and edge values of every column, through both paths."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from service.ingest.columnar import ClaimColumns, ColumnBlock
from service.ingest.models import ClaimLineRecord
from service.ingest.reader import RowParser
from service.ingest.service import REQUIRED
from service.ingest.validation import CLAIM_FIELDS, ClaimValidator
from service.settings import Settings
from tests.support.factories import Api, create_org, expect
from tests.support.ingest_data import MBIS, claim
from tests.test_ingest import _rows

NPI = claim()["rendering_npi"]
SUPERFLUOUS_CODES = "|".join(["Z91.81"] * 41)
# For each column, values the rules accept as they stand, accept once tidied (blanks, case,
# dots, leading zeros, Unicode digits) and refuse; dates of the bundled code set's year
# (codes checked against it) and after it (unknown codes stored with a warning).
VALUES: dict[str, list[str]] = {
    "claim_id": ["C1", "C1", "C-2.x_3", "c9", " C4", "", "x" * 65, "a b", "Ü1", "C\x00"],
    "line_number": ["1", "2", "3", "01", "99999", "0", "100000", "-1", "\u0661", " 2", ""],
    "claim_type": ["carrier", "outpatient", "inpatient", "CARRIER", "Snf ", "ambulance", ""],
    "mbi": [*MBIS, MBIS[1].lower(), "1SG4TE5MK73", " " + MBIS[2], "1EG4TE5MK7", ""],
    "from_date": ["2027-03-02", "2027-03-01", "2026-03-02", "2027-02-30", "03/02/2027", "1899-12-31", ""],
    "thru_date": [
        "2027-03-02",
        "2027-03-05",
        "2026-03-05",
        "2026-10-02",
        "2101-01-01",
        "2027-3-2",
        " 2027-03-02",
    ],
    "rendering_npi": [NPI, NPI, "", "1234567890", "12345", " " + NPI],
    "billing_tin": ["123456789", "", "12-3456789", "12345678"],
    "hcpcs": ["99214", "99213", "g0439", "", "9921", "99213 ", "0001F", "ABCDE"],
    "diagnoses": [
        "Z91.81|R26.81",
        "Z9181",
        "z91.81",
        "W19.XXXA|I10",
        "Z91.81||R26.81",
        "Z91.81| R26.81",
        "9X9.99",
        "",
        "|",
        "M80.00X",
        "X9999",
        "U07.1",
        SUPERFLUOUS_CODES,
    ],
    "allowed_amount": [
        "100.00",
        "12.3",
        "5",
        "0",
        "-1.00",
        "1.005",
        "\u0661\u0662",
        "",
        " 3.50",
        "1234567890123",
        "1e3",
    ],
    "paid_amount": ["80.00", "9.99", "0.5", "", "-0", "12.", ".5"],
    "adjustment": ["original", "replacement", "cancel", "CANCEL", "void", ""],
    "received_date": ["2027-04-01", "2027-03-02", "2027-13-01", ""],
    "drg_code": ["", "", "470", "000", "0470", "47", "ab1"],
    "admission_date": ["", "", "2027-02-27", "2027-03-04", "2027-02-31"],
    "discharge_date": ["", "", "2027-03-02", "2027-02-28", "tomorrow"],
    "facility_ccn": ["", "", "450058", "45005a", "4500", "45-058"],
    "attending_npi": ["", "", NPI, "1234567890"],
    "operating_npi": ["", NPI, "123"],
    "procedure_codes": ["", "", "0SR9019|0sr.b019", "0SR9O19", "|", "|".join(["0SR9019"] * 26), "0SR90"],
}
# The first value of each column is a valid one: a row is that, with a few values replaced.
CLEAN = {name: values[0] for name, values in VALUES.items()}
CHANGES = st.sampled_from(CLAIM_FIELDS).flatmap(
    lambda name: st.tuples(st.just(name), st.sampled_from(VALUES[name]))
)
ROWS = st.lists(st.lists(CHANGES, max_size=4).map(lambda changes: {**CLEAN, **dict(changes)}), min_size=1)


def _random_rows(count: int, seed: int) -> list[dict[str, str]]:
    chooser = random.Random(seed)
    rows = []
    for _ in range(count):
        changed = chooser.sample(CLAIM_FIELDS, chooser.choice([0, 0, 1, 1, 2, 4]))
        rows.append({**CLEAN, **{name: chooser.choice(VALUES[name]) for name in changed}})
    return rows


def _csv(rows: list[dict[str, str]]) -> bytes:
    lines = [",".join(CLAIM_FIELDS)] + [",".join(row[name] for name in CLAIM_FIELDS) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _by_rows(rows: list[dict[str, str]], *, sandbox: bool) -> tuple[Any, ...]:
    validator = ClaimValidator(sandbox=sandbox)
    stored, errors = [], []
    for number, row in enumerate(rows, 1):
        outcome = validator.validate([row[name] for name in CLAIM_FIELDS], number)
        if isinstance(outcome, list):
            errors.extend(outcome)
        else:
            validator.note(outcome, number)
            stored.append(outcome)
    return stored, errors, validator.warnings()


def _by_columns(rows: list[dict[str, str]], *, sandbox: bool) -> tuple[Any, ...]:
    validator = ClaimValidator(sandbox=sandbox)
    parser = RowParser("csv", validator.fields, REQUIRED["claims"], blocks=True)
    [block] = parser.parse_block(_csv(rows))
    assert isinstance(block, ColumnBlock) and block.first_row == 1
    result = ClaimColumns(validator).validate(block)
    assert result.rejected == len({e.row for e in result.errors})
    stored = [tuple(row.values()) for row in result.table.to_pylist()]
    return stored, result.errors, validator.warnings()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS, sandbox=st.booleans())
def test_the_fast_path_stores_and_reports_what_the_row_validator_does(
    rows: list[dict[str, str]], sandbox: bool
) -> None:
    assert _by_columns(rows, sandbox=sandbox) == _by_rows(rows, sandbox=sandbox)


def test_clean_rows_never_reach_the_row_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [{**claim(claim_id=f"K{i}", mbi=MBIS[i % 5]), "adjustment": "original"} for i in range(50)]
    validator = ClaimValidator(sandbox=False)

    def refuse(*args: Any) -> Any:
        raise AssertionError("a clean row went through the row validator")

    monkeypatch.setattr(validator, "validate", refuse)
    parser = RowParser("csv", validator.fields, REQUIRED["claims"], blocks=True)
    [block] = parser.parse_block(_csv([{n: str(r.get(n, "")) for n in CLAIM_FIELDS} for r in rows]))
    assert isinstance(block, ColumnBlock)
    assert ClaimColumns(validator).validate(block).table.num_rows == 50


@pytest.mark.parametrize(
    "body",
    [
        b'"C1",1\n',  # quotes: the csv module's reading of them
        b"C1,1\rC2,2\n",  # a carriage return inside a line
        b"C1,1\n\nC2,2\n",  # an empty line (Arrow would read a row of empty values)
        b"C1,1\nC2\n",  # a line with fewer values
        b"C1,\xff\n",  # not UTF-8
    ],
)
def test_blocks_arrow_might_read_otherwise_go_line_by_line(body: bytes) -> None:
    parser = RowParser("csv", ("claim_id", "line_number"), (), blocks=True)
    records = list(parser.parse_block(b"claim_id,line_number\n" + body))
    assert records and not any(isinstance(r, ColumnBlock) for r in records)


def _ndjson(rows: list[dict[str, str]]) -> bytes:
    return b"".join(json.dumps(row).encode() + b"\n" for row in rows)


def _stored(settings: Settings, upload_id: str) -> list[dict[str, Any]]:
    table = ClaimLineRecord.__table__
    columns = [c for c in table.columns if c.name not in ("seq", "upload_id", "aco_id")]
    return _rows(settings, select(*columns).where(table.c.upload_id == upload_id).order_by(table.c.seq))


@pytest.mark.parametrize("on_error", ["skip", "reject"])
def test_csv_uploads_store_and_report_what_ndjson_uploads_do(
    ops: Api, migrated: Settings, on_error: str
) -> None:
    """NDJSON rows go through the row validator only; CSV rows through the fast path (in blocks,
    CRLF line ends included) and the row validator for what it routes there."""
    rows = _random_rows(3000, seed=20)
    reports, stored = [], []
    for body, content_type in [
        (_ndjson(rows), "application/x-ndjson"),
        (_csv(rows), "text/csv"),
        (_csv(rows).replace(b"\n", b"\r\n"), "text/csv"),
    ]:
        _, api = create_org(ops, "aco")
        response = api.post(
            "/v1/claims", content=body, headers={"content-type": content_type}, params={"on_error": on_error}
        )
        report = expect(response, 201 if on_error == "skip" else 422)
        reports.append(
            {k: report[k] for k in ("rows_received", "rows_stored", "rows_rejected", "errors", "warnings")}
        )
        stored.append(_stored(migrated, report["id"]))
    assert reports[0]["rows_rejected"] > 0
    if on_error == "skip":
        assert reports[0]["warnings"] and len(stored[0]) == reports[0]["rows_stored"] > 1000
    else:
        assert stored[0] == [] and reports[0]["rows_stored"] == 0
    assert reports[1] == reports[0] and reports[2] == reports[0]
    assert stored[1] == stored[0] and stored[2] == stored[0]


def test_blocks_without_inpatient_values_store_what_the_row_validator_does(
    ops: Api, migrated: Settings
) -> None:
    """A large CSV upload (several blocks, several storage batches) whose first blocks have no
    inpatient value at all (on SQLite those columns are left out of their INSERT) and whose
    last ones have some: the same rows, in the same order, as the NDJSON upload stores."""
    outpatient = {"drg_code", "admission_date", "discharge_date", "facility_ccn", "attending_npi"}
    outpatient |= {"operating_npi", "procedure_codes"}
    plain = [{**row, **dict.fromkeys(outpatient, "")} for row in _random_rows(14_000, seed=21)]
    rows = plain + _random_rows(3000, seed=22) + plain[:2000]
    stored = []
    for body, content_type in [(_ndjson(rows), "application/x-ndjson"), (_csv(rows), "text/csv")]:
        _, api = create_org(ops, "aco")
        response = api.post(
            "/v1/claims", content=body, headers={"content-type": content_type}, params={"on_error": "skip"}
        )
        report = expect(response, 201)
        stored.append(_stored(migrated, report["id"]))
    assert len(_csv(rows)) > 2 * (1 << 20)  # several blocks
    assert len(stored[0]) > 12_000
    assert stored[1] == stored[0]
