"""CCLF deliveries: layouts, adjustment resolution, refusal of incomplete deliveries, and the
validation and storage path: adjustments resolved to the version that counts, MBIs remapped,
denials spending nothing, incomplete deliveries refused whole.

The Information Packet's own worked examples (v43, section 5.3.2: Table 4, a Part A claim whose
versions net to $260.00, and Table 6, a Part B claim whose counting version's lines sum to
$707.00) are rebuilt in ``information_packet_examples``: the versions, adjustment types, order of
effective dates and amounts of the tables, with dates moved into the LEAD era and identifiers of
our own. The packet itself is not available offline; the tables' contents come from the public
replica in tuva-health/medicare_cclf_connector's integration tests (scenarios S04 and S22),
whose split of Table 6's $707.00 into three lines is kept.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import random
import shutil
import tarfile
import zipfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from service.cli import main as cara
from service.ingest.cclf.delivery import CclfDelivery
from service.ingest.cclf.layouts import LAYOUTS
from service.ingest.cclf.manifest import DeliveryRefused, check_delivery
from service.ingest.cclf.versions import Plan, Version, plans, resolve
from service.ingest.repository import current_alignment
from service.settings import Settings
from tests.support.cclf_data import FILE_NAMES, Delivery, bulk_part_b, record
from tests.support.episode_data import execute, publish_definition
from tests.support.factories import Api, World, create_org, expect, new_npi
from tests.support.ingest_data import MBIS, alignment, to_csv
from tests.test_ingest import _rows, counting

CSV = {"content-type": "text/csv"}
ZIP = {"content-type": "application/zip"}
M1, M2, OLD = MBIS[0], MBIS[1], MBIS[2]
PART_A = f"A-140001-20270301-20270305-{M1}"
PART_B = f"B-B707-{M2}"


def _import(
    settings: Settings,
    aco_id: str,
    directory: Path,
    *,
    explain: Path | None = None,
    on_error: str = "reject",
    aligned_from: str | None = None,
) -> int:
    argv = ["import", "cclf", str(directory), "--aco", aco_id, "--on-error", on_error]
    if aligned_from is not None:
        argv += ["--aligned-from", aligned_from]
    if explain is not None:
        argv += ["--explain", str(explain)]
    return cara(argv, settings=settings)


def adjusted_claims() -> Delivery:
    d = Delivery()
    d.beneficiary(M1)
    d.beneficiary(M2, "1950-01-02", "1", status="21", dual="02")
    # Part A: original $1,000.00 (three revenue lines), cancelled, adjusted to $260.00 (two lines).
    # Net: 1000.00 - 1000.00 + 260.00 = 260.00.
    d.part_a(
        "1001",
        M1,
        "2027-03-01",
        "2027-03-05",
        "1000.00",
        effective="2027-03-10",
        loaded="2027-03-12",
        lines=(("", "500.00"), ("", "300.00"), ("", "200.00")),
    )
    d.part_a(
        "1003",
        M1,
        "2027-03-01",
        "2027-03-05",
        "260.00",
        code="2",
        effective="2027-04-02",
        loaded="2027-04-05",
        lines=(("", "200.00"), ("", "60.00")),
    )
    d.part_a(
        "1002",
        M1,
        "2027-03-01",
        "2027-03-05",
        "1000.00",
        code="1",
        effective="2027-04-02",
        loaded="2027-04-05",
    )
    # Part B: line 1 $450.00 cancelled and re-billed at $457.00 (the re-bill comes first in the
    # file, loaded the same day as the cancellation); line 2 $250.00.
    # Net: 450.00 - 450.00 + 457.00 + 250.00 = 707.00.
    npi = new_npi()
    b: dict[str, Any] = {"effective": "2027-03-10", "loaded": "2027-03-12", "npi": npi}
    d.part_b("2001", 1, M2, "B707", "2027-03-03", "450.00", allowed="562.50", **b)
    d.part_b("2001", 2, M2, "B707", "2027-03-03", "250.00", allowed="312.50", **b)
    later: dict[str, Any] = {"effective": "2027-04-01", "loaded": "2027-04-03", "npi": npi}
    d.part_b("2003", 1, M2, "B707", "2027-03-03", "457.00", allowed="571.25", **later)
    d.part_b("2002", 1, M2, "B707", "2027-03-03", "450.00", allowed="562.50", code="1", **later)
    return d


def test_adjustments_replace_revenue_lines_and_rebilled_lines(
    ops: Api, migrated: Settings, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    aco, _ = create_org(ops, "aco")
    explain = tmp_path / "decisions.csv"
    assert _import(migrated, aco["id"], adjusted_claims().write(tmp_path / "d"), explain=explain) == 0
    out = capsys.readouterr().out
    # Every version is stored. Part A: the original's 3 lines, the cancellation's 1, the
    # adjustment's 2 and a final cancel of line 3 (which the adjustment lacks); Part B: 4 lines.
    assert "claims: upload" in out and "11 received, 11 stored, 0 rejected" in out

    lines = counting(migrated, aco["id"])
    part_a = {n: v for (c, n), v in lines.items() if c == PART_A}
    assert sorted(part_a) == [1, 2]  # line 3 of the cancelled original no longer counts
    assert sum(v["allowed_amount"] for v in part_a.values()) == Decimal("260.00")
    assert sum(v["paid_amount"] for v in part_a.values()) == Decimal("260.00")
    assert {v["claim_type"] for v in part_a.values()} == {"inpatient"}
    assert part_a[1]["principal_diagnosis"] == "S72001A" and "|W19XXXA|" in part_a[1]["diagnoses"]

    part_b = {n: v for (c, n), v in lines.items() if c == PART_B}
    assert sorted(part_b) == [1, 2]
    assert sum(v["paid_amount"] for v in part_b.values()) == Decimal("707.00")
    assert sum(v["allowed_amount"] for v in part_b.values()) == Decimal("883.75")
    assert part_b[1]["billing_tin"] == "123456789" and part_b[1]["hcpcs"] == "99214"

    # The same nets from the packet's rule: negate the cancellations and sum every version.
    with explain.open() as handle:
        decisions = list(csv.DictReader(handle))
    assert len(decisions) == 7
    by_uid = {(d["file"], d["cur_clm_uniq_id"], d["record"]): d for d in decisions}
    assert by_uid[("CCLF1", "1003", "2")]["counts"] == "True"
    assert by_uid[("CCLF1", "1001", "1")]["reason"] == "cancelled by 1002"
    assert by_uid[("CCLF1", "1002", "3")]["reason"] == "cancels 1001"
    assert by_uid[("CCLF5", "2003", "3")]["counts"] == "True"
    assert by_uid[("CCLF5", "2001", "1")]["reason"] == "cancelled by 2002"
    assert by_uid[("CCLF5", "2001", "2")]["reason"] == "the only version"

    # As of a cutoff before the adjustments arrived, the originals count.
    before = counting(migrated, aco["id"], cutoff="2027-03-31")
    assert sum(v["allowed_amount"] for (c, _), v in before.items() if c == PART_A) == Decimal("1000.00")
    assert sum(v["paid_amount"] for (c, _), v in before.items() if c == PART_B) == Decimal("700.00")

    beneficiaries = {r["mbi"]: r for r in _rows(migrated, current_alignment(aco["id"]))}
    assert set(beneficiaries) == {M1, M2}
    assert beneficiaries[M2]["esrd"] is True and beneficiaries[M2]["dual_status"] is True
    assert beneficiaries[M2]["sex"] == "M" and str(beneficiaries[M2]["birth_date"]) == "1950-01-02"
    assert beneficiaries[M1]["esrd"] is False and str(beneficiaries[M1]["aligned_from"]) == "2027-01-01"

    # The same delivery again stores nothing new.
    assert _import(migrated, aco["id"], tmp_path / "d") == 0
    assert "already imported" in capsys.readouterr().out
    assert counting(migrated, aco["id"]) == lines


TABLE_4 = f"A-140002-20270706-20270710-{M1}"  # claims #1-#6 of Table 4
TABLE_4_OTHER = f"A-140002-20270901-20270903-{M1}"  # claim #7, a claim of its own
TABLE_6 = f"B-CTL0000006-{M2}"


def information_packet_examples() -> Delivery:
    """Tables 4 and 6 of the Information Packet (v43, 5.3.2), as deliveries of ours."""
    d = Delivery()
    d.beneficiary(M1)
    d.beneficiary(M2)

    def received(effective: str) -> dict[str, str]:  # loaded two days after it took effect
        return {"effective": effective, "loaded": str(date.fromisoformat(effective) + timedelta(days=2))}

    # Table 4: six versions of one Part A claim (same billing OSCAR, dates and MBI), then #7.
    # (number, CLM_PMT_AMT, CLM_ADJSMT_TYPE_CD, CLM_EFCTV_DT)
    for number, paid, code, effective in (
        (1, "200.00", "0", "2027-07-20"),
        (2, "0.00", "2", "2027-09-20"),
        (3, "200.00", "1", "2027-08-07"),  # cancels #1
        (4, "210.00", "2", "2027-09-20"),
        (5, "0.00", "2", "2027-08-07"),
        (6, "0.00", "1", "2027-10-07"),  # cancels #2 or #5
    ):
        d.part_a(
            f"40{number}",
            M1,
            "2027-07-06",
            "2027-07-10",
            paid,
            code=code,
            oscar="140002",
            **received(effective),
        )
    d.part_a("407", M1, "2027-09-01", "2027-09-03", "50.00", oscar="140002", **received("2027-09-20"))

    # Table 6: one Part B claim control number; #3 the first original, #1 its cancellation, #2
    # the original that replaces it (#1 and #2 take effect the same day).
    npi = new_npi()
    lines = (("99214", "380.00", "380.00"), ("93000", "227.00", "227.00"), ("36415", "0.00", "100.00"))
    hcpcs_2 = {3: "80053"}
    for line, (hcpcs, first, second) in enumerate(lines, start=1):
        for uid, code, paid, effective in (
            ("603", "0", first, "2027-08-15"),
            ("601", "1", first, "2027-09-02"),
            ("602", "0", second, "2027-09-02"),
        ):
            d.part_b(
                uid,
                line,
                M2,
                "CTL0000006",
                "2027-08-01",
                paid,
                code=code,
                hcpcs=hcpcs_2.get(line, hcpcs) if uid == "602" else hcpcs,
                npi=npi,
                **received(effective),
            )
    return d


def test_information_packet_worked_examples(ops: Api, migrated: Settings, tmp_path: Path) -> None:
    aco_org, aco = create_org(ops, "aco")
    body = _archive(information_packet_examples().write(tmp_path / "d"), "zip")
    report = expect(
        aco.post("/v1/cclf-deliveries", content=body, headers={"content-type": "application/zip"}), 201
    )
    assert report["claims"]["rows_stored"] == 7 + 9  # every version is kept

    lines = counting(migrated, aco_org["id"])
    paid = {key: v["paid_amount"] for key, v in lines.items()}
    # Table 4: #4 ($210.00) is the version that counts; #7 ($50.00) is a claim of its own.
    assert paid == {
        (TABLE_4, 1): Decimal("210.00"),
        (TABLE_4_OTHER, 1): Decimal("50.00"),
        (TABLE_6, 1): Decimal("380.00"),
        (TABLE_6, 2): Decimal("227.00"),
        (TABLE_6, 3): Decimal("100.00"),
    }
    assert paid[(TABLE_4, 1)] + paid[(TABLE_4_OTHER, 1)] == Decimal("260.00")
    # Table 6: the lines of #2 are the ones that count.
    assert sum(v for (claim, _), v in paid.items() if claim == TABLE_6) == Decimal("707.00")
    assert lines[(TABLE_6, 3)]["hcpcs"] == "80053"

    uploads = expect(aco.get("/v1/uploads"), 200)["items"]
    [claims_upload] = [u for u in uploads if u["kind"] == "claims"]
    decisions = expect(aco.get(f"/v1/uploads/{claims_upload['id']}/cclf-decisions?limit=100"), 200)["items"]
    by_version = {(d["claim_id"], d["line_number"], d["cur_clm_uniq_id"].lstrip("0")): d for d in decisions}

    # The packet's own check, redone from the decisions: negate each cancellation, sum every version.
    def net(claim: str, line: int | None) -> Decimal:
        return sum(
            (
                -Decimal(d["paid_amount"]) if d["adjustment_type"] == "1" else Decimal(d["paid_amount"])
                for d in decisions
                if (d["claim_id"], d["line_number"]) == (claim, line)
            ),
            Decimal(0),
        )

    assert net(TABLE_4, None) + paid[(TABLE_4_OTHER, 1)] == Decimal("260.00")
    assert sum(net(TABLE_6, line) for line in (1, 2, 3)) == Decimal("707.00")

    # Why: #3 cancels #1 (equal amounts); #6 ($0) cancels the later of the $0 adjustments, #2;
    # of #4 and #5 the later by CLM_EFCTV_DT, #4, counts. The packet counts #4, #7 and one of
    # #2/#5: the same $260.00, since #2 and #5 pay nothing.
    part_a = {uid: d for (claim, _, uid), d in by_version.items() if claim == TABLE_4}
    assert set(part_a) == {"401", "402", "403", "404", "405", "406"}
    assert [uid for uid, d in part_a.items() if d["counts"]] == ["404"]
    assert part_a["403"]["reason"] == "cancels 401" and part_a["401"]["reason"] == "cancelled by 403"
    assert part_a["406"]["reason"] == "cancels 402" and part_a["405"]["reason"].startswith(
        "superseded by 404"
    )
    # Table 6, every line: #1 cancels #3, and #2 counts.
    for line in (1, 2, 3):
        assert by_version[(TABLE_6, line, "601")]["reason"] == "cancels 603"
        assert by_version[(TABLE_6, line, "603")]["reason"] == "cancelled by 601"
        assert by_version[(TABLE_6, line, "602")]["counts"] is True
    assert len(decisions) == 6 + 9  # #7 has one version: it counts as it is and is not listed

    # As of cutoffs before the later versions arrived, the first originals count: #1, then #3.
    before = counting(migrated, aco_org["id"], cutoff="2027-07-31")
    assert {k: v["paid_amount"] for k, v in before.items()} == {(TABLE_4, 1): Decimal("200.00")}
    before = counting(migrated, aco_org["id"], cutoff="2027-08-20")
    assert {k: v["paid_amount"] for k, v in before.items() if k[0] == TABLE_6} == {
        (TABLE_6, 1): Decimal("380.00"),
        (TABLE_6, 2): Decimal("227.00"),
        (TABLE_6, 3): Decimal("0.00"),
    }


def test_cancellation_on_an_old_mbi_is_matched_through_the_crosswalk(
    ops: Api, migrated: Settings, tmp_path: Path
) -> None:
    aco, aco_api = create_org(ops, "aco")
    d = Delivery()
    d.beneficiary(OLD)  # CCLF8 still under the previous MBI
    d.crosswalk(M2, OLD)
    npi = new_npi()
    # The original was billed under the previous MBI, its cancellation under the current one.
    d.part_b(
        "3001", 1, OLD, "C1", "2027-03-03", "120.00", effective="2027-03-10", loaded="2027-03-12", npi=npi
    )
    d.part_b(
        "3002",
        1,
        M2,
        "C1",
        "2027-03-03",
        "120.00",
        code="1",
        effective="2027-04-10",
        loaded="2027-04-12",
        npi=npi,
    )
    # Another claim under the previous MBI stays, filed under the current one.
    d.part_b(
        "3003", 1, OLD, "C2", "2027-05-03", "95.00", effective="2027-05-10", loaded="2027-05-12", npi=npi
    )
    assert _import(migrated, aco["id"], d.write(tmp_path / "d"), aligned_from="2026-07-01") == 0

    lines = counting(migrated, aco["id"])
    assert set(lines) == {(f"B-C2-{M2}", 1)}
    assert lines[(f"B-C2-{M2}", 1)]["mbi"] == M2 and lines[(f"B-C2-{M2}", 1)]["allowed_amount"] == Decimal(
        "95.00"
    )
    # Before the cancellation arrived the original counted, already under the current MBI.
    before = counting(migrated, aco["id"], cutoff="2027-03-31")
    assert before[(f"B-C1-{M2}", 1)]["mbi"] == M2
    beneficiaries = _rows(migrated, current_alignment(aco["id"]))
    assert [(r["mbi"], str(r["aligned_from"])) for r in beneficiaries] == [(M2, "2026-07-01")]

    # Every version of the claim with two is kept with its decision, readable over HTTP; the
    # claim with one version is not listed (it counts as it is).
    uploads = expect(aco_api.get("/v1/uploads"), 200)["items"]
    [claims_upload] = [u for u in uploads if u["kind"] == "claims"]
    decisions = expect(aco_api.get(f"/v1/uploads/{claims_upload['id']}/cclf-decisions"), 200)
    assert decisions["next_cursor"] is None
    assert [
        (d["claim_id"], d["line_number"], d["cur_clm_uniq_id"].lstrip("0"), d["adjustment_type"], d["counts"])
        for d in decisions["items"]
    ] == [(f"B-C1-{M2}", 1, "3001", "0", False), (f"B-C1-{M2}", 1, "3002", "1", False)]
    reasons = [d["reason"] for d in decisions["items"]]
    assert reasons[0].startswith("cancelled by") and reasons[1].startswith("cancels")
    assert decisions["items"][1]["effective_date"] == "2027-04-10"
    # Only the ACO itself and ops may read them.
    _, other_aco = create_org(ops, "aco")
    expect(other_aco.get(f"/v1/uploads/{claims_upload['id']}/cclf-decisions"), 404)
    assert len(expect(ops.get(f"/v1/uploads/{claims_upload['id']}/cclf-decisions"), 200)["items"]) == 2


def test_denied_claims_and_lines_spend_nothing(ops: Api, migrated: Settings, tmp_path: Path) -> None:
    aco, _ = create_org(ops, "aco")
    d = Delivery()
    d.beneficiary(M1)
    b: dict[str, Any] = {"effective": "2027-03-10", "loaded": "2027-03-12"}
    d.part_b("4001", 1, M1, "D1", "2027-03-03", "80.00", processing="D", **b)  # line not allowed
    d.part_b("4001", 2, M1, "D1", "2027-03-03", "40.00", processing="R", **b)  # allowed
    d.part_b("4002", 1, M1, "D2", "2027-03-04", "75.00", denial="0", **b)  # claim denied
    d.part_a("4003", M1, "2027-03-01", "2027-03-02", "900.00", denied_reason="B", **b)
    d.part_b("4004", 1, M1, "D4", "2027-03-05", "70.00", dme=True, **b)
    assert _import(migrated, aco["id"], d.write(tmp_path / "d")) == 0

    lines = counting(migrated, aco["id"])
    amounts = {c: v["allowed_amount"] for c, v in lines.items()}
    assert amounts == {
        (f"B-D1-{M1}", 1): Decimal("0.00"),
        (f"B-D1-{M1}", 2): Decimal("40.00"),
        (f"B-D2-{M1}", 1): Decimal("0.00"),
        (f"A-140001-20270301-20270302-{M1}", 1): Decimal("0.00"),
        (f"D-D4-{M1}", 1): Decimal("70.00"),
    }
    assert all(v["paid_amount"] == amounts[c] for c, v in lines.items())
    assert lines[(f"D-D4-{M1}", 1)]["claim_type"] == "dme"


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ({"cut": "CCLF5"}, "CCLF5: record 4 is 349 characters long, not 388"),
        ({"counts": {"CCLF5": 5}}, "CCLF5: 4 records, CCLF0 says 5"),
        ({"lengths": {"CCLF1": 450}}, "CCLF1: record length 450 is unknown"),
    ],
)
def test_incomplete_or_unknown_deliveries_are_refused_whole(  # type: ignore[no-untyped-def]
    ops: Api, migrated: Settings, tmp_path: Path, capsys, damage: dict[str, Any], message: str
) -> None:
    aco, _ = create_org(ops, "aco")
    directory = adjusted_claims().write(tmp_path / "d", **damage)
    assert _import(migrated, aco["id"], directory) == 1
    err = capsys.readouterr().err
    assert message in err and "refused: nothing was stored" in err
    assert counting(migrated, aco["id"]) == {}
    assert _rows(migrated, current_alignment(aco["id"])) == []
    with pytest.raises(DeliveryRefused):
        CclfDelivery(directory)


def test_a_summary_in_cms_form_is_read(tmp_path: Path) -> None:
    """CCLF0 as CMS writes it: a header row, every file of the feed listed (CCLF3, 7, A and B too,
    which this service does not read), counts and lengths right-aligned between bars, and no
    newline after the last row."""
    directory = adjusted_claims().write(tmp_path / "d")
    counts = {kind: len((directory / name).read_text().splitlines()) for kind, name in FILE_NAMES.items()}
    summary = (
        "File Number  |File Description    |Total Records Count |Record Length\n"
        f"CCLF1  |Part A Claims Header File                  |{counts['CCLF1']:11d}|  437\n"
        f"CCLF2  |Part A Claims Revenue Center Detail File   |{counts['CCLF2']:11d}|  199\n"
        "CCLF3  |Part A Procedure Code File                 |          6|   94\n"
        f"CCLF4  |Part A Diagnosis Code File                 |{counts['CCLF4']:11d}|  112\n"
        f"CCLF5  |Part B Physicians File                     |{counts['CCLF5']:11d}|  388\n"
        f"CCLF6  |Part B DME File                            |{counts['CCLF6']:11d}|  247\n"
        "CCLF7  |Part D File                                |          6|  195\n"
        f"CCLF8  |Beneficiary Demographics File              |{counts['CCLF8']:11d}|  549\n"
        f"CCLF9  |BENE XREF File                             |{counts['CCLF9']:11d}|   55\n"
        "CCLFA  |Part A BE and Demo Codes File              |          6|  101\n"
        "CCLFB  |Part B BE and Demo Codes File              |          6|   93"
    )
    (directory / FILE_NAMES["CCLF0"]).write_text(summary)
    checked = check_delivery(directory)
    assert {kind: f.records for kind, f in checked.items()} == {
        kind: count for kind, count in counts.items() if kind != "CCLF0"
    }
    # The same summary with CCLF5's older record length (363): a layout this importer cannot read.
    (directory / FILE_NAMES["CCLF0"]).write_text(summary.replace("|  388", "|  363"))
    with pytest.raises(DeliveryRefused, match="CCLF5: record length 363 is unknown"):
        check_delivery(directory)


def test_a_file_missing_from_the_summary_or_the_summary_missing_refuses(tmp_path: Path) -> None:
    directory = adjusted_claims().write(tmp_path / "d")
    extra = tmp_path / "d" / "P.A9999.ACO.ZC1Y27.D270115.T1200000"
    summary = next(tmp_path.glob("d/*ZC0Y27*"))
    summary.write_text("".join(line for line in summary.read_text().splitlines(True) if "CCLF1" not in line))
    with pytest.raises(DeliveryRefused, match=f"CCLF1: {extra.name} is not listed in CCLF0"):
        CclfDelivery(directory)
    summary.unlink()
    with pytest.raises(DeliveryRefused, match="no CCLF0 summary"):
        CclfDelivery(directory)


def test_a_bad_row_rejects_the_claims_with_the_upload_report(
    ops: Api, migrated: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    aco, _ = create_org(ops, "aco")
    d = Delivery()
    d.beneficiary(M1)
    b: dict[str, Any] = {"effective": "2027-03-10", "loaded": "2027-03-12"}
    d.part_b("5001", 1, M1, "E1", "2027-03-03", "80.00", **b)
    d.part_b("5002", 1, M1, "E2", "2027-03-03", "80.00", diagnoses=("XYZ99",), **b)
    d.part_b("5003", 1, M1, "E3", "2027-03-03", "80.00", **b)
    d.part_a("5004", M1, "2027-03-01", "2027-03-02", "90.00", **b)
    # Unreadable amounts are reported by the validator, like any bad value (positions 103-117 of
    # CCLF5, 82-98 of CCLF1).
    d.records["CCLF5"][-1] = d.records["CCLF5"][-1][:102] + "12X.00".rjust(15) + d.records["CCLF5"][-1][117:]
    d.records["CCLF1"][-1] = d.records["CCLF1"][-1][:81] + "ninety".rjust(17) + d.records["CCLF1"][-1][98:]
    assert _import(migrated, aco["id"], d.write(tmp_path / "d")) == 1
    out = capsys.readouterr().out
    assert "claims: upload" in out and "rejected: 4 received, 0 stored, 3 rejected" in out and "XYZ99" in out
    assert "row 1: allowed_amount" in out and "'ninety'" in out
    assert "row 4: paid_amount" in out and "'12X.00'" in out
    assert "alignment: not stored (the delivery was rejected)" in out
    assert counting(migrated, aco["id"]) == {}
    assert _rows(migrated, current_alignment(aco["id"])) == []


def _archive(directory: Path, kind: str) -> bytes:
    buffer = io.BytesIO()
    if kind == "zip":
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(directory.iterdir()):
                bundle.write(path, f"delivery/{path.name}")
    else:
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            for path in sorted(directory.iterdir()):
                tar.add(path, f"delivery/{path.name}")
    return buffer.getvalue()


def test_http_delivery_as_zip_or_tar(ops: Api, migrated: Settings, tmp_path: Path) -> None:
    aco_org, aco = create_org(ops, "aco")
    body = _archive(adjusted_claims().write(tmp_path / "d"), "zip")
    report = expect(
        aco.post("/v1/cclf-deliveries", content=body, headers={"content-type": "application/zip"}), 201
    )
    assert report["alignment"]["rows_stored"] == 2 and report["claims"]["rows_stored"] == 11
    assert report["claims"]["source"] == "cclf"
    lines = counting(migrated, aco_org["id"])
    assert sum(v["allowed_amount"] for (c, _), v in lines.items() if c == PART_A) == Decimal("260.00")
    assert sum(v["paid_amount"] for (c, _), v in lines.items() if c == PART_B) == Decimal("707.00")
    # The same bytes again (any accepted media type: the archive kind is read from the bytes).
    again = expect(
        aco.post("/v1/cclf-deliveries", content=body, headers={"content-type": "application/octet-stream"}),
        200,
    )
    assert again["claims"]["id"] == report["claims"]["id"]
    assert again["alignment"]["id"] == report["alignment"]["id"]
    assert len(counting(migrated, aco_org["id"])) == len(lines)

    # A truncated file in a tar.gz refuses the delivery whole.
    other_org, other = create_org(ops, "aco")
    cut = _archive(adjusted_claims().write(tmp_path / "cut", cut="CCLF1"), "tar")
    problem = expect(
        other.post("/v1/cclf-deliveries", content=cut, headers={"content-type": "application/gzip"}), 422
    )
    assert any("CCLF1: record 3" in e["message"] for e in problem["errors"])
    assert (
        counting(migrated, other_org["id"]) == {}
        and _rows(migrated, current_alignment(other_org["id"])) == []
    )
    expect(
        other.post("/v1/cclf-deliveries", content=b"not a zip", headers={"content-type": "application/zip"}),
        422,
    )
    expect(other.post("/v1/cclf-deliveries", content=cut, headers={"content-type": "text/csv"}), 415)
    expect(ops.post("/v1/cclf-deliveries", content=body, headers={"content-type": "application/zip"}), 403)


def test_layout_tables_are_consistent() -> None:
    for kind, layout in LAYOUTS.items():
        fields = sorted(layout.fields, key=lambda f: f.start)
        for left, right in itertools.pairwise(fields):
            assert left.end < right.start, (kind, left, right)
        assert len(record(kind)) == layout.record_length
    # CCLF8 names and addresses are outside every field: never read. Only the original reason
    # for entitlement (167) lies between them.
    outside = [f for f in LAYOUTS["CCLF8"].fields if f.end > 81]
    assert [(f.name, f.start, f.end) for f in outside] == [("BENE_ORGNL_ENTLMT_RSN_CD", 167, 167)]


def test_stored_counting_lines_equal_the_same_data_uploaded_as_csv(
    ops: Api, migrated: Settings, tmp_path: Path
) -> None:
    """A mixed delivery (originals, cancel and re-bill, denials, remapped MBIs, Part A with
    reconciling and non-reconciling revenue lines, DME) and, written independently from the same
    scenario, the claim lines that should count and the beneficiaries as CSV uploads: both ACOs
    end with the same counting lines and the same alignment, then the same episodes and the same
    settlement under the same arrangement."""
    cclf_aco, cclf_api = create_org(ops, "aco")
    csv_aco_org, csv_aco = create_org(ops, "aco")
    d = Delivery()
    d.crosswalk(M2, OLD)
    expected: list[dict[str, Any]] = []
    npi = new_npi()

    def line(
        claim_id: str, number: int, mbi: str, day: str, amount: str, received: str, **extra: Any
    ) -> None:
        row = {
            "claim_id": claim_id,
            "line_number": str(number),
            "claim_type": "carrier",
            "mbi": mbi,
            "from_date": day,
            "thru_date": day,
            "rendering_npi": npi,
            "billing_tin": "123456789",
            "hcpcs": "99214",
            "diagnoses": "Z91.81|R26.81",
            "allowed_amount": amount,
            "paid_amount": amount,
            "adjustment": "original",
            "received_date": received,
        }
        row.update(extra)
        expected.append(row)

    for i in range(40):
        day, loaded = f"2027-{1 + i % 9:02d}-{1 + i % 27:02d}", f"2027-{2 + i % 9:02d}-{1 + i % 27:02d}"
        later = f"2027-{2 + i % 9:02d}-{2 + i % 27:02d}"
        mbi = [M1, M2, OLD, MBIS[3]][i % 4]
        current = M2 if mbi == OLD else mbi
        cntl, paid = f"X{i}", Decimal(100 + i)
        b: dict[str, Any] = {"effective": loaded, "loaded": loaded, "npi": npi}
        scenario = i % 5
        if scenario == 0:  # two plain lines
            d.part_b(f"{i}", 1, mbi, cntl, day, paid, **b)
            d.part_b(f"{i}", 2, mbi, cntl, day, paid + 1, **b)
            line(f"B-{cntl}-{current}", 1, current, day, f"{paid:.2f}", loaded)
            line(f"B-{cntl}-{current}", 2, current, day, f"{paid + 1:.2f}", loaded)
        elif scenario == 1:  # cancelled and re-billed
            d.part_b(f"{i}", 1, mbi, cntl, day, paid, **b)
            c: dict[str, Any] = {"effective": later, "loaded": later, "npi": npi}
            d.part_b(f"9{i}", 1, current, cntl, day, paid, code="1", **c)
            d.part_b(f"8{i}", 1, mbi, cntl, day, paid + 5, **c)
            line(f"B-{cntl}-{current}", 1, current, day, f"{paid + 5:.2f}", later)
        elif scenario == 2:  # denied line
            d.part_b(f"{i}", 1, mbi, cntl, day, paid, processing="D", **b)
            line(f"B-{cntl}-{current}", 1, current, day, "0.00", loaded)
        elif scenario == 3:  # cancelled outright
            d.part_b(f"{i}", 1, mbi, cntl, day, paid, **b)
            d.part_b(f"9{i}", 1, mbi, cntl, day, paid, code="1", effective=later, loaded=later, npi=npi)
        else:  # DME
            d.part_b(f"{i}", 1, mbi, cntl, day, paid, dme=True, hcpcs="E0114", **b)
            line(f"D-{cntl}-{current}", 1, current, day, f"{paid:.2f}", loaded, claim_type="dme",
                 billing_tin="", diagnoses="R69", hcpcs="E0114")  # fmt: skip
    for j, (reconciles, mbi) in enumerate([(True, M1), (False, OLD), (True, MBIS[3])]):
        day, thru = f"2027-0{j + 3}-01", f"2027-0{j + 3}-04"
        lines = (("99223", "700.00"), ("", "300.00")) if reconciles else (("", "700.00"), ("", "100.00"))
        d.part_a(f"7{j}", mbi, day, thru, "1000.00", effective=thru, loaded=thru, npi=npi, lines=lines)
        current = M2 if mbi == OLD else mbi
        key = f"A-140001-{day.replace('-', '')}-{thru.replace('-', '')}-{current}"
        common = {
            "claim_type": "inpatient",
            "thru_date": thru,
            "billing_tin": "",
            "diagnoses": "S72.001A|W19.XXXA|I10",
            # The stay, as CCLF1 gives it: from and thru dates, the OSCAR number, the attending.
            "admission_date": day,
            "discharge_date": thru,
            "facility_ccn": "140001",
            "attending_npi": npi,
        }
        if reconciles:
            line(key, 1, current, day, "700.00", thru, hcpcs="99223", **common)
            line(key, 2, current, day, "300.00", thru, hcpcs="", **common)
        else:
            line(key, 1, current, day, "1000.00", thru, hcpcs="", **common)
    for mbi in (M1, OLD, MBIS[3]):
        d.beneficiary(mbi)

    assert _import(migrated, cclf_aco["id"], d.write(tmp_path / "d")) == 0
    expect(csv_aco.post("/v1/claims", content=to_csv(expected), headers=CSV), 201)

    def comparable(aco_id: str) -> dict[Any, dict[str, Any]]:
        return {
            key: {k: v for k, v in row.items() if k not in ("seq", "adjustment")}
            for key, row in counting(migrated, aco_id).items()
        }

    from_cclf, from_csv = comparable(cclf_aco["id"]), comparable(csv_aco_org["id"])
    assert len(from_csv) == len(expected) == 45
    assert from_cclf == from_csv

    # Alignment too: episodes and settlements read nothing else than these two selectables
    # (counting_claim_lines, current_alignment), so both ACOs get the same episodes and settlements.
    beneficiaries = [alignment(mbi=mbi, hcc_score="", entitlement_reason="0") for mbi in (M1, M2, MBIS[3])]
    expect(csv_aco.post("/v1/alignment", content=to_csv(beneficiaries), headers=CSV), 201)

    def aligned(aco_id: str) -> list[dict[str, Any]]:
        rows = _rows(migrated, current_alignment(aco_id))
        return sorted(({k: v for k, v in r.items() if k != "seq"} for r in rows), key=lambda r: r["mbi"])

    assert aligned(cclf_aco["id"]) == aligned(csv_aco_org["id"]) and len(aligned(cclf_aco["id"])) == 3

    # End to end: the same falls-prevention arrangement with the rendering provider, signed by
    # each ACO, finds the same episodes and settles to the same amount from either upload.
    provider_org, provider = create_org(ops, "provider", npis=[npi])
    definition = publish_definition(ops)
    outcomes = []
    for aco_org, aco_api in ((cclf_aco, cclf_api), (csv_aco_org, csv_aco)):
        parties = SimpleNamespace(
            ops=ops, aco=aco_api, aco_org=aco_org, provider=provider, provider_org=provider_org
        )
        arrangement_id = execute(cast(World, parties), definition, ("2027-01-01", "2027-12-31"))
        episodes = expect(
            aco_api.get(
                f"/v1/arrangements/{arrangement_id}/episodes",
                params={"claims_cutoff": "2029-12-31", "limit": 500},
            ),
            200,
        )["items"]
        settlement = expect(
            aco_api.post(
                f"/v1/arrangements/{arrangement_id}/settlements",
                json={"period_start": "2027-01-01", "period_end": "2027-12-31", "preview": True},
            ),
            200,
        )
        outcomes.append(
            (
                [{k: v for k, v in e.items() if k != "id"} for e in episodes],
                {
                    k: settlement[k]
                    for k in ("n_episodes", "total_target", "total_actual", "settlement_amount")
                },
            )
        )
    (cclf_episodes, cclf_settlement), (csv_episodes, csv_settlement) = outcomes
    assert len(cclf_episodes) >= 3
    assert cclf_episodes == csv_episodes
    assert cclf_settlement == csv_settlement


def _v(record: int, uid: str, code: str, effective: str, paid: str) -> Version:
    return Version(
        "CCLF5", record, "B-X-1EG4TE5MK73#1", uid, code, effective, effective, Decimal(paid), False
    )


def test_resolution_rules_and_reasons() -> None:
    # Claim ids order numerically (999 before 1000) when the effective dates tie.
    decisions = resolve([_v(1, "1000", "0", "2027-03-01", "10.00"), _v(2, "999", "0", "2027-03-01", "12.00")])
    assert [(d.version.uid, d.counts) for d in decisions] == [("1000", True), ("999", False)]
    assert decisions[1].reason.startswith("superseded by 1000")

    # A cancellation takes the version with its amount, not merely the latest one.
    original, adjusted = _v(1, "1", "0", "2027-03-01", "50.00"), _v(2, "2", "0", "2027-03-05", "70.00")
    cancel = _v(3, "3", "1", "2027-03-09", "50.00")
    reasons = {d.version.uid: (d.counts, d.reason) for d in resolve([original, adjusted, cancel])}
    assert reasons == {
        "1": (False, "cancelled by 3"),
        "2": (True, "latest remaining version by CLM_EFCTV_DT, then claim id"),
        "3": (False, "cancels 1"),
    }

    # A cancellation alone removes the line; two identical originals and one cancellation leave one.
    (alone,) = resolve([_v(1, "1", "1", "2027-03-01", "5.00")])
    assert not alone.counts and "without a version to cancel" in alone.reason
    twins = resolve([_v(1, "1", "0", "2027-03-01", "5.00"), _v(2, "1", "0", "2027-03-01", "5.00"),
                     _v(3, "2", "1", "2027-03-02", "5.00")])  # fmt: skip
    assert [(d.counts, d.reason) for d in twins][:2] == [
        (True, "latest remaining version by CLM_EFCTV_DT, then claim id"),
        (False, "cancelled by 2"),
    ]
    stored = plans(twins)
    # The counting version gets the group's latest load date and is written after the cancellation.
    assert stored[1] == Plan("original", "2027-03-02", True, 3)
    assert stored[2] == Plan("original", "2027-03-01", False, 0) and stored[3].adjustment == "cancel"


def test_the_benchmark_generator_writes_a_checked_delivery(tmp_path: Path) -> None:
    directory = bulk_part_b(tmp_path / "bulk", 1000, [M1, M2])
    delivery = CclfDelivery(directory)
    assert delivery.files["CCLF5"].records == 1000 and delivery.files["CCLF8"].records == 2
    rows = list(delivery.claim_rows())
    assert len(rows) == 1000
    decisions = list(delivery.decisions())
    cancelled = [d for d in decisions if d.reason.startswith("cancels ")]
    denied = [d for d in decisions if d.reason.endswith("denied: spends nothing")]
    # Claims 2, 102, ... are cancelled and re-billed; claims 1, 101, ... are denied.
    assert len(cancelled) == 10 and len(denied) == 10
    assert sum(1 for d in decisions if d.counts) == 1000 - 2 * len(cancelled)
    assert all(r["allowed_amount"] == "0.00" for r in rows if r["claim_id"].startswith("B-CTL1-"))


def test_crlf_line_ends_read_the_same(tmp_path: Path) -> None:
    """Deliveries copied through Windows systems end records with CR LF."""
    lf = adjusted_claims().write(tmp_path / "lf")
    crlf = tmp_path / "crlf"
    crlf.mkdir()
    for path in lf.iterdir():
        (crlf / path.name).write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert b"\r\n" in next(crlf.glob("*ZC5*")).read_bytes()
    rows = list(CclfDelivery(lf).claim_rows())
    assert rows and list(CclfDelivery(crlf).claim_rows()) == rows


def test_unreadable_or_ambiguous_archives_are_refused(ops: Api, migrated: Settings, tmp_path: Path) -> None:
    aco_org, aco = create_org(ops, "aco")
    directory = adjusted_claims().write(tmp_path / "d")
    zipped = _archive(directory, "zip")

    def post(body: bytes) -> dict[str, Any]:
        return expect(
            aco.post("/v1/cclf-deliveries", content=body, headers={"content-type": "application/zip"}), 422
        )

    # An encrypted member (flag bit 0 in the local and the central header).
    encrypted = bytearray(zipped)
    encrypted[6] |= 1
    central = encrypted.find(b"PK\x01\x02")
    encrypted[central + 8] |= 1
    assert "encrypted" in post(bytes(encrypted))["errors"][0]["message"]
    # A compression method zipfile does not know (99: AES).
    unknown = bytearray(zipped)
    unknown[8] = 99
    unknown[central + 10] = 99
    assert "not a readable zip" in post(bytes(unknown))["errors"][0]["message"]
    # The same file name in two folders.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for folder in ("january", "february"):
            for path in sorted(directory.iterdir()):
                bundle.write(path, f"{folder}/{path.name}")
    assert "more than one file named" in post(buffer.getvalue())["errors"][0]["message"]
    # Far more files than a delivery has.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        for number in range(101):
            bundle.writestr(f"note{number}.txt", "x")
    assert "more than 100 files" in post(buffer.getvalue())["errors"][0]["message"]
    assert counting(migrated, aco_org["id"]) == {}


def test_damaged_records_never_crash_the_service(ops: Api, migrated: Settings, tmp_path: Path) -> None:
    """Seeded byte damage anywhere in a delivery's files, the CCLF0 summary included: the answer is
    a stored delivery or a problem document, never a server error. 40 damaged deliveries by
    default; CARA_FUZZ_DELIVERIES=2000 runs longer (the same seed: the first 40 are the same)."""
    aco_org, aco = create_org(ops, "aco")
    pristine = adjusted_claims().write(tmp_path / "d")
    files = sorted(pristine.iterdir())
    nasty = [b"\x00", b"\xff", b"\xe9", b"-", b"9", b" ", b"\r", b"|", b"'", b"\\", b"\t", b"."]
    rng = random.Random(8)
    outcomes: set[int] = set()
    for attempt in range(int(os.environ.get("CARA_FUZZ_DELIVERIES", "40"))):
        damaged = tmp_path / f"damaged{attempt}"
        shutil.copytree(pristine, damaged)
        for _ in range(rng.randint(1, 4)):
            path = damaged / rng.choice(files).name
            data = bytearray(path.read_bytes())
            if not data:
                continue
            at = rng.randrange(len(data))
            if data[at : at + 1] == b"\n":
                continue  # keeps the record count: refusals of those are tested above
            data[at : at + 1] = rng.choice(nasty)
            path.write_bytes(bytes(data))
        response = aco.post(
            "/v1/cclf-deliveries",
            content=_archive(damaged, "zip"),
            headers={"content-type": "application/zip"},
            params={"on_error": rng.choice(["reject", "skip"])},
        )
        outcomes.add(response.status_code)
        assert response.status_code in (200, 201, 422), response.text
        if response.status_code == 422:
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["status"] == 422
    assert {201, 422} <= outcomes  # some damage is harmless (names, fillers), some is not
    # Whatever was stored is well-formed: amounts are numbers, every line a claim type we know.
    for line in counting(migrated, aco_org["id"]).values():
        assert isinstance(line["allowed_amount"], Decimal) and line["claim_type"] in {
            "inpatient",
            "carrier",
            "dme",
        }


@pytest.mark.parametrize("bad", ["1E+99", "0.001", "123456789012345"])
def test_amounts_not_in_cms_form_are_reported_not_rounded(
    ops: Api, migrated: Settings, tmp_path: Path, bad: str
) -> None:
    """An exponent, a third decimal or more than a money column holds: the row is bad (rejected,
    or skipped on request), never rounded, and its version's decision carries no amount."""
    aco_org, aco = create_org(ops, "aco")
    d = Delivery()
    d.beneficiary(M1)
    d.part_b("7001", 1, M1, "Q1", "2027-03-03", "80.00", effective="2027-03-10", loaded="2027-03-12")
    d.part_b(
        "7002", 1, M1, "Q1", "2027-03-03", "80.00", code="1", effective="2027-04-10", loaded="2027-04-12"
    )
    cancel = d.records["CCLF5"][-1]
    d.records["CCLF5"][-1] = cancel[:102] + bad.rjust(15) + cancel[117:]  # CLM_LINE_CVRD_PD_AMT
    body = _archive(d.write(tmp_path / "d"), "zip")

    def post(on_error: str, status: int) -> dict[str, Any]:
        return expect(
            aco.post(
                "/v1/cclf-deliveries",
                content=body,
                headers={"content-type": "application/zip"},
                params={"on_error": on_error},
            ),
            status,
        )

    rejected = post("reject", 422)["claims"]
    [error] = rejected["errors"]
    assert rejected["rows_rejected"] == 1 and error["field"] == "paid_amount" and error["value"] == bad
    assert counting(migrated, aco_org["id"]) == {}
    stored = post("skip", 201)["claims"]
    assert stored["rows_stored"] == 1 and stored["rows_rejected"] == 1
    decisions = expect(aco.get(f"/v1/uploads/{stored['id']}/cclf-decisions"), 200)["items"]
    assert [(d["cur_clm_uniq_id"].lstrip("0"), d["paid_amount"]) for d in decisions] == [
        ("7001", "80.00"),
        ("7002", None),
    ]


