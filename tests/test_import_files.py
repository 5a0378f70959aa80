"""``cara import claims`` and ``cara import alignment``: one CSV or NDJSON file (gzip or not)
through the upload path of ``POST /v1/claims`` and ``/v1/alignment``, with progress on stderr."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from service.cli import main as cara
from service.settings import Settings
from tests.support.factories import Api, create_org, expect
from tests.support.ingest_data import MBIS, alignment, claim, to_csv, to_ndjson
from tests.test_ingest import counting


def _import(settings: Settings, kind: str, path: Path, aco_id: str, *extra: str) -> int:
    return cara(["import", kind, str(path), "--aco", aco_id, *extra], settings=settings)


def test_files_import_like_uploads_and_are_the_same_upload(
    ops: Api, migrated: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    org, api = create_org(ops, "aco")
    people = tmp_path / "alignment.csv"
    people.write_bytes(to_csv([alignment(mbi=m) for m in MBIS[:3]]))
    assert _import(migrated, "alignment", people, org["id"]) == 0
    out = capsys.readouterr()
    assert "alignment: upload upl_" in out.out and "3 received, 3 stored, 0 rejected" in out.out
    # stderr is not a terminal here: progress is a plain line, the last one when the file ends.
    assert "alignment.csv: 3 rows, " in out.err and "(done in" in out.err

    rows = [claim(claim_id=f"K{i}", mbi=MBIS[i % 3], allowed_amount=f"{i}.25") for i in range(1, 41)]
    lines = tmp_path / "claims.ndjson.gz"
    lines.write_bytes(gzip.compress(to_ndjson(rows)))
    assert _import(migrated, "claims", lines, org["id"]) == 0
    out = capsys.readouterr()
    assert "40 received, 40 stored, 0 rejected" in out.out and "claims.ndjson.gz: 40 rows" in out.err
    stored = counting(migrated, org["id"])
    assert len(stored) == 40 and str(stored[("K7", 1)]["allowed_amount"]) == "7.25"

    # The same content over HTTP is the upload already made: 200, nothing new (either way round).
    again = expect(
        api.post("/v1/claims", content=to_ndjson(rows), headers={"content-type": "application/x-ndjson"}), 200
    )
    assert again["rows_stored"] == 40 and again["source"] == "ndjson"
    assert _import(migrated, "claims", lines, org["id"]) == 0
    assert "already imported" in capsys.readouterr().out
    assert len(counting(migrated, org["id"])) == 40


def test_a_bad_row_rejects_the_file_and_money_must_be_a_decimal_string(
    ops: Api, migrated: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    org, _ = create_org(ops, "aco")
    path = tmp_path / "claims.jsonl"
    rows = [claim(claim_id="M1"), {**claim(claim_id="M2"), "paid_amount": 10.5}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    assert _import(migrated, "claims", path, org["id"]) == 1
    out = capsys.readouterr().out
    assert "rejected: 2 received, 0 stored, 1 rejected" in out
    assert "row 2: paid_amount: must be a decimal string" in out
    assert counting(migrated, org["id"]) == {}

    assert _import(migrated, "claims", path, org["id"], "--on-error", "skip") == 0
    assert "2 received, 1 stored, 1 rejected" in capsys.readouterr().out
    assert set(counting(migrated, org["id"])) == {("M1", 1)}


def test_what_cannot_be_imported_is_said_plainly(
    ops: Api, migrated: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    org, _ = create_org(ops, "aco")
    provider, _ = create_org(ops, "provider")
    csv_file = tmp_path / "claims.csv"
    csv_file.write_bytes(to_csv([claim()]))
    other = tmp_path / "claims.txt"
    other.write_bytes(to_csv([claim()]))
    assert _import(migrated, "claims", other, org["id"]) == 1
    assert "name a .csv, .ndjson or .jsonl file" in capsys.readouterr().err
    assert _import(migrated, "claims", tmp_path / "absent.csv", org["id"]) == 1
    assert "cannot read" in capsys.readouterr().err
    assert _import(migrated, "claims", csv_file, provider["id"]) == 1
    assert f"no ACO with id {provider['id']}" in capsys.readouterr().err
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(gzip.compress(to_csv([claim()]))[:-12])
    assert _import(migrated, "claims", broken, org["id"]) == 1
    assert "truncated" in capsys.readouterr().err
    assert counting(migrated, org["id"]) == {}
