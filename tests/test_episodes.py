"""Episode detection over HTTP (SPEC section 6): each trigger rule, non-overlap, window edges,
exclusions, the claims cutoff, cancelled and replaced lines, paging and tenancy.

Most tests share one ACO and one arrangement (module scope) and give each beneficiary its own
MBI, so each test looks only at the episodes of the beneficiaries it made. Arrangements made
on that shared ACO share its claim id counter: claim ids are per ACO.

The definition is FALLS-PREV's content (90 days, carrier/outpatient, E/M and PT codes, falls
diagnoses, the provider's NPIs, 65 and over). Every line is received 2027-12-31 unless a test
says otherwise; the default claims cutoff of ``Scenario.episodes`` is 2029-12-31.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.episode_data import CSV, TERMS, Scenario, execute, publish_definition, scenario
from tests.support.factories import Api, World, expect
from tests.support.ingest_data import alignment, to_csv

Row = tuple[str, str, str, str | None, str]  # trigger date, end date, status, exclusion, spending


@pytest.fixture(scope="module")
def falls(ops: Api) -> dict[str, Any]:
    return publish_definition(ops)


@pytest.fixture(scope="module")
def shared_world(ops: Api) -> World:
    return World.create(ops)


@pytest.fixture(scope="module")
def s(shared_world: World, falls: dict[str, Any]) -> Scenario:
    """The shared arrangement: period 2027-01-01 .. 2027-12-31."""
    return scenario(shared_world, falls)


def sibling(s: Scenario, episode: dict[str, Any], **terms: Any) -> Scenario:
    """Another arrangement of the shared ACO and provider, numbering claims on from ``s``. Its
    ``episode`` must have another code than ``s``'s: one arrangement in force per ACO, episode
    code and practice (``same_definition`` publishes a copy under a new code)."""
    arrangement_id = execute(s.world, episode, ("2027-01-01", "2027-12-31"), **terms)
    return Scenario(s.world, arrangement_id, _claim_ids=s._claim_ids)


def same_definition(s: Scenario) -> dict[str, Any]:
    """The shared arrangement's definition (the example's content) under a code of its own."""
    return publish_definition(s.world.ops)


def rows(s: Scenario, *mbis: str, **params: Any) -> list[Row]:
    """The episodes of these beneficiaries, in the endpoint's order, as comparable tuples."""
    return [
        (e["trigger_date"], e["end_date"], e["status"], e["exclusion_reason"], e["actual_spending"])
        for e in s.episodes(**params)
        if e["mbi"] in mbis
    ]


def closed(trigger: str, end: str, spending: str) -> Row:
    return (trigger, end, "closed", None, spending)


# ---- a trigger line opens an episode ----------------------------------------------------------


def test_a_trigger_line_opens_an_episode_with_its_spending(s: Scenario) -> None:
    mbi = s.beneficiary()
    s.upload(s.line(mbi, "2027-03-02", allowed_amount="142.10"), s.spend(mbi, "2027-04-01", "1000.00"))
    [episode] = [e for e in s.episodes() if e["mbi"] == mbi]
    assert episode["trigger_date"] == "2027-03-02"
    assert episode["end_date"] == "2027-05-30"  # day 89
    assert episode["status"] == "closed"
    assert episode["exclusion_reason"] is None
    assert episode["actual_spending"] == "1142.10"
    assert episode["trigger_line_number"] == 1
    trigger_claim_id = episode["trigger_claim_id"]
    # The id is stable across recomputations and cutoffs.
    [again] = [e for e in s.episodes(claims_cutoff="2028-06-30") if e["mbi"] == mbi]
    assert again["id"] == episode["id"] and again["trigger_claim_id"] == trigger_claim_id


# ---- trigger rules (SPEC 6.1): each one keeps a line from opening an episode -------------------


def test_rendering_npi_must_be_one_of_the_providers(s: Scenario) -> None:
    mbi = s.beneficiary()
    stranger = s.world.other_provider_org["npis"][0]
    second_own = s.world.provider_org["npis"][1]
    s.upload(
        s.line(mbi, "2027-03-02", rendering_npi=stranger), s.line(mbi, "2027-04-01", rendering_npi=second_own)
    )
    assert rows(s, mbi) == [closed("2027-04-01", "2027-06-29", "100.00")]


