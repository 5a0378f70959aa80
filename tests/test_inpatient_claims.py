"""The inpatient stay a claim line carries (DRG, admission and discharge, facility, attending and
operating NPIs, ICD-10-PCS procedures): validated by the one claim validator whatever the source,
stored, and refused with a reason naming row, field and value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from service.demo.synthetic import new_npi
from service.ingest.rif import parse_rif_date, shift
from service.settings import Settings
from tests.support.cclf_data import FILE_NAMES, Delivery
from tests.support.factories import Api, create_org, expect
from tests.support.ingest_data import MBIS, claim, to_csv, to_ndjson
from tests.test_cclf import _import as cclf_import
from tests.test_ingest import CSV, NDJSON, counting, upload
from tests.test_rif import SHIFT as RIF_SHIFT
from tests.test_rif import _import as rif_import
from tests.test_rif import _raw as rif_rows


@pytest.fixture
def aco(ops: Api) -> Api:
    return create_org(ops, "aco")[1]


def stay_line(**values: Any) -> dict[str, Any]:
    """A knee replacement stay's line: admitted 1 March, discharged 4 March."""
    row = claim(
        claim_type="inpatient",
        hcpcs="",
        billing_tin="",
        from_date="2027-03-01",
        thru_date="2027-03-04",
        diagnoses="M17.11",
        allowed_amount="14500.00",
        paid_amount="14500.00",
        drg_code="470",
        admission_date="2027-03-01",
        discharge_date="2027-03-04",
        facility_ccn="450058",
        attending_npi=new_npi(),
        operating_npi=new_npi(),
        procedure_codes="0SRD0JZ|0SRC0JZ",
    )
    row.update(values)
    return row


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("drg_code", "47", "MS-DRG"),
        ("drg_code", "0470", "MS-DRG"),
        ("drg_code", "000", "MS-DRG"),
        ("facility_ccn", "45005", "six letters or digits"),
        ("facility_ccn", "45-0058", "six letters or digits"),
        ("attending_npi", "1234567890", "Luhn"),
        ("operating_npi", "123456789", "10 digits"),
        ("admission_date", "2027-02-30", "not a date"),
        ("discharge_date", "2027-02-28", "before admission_date"),
        ("procedure_codes", "0SRD0JZ|0SRD0J", "ICD-10-PCS"),
        ("procedure_codes", "0SRDOJZ", "no I or O"),
    ],
)
def test_each_stay_rule_names_row_field_value_and_reason(
    aco: Api, field: str, value: str, reason: str
) -> None:
    problem = upload(aco, [stay_line(), stay_line(**{"line_number": "2", field: value})], status=422)
    [error] = problem["errors"]
    assert error["row"] == 2 and error["field"] == field and error["value"] == value
    assert reason in error["message"], error


def test_stays_are_stored_the_same_from_csv_and_ndjson(ops: Api, migrated: Settings) -> None:
    line = stay_line(facility_ccn="45t058", procedure_codes="0srd0jz|0SR.C0JZ")
    stored = []
    for body, headers in ((to_csv([line]), CSV), (to_ndjson([line]), NDJSON)):
        org, api = create_org(ops, "aco")
        expect(api.post("/v1/claims", content=body, headers=headers), 201)
        [row] = counting(migrated, org["id"]).values()
        stored.append({k: v for k, v in row.items() if k != "seq"})
    assert stored[0] == stored[1]
    row = stored[0]
    assert (row["drg_code"], str(row["admission_date"]), str(row["discharge_date"])) == (
        "470",
        "2027-03-01",
        "2027-03-04",
    )
    assert row["facility_ccn"] == "45T058" and row["procedure_codes"] == "|0SRD0JZ|0SRC0JZ|"
    assert (row["attending_npi"], row["operating_npi"]) == (line["attending_npi"], line["operating_npi"])


def test_the_stay_columns_are_optional(ops: Api, migrated: Settings) -> None:
    """A file without them (every upload before them) is read as before: the stay is null."""
    org, aco = create_org(ops, "aco")
    aco_id = org["id"]
    line = claim(claim_type="inpatient")
    expect(aco.post("/v1/claims", content=to_csv([line], fields=tuple(line)), headers=CSV), 201)
    [row] = counting(migrated, aco_id).values()
    assert row["claim_type"] == "inpatient" and row["drg_code"] is None and row["admission_date"] is None


