"""Import of the public CMS RIF sample (Synthea) through the upload validation and storage path."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

from service.cli import main as cara
from service.ingest.repository import current_alignment
from service.ingest.rif import parse_rif_date, shift
from service.settings import Settings
from tests.support.factories import Api, create_org, expect
from tests.test_ingest import _rows, counting

SAMPLE = Path(__file__).resolve().parent / "data" / "bfd-rif-synthea"
SHIFT = 12  # 2015-2021 -> 2027-2033


def _import(settings: Settings, aco_id: str, on_error: str = "skip") -> int:
    argv = [
        "import",
        "rif",
        str(SAMPLE),
        "--aco",
        aco_id,
        "--shift-years",
        str(SHIFT),
        "--on-error",
        on_error,
    ]
    return cara(argv, settings=settings.model_copy(update={"sandbox": True}))


def _raw(name: str) -> list[dict[str, str]]:
    with (SAMPLE / f"{name}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="|"))


def test_rif_sample_imports_with_expected_counts_and_amounts(ops: Api, migrated: Settings, capsys) -> None:  # type: ignore[no-untyped-def]
    aco, _ = create_org(ops, "aco")
    assert _import(migrated, aco["id"]) == 0
    out = capsys.readouterr().out
    claim_rows = sum(
        len(_raw(n)) for n in ("carrier", "dme", "inpatient", "outpatient", "snf", "hha", "hospice")
    )
    assert claim_rows == 347
    assert "alignment: upload" in out and "3 received, 3 stored, 0 rejected" in out
    # The DME line and one inpatient line carry M8000X, not in the ICD-10-CM code set (it lacks
    # its 7th character): with on_error=skip they are reported and the rest is stored.
    assert "347 received, 345 stored, 2 rejected" in out and "M8000X" in out

    lines = counting(migrated, aco["id"])
    assert len(lines) == 345
    assert not any(v["claim_type"] == "dme" for v in lines.values())
    carrier = _raw("carrier")
    expected_carrier = sum(Decimal(r["LINE_ALOWD_CHRG_AMT"]) for r in carrier)
    stored_carrier = sum(v["allowed_amount"] for v in lines.values() if v["claim_type"] == "carrier")
    assert stored_carrier == expected_carrier
    # Institutional claims: CLM_PMT_AMT plus recorded cost sharing, once per claim.
    inpatient = _raw("inpatient")
    claims = {r["CLM_ID"]: r for r in inpatient if "M8000X" not in r.values()}
    expected_ip = sum(
        Decimal(r["CLM_PMT_AMT"])
        + Decimal(r["NCH_BENE_IP_DDCTBL_AMT"] or 0)
        + Decimal(r["NCH_BENE_PTA_COINSRNC_LBLTY_AM"] or 0)
        + Decimal(r["NCH_BENE_BLOOD_DDCTBL_LBLTY_AM"] or 0)
        for r in claims.values()
    )
    assert sum(v["allowed_amount"] for v in lines.values() if v["claim_type"] == "inpatient") == expected_ip
    first = carrier[0]
    line = lines[(f"CAR{first['CLM_ID']}", int(first["LINE_NUM"]))]
    assert line["from_date"] == shift(parse_rif_date(first["CLM_FROM_DT"]), SHIFT)
    assert line["rendering_npi"] == first["PRF_PHYSN_NPI"] and line["hcpcs"] == (first["HCPCS_CD"] or None)

    beneficiaries = {r["mbi"]: r for r in _rows(migrated, current_alignment(aco["id"]))}
    assert set(beneficiaries) == {r["MBI_NUM"] for r in _raw("beneficiary_2021")}
    bene = _raw("beneficiary_2021")[0]
    assert beneficiaries[bene["MBI_NUM"]]["birth_date"] == shift(parse_rif_date(bene["BENE_BIRTH_DT"]), SHIFT)
    assert all(b["aligned_from"] == date(2011 + SHIFT, 1, 1) for b in beneficiaries.values())

    # Importing the same files again changes nothing.
    assert _import(migrated, aco["id"]) == 0
    assert "already imported" in capsys.readouterr().out
    assert len(counting(migrated, aco["id"])) == 345


def test_rif_import_rejects_synthetic_mbis_outside_the_sandbox(ops: Api, migrated: Settings, capsys) -> None:  # type: ignore[no-untyped-def]
    aco, _ = create_org(ops, "aco")
    argv = [
        "import",
        "rif",
        str(SAMPLE),
        "--aco",
        aco["id"],
        "--shift-years",
        str(SHIFT),
        "--on-error",
        "reject",
    ]
    assert cara(argv, settings=migrated) == 1
    out = capsys.readouterr().out
    assert "alignment: upload" in out and "rejected" in out and "CARA_SANDBOX=true" in out
    assert counting(migrated, aco["id"]) == {}
    uploads = expect(ops.get("/v1/uploads", params={"limit": 500}), 200)["items"]
    assert any(u["source"] == "rif" and u["status"] == "rejected" for u in uploads)


def test_a_rejected_import_does_not_block_its_corrected_retry(ops: Api, migrated: Settings, capsys) -> None:  # type: ignore[no-untyped-def]
    """The first import's alignment is rejected (synthetic MBIs outside the sandbox); the same
    files again with CARA_SANDBOX=true, as the refusal suggests, are validated again and the
    alignment is stored, not answered "already imported". Only stored content deduplicates: a
    third run finds the alignment already imported. (The sample's claims stay rejected under
    on_error=reject: two of them carry an incomplete ICD-10-CM code.)"""
    aco, _ = create_org(ops, "aco")
    argv = [
        "import",
        "rif",
        str(SAMPLE),
        "--aco",
        aco["id"],
        "--shift-years",
        str(SHIFT),
        "--on-error",
        "reject",
    ]
    assert cara(argv, settings=migrated) == 1
    first = capsys.readouterr().out
    assert "alignment: upload" in first and "CARA_SANDBOX=true" in first
    sandbox = migrated.model_copy(update={"sandbox": True})
    cara(argv, settings=sandbox)
    second = capsys.readouterr().out
    alignment_line = next(line for line in second.splitlines() if line.startswith("alignment:"))
    assert " stored: 3 received, 3 stored" in alignment_line and "already" not in alignment_line
    cara(argv, settings=sandbox)
    third = capsys.readouterr().out
    alignment_line = next(line for line in third.splitlines() if line.startswith("alignment:"))
    assert "already imported" in alignment_line
    ids = [
        next(line for line in out.splitlines() if line.startswith("alignment:")).split()[2]
        for out in (first, second)
    ]
    statuses = [expect(ops.get(f"/v1/uploads/{upload_id}"), 200)["status"] for upload_id in ids]
    assert ids[0] != ids[1] and statuses == ["rejected", "stored"]


def test_rif_import_needs_an_aco(ops: Api, migrated: Settings, capsys) -> None:  # type: ignore[no-untyped-def]
    provider, _ = create_org(ops, "provider")
    assert _import(migrated, provider["id"]) == 1
    assert "no ACO" in capsys.readouterr().err
