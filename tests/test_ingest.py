"""Uploads of claims and alignment: validation, atomicity, formats, versions, tenancy."""

from __future__ import annotations

import asyncio
import gzip
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from service.demo.synthetic import new_npi
from service.ingest.repository import counting_claim_lines, current_alignment
from service.kit.db import Database
from service.settings import Settings
from tests.support.factories import Api, create_org, expect
from tests.support.ingest_data import MBIS, alignment, claim, to_csv, to_ndjson

CSV = {"content-type": "text/csv"}
NDJSON = {"content-type": "application/x-ndjson"}


@pytest.fixture
def aco(ops: Api) -> Api:
    return create_org(ops, "aco")[1]


def _rows(settings: Settings, query: Any) -> list[dict[str, Any]]:
    async def run() -> list[dict[str, Any]]:
        database = Database(settings.database_url, 1)
        try:
            async with database.sessionmaker() as session:
                result = await session.execute(query)
                return [dict(r._mapping) for r in result]
        finally:
            await database.dispose()

    return asyncio.run(run())


def counting(
    settings: Settings, aco_id: str, cutoff: str = "2099-12-31"
) -> dict[tuple[str, int], dict[str, Any]]:
    rows = _rows(settings, counting_claim_lines(aco_id, date.fromisoformat(cutoff)))
    return {(r["claim_id"], r["line_number"]): r for r in rows}


def upload(
    api: Api, rows: list[dict[str, Any]], *, kind: str = "claims", on_error: str = "reject", status: int = 201
) -> Any:
    response = api.post(f"/v1/{kind}", content=to_csv(rows), headers=CSV, params={"on_error": on_error})
    return expect(response, status)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("mbi", "1EG4TE5MK7", "Medicare Beneficiary Identifier"),
        ("mbi", "1SG4TE5MK73", "synthetic MBI"),
        ("rendering_npi", "1234567890", "Luhn"),
        ("rendering_npi", "123456789", "10 digits"),
        ("billing_tin", "12-3456789", "9 digits"),
        ("diagnoses", "Z91.81|9X9.99", "9X999 is not shaped like an ICD-10-CM code"),
        ("diagnoses", "", "required"),
        ("diagnoses", "|", "at least one"),
        ("claim_type", "ambulance", "one of"),
        ("from_date", "2027-02-30", "not a date"),
        ("received_date", "03/20/2027", "not a date"),
        ("allowed_amount", "-1.00", "negative"),
        ("paid_amount", "1.005", "two places"),
        ("allowed_amount", "", "required"),
        ("adjustment", "void", "one of"),
        ("hcpcs", "9921", "HCPCS"),
        ("line_number", "0", "whole number"),
        ("diagnoses", "|".join(["Z91.81"] + ["R26.81"] * 40), "at most 40"),
    ],
)
def test_each_claim_rule_names_row_field_value_and_reason(
    aco: Api, field: str, value: str, reason: str
) -> None:
    problem = upload(aco, [claim(), claim(**{"line_number": "2", field: value})], status=422)
    assert (
        problem["rows_stored"] == 0
        and problem["rows_rejected"] == 1
        and problem["upload_status"] == "rejected"
    )
    [error] = problem["errors"]
    assert error["row"] == 2 and error["field"] == field and error["value"] == value[:100]
    assert reason in error["message"], error
    assert error["location"] == f"row 2: {field}"