def test_rif_inpatient_claims_carry_their_stay(ops: Api, migrated: Settings) -> None:
    aco_org, _ = create_org(ops, "aco")
    assert rif_import(migrated, aco_org["id"]) == 0
    lines = counting(migrated, aco_org["id"])
    checked = 0
    for raw in rif_rows("inpatient"):
        line = lines.get((f"INP{raw['CLM_ID']}", int(raw["CLM_LINE_NUM"])))
        if line is None:  # the row the sample's bad diagnosis rejects
            continue
        procedures = [raw[f"ICD_PRCDR_CD{i}"] for i in range(1, 26) if raw.get(f"ICD_PRCDR_CD{i}")]
        assert line["drg_code"] == (raw["CLM_DRG_CD"].strip() or None)
        assert line["admission_date"] == shift(parse_rif_date(raw["CLM_ADMSN_DT"]), RIF_SHIFT)
        assert line["discharge_date"] == shift(parse_rif_date(raw["NCH_BENE_DSCHRG_DT"]), RIF_SHIFT)
        assert (line["facility_ccn"], line["attending_npi"]) == (raw["PRVDR_NUM"], raw["AT_PHYSN_NPI"])
        assert line["operating_npi"] == (raw["OP_PHYSN_NPI"] or None)
        assert line["procedure_codes"] == (
            "|" + "|".join(dict.fromkeys(procedures)) + "|" if procedures else None
        )
        checked += 1
    assert checked > 0
    # Other claim types carry no stay.
    assert all(v["drg_code"] is None for v in lines.values() if v["claim_type"] != "inpatient")


def test_cclf_inpatient_headers_carry_their_stay(ops: Api, migrated: Settings, tmp_path: Path) -> None:
    aco_org, _ = create_org(ops, "aco")
    attending, operating = new_npi(), new_npi()
    d = Delivery()
    d.part_a("71", MBIS[0], "2027-03-01", "2027-03-04", "14500.00", effective="2027-03-04",
             loaded="2027-03-10", npi=attending, operating_npi=operating, drg="470")  # fmt: skip
    d.part_a("72", MBIS[1], "2027-03-01", "2027-03-31", "9000.00", effective="2027-03-31",
             loaded="2027-04-10", drg="469", patient_status="30")  # fmt: skip
    d.part_a("73", MBIS[1], "2027-05-01", "2027-05-03", "900.00", effective="2027-05-03",
             loaded="2027-05-10", claim_type="40")  # fmt: skip
    for mbi in MBIS[:2]:
        d.beneficiary(mbi)
    assert cclf_import(migrated, aco_org["id"], d.write(tmp_path / "d")) == 0
    by_mbi = {(v["mbi"], v["claim_type"]): v for v in counting(migrated, aco_org["id"]).values()}
    knee = by_mbi[(MBIS[0], "inpatient")]
    assert (knee["drg_code"], str(knee["admission_date"]), str(knee["discharge_date"])) == (
        "470",
        "2027-03-01",
        "2027-03-04",
    )
    assert (knee["facility_ccn"], knee["attending_npi"], knee["operating_npi"]) == (
        "140001",
        attending,
        operating,
    )
    # Still a patient (status 30): the claim is no discharge.
    interim = by_mbi[(MBIS[1], "inpatient")]
    assert interim["drg_code"] == "469" and interim["discharge_date"] is None
    assert by_mbi[(MBIS[1], "outpatient")]["admission_date"] is None


def test_a_cclf1_of_an_earlier_layout_is_refused_naming_both_versions(
    ops: Api, migrated: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aco_org, _ = create_org(ops, "aco")
    d = Delivery()
    d.part_a("71", MBIS[0], "2027-03-01", "2027-03-04", "100.00", effective="2027-03-04", loaded="2027-03-10")
    d.beneficiary(MBIS[0])
    directory = d.write(tmp_path / "d", lengths={"CCLF1": 292})
    (directory / FILE_NAMES["CCLF1"]).write_text(
        "".join(r[:292] + "\n" for r in d.records["CCLF1"]), encoding="latin-1"
    )
    assert cclf_import(migrated, aco_org["id"], directory) == 1
    err = capsys.readouterr().err
    assert "CCLF1: record length 292 is an earlier layout version" in err
    assert "CCLF Information Packet v38.0" in err and "437 characters" in err
    assert counting(migrated, aco_org["id"]) == {}
