"""Rosters over time: a practice's NPIs carry effective dates; a service opens an episode for a
practice only when its rendering NPI was on the practice's roster on the service date.

Over HTTP: the roster endpoints (history, add, end, who may), their audit and webhook event,
episodes opened by a clinician who joined mid-year or left; the onboarding date; the reading
functions the overlap check builds on; and the migration that carries NPIs over.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from alembic import command
from sqlalchemy import select, text

from service.access import roster
from service.access.models import OrganizationNpi
from service.access.roster import Stay
from service.bootstrap import run_with_session
from service.demo.synthetic import new_npi, new_tin
from service.kit import clock
from service.kit.db import make_sync_engine
from service.kit.migrations import alembic_config
from service.settings import Settings
from service.webhooks.models import OutboxEvent
from tests.support.episode_data import Scenario, publish_definition, scenario
from tests.support.factories import Api, World, create_org, expect
from tests.support.server import fresh_database


@pytest.fixture(scope="module")
def falls(ops: Api) -> dict[str, Any]:
    return publish_definition(ops)


def npis_path(org: dict[str, Any]) -> str:
    return f"/v1/organizations/{org['id']}/npis"


def history(api: Api, org: dict[str, Any], **params: Any) -> list[tuple[str, str, str | None]]:
    page = expect(api.get(npis_path(org), params={"limit": 500, **params}), 200)
    return [(e["npi"], e["effective_from"], e["effective_to"]) for e in page["items"]]


def add(api: Api, org: dict[str, Any], npi: str, effective_from: str, status: int = 201) -> Any:
    return expect(api.post(npis_path(org), json={"npi": npi, "effective_from": effective_from}), status)


def end(api: Api, org: dict[str, Any], npi: str, effective_to: str, status: int = 200) -> Any:
    return expect(api.post(f"{npis_path(org)}/{npi}/end", json={"effective_to": effective_to}), status)


# ---- the roster endpoints ----------------------------------------------------------------------


def test_onboarded_npis_are_the_first_roster_entries_from_the_onboarding_date(
    ops: Api, migrated: Settings
) -> None:
    first, second = new_npi(), new_npi()
    org, api = create_org(ops, "provider", npis=[first, second], npis_effective_from="2027-03-15")
    assert sorted(history(api, org)) == sorted([(first, "2027-03-15", None), (second, "2027-03-15", None)])
    assert org["npis"] == sorted([first, second])

    async def legacy(session: Any) -> list[str]:
        rows = await session.scalars(
            select(OrganizationNpi.npi)
            .where(OrganizationNpi.organization_id == org["id"])
            .order_by(OrganizationNpi.npi)
        )
        return list(rows)

    # The old shape is written too, for processes of the previous release during a deployment.
    assert run_with_session(migrated, legacy) == sorted([first, second])


def test_onboarding_without_a_date_puts_the_npis_on_the_roster_from_today(ops: Api) -> None:
    npi = new_npi()
    body = {"kind": "provider", "name": "Today PC", "tin": new_tin(), "npis": [npi]}
    with clock.frozen(date(2027, 5, 4)):
        org = expect(ops.post("/v1/organizations", json=body), 201)
    assert history(ops, org) == [(npi, "2027-05-04", None)]


def test_the_practice_adds_and_ends_its_own_clinicians_and_history_keeps_every_stay(world: World) -> None:
    org, api = world.provider_org, world.provider
    joining = new_npi()
    entry = add(api, org, joining, "2027-04-01")
    assert entry["npi"] == joining and entry["effective_to"] is None and entry["id"].startswith("ros_")
    assert joining in expect(api.get(f"/v1/organizations/{org['id']}"), 200)["npis"]
    ended = end(api, org, joining, "2027-06-30")
    assert (ended["id"], ended["effective_to"]) == (entry["id"], "2027-06-30") and ended["ended_at"]
    # Back later: a second stay; the first is kept.
    add(api, org, joining, "2027-09-01")
    assert history(api, org, npi=joining) == [
        (joining, "2027-04-01", "2027-06-30"),
        (joining, "2027-09-01", None),
    ]
    # Who was on the roster on a day.
    on_july_1 = {npi for npi, _, _ in history(api, org, on="2027-07-01")}
    assert joining not in on_july_1 and set(org["npis"]) <= on_july_1
    assert joining in {npi for npi, _, _ in history(api, org, on="2027-09-01")}


def test_a_departed_clinician_leaves_the_current_roster(world: World) -> None:
    org = world.provider_org
    leaving = org["npis"][1]
    with clock.frozen(date(2027, 8, 1)):
        end(world.ops, org, leaving, "2027-06-30")
        current = expect(world.provider.get(f"/v1/organizations/{org['id']}"), 200)["npis"]
    assert current == [org["npis"][0]]


def test_stays_never_overlap_and_ends_are_checked(world: World) -> None:
    org, api = world.provider_org, world.provider
    npi = org["npis"][0]
    problem = add(api, org, npi, "2027-05-01", 409)
    assert npi in problem["detail"] and "2027-01-01" in problem["detail"]
    end(api, org, npi, "2027-04-30")
    add(api, org, npi, "2027-04-30", 409)  # the first stay still covers 30 April
    add(api, org, npi, "2027-05-01")
    # Ending before the stay began; an NPI that has left already; one never on the roster.
    problem = end(api, org, npi, "2027-04-01", 422)
    assert problem["errors"][0]["location"] == "body.effective_to"
    end(api, org, npi, "2027-05-31")
    assert "left the roster already" in end(api, org, npi, "2027-06-30", 409)["detail"]
    end(api, org, new_npi(), "2027-06-30", 404)
    # An NPI failing its check digit is refused.
    problem = expect(
        api.post(npis_path(org), json={"npi": "1234567890", "effective_from": "2027-01-01"}), 422
    )
    assert problem["errors"][0]["location"] == "body.npi"


def test_only_ops_and_the_organisation_itself_see_and_change_a_roster(world: World) -> None:
    org = world.provider_org
    for stranger in (world.other_provider, world.aco, world.other_aco):
        expect(stranger.get(npis_path(org)), 404)
        add(stranger, org, new_npi(), "2027-02-01", 404)
        end(stranger, org, org["npis"][0], "2027-02-01", 404)
    expect(world.anonymous.get(npis_path(org)), 401)
    add(world.ops, org, new_npi(), "2027-02-01")
    assert len(history(world.ops, org)) == 3


def test_a_roster_change_is_audited_and_announced_to_the_practices_acos(
    world: World, falls: dict[str, Any], migrated: Settings
) -> None:
    scenario(world, falls)  # the provider has an arrangement with world.aco, none with other_aco
    npi = new_npi()
    entry = add(world.provider, world.provider_org, npi, "2027-07-01")
    end(world.ops, world.provider_org, npi, "2027-09-30")

    async def work(session: Any) -> list[tuple[str, list[str], dict[str, Any]]]:
        rows = await session.scalars(
            select(OutboxEvent)
            .where(OutboxEvent.type == "organization.roster_changed")
            .order_by(OutboxEvent.id)
        )
        return [(e.type, e.recipient_org_ids, e.data) for e in rows if e.data.get("npi") == npi]

    events = run_with_session(migrated, work)
    parties = sorted([world.aco_org["id"], world.provider_org["id"]])
    assert [
        (recipients, data["change"], data["effective_from"], data["effective_to"])
        for _, recipients, data in events
    ] == [
        (parties, "added", "2027-07-01", None),
        (parties, "ended", "2027-07-01", "2027-09-30"),
    ]
    assert all(data["roster_entry_id"] == entry["id"] for _, _, data in events)
    # The audit trail: the practice sees its own change, the ACO sees it as a party, ops all.
    for api in (world.provider, world.aco, world.ops):
        page = expect(
            api.get("/v1/audit-events", params={"resource_id": world.provider_org["id"], "limit": 500}), 200
        )
        changes = [e for e in page["items"] if e["action"] == "organization.roster_changed"]
        assert [e["details"]["change"] for e in changes if e["details"]["npi"] == npi] == ["added", "ended"]
    other = expect(
        world.other_aco.get("/v1/audit-events", params={"resource_id": world.provider_org["id"]}), 200
    )
    assert other["items"] == []


# ---- episodes follow the roster ------------------------------------------------------------------


def test_a_clinician_added_mid_year_opens_episodes_only_from_the_day_added(
    world: World, falls: dict[str, Any]
) -> None:
    s: Scenario = scenario(world, falls)
    newcomer = new_npi()
    add(world.provider, world.provider_org, newcomer, "2027-07-01")
    before, first_day, later = s.beneficiary(), s.beneficiary(), s.beneficiary()
    s.upload(
        s.line(before, "2027-06-30", rendering_npi=newcomer),
        s.line(first_day, "2027-07-01", rendering_npi=newcomer),
        s.line(later, "2027-09-15", rendering_npi=newcomer),
    )
    opened = {e["mbi"]: e["trigger_date"] for e in s.episodes()}
    assert opened == {first_day: "2027-07-01", later: "2027-09-15"}
    # A line the day before he joined does not open one even when a later line would: the
    # beneficiary's first episode starts on his first day on the roster.
    both = s.beneficiary()
    s.upload(
        s.line(both, "2027-06-20", rendering_npi=newcomer), s.line(both, "2027-07-02", rendering_npi=newcomer)
    )
    assert [e["trigger_date"] for e in s.episodes() if e["mbi"] == both] == ["2027-07-02"]


def test_a_departed_clinician_stops_opening_episodes_after_the_last_day(
    world: World, falls: dict[str, Any]
) -> None:
    s: Scenario = scenario(world, falls)
    leaving = world.provider_org["npis"][1]
    end(world.provider, world.provider_org, leaving, "2027-06-30")
    last_day, after = s.beneficiary(), s.beneficiary()
    s.upload(
        s.line(last_day, "2027-06-30", rendering_npi=leaving),
        s.line(after, "2027-07-01", rendering_npi=leaving),
    )
    assert {e["mbi"]: e["trigger_date"] for e in s.episodes()} == {last_day: "2027-06-30"}
    # Back on the roster from October: services from then on count again.
    add(world.provider, world.provider_org, leaving, "2027-10-01")
    returned = s.beneficiary()
    s.upload(
        s.line(returned, "2027-09-30", rendering_npi=leaving),
        s.line(returned, "2027-10-01", rendering_npi=leaving),
    )
    assert [e["trigger_date"] for e in s.episodes() if e["mbi"] == returned] == ["2027-10-01"]


def test_an_npi_on_another_practices_roster_opens_no_episode_here(
    world: World, falls: dict[str, Any]
) -> None:
    s: Scenario = scenario(world, falls)
    mbi = s.beneficiary()
    s.upload(s.line(mbi, "2027-03-01", rendering_npi=world.other_provider_org["npis"][0]))
    assert [e for e in s.episodes() if e["mbi"] == mbi] == []


# ---- what the overlap check reads --------------------------------------------------------------


def test_npis_during_and_roster_overlaps(ops: Api, migrated: Settings) -> None:
    shared, mine, theirs = new_npi(), new_npi(), new_npi()
    first, first_api = create_org(ops, "provider", npis=[shared, mine], npis_effective_from="2027-01-01")
    second, second_api = create_org(ops, "provider", npis=[theirs], npis_effective_from="2027-01-01")
    end(first_api, first, shared, "2027-05-31")
    add(second_api, second, shared, "2027-03-01")
    end(second_api, second, shared, "2027-04-15")
    add(second_api, second, shared, "2027-05-20")

    def call(work: Any) -> Any:
        return run_with_session(migrated, work)

    year = {"start": date(2027, 1, 1), "end": date(2027, 12, 31)}
    assert call(lambda session: roster.npis_during(session, first["id"], **year)) == sorted(
        [Stay(shared, date(2027, 1, 1), date(2027, 5, 31)), Stay(mine, date(2027, 1, 1), date(2027, 12, 31))],
        key=lambda s: s.npi,
    )
    # Clipped to the range asked about.
    assert call(
        lambda session: roster.npis_during(
            session, second["id"], start=date(2027, 4, 1), end=date(2027, 5, 25)
        )
    ) == sorted(
        [
            Stay(shared, date(2027, 4, 1), date(2027, 4, 15)),
            Stay(shared, date(2027, 5, 20), date(2027, 5, 25)),
            Stay(theirs, date(2027, 4, 1), date(2027, 5, 25)),
        ],
        key=lambda s: (s.npi, s.start),
    )
    overlaps = call(
        lambda session: roster.roster_overlaps(session, organization_ids=(first["id"], second["id"]), **year)
    )
    assert overlaps == [
        Stay(shared, date(2027, 3, 1), date(2027, 4, 15)),
        Stay(shared, date(2027, 5, 20), date(2027, 5, 31)),
    ]
    assert (
        call(
            lambda session: roster.roster_overlaps(
                session,
                organization_ids=(first["id"], second["id"]),
                start=date(2027, 6, 1),
                end=date(2027, 12, 31),
            )
        )
        == []
    )


# ---- the migration carries NPIs over -----------------------------------------------------------


def test_the_migration_carries_npis_over_as_roster_entries_and_snapshots_signatures() -> None:
    with fresh_database(prefix="cara_roster_migr") as url:
        config = alembic_config(url)
        command.upgrade(config, "0008")
        engine = make_sync_engine(url)
        stamp = "2026-11-01 10:00:00+00:00"
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO organization (id, kind, name, tin, created_at) VALUES "
                    "('org_a', 'aco', 'Old ACO', '111111111', :t), "
                    "('org_p', 'provider', 'Old Practice', '222222222', :t)"
                ),
                {"t": stamp},
            )
            conn.execute(
                text(
                    "INSERT INTO organization_npi (organization_id, npi) VALUES "
                    "('org_p', '1000000012'), ('org_p', '1000000004')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO episode_definition (id, code, version, approach, name, content, content_sha256, "
                    "published_at) VALUES ('def_1', 'X', 1, 'default', 'X', '{}', :h, :t)"
                ),
                {"h": "0" * 64, "t": stamp},
            )
            conn.execute(
                text(
                    "INSERT INTO arrangement (id, aco_id, provider_id, proposer_id, definition_id, definition_code, "
                    "definition_version, period_start, period_end, status, revision, latest_version, "
                    "version_in_force, created_at, updated_at) VALUES ('arr_1', 'org_a', 'org_p', 'org_a', "
                    "'def_1', 'X', 1, '2027-01-01', '2027-12-31', 'executed', 3, 1, 1, :t, :t)"
                ),
                {"t": stamp},
            )
            conn.execute(
                text(
                    "INSERT INTO arrangement_version (id, arrangement_id, number, kind, terms, terms_sha256, "
                    "created_by, created_at) VALUES ('arv_1', 'arr_1', 1, 'initial', '{}', :h, 'org_a', :t)"
                ),
                {"h": "0" * 64, "t": stamp},
            )
            for sig, org in (("sig_a", "org_a"), ("sig_p", "org_p")):
                conn.execute(
                    text(
                        "INSERT INTO arrangement_signature (id, arrangement_id, version_id, version_number, "
                        "organization_id, key_id, signer_name, signer_title, terms_sha256, signed_at) VALUES "
                        "(:id, 'arr_1', 'arv_1', 1, :org, 'key_1', 'Dana', 'CEO', :h, :t)"
                    ),
                    {"id": sig, "org": org, "h": "0" * 64, "t": stamp},
                )
        command.upgrade(config, "0012")
        with engine.begin() as conn:
            rows = conn.execute(
                text(
                    "SELECT id, organization_id, npi, effective_from, effective_to FROM roster_entry ORDER BY id"
                )
            ).all()
            signatures = conn.execute(
                text(
                    "SELECT organization_id, organization_name, organization_tin, organization_npis "
                    "FROM arrangement_signature ORDER BY organization_id"
                )
            ).all()
        # In their old order, effective from the first day of the model, open.
        assert [(r[1], r[2], str(r[3]), r[4]) for r in rows] == [
            ("org_p", "1000000012", "2027-01-01", None),
            ("org_p", "1000000004", "2027-01-01", None),
        ]
        assert all(r[0].startswith("ros_0000") for r in rows)
        with engine.begin() as conn:  # expand only: the old table stays for the previous release
            kept = conn.execute(text("SELECT npi FROM organization_npi ORDER BY npi")).scalars().all()
        assert kept == ["1000000004", "1000000012"]
        decoded = [
            (o, n, t, json.loads(npis) if isinstance(npis, str) else npis) for o, n, t, npis in signatures
        ]
        assert decoded == [
            ("org_a", "Old ACO", "111111111", []),
            ("org_p", "Old Practice", "222222222", ["1000000004", "1000000012"]),
        ]
        engine.dispose()


def test_the_migration_down_keeps_the_npis_on_the_roster() -> None:
    with fresh_database(prefix="cara_roster_down") as url:
        config = alembic_config(url)
        command.upgrade(config, "0012")
        engine = make_sync_engine(url)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO organization (id, kind, name, tin, created_at) VALUES ('org_p', 'provider', 'P', '222222222', :t)"
                ),
                {"t": "2026-11-01 10:00:00+00:00"},
            )
            for entry, npi, start, end in (
                ("ros_1", "1000000004", "2027-01-01", None),
                ("ros_2", "1000000012", "2027-01-01", "2027-03-31"),
                ("ros_3", "1000000012", "2027-06-01", None),
                ("ros_4", "1000000020", "2027-01-01", "2027-05-31"),
            ):
                conn.execute(
                    text(
                        "INSERT INTO roster_entry (id, organization_id, npi, effective_from, effective_to, created_at) "
                        "VALUES (:id, 'org_p', :npi, :start, :end, :t)"
                    ),
                    {"id": entry, "npi": npi, "start": start, "end": end, "t": "2026-11-01 10:00:00+00:00"},
                )
        command.downgrade(config, "0008")
        with engine.begin() as conn:
            back = conn.execute(text("SELECT organization_id, npi FROM organization_npi ORDER BY npi")).all()
        # The fixed list of old: the NPIs whose stay has not ended (one that left is not on it).
        assert [tuple(r) for r in back] == [("org_p", "1000000004"), ("org_p", "1000000012")]
        engine.dispose()