def test_a_diagnosis_is_checked_against_the_code_set_in_force_on_its_date(aco: Api) -> None:
    """FY2026 (2025-10-01 .. 2026-09-30) is the newest set here: within it an unknown code
    rejects its row, as before it (the oldest set then); after it, a well-formed unknown code is
    stored and flagged, while an incomplete one (a stem of longer codes) is still an error."""
    for day in ("2026-03-02", "2024-06-01"):
        sent = claim(
            line_number="2",
            from_date=day,
            thru_date=day,
            received_date="2026-12-01",
            diagnoses="Z91.81|X99.99",
        )
        problem = upload(aco, [claim(), sent], status=422)
        [error] = problem["errors"]
        assert (error["row"], error["field"], error["value"]) == (2, "diagnoses", "Z91.81|X99.99")
        assert (
            error["message"]
            == f"X9999 is not an ICD-10-CM code or category of ICD-10-CM FY2026 (in force on {day})"
        )
    # The date of service is the thru date: a stay discharged in FY2027 is coded in FY2027.
    rows = [
        claim(claim_id="N1", diagnoses="Z91.81|X99.99"),
        claim(claim_id="N2", from_date="2026-09-28", thru_date="2026-10-02", diagnoses="X99.99"),
        claim(claim_id="N3", diagnoses="U07.1|X99.99"),
        claim(claim_id="N4", diagnoses="Z91.81"),
    ]
    report = upload(aco, rows)
    assert report["rows_stored"] == 4 and report["errors"] == []
    assert [(w["code"], w["code_set"], w["rows"], w["first_row"]) for w in report["warnings"]] == [
        ("X9999", "ICD-10-CM FY2026", 3, 1)
    ]
    assert "the newest code set here" in report["warnings"][0]["message"]
    assert expect(aco.get(f"/v1/uploads/{report['id']}"), 200)["warnings"] == report["warnings"]
    # M80.00X lacks its seventh character (M80.00XA ...): incomplete in any year.
    problem = upload(aco, [claim(claim_id="N5", diagnoses="M80.00X")], status=422)
    assert "M8000X is incomplete" in problem["errors"][0]["message"]
    assert problem["warnings"] == []


def test_forty_diagnoses_fit_a_line(aco: Api) -> None:
    # A principal, 25 others and 13 external causes: what a CMS claim can carry.
    codes = ["Z91.81"] + ["R26.81"] * 25 + ["W19.XXXA"] * 14
    report = upload(aco, [claim(diagnoses="|".join(codes))])
    assert report["rows_stored"] == 1


def test_from_after_thru_is_rejected(aco: Api) -> None:
    problem = upload(aco, [claim(from_date="2027-03-05", thru_date="2027-03-04")], status=422)
    assert (
        problem["errors"][0]["field"] == "thru_date" and "before from_date" in problem["errors"][0]["message"]
    )


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("birth_date", "1948-13-01", "not a date"),
        ("sex", "X", "M, F or U"),
        ("hcc_score", "0", "positive"),
        ("hcc_score", "1.23456", "four places"),
        ("dual_status", "maybe", "true or false"),
        ("aligned_through", "2026-12-31", "before aligned_from"),
        ("death_date", "1940-01-01", "before birth_date"),
        ("aligned_from", "", "required"),
        ("entitlement_reason", "4", "0 (age)"),
    ],
)
def test_each_alignment_rule(aco: Api, field: str, value: str, reason: str) -> None:
    problem = upload(aco, [alignment(**{field: value})], kind="alignment", status=422)
    [error] = problem["errors"]
    assert error["field"] == field and reason in error["message"]


def test_reject_stores_nothing_and_skip_stores_the_valid_rows(aco: Api, migrated: Settings) -> None:
    rows = [claim(claim_id="R1"), claim(claim_id="R2", mbi="bad"), claim(claim_id="R3", rendering_npi="1")]
    rejected = upload(aco, rows, status=422)
    assert rejected["rows_received"] == 3 and rejected["rows_rejected"] == 2
    assert [e["row"] for e in rejected["errors"]] == [2, 3]
    assert counting(migrated, aco.org_id) == {}
    report = expect(aco.get(f"/v1/uploads/{rejected['id']}"), 200)
    assert report["status"] == "rejected" and report["rows_stored"] == 0

    skipped = upload(aco, rows, on_error="skip")
    assert (skipped["rows_stored"], skipped["rows_rejected"], skipped["status"]) == (1, 2, "stored")
    assert set(counting(migrated, aco.org_id)) == {("R1", 1)}


def test_duplicate_upload_is_a_no_op_returning_the_earlier_report(aco: Api, migrated: Settings) -> None:
    body = to_csv([claim(claim_id="D1"), claim(claim_id="D2")])
    first = expect(aco.post("/v1/claims", content=body, headers=CSV), 201)
    again = expect(
        aco.post("/v1/claims", content=gzip.compress(body), headers={**CSV, "content-encoding": "gzip"}), 200
    )
    assert again == first
    assert len(counting(migrated, aco.org_id)) == 2
    versions = _rows(
        migrated, select(1).select_from(counting_claim_lines(aco.org_id, date(2099, 1, 1)).subquery())
    )
    assert len(versions) == 2