def test_hcpcs_must_be_a_trigger_code(s: Scenario) -> None:
    mbi = s.beneficiary()
    s.upload(
        s.line(mbi, "2027-03-02", hcpcs="99216"),  # just past the 99211-99215 range
        s.line(mbi, "2027-03-15", hcpcs="G0283"),
        s.line(mbi, "2027-04-01", hcpcs="99215"),  # the range's last code
    )
    assert rows(s, mbi) == [closed("2027-04-01", "2027-06-29", "100.00")]


def test_some_diagnosis_of_the_claim_must_be_in_the_trigger_set(s: Scenario) -> None:
    mbi = s.beneficiary()
    s.upload(
        s.line(mbi, "2027-03-02", diagnoses="S72.001A|E11.9"),
        s.line(mbi, "2027-03-15", diagnoses="W20.8XXA"),  # just past the W00-W19 range
        s.line(mbi, "2027-04-01", diagnoses="S72.001A|W19.XXXA"),  # second position, in the range
    )
    assert rows(s, mbi) == [closed("2027-04-01", "2027-06-29", "100.00")]


def test_claim_type_must_be_a_trigger_type(s: Scenario) -> None:
    mbi = s.beneficiary()
    s.upload(
        s.line(mbi, "2027-03-02", claim_type="inpatient"),
        s.line(mbi, "2027-03-15", claim_type="dme"),
        s.line(mbi, "2027-04-01", claim_type="outpatient"),
    )
    assert rows(s, mbi) == [closed("2027-04-01", "2027-06-29", "100.00")]


def test_beneficiary_must_be_at_least_the_minimum_age_on_the_trigger_date(s: Scenario) -> None:
    mbi = s.beneficiary(birth_date="1962-03-02")  # 65 on 2027-03-02
    s.upload(s.line(mbi, "2027-03-01"), s.line(mbi, "2027-03-02"))
    assert rows(s, mbi) == [closed("2027-03-02", "2027-05-30", "100.00")]


def test_beneficiary_must_be_aligned_to_the_aco_on_the_trigger_date(s: Scenario) -> None:
    late = s.beneficiary(aligned_from="2027-04-01")
    gone = s.beneficiary(aligned_through="2027-02-28")
    unknown = "9AC5HJ6KM79"  # never aligned to anyone
    elsewhere = "9AC5HJ6KM78"  # aligned to another ACO only
    expect(
        s.world.other_aco.post("/v1/alignment", content=to_csv([alignment(mbi=elsewhere)]), headers=CSV), 201
    )
    s.upload(
        s.line(late, "2027-03-31"),
        s.line(late, "2027-04-01"),
        s.line(gone, "2027-03-01"),
        s.line(unknown, "2027-03-02"),
        s.line(elsewhere, "2027-03-02"),
    )
    assert rows(s, late) == [closed("2027-04-01", "2027-06-29", "100.00")]
    assert rows(s, gone, unknown, elsewhere) == []


def test_the_latest_alignment_row_counts(s: Scenario) -> None:
    mbi = s.beneficiary(esrd="true")
    s.beneficiary(mbi=mbi, aligned_from="2027-04-01")  # replaces the first row: no ESRD now
    s.upload(s.line(mbi, "2027-03-02"), s.line(mbi, "2027-04-01"))
    assert rows(s, mbi) == [closed("2027-04-01", "2027-06-29", "100.00")]


def test_beneficiary_must_be_alive_on_the_trigger_date(s: Scenario) -> None:
    mbi = s.beneficiary(death_date="2027-05-01")
    s.upload(s.line(mbi, "2027-01-15"), s.line(mbi, "2027-05-01"), s.line(mbi, "2027-05-02"))
    assert rows(s, mbi) == [closed("2027-01-15", "2027-04-14", "100.00")]


