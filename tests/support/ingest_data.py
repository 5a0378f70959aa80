"""Valid claim lines and alignment rows for tests, as CSV or NDJSON (the rows and their defaults
are service/demo/synthetic.py's)."""

from __future__ import annotations

import json
from typing import Any

from service.demo.synthetic import DEFAULT_MBI, to_csv
from service.demo.synthetic import alignment_row as alignment
from service.demo.synthetic import claim_row as claim

__all__ = ["MBIS", "alignment", "claim", "to_csv", "to_ndjson"]

MBIS = [DEFAULT_MBI, "2EG4TE5MK74", "3AC5HJ6KM75", "4AC5HJ6KM76", "5AC5HJ6KM77"]


def to_ndjson(rows: list[dict[str, Any]]) -> bytes:
    lines = []
    for row in rows:
        item = dict(row)
        if "diagnoses" in item:
            item["diagnoses"] = item["diagnoses"].split("|")
        lines.append(json.dumps(item))
    return ("\n".join(lines) + "\n").encode()
