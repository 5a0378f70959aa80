"""The audit trail: every change recorded, visible to the right parties, hash-chained."""

from __future__ import annotations

from sqlalchemy import create_engine, select, text, update
from sqlalchemy.orm import Session

from service.audit.models import AuditEvent
from service.audit.service import verify_chain
from service.cli import main as cara
from service.kit.db import sync_url
from service.settings import Settings
from tests.support.factories import Api, World, expect


def test_changes_are_audited_with_actor_and_request_id(ops: Api, world: World) -> None:
    response = ops.post(
        f"/v1/organizations/{world.aco_org['id']}/api-keys",
        json={"name": "audited", "role": "aco"},
        headers={"X-Request-ID": "audit-req-1"},
    )
    key = expect(response, 201)
    events = expect(ops.get("/v1/audit-events", params={"resource_id": key["id"]}), 200)["items"]
    assert len(events) == 1
    event = events[0]
    assert event["action"] == "api_key.created" and event["request_id"] == "audit-req-1"
    assert event["actor_key_id"] != "cli" and len(event["hash"]) == 64
    # The ACO the key belongs to sees the event; another ACO does not.
    mine = expect(world.aco.get("/v1/audit-events", params={"resource_id": key["id"]}), 200)["items"]
    assert [e["id"] for e in mine] == [event["id"]]
    assert (
        expect(world.other_aco.get("/v1/audit-events", params={"resource_id": key["id"]}), 200)["items"] == []
    )


def test_audit_list_pages_in_order(ops: Api, world: World) -> None:
    first = expect(ops.get("/v1/audit-events", params={"limit": 2}), 200)
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = expect(ops.get("/v1/audit-events", params={"limit": 2, "cursor": first["next_cursor"]}), 200)
    assert first["items"][1]["seq"] < second["items"][0]["seq"]
    assert (
        second["items"][0]["prev_hash"] == first["items"][1]["hash"]
        or second["items"][0]["seq"] > first["items"][1]["seq"] + 1
    )


def test_verify_detects_a_tampered_event(world: World, migrated: Settings, capsys) -> None:  # type: ignore[no-untyped-def]
    engine = create_engine(sync_url(migrated.database_url))
    with Session(engine) as session:
        assert verify_chain(session).ok
        target = session.scalars(select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)).one()
        original = dict(target.details)
        seq = target.seq
    try:
        with engine.begin() as conn:
            conn.execute(
                update(AuditEvent).where(AuditEvent.seq == seq).values(details={**original, "name": "forged"})
            )
        with Session(engine) as session:
            result = verify_chain(session)
        assert not result.ok and result.broken_seq == seq
        assert cara(["audit", "verify"], settings=migrated) == 1
        assert f"broken at event {seq}" in capsys.readouterr().err
    finally:
        with engine.begin() as conn:
            conn.execute(update(AuditEvent).where(AuditEvent.seq == seq).values(details=original))
    with Session(engine) as session:
        assert verify_chain(session).ok
    assert cara(["audit", "verify"], settings=migrated) == 0
    engine.dispose()


def test_verify_detects_a_deleted_tail(world: World, migrated: Settings) -> None:
    engine = create_engine(sync_url(migrated.database_url))
    with engine.begin() as conn:
        head = conn.execute(text("SELECT last_seq FROM audit_head")).scalar_one()
        row = conn.execute(select(AuditEvent.__table__).where(AuditEvent.seq == head)).mappings().one()
        parties = (
            conn.execute(
                text("SELECT event_seq, org_id FROM audit_event_party WHERE event_seq = :s"), {"s": head}
            )
            .mappings()
            .all()
        )
        conn.execute(text("DELETE FROM audit_event_party WHERE event_seq = :s"), {"s": head})
        conn.execute(AuditEvent.__table__.delete().where(AuditEvent.seq == head))
    try:
        with Session(engine) as session:
            result = verify_chain(session)
        assert not result.ok and "deleted" in (result.reason or "")
    finally:
        with engine.begin() as conn:
            conn.execute(AuditEvent.__table__.insert().values(**row))
            for party in parties:
                conn.execute(
                    text("INSERT INTO audit_event_party (event_seq, org_id) VALUES (:event_seq, :org_id)"),
                    dict(party),
                )
    engine.dispose()
