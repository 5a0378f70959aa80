"""The schema stays distributable by ACO (docs/scaling.md: Citus with the ACO as distribution
column). Every table is classified; the tables distributed by ACO carry ``aco_id``; the tables
that reach their ACO only through a parent are listed, with the path, as the gap docs/scaling.md
describes; and the primary and unique keys that do not yet include ``aco_id`` are exactly the
ones documented there. A new table, a key changed, or a gap closed fails here until both this
file and docs/scaling.md say so."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Table, UniqueConstraint

import service.models  # noqa: F401  (every model registered)
from service.kit.db import Base

DOC = Path(__file__).resolve().parents[1] / "docs" / "scaling.md"
TABLES = Base.metadata.tables

# Distributed by ACO: they carry aco_id (the distribution column).
DISTRIBUTED = {
    "upload",
    "claim_line_record",
    "alignment_record",
    "arrangement",
    "episode_analysis",
    "episode_analysis_row",
}
# Large, ACO-owned, but reaching the ACO only through a parent (the path of foreign keys to a
# distributed table): each needs an aco_id column before it can be distributed.
THROUGH_PARENT = {
    "cclf_decision": ["upload"],
    "arrangement_version": ["arrangement"],
    "arrangement_signature": ["arrangement"],
    "settlement": ["arrangement"],
    "settlement_line": ["settlement", "arrangement"],
    "settlement_exclusion": ["settlement", "arrangement"],
    "settlement_acceptance": ["settlement", "arrangement"],
    "settlement_dispute": ["arrangement"],
    "quality_report": ["arrangement"],
    "quality_report_version": ["quality_report", "arrangement"],
}
# Small and read by every shard: replicated to every node (Citus reference tables).
REFERENCE = {"organization", "roster_entry", "organization_npi", "api_key", "episode_definition"}
# Kept on the coordinator (local tables): global by nature, or per caller rather than per ACO.
LOCAL = {
    "audit_event",
    "audit_event_party",
    "audit_head",
    "outbox_event",
    "webhook_endpoint",
    "webhook_delivery",
    "webhook_attempt",
    "idempotency_record",
}
# Keys of distributed tables without aco_id today (Citus needs it in every one).
KEYS_WITHOUT_ACO = {
    ("upload", "primary key (id)"),
    ("claim_line_record", "primary key (seq)"),
    ("alignment_record", "primary key (seq)"),
    ("arrangement", "primary key (id)"),
    ("episode_analysis", "primary key (id)"),
}


def keys_of(table: Table) -> list[tuple[str, tuple[str, ...]]]:
    keys = [("primary key", tuple(c.name for c in table.primary_key.columns))]
    keys += [
        ("unique", tuple(c.name for c in constraint.columns))
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    ]
    keys += [
        ("unique index", tuple(c.name for c in index.columns)) for index in table.indexes if index.unique
    ]
    return keys


def test_every_table_is_classified_once() -> None:
    classes = [DISTRIBUTED, set(THROUGH_PARENT), REFERENCE, LOCAL]
    assert sum(len(c) for c in classes) == len(set().union(*classes)), "a table classified twice"
    assert set().union(*classes) == set(TABLES), "classify every table here and in docs/scaling.md"


@pytest.mark.parametrize("name", sorted(DISTRIBUTED))
def test_distributed_tables_carry_a_not_null_aco_id(name: str) -> None:
    column = TABLES[name].c.get("aco_id")
    assert column is not None and not column.nullable


@pytest.mark.parametrize("name", sorted(THROUGH_PARENT))
def test_the_others_reach_their_aco_through_their_parents(name: str) -> None:
    assert "aco_id" not in TABLES[name].c  # the gap: closing it means moving the table above
    table = TABLES[name]
    for parent in THROUGH_PARENT[name]:
        referred = {fk.column.table.name for fk in table.foreign_keys}
        assert parent in referred, f"{table.name} has no foreign key to {parent}"
        table = TABLES[parent]
    assert table.name in DISTRIBUTED


def test_the_keys_without_the_aco_are_exactly_the_documented_ones() -> None:
    missing = {
        (name, f"{kind} ({', '.join(columns)})")
        for name in DISTRIBUTED
        for kind, columns in keys_of(TABLES[name])
        if "aco_id" not in columns
    }
    assert missing == KEYS_WITHOUT_ACO


def test_docs_scaling_names_every_table_and_gap() -> None:
    text = DOC.read_text()
    for name in TABLES:
        assert f"`{name}`" in text, f"docs/scaling.md does not place {name}"
    for name, key in KEYS_WITHOUT_ACO:
        assert f"`{name}` {key}" in text
