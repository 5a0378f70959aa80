"""Every stored record names the upload that brought it, of its own ACO, and that upload stays.

The record tables carry ``upload_id`` without a foreign key (checking one for each of millions of
rows was the largest cost of a PostgreSQL upload after the indexes; docs/ingest.md). These tests
hold what the key guaranteed: after uploads of every kind and outcome, each record's upload
exists, belongs to the record's ACO and was stored; and the database refuses to delete an upload.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from tests.support.factories import Api, create_org, expect
from tests.support.ingest_data import MBIS, alignment, claim, to_csv, to_ndjson

CSV = {"content-type": "text/csv"}
NDJSON = {"content-type": "application/x-ndjson"}


def _scalar(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as conn:
        return conn.execute(text(sql), params).scalar_one()


def _records_without_their_upload(engine: Engine, table: str, aco_id: str) -> int:
    """Records of ``aco_id`` whose upload is missing, another ACO's, or not stored."""
    return int(
        _scalar(
            engine,
            f"SELECT count(*) FROM {table} r LEFT JOIN upload u ON u.id = r.upload_id "
            "WHERE r.aco_id = :aco AND (u.id IS NULL OR u.aco_id <> r.aco_id OR u.status <> 'stored')",
            aco=aco_id,
        )
    )


def test_every_record_names_a_stored_upload_of_its_aco(ops: Api, engine: Engine) -> None:
    aco_org, aco = create_org(ops, "aco")
    aco_id = aco_org["id"]
    lines = [claim(claim_id=f"P{i}", mbi=MBIS[i % 5]) for i in range(12)]
    stored = [
        expect(aco.post("/v1/claims", content=to_csv(lines[:6]), headers=CSV), 201),
        expect(aco.post("/v1/claims", content=to_ndjson(lines[6:]), headers=NDJSON), 201),
        # The same content again: the earlier report, nothing stored twice.
        expect(aco.post("/v1/claims", content=to_csv(lines[:6]), headers=CSV), 200),
        expect(
            aco.post(
                "/v1/claims",
                content=to_csv([claim(claim_id="P20"), claim(claim_id="P21", mbi="bad")]),
                headers=CSV,
                params={"on_error": "skip"},
            ),
            201,
        ),
        expect(aco.post("/v1/alignment", content=to_csv([alignment(mbi=m) for m in MBIS]), headers=CSV), 201),
    ]
    rejected = expect(
        aco.post(
            "/v1/claims",
            content=to_csv([claim(claim_id="P30"), claim(claim_id="P31", mbi="bad")]),
            headers=CSV,
        ),
        422,
    )
    assert expect(aco.get(f"/v1/uploads/{rejected['id']}"), 200)["status"] == "rejected"

    claim_lines = _scalar(engine, "SELECT count(*) FROM claim_line_record WHERE aco_id = :a", a=aco_id)
    assert claim_lines == 13  # 6 + 6 + the one good line of the skip upload; none of the rejected
    assert _scalar(engine, "SELECT count(*) FROM alignment_record WHERE aco_id = :a", a=aco_id) == 5
    assert _records_without_their_upload(engine, "claim_line_record", aco_id) == 0
    assert _records_without_their_upload(engine, "alignment_record", aco_id) == 0
    with engine.connect() as conn:
        per_upload = conn.execute(
            text("SELECT upload_id, count(*) FROM claim_line_record WHERE aco_id = :a GROUP BY upload_id"),
            {"a": aco_id},
        )
        by_upload = {upload_id: count for upload_id, count in per_upload}
    assert by_upload == {stored[0]["id"]: 6, stored[1]["id"]: 6, stored[3]["id"]: 1}
    assert rejected["id"] not in by_upload


def test_the_database_refuses_to_delete_an_upload(ops: Api, engine: Engine) -> None:
    aco_org, aco = create_org(ops, "aco")
    upload = expect(aco.post("/v1/claims", content=to_csv([claim(claim_id="K1")]), headers=CSV), 201)
    with pytest.raises(DBAPIError, match="never deleted"), engine.begin() as conn:
        conn.execute(text("DELETE FROM upload WHERE id = :u"), {"u": upload["id"]})
    assert _scalar(engine, "SELECT count(*) FROM upload WHERE id = :u", u=upload["id"]) == 1
    assert _records_without_their_upload(engine, "claim_line_record", aco_org["id"]) == 0