def test_beneficiary_in_hospice_does_not_trigger(s: Scenario) -> None:
    mbi = s.beneficiary(hospice_start="2027-05-01")
    s.upload(s.line(mbi, "2027-01-15"), s.line(mbi, "2027-05-01"), s.line(mbi, "2027-06-01"))
    assert rows(s, mbi) == [closed("2027-01-15", "2027-04-14", "100.00")]


def test_beneficiary_with_esrd_does_not_trigger(s: Scenario) -> None:
    esrd = s.beneficiary(esrd="true")
    control = s.beneficiary(esrd="false")
    s.upload(s.line(esrd, "2027-03-02"), s.line(control, "2027-03-02"))
    assert rows(s, esrd) == []
    assert rows(s, control) == [closed("2027-03-02", "2027-05-30", "100.00")]


def test_no_trigger_on_or_after_the_termination_date(s: Scenario, falls: dict[str, Any]) -> None:
    terminated = sibling(s, same_definition(s))
    arr = f"/v1/arrangements/{terminated.arrangement_id}"
    etag = s.world.aco.get(arr).headers["etag"]
    expect(
        s.world.aco.post(
            f"{arr}/terminate",
            json={"effective_date": "2027-07-01", "reason": "closing"},
            headers={"If-Match": etag},
        ),
        200,
    )
    before, on, after = (terminated.beneficiary() for _ in range(3))
    terminated.upload(
        terminated.line(before, "2027-06-30"),
        terminated.spend(before, "2027-09-27", "50.00"),  # the open episode runs to its end
        terminated.line(on, "2027-07-01"),
        terminated.line(after, "2027-08-15"),
    )
    assert rows(terminated, before, on, after) == [closed("2027-06-30", "2027-09-27", "150.00")]
    # The shared arrangement, not terminated, sees all three.
    assert sorted(r[0] for r in rows(s, before, on, after)) == ["2027-06-30", "2027-07-01", "2027-08-15"]


def test_trigger_must_be_within_the_period(s: Scenario) -> None:
    early, first, last, late = (s.beneficiary(aligned_from="2026-01-01") for _ in range(4))
    s.upload(
        s.line(early, "2026-12-31"),
        s.line(first, "2027-01-01"),
        s.line(last, "2027-12-31"),
        s.spend(last, "2028-03-29", "50.00"),  # spending after the period still counts
        s.line(late, "2028-01-01"),
    )
    assert rows(s, early, late) == []
    assert rows(s, first) == [closed("2027-01-01", "2027-03-31", "100.00")]
    assert rows(s, last) == [closed("2027-12-31", "2028-03-29", "150.00")]


def test_an_approved_override_sets_the_episode_length(s: Scenario, falls: dict[str, Any]) -> None:
    short = sibling(s, same_definition(s), overrides={"episode_length_days": 30})
    mbi = short.beneficiary()
    short.upload(
        short.line(mbi, "2027-03-02"),
        short.spend(mbi, "2027-03-31", "20.00"),  # day 29 = L-1
        short.line(mbi, "2027-04-01"),  # day 30 = L: a new episode
    )
    assert rows(short, mbi) == [
        closed("2027-03-02", "2027-03-31", "120.00"),
        closed("2027-04-01", "2027-04-30", "100.00"),
    ]
    assert rows(s, mbi) == [closed("2027-03-02", "2027-05-30", "220.00")]


# ---- non-overlap (SPEC 6.2) -------------------------------------------------------------------


def test_a_trigger_inside_an_open_episode_starts_nothing_and_day_l_starts_a_new_one(s: Scenario) -> None:
    mbi = s.beneficiary()
    s.upload(
        s.line(mbi, "2027-03-02"),
        s.line(mbi, "2027-04-15"),
        s.line(mbi, "2027-05-30"),  # day L-1: still inside
        s.line(mbi, "2027-05-31"),  # day L: a new episode
    )
    assert rows(s, mbi) == [
        closed("2027-03-02", "2027-05-30", "300.00"),
        closed("2027-05-31", "2027-08-28", "100.00"),
    ]