def test_csv_ndjson_and_gzip_give_identical_results(ops: Api, migrated: Settings) -> None:
    rows = [
        claim(claim_id=f"F{i}", line_number=str(i % 3 + 1), mbi=MBIS[i % 5], allowed_amount=f"{i}.5")
        for i in range(20)
    ]
    results = []
    for body, headers in [
        (to_csv(rows), CSV),
        (to_ndjson(rows), NDJSON),
        (gzip.compress(to_csv(rows)), {**CSV, "content-encoding": "gzip"}),
        (gzip.compress(to_ndjson(rows)), {**NDJSON, "content-encoding": "gzip"}),
    ]:
        _, api = create_org(ops, "aco")
        report = expect(api.post("/v1/claims", content=body, headers=headers), 201)
        assert report["rows_stored"] == 20
        stored = counting(migrated, api.org_id)
        results.append({k: {c: v for c, v in r.items() if c != "seq"} for k, r in stored.items()})
    assert results[0] == results[1] == results[2] == results[3]
    line = results[0][("F3", 1)]
    assert line["allowed_amount"] == Decimal("3.50") and line["diagnoses"] == "|Z9181|R2681|"
    assert line["principal_diagnosis"] == "Z9181" and line["from_date"] == date(2027, 3, 2)


def test_replacement_and_cancel_versions_and_cutoff(aco: Api, migrated: Settings) -> None:
    upload(
        aco,
        [
            claim(claim_id="V1", allowed_amount="100.00", received_date="2027-03-10"),
            claim(claim_id="V2", allowed_amount="50.00", received_date="2027-03-10"),
        ],
    )
    upload(
        aco,
        [
            claim(
                claim_id="V1", allowed_amount="80.00", adjustment="replacement", received_date="2027-04-10"
            ),
            claim(claim_id="V2", adjustment="cancel", received_date="2027-04-11"),
        ],
    )
    now = counting(migrated, aco.org_id)
    assert set(now) == {("V1", 1)} and now[("V1", 1)]["allowed_amount"] == Decimal("80.00")
    before = counting(migrated, aco.org_id, cutoff="2027-04-01")
    assert before[("V1", 1)]["allowed_amount"] == Decimal("100.00") and ("V2", 1) in before
    # Same received_date: the later upload wins.
    upload(
        aco,
        [claim(claim_id="V1", allowed_amount="70.00", adjustment="replacement", received_date="2027-04-10")],
    )
    assert counting(migrated, aco.org_id)[("V1", 1)]["allowed_amount"] == Decimal("70.00")


def test_later_alignment_row_replaces_the_earlier(aco: Api, migrated: Settings) -> None:
    upload(aco, [alignment(mbi=MBIS[1], hcc_score="1.2")], kind="alignment")
    upload(aco, [alignment(mbi=MBIS[1], hcc_score="0.9", death_date="2027-06-01")], kind="alignment")
    [row] = _rows(migrated, current_alignment(aco.org_id))
    assert row["hcc_score"] == Decimal("0.9000") and row["death_date"] == date(2027, 6, 1)


def test_another_tenant_cannot_read_an_upload(aco: Api, ops: Api) -> None:
    report = upload(aco, [claim(claim_id="T1")])
    _, other = create_org(ops, "aco")
    expect(other.get(f"/v1/uploads/{report['id']}"), 404)
    assert report["id"] not in {u["id"] for u in expect(other.get("/v1/uploads"), 200)["items"]}
    expect(ops.get(f"/v1/uploads/{report['id']}"), 200)
    _, provider = create_org(ops, "provider")
    expect(provider.post("/v1/claims", content=to_csv([claim()]), headers=CSV), 403)


def test_wrong_content_type_header_and_encoding(aco: Api) -> None:
    expect(aco.post("/v1/claims", content=b"{}", headers={"content-type": "application/json"}), 415)
    expect(aco.post("/v1/claims", content=b"x", headers={**CSV, "content-encoding": "br"}), 415)
    problem = expect(aco.post("/v1/claims", content=b"claim_id,colour\nC1,red\n", headers=CSV), 422)
    assert {"location": "header: colour", "message": "unknown column"} in problem["errors"]
    expect(aco.post("/v1/claims", content=b"not gzip", headers={**CSV, "content-encoding": "gzip"}), 422)
    problem = expect(aco.post("/v1/claims", content=b'{"claim_id": 1}\n[1]\n', headers=NDJSON), 422)
    assert problem["errors"][-1] == {
        "location": "row 2: row",
        "message": "not a JSON object",
        "row": 2,
        "field": "row",
        "value": "",
    }


