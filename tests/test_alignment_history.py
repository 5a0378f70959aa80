"""GET /v1/alignment: a beneficiary's alignment rows over time, which one counts, and what each
says about a day; for the ACO that uploaded them, and ops."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from service.demo.synthetic import new_mbi
from service.kit import clock
from tests.support.episode_data import CSV, Scenario, publish_definition, scenario
from tests.support.factories import Api, World, expect
from tests.support.ingest_data import alignment, to_csv


@pytest.fixture(scope="module")
def falls(ops: Api) -> dict[str, Any]:
    return publish_definition(ops)


def upload(api: Api, *rows: dict[str, Any]) -> str:
    return str(expect(api.post("/v1/alignment", content=to_csv(list(rows)), headers=CSV), 201)["id"])


def history(api: Api, **params: Any) -> list[dict[str, Any]]:
    return list(expect(api.get("/v1/alignment", params={"limit": 500, **params}), 200)["items"])


def test_the_rows_over_time_the_current_one_and_the_day_asked_about(world: World) -> None:
    mbi = new_mbi()
    first = upload(world.aco, alignment(mbi=mbi, hcc_score="1.2"))
    second = upload(world.aco, alignment(mbi=mbi, hcc_score="1.3", aligned_through="2027-06-30"))
    upload(world.aco, alignment(mbi=new_mbi()))  # someone else
    rows = history(world.aco, mbi=mbi, as_of="2027-08-15")
    assert [
        (r["upload_id"], r["current"], Decimal(r["hcc_score"]), r["aligned_through"], r["status_on_as_of"])
        for r in rows
    ] == [
        (first, False, Decimal("1.2"), None, "aligned"),
        (second, True, Decimal("1.3"), "2027-06-30", "alignment_ended"),
    ]
    assert all(
        r["mbi"] == mbi and r["aco_id"] == world.aco_org["id"] and r["as_of"] == "2027-08-15" for r in rows
    )
    assert [r["status_on_as_of"] for r in history(world.aco, mbi=mbi, as_of="2027-03-01")] == [
        "aligned",
        "aligned",
    ]
    assert [r["status_on_as_of"] for r in history(world.aco, mbi=mbi, as_of="2026-12-31")] == [
        "not_yet_aligned",
        "not_yet_aligned",
    ]
    # as_of defaults to today; lower case MBIs are read as upper case.
    with clock.frozen(date(2027, 7, 1)):
        rows = history(world.aco, mbi=mbi.lower())
    assert [(r["as_of"], r["status_on_as_of"]) for r in rows] == [
        ("2027-07-01", "aligned"),
        ("2027-07-01", "alignment_ended"),
    ]
    # Without an MBI: every row the ACO uploaded, the current one of each beneficiary marked.
    everything = history(world.aco)
    assert len(everything) == 3 and sum(r["current"] for r in everything) == 2


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"esrd": "true"}, "esrd"),
        ({"hospice_start": "2027-05-01"}, "in_hospice"),
        ({"hospice_start": "2027-05-02"}, "aligned"),
        ({"death_date": "2027-05-01"}, "deceased"),
        ({"aligned_from": "2027-05-02"}, "not_yet_aligned"),
        ({"aligned_through": "2027-05-01"}, "aligned"),
        ({"aligned_through": "2027-04-30"}, "alignment_ended"),
    ],
)
def test_each_reason_a_day_is_not_covered(world: World, changes: dict[str, str], status: str) -> None:
    mbi = new_mbi()
    upload(world.aco, alignment(mbi=mbi, **changes))
    [row] = history(world.aco, mbi=mbi, as_of="2027-05-01")
    assert row["status_on_as_of"] == status


def test_it_explains_an_episode_excluded_as_not_aligned(world: World, falls: dict[str, Any]) -> None:
    s: Scenario = scenario(world, falls)
    mbi = s.beneficiary()
    s.upload(s.line(mbi, "2027-05-01"))
    s.beneficiary(mbi=mbi, aligned_through="2027-06-30")  # a later delivery ends the alignment
    [episode] = [e for e in s.episodes() if e["mbi"] == mbi]
    assert episode["exclusion_reason"] == "alignment_ended"
    rows = history(world.aco, mbi=mbi, as_of=episode["end_date"])
    current = [r for r in rows if r["current"]]
    assert [(r["aligned_through"], r["status_on_as_of"]) for r in current] == [
        ("2027-06-30", "alignment_ended")
    ]
    assert [r["status_on_as_of"] for r in rows if not r["current"]] == ["aligned"]


def test_only_the_uploading_aco_and_ops_read_it(world: World) -> None:
    mbi = new_mbi()
    mine = upload(world.aco, alignment(mbi=mbi, aligned_through="2027-03-31"))
    theirs = upload(world.other_aco, alignment(mbi=mbi))
    # Each ACO sees its own rows of a beneficiary both align; nothing of the other's.
    assert [(r["upload_id"], r["current"]) for r in history(world.aco, mbi=mbi)] == [(mine, True)]
    assert [(r["upload_id"], r["current"]) for r in history(world.other_aco, mbi=mbi)] == [(theirs, True)]
    only_mine = new_mbi()
    upload(world.aco, alignment(mbi=only_mine))
    assert history(world.other_aco, mbi=only_mine) == []
    assert world.aco_org["id"] not in {r["aco_id"] for r in history(world.other_aco)}
    # Naming another ACO is a 404; its own id is fine.
    expect(world.other_aco.get("/v1/alignment", params={"mbi": mbi, "aco_id": world.aco_org["id"]}), 404)
    assert len(history(world.aco, mbi=mbi, aco_id=world.aco_org["id"])) == 1
    # Providers have no alignment; no key is a 401.
    expect(world.provider.get("/v1/alignment", params={"mbi": mbi}), 403)
    expect(world.anonymous.get("/v1/alignment", params={"mbi": mbi}), 401)
    # Ops: every ACO's rows (each ACO's current marked), or one ACO's.
    rows = history(world.ops, mbi=mbi, as_of="2027-06-01")
    assert [(r["aco_id"], r["current"], r["status_on_as_of"]) for r in rows] == [
        (world.aco_org["id"], True, "alignment_ended"),
        (world.other_aco_org["id"], True, "aligned"),
    ]
    assert [r["upload_id"] for r in history(world.ops, mbi=mbi, aco_id=world.other_aco_org["id"])] == [theirs]


def test_a_malformed_mbi_is_a_validation_problem(world: World) -> None:
    problem = expect(world.aco.get("/v1/alignment", params={"mbi": "NOT-AN-MBI"}), 422)
    assert problem["errors"][0]["location"] == "query.mbi"
    expect(world.aco.get("/v1/alignment", params={"mbi": new_mbi(), "as_of": "someday"}), 422)


def test_pages_follow_the_upload_order(world: World) -> None:
    mbi = new_mbi()
    uploads = [upload(world.aco, alignment(mbi=mbi, hcc_score=f"1.{n}")) for n in range(1, 6)]
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"mbi": mbi, "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = expect(world.aco.get("/v1/alignment", params=params), 200)
        seen += [r["upload_id"] for r in page["items"]]
        assert [r["current"] for r in page["items"]] == [
            u == uploads[-1] for u in seen[-len(page["items"]) :]
        ]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == uploads