def test_same_day_triggers_are_ordered_by_claim_id_then_line_number(s: Scenario) -> None:
    mbi = s.beneficiary()
    s.upload(
        s.line(mbi, "2027-03-02", claim_id="TIE-B", line_number="1"),
        s.line(mbi, "2027-03-02", claim_id="TIE-A", line_number="10"),
        s.line(mbi, "2027-03-02", claim_id="TIE-A", line_number="2"),  # 2 < 10 as numbers
    )
    [episode] = [e for e in s.episodes() if e["mbi"] == mbi]
    assert (episode["trigger_claim_id"], episode["trigger_line_number"]) == ("TIE-A", 2)
    assert (episode["trigger_date"], episode["actual_spending"]) == ("2027-03-02", "300.00")


# ---- window edges -----------------------------------------------------------------------------


def test_spending_counts_days_0_to_l_minus_1(s: Scenario) -> None:
    mbi = s.beneficiary()
    s.upload(
        s.spend(mbi, "2027-03-01", "80.00"),  # day -1
        s.line(mbi, "2027-03-02", allowed_amount="142.10"),
        s.spend(mbi, "2027-03-02", "10.00"),  # day 0
        s.spend(mbi, "2027-05-30", "20.00"),  # day L-1
        s.spend(mbi, "2027-05-31", "40.00"),  # day L
    )
    assert rows(s, mbi) == [closed("2027-03-02", "2027-05-30", "172.10")]


# ---- exclusions (SPEC 6.3) --------------------------------------------------------------------


def test_hospice_election_inside_the_window_excludes(s: Scenario) -> None:
    day1 = s.beneficiary(hospice_start="2027-03-03")
    last_day = s.beneficiary(hospice_start="2027-05-30")
    after = s.beneficiary(hospice_start="2027-05-31")
    for mbi in (day1, last_day, after):
        s.upload(s.line(mbi, "2027-03-02"), s.spend(mbi, "2027-03-10", "900.00"))
    excluded = ("2027-03-02", "2027-05-30", "excluded", "hospice_in_window", "1000.00")
    assert rows(s, day1) == [excluded]
    assert rows(s, last_day) == [excluded]
    assert rows(s, after) == [closed("2027-03-02", "2027-05-30", "1000.00")]


def test_alignment_ending_before_the_window_ends_excludes(s: Scenario) -> None:
    short = s.beneficiary(aligned_through="2027-05-29")
    exact = s.beneficiary(aligned_through="2027-05-30")
    for mbi in (short, exact):
        s.upload(s.line(mbi, "2027-03-02"), s.spend(mbi, "2027-04-01", "50.00"))
    assert rows(s, short) == [("2027-03-02", "2027-05-30", "excluded", "alignment_ended", "150.00")]
    assert rows(s, exact) == [closed("2027-03-02", "2027-05-30", "150.00")]


def test_death_inside_the_window_does_not_exclude(s: Scenario) -> None:
    mbi = s.beneficiary(death_date="2027-04-01")
    s.upload(s.line(mbi, "2027-03-02"), s.spend(mbi, "2027-03-20", "500.00"))
    assert rows(s, mbi) == [closed("2027-03-02", "2027-05-30", "600.00")]


# ---- spending (SPEC 6.4) ----------------------------------------------------------------------


def test_only_included_claim_types_of_this_aco_and_beneficiary_count(s: Scenario) -> None:
    mbi, neighbour = s.beneficiary(), s.beneficiary()
    other = dict(hcpcs="", diagnoses="I10")
    s.upload(
        s.line(mbi, "2027-03-02"),  # carrier 100.00
        s.line(mbi, "2027-03-05", claim_type="outpatient", allowed_amount="1.00", **other),
        s.line(mbi, "2027-03-06", claim_type="snf", allowed_amount="2.00", **other),
        s.line(mbi, "2027-03-07", claim_type="hha", allowed_amount="4.00", **other),
        s.line(mbi, "2027-03-08", claim_type="dme", allowed_amount="8.00", **other),
        s.line(mbi, "2027-03-09", claim_type="inpatient", allowed_amount="16.00", **other),
        s.line(mbi, "2027-03-10", claim_type="carrier", allowed_amount="32.00", **other),
        s.line(mbi, "2027-03-11", claim_type="hospice", allowed_amount="1000.00", **other),
        s.line(neighbour, "2027-03-12", claim_type="inpatient", allowed_amount="64.00", **other),
    )
    foreign = s.line(mbi, "2027-03-13", claim_type="inpatient", allowed_amount="128.00", **other)
    expect(s.world.other_aco.post("/v1/claims", content=to_csv([foreign]), headers=CSV), 201)
    assert rows(s, mbi) == [closed("2027-03-02", "2027-05-30", "163.00")]


