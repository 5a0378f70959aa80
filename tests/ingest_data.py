"""Valid claim lines and alignment rows for tests, as CSV or NDJSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from service.ingest.validation import ALIGNMENT_FIELDS, CLAIM_FIELDS
from tests.identifiers import new_npi

MBIS = ["1EG4TE5MK73", "2EG4TE5MK74", "3AC5HJ6KM75", "4AC5HJ6KM76", "5AC5HJ6KM77"]


def claim(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "claim_id": "C1",
        "line_number": "1",
        "claim_type": "carrier",
        "mbi": MBIS[0],
        "from_date": "2027-03-02",
        "thru_date": "2027-03-02",
        "rendering_npi": new_npi(),
        "billing_tin": "123456789",
        "hcpcs": "99214",
        "diagnoses": "Z91.81|R26.81",
        "allowed_amount": "142.10",
        "paid_amount": "113.68",
        "adjustment": "original",
        "received_date": "2027-03-20",
    }
    row.update(overrides)
    return row


def alignment(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "mbi": MBIS[0],
        "birth_date": "1948-05-17",
        "sex": "F",
        "dual_status": "false",
        "hcc_score": "1.137",
        "aligned_from": "2027-01-01",
        "aligned_through": "",
        "esrd": "false",
        "hospice_start": "",
        "death_date": "",
    }
    row.update(overrides)
    return row


def to_csv(rows: list[dict[str, Any]], fields: tuple[str, ...] | None = None) -> bytes:
    fields = fields or (CLAIM_FIELDS if "claim_id" in rows[0] else ALIGNMENT_FIELDS)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def to_ndjson(rows: list[dict[str, Any]]) -> bytes:
    lines = []
    for row in rows:
        item = dict(row)
        if "diagnoses" in item:
            item["diagnoses"] = item["diagnoses"].split("|")
        lines.append(json.dumps(item))
    return ("\n".join(lines) + "\n").encode()