def test_each_file_zipped_and_an_archive_path_on_the_command_line(
    ops: Api, migrated: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CMS zips each file of a delivery: a zip of zips imports as the plain files do, over HTTP and
    from the command line, which also takes the archive itself instead of a directory."""
    directory = adjusted_claims().write(tmp_path / "d")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as outer:
        for path in sorted(directory.iterdir()):
            inner = io.BytesIO()
            with zipfile.ZipFile(inner, "w", zipfile.ZIP_DEFLATED) as bundle:
                bundle.write(path, path.name)
            outer.writestr(f"{path.name}.zip", inner.getvalue())
    nested = buffer.getvalue()

    plain_org, plain = create_org(ops, "aco")
    expect(plain.post("/v1/cclf-deliveries", content=_archive(directory, "zip"), headers=ZIP), 201)
    zipped_org, zipped = create_org(ops, "aco")
    expect(zipped.post("/v1/cclf-deliveries", content=nested, headers=ZIP), 201)

    def stored(org_id: str) -> dict[Any, tuple[Any, ...]]:
        lines = counting(migrated, org_id)
        return {
            key: (v["paid_amount"], v["allowed_amount"], v["diagnoses"], v["adjustment"])
            for key, v in lines.items()
        }

    expected = stored(plain_org["id"])
    assert expected and stored(zipped_org["id"]) == expected

    cli_org, _ = create_org(ops, "aco")
    archive = tmp_path / "delivery.zip"
    archive.write_bytes(nested)
    assert _import(migrated, cli_org["id"], archive) == 0
    assert stored(cli_org["id"]) == expected
    archive.write_bytes(b"not an archive")
    assert _import(migrated, cli_org["id"], archive) == 1
    assert "not a readable zip or tar archive" in capsys.readouterr().err