def test_lines_with_an_excluded_principal_diagnosis_do_not_count(s: Scenario, ops: Api) -> None:
    definition = publish_definition(ops, excluded_principal_diagnosis_prefixes=["S72"])
    strict = sibling(s, definition)
    mbi = strict.beneficiary()
    strict.upload(
        strict.line(mbi, "2027-03-02"),
        strict.spend(mbi, "2027-03-10", "500.00"),  # principal S72.001A: left out
        strict.line(
            mbi,
            "2027-03-11",
            claim_type="inpatient",
            hcpcs="",
            diagnoses="I10|S72.001A",
            allowed_amount="250.00",
        ),  # S72 not principal
    )
    assert rows(strict, mbi) == [closed("2027-03-02", "2027-05-30", "350.00")]
    assert rows(s, mbi) == [closed("2027-03-02", "2027-05-30", "850.00")]  # no exclusion list
    # A trigger line whose own principal diagnosis is excluded opens an episode with no spending.
    bare = strict.beneficiary()
    strict.upload(strict.line(bare, "2027-03-02", diagnoses="S72.001A|Z91.81"))
    assert rows(strict, bare) == [closed("2027-03-02", "2027-05-30", "0.00")]


def test_line_versions_received_after_the_claims_cutoff_do_not_count(s: Scenario) -> None:
    mbi = s.beneficiary()
    s.upload(
        s.line(mbi, "2027-03-02", received_date="2027-03-20"),
        s.spend(mbi, "2027-04-01", "1000.00", received_date="2027-06-01"),
    )
    assert rows(s, mbi, claims_cutoff="2027-03-19") == []  # the trigger line itself is not in yet
    assert rows(s, mbi, claims_cutoff="2027-05-31") == [closed("2027-03-02", "2027-05-30", "100.00")]
    assert rows(s, mbi, claims_cutoff="2027-06-01") == [closed("2027-03-02", "2027-05-30", "1100.00")]


def test_a_cancelled_line_counts_nothing(s: Scenario) -> None:
    mbi, cancelled_trigger = s.beneficiary(), s.beneficiary()
    spend = s.spend(mbi, "2027-04-01", "300.00", received_date="2027-04-10")
    trigger = s.line(cancelled_trigger, "2027-03-02", received_date="2027-03-20")
    s.upload(s.line(mbi, "2027-03-02", received_date="2027-03-20"), spend, trigger)
    s.upload(
        {**spend, "adjustment": "cancel", "received_date": "2027-05-01"},
        {**trigger, "adjustment": "cancel", "received_date": "2027-05-01"},
    )
    assert rows(s, mbi, claims_cutoff="2027-04-30") == [("2027-03-02", "2027-05-30", "open", None, "400.00")]
    assert rows(s, mbi) == [closed("2027-03-02", "2027-05-30", "100.00")]
    assert rows(s, cancelled_trigger, claims_cutoff="2027-04-30") == [
        ("2027-03-02", "2027-05-30", "open", None, "100.00")
    ]
    assert rows(s, cancelled_trigger) == []  # a cancelled trigger line opens nothing


def test_a_replacement_line_replaces_the_originals_amount(s: Scenario) -> None:
    mbi = s.beneficiary()
    amount = s.spend(mbi, "2027-04-01", "300.00", received_date="2027-04-10")
    moved = s.spend(mbi, "2027-04-02", "200.00", received_date="2027-04-10")
    tied = s.spend(mbi, "2027-04-03", "70.00", received_date="2027-04-10")
    s.upload(s.line(mbi, "2027-03-02", received_date="2027-03-20"), amount, moved, tied)
    s.upload(
        {**amount, "adjustment": "replacement", "allowed_amount": "450.00", "received_date": "2027-04-20"},
        # The replacement moves the line out of the window.
        {
            **moved,
            "adjustment": "replacement",
            "from_date": "2027-06-15",
            "thru_date": "2027-06-15",
            "received_date": "2027-04-20",
        },
        # Received the same day as the original, in a later upload: it wins.
        {**tied, "adjustment": "replacement", "allowed_amount": "90.00"},
    )
    assert rows(s, mbi, claims_cutoff="2027-04-15") == [("2027-03-02", "2027-05-30", "open", None, "690.00")]
    assert rows(s, mbi) == [closed("2027-03-02", "2027-05-30", "640.00")]