def test_size_line_and_gzip_bomb_limits(ops: Api, client: Any, migrated: Settings) -> None:
    _, aco = create_org(ops, "aco")
    settings = client.app.state.settings
    original = (settings.max_upload_bytes, settings.max_line_bytes, settings.max_upload_rows)
    try:
        settings.max_upload_bytes = 4096
        bomb = gzip.compress(to_csv([claim()]) + b"\n" * 100_000)
        problem = expect(
            aco.post("/v1/claims", content=bomb, headers={**CSV, "content-encoding": "gzip"}), 413
        )
        assert "4096" in problem["detail"]
        expect(aco.post("/v1/claims", content=b"x" * 5000, headers={**CSV, "content-length": "5000"}), 413)
        settings.max_upload_bytes = original[0]
        settings.max_line_bytes = 300
        problem = expect(
            aco.post(
                "/v1/claims",
                content=to_csv([claim(claim_id="L" * 60, hcpcs="99214")]) + b"x" * 400,
                headers=CSV,
            ),
            422,
        )
        assert "longer than 300 bytes" in problem["detail"]
        settings.max_line_bytes = original[1]
        settings.max_upload_rows = 2
        expect(
            aco.post("/v1/claims", content=to_csv([claim(claim_id=f"M{i}") for i in range(3)]), headers=CSV),
            413,
        )
    finally:
        settings.max_upload_bytes, settings.max_line_bytes, settings.max_upload_rows = original
    assert counting(migrated, aco.org_id) == {}


def test_sandbox_accepts_synthetic_mbis(aco: Api, client: Any) -> None:
    settings = client.app.state.settings
    settings.sandbox = True
    try:
        report = upload(aco, [claim(mbi="1S00E00AA06")])
        assert report["rows_stored"] == 1
        problem = upload(aco, [claim(mbi="1S00E00AS06", claim_id="S2")], status=422)
        assert problem["errors"][0]["field"] == "mbi"
    finally:
        settings.sandbox = False


def test_whitespace_around_ndjson_values_is_trimmed_never_stored(ops: Api, migrated: Settings) -> None:
    """A JSON string may carry a trailing newline, tab or CR that no CSV line can: the value is
    trimmed like any other (it once reached PostgreSQL's COPY raw: a 500, and on SQLite a claim
    id ending in a newline)."""
    org, api = create_org(ops, "aco")
    upload(api, [alignment(mbi=MBIS[0])], kind="alignment")
    for claim_id in ("C1\n", "C2\t", "C4\r", " C5 "):  # one upload each: a batch is checked whole
        rows = [claim(mbi=MBIS[0], claim_id=claim_id)]
        expect(api.post("/v1/claims", content=to_ndjson(rows), headers=NDJSON), 201)
    assert sorted(claim_id for claim_id, _ in counting(migrated, org["id"])) == ["C1", "C2", "C4", "C5"]
    # Identifiers in request bodies too: an NPI with a trailing newline is not an NPI.
    npi = new_npi()
    body = {"kind": "provider", "name": "P", "tin": "123456789", "npis": [npi + "\n"]}
    problem = expect(ops.post("/v1/organizations", json=body), 422)
    assert [e["location"] for e in problem["errors"]] == ["body.npis.0"]
    body["npis"] = [npi]
    expect(ops.post("/v1/organizations", json=body), 201)


@pytest.mark.parametrize("amount", [142.1, 142, 0])
def test_money_as_a_json_number_is_refused_in_ndjson(aco: Api, migrated: Settings, amount: float) -> None:
    """As in the JSON API, money is a decimal string: a JSON number (a float to most senders,
    which may already have lost a cent) is a row error, never read as its text."""
    rows = [claim(claim_id="N1"), {**claim(claim_id="N2"), "allowed_amount": amount}]
    body = to_ndjson(rows)
    problem = expect(aco.post("/v1/claims", content=body, headers=NDJSON), 422)
    assert problem["upload_status"] == "rejected" and problem["rows_stored"] == 0
    [error] = problem["errors"]
    assert (error["row"], error["field"], error["value"]) == (2, "allowed_amount", str(amount))
    assert "decimal string" in error["message"]
    assert counting(migrated, aco.org_id) == {}

    skipped = expect(aco.post("/v1/claims", content=body, headers=NDJSON, params={"on_error": "skip"}), 201)
    assert (skipped["rows_stored"], skipped["rows_rejected"]) == (1, 1)
    assert set(counting(migrated, aco.org_id)) == {("N1", 1)}