# ---- status -----------------------------------------------------------------------------------


def test_status_is_open_until_the_cutoff_passes_the_end_date(s: Scenario) -> None:
    mbi = s.beneficiary()
    hospice = s.beneficiary(hospice_start="2027-04-15")
    s.upload(
        s.line(mbi, "2027-03-02", received_date="2027-03-20"),
        s.line(hospice, "2027-03-02", received_date="2027-03-20"),
    )
    for cutoff, status in (("2027-04-01", "open"), ("2027-05-30", "open"), ("2027-05-31", "closed")):
        assert rows(s, mbi, claims_cutoff=cutoff) == [("2027-03-02", "2027-05-30", status, None, "100.00")]
        assert rows(s, hospice, claims_cutoff=cutoff) == [
            ("2027-03-02", "2027-05-30", "excluded", "hospice_in_window", "100.00")
        ]


# ---- paging -----------------------------------------------------------------------------------


def test_pages_give_each_episode_exactly_once_in_order(world: World, falls: dict[str, Any]) -> None:
    sc = scenario(world, falls)
    mbis = [sc.beneficiary() for _ in range(5)]
    lines = [sc.line(mbi, "2027-03-02") for mbi in mbis]
    lines += [sc.line(mbi, "2027-07-01") for mbi in mbis[1::2]]  # two episodes each for 2 of them
    sc.upload(*lines)
    everything = sc.episodes()
    assert len(everything) == 7
    keys = [(e["mbi"], e["trigger_date"]) for e in everything]
    assert keys == sorted(keys)
    assert len({e["id"] for e in everything}) == 7
    url = f"/v1/arrangements/{sc.arrangement_id}/episodes"
    for limit in (1, 2, 3, 4, 7):
        seen: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": limit, "claims_cutoff": "2029-12-31"}
        for _ in range(10):
            page = expect(world.aco.get(url, params=params), 200)
            assert 1 <= len(page["items"]) <= limit
            seen += page["items"]
            if page["next_cursor"] is None:
                break
            params["cursor"] = page["next_cursor"]
        assert seen == everything, f"limit {limit}"
    expect(world.aco.get(url, params={"cursor": "not-a-cursor"}), 422)


# ---- tenancy ----------------------------------------------------------------------------------


def test_parties_and_ops_see_the_episodes_strangers_get_404(s: Scenario) -> None:
    mbi = s.beneficiary()
    s.upload(s.line(mbi, "2027-03-02"))
    mine = s.episodes()
    assert [e["mbi"] for e in mine].count(mbi) == 1
    assert s.episodes(s.world.provider) == mine
    assert s.episodes(s.world.ops) == mine
    url = f"/v1/arrangements/{s.arrangement_id}/episodes"
    expect(s.world.other_aco.get(url), 404)
    expect(s.world.other_provider.get(url), 404)
    expect(s.world.anonymous.get(url), 401)


def test_409_when_no_version_has_been_executed(s: Scenario, falls: dict[str, Any]) -> None:
    world = s.world
    body = {
        "aco_id": world.aco_org["id"],
        "provider_id": world.provider_org["id"],
        "episode": falls,
        "period": {"start": "2027-01-01", "end": "2027-12-31"},
        "terms": TERMS,
    }
    draft = expect(world.aco.post("/v1/arrangements", json=body), 201)
    url = f"/v1/arrangements/{draft['id']}/episodes"
    for api in (world.aco, world.provider, world.ops):
        expect(api.get(url), 409)
    expect(world.other_aco.get(url), 404)
