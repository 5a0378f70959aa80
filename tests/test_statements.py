"""Showing the work over HTTP: the claim lines behind each episode (a stored settlement's and a
preview's), the statement CSV of every episode, the one-row summary CSV and the HTML statement.

The scenario (terms of tests/support/episode_data.py: each target is 980.00 x the risk factor,
cutoff 2027-12-31 + 90 days = 2028-03-30):

- beneficiary A (HCC 1.0), trigger 2027-03-01 (window to 2027-05-29), with lines that count
  (the trigger 100.00, a stay 500.00, a replacement 320.00) and lines that do not, one for each
  reason: the replaced original (superseded), a cancelled line (its original superseded, the
  cancel cancelled), one received after the cutoff, a hospice claim (claim type not included),
  and a second line of the stay's claim dated after the window. Spending 920.00.
- beneficiary B, trigger 2027-06-01 with a 50.00 stay, elects hospice on 2027-06-20: excluded
  (hospice in the window), spending 150.00.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from service.settlements.models import SettlementExclusion
from tests.support.episode_data import Scenario, publish_definition, scenario
from tests.support.factories import Api, World, create_org, expect

CUTOFF = "2028-03-30"


@pytest.fixture(scope="module")
def falls(ops: Api) -> dict[str, Any]:
    return publish_definition(ops)


def named_world(ops: Api, aco_name: str, provider_name: str) -> World:
    from service.demo.synthetic import new_npi

    aco_org, aco = create_org(ops, "aco", name=aco_name)
    provider_org, provider = create_org(
        ops, "provider", name=provider_name, npis=[new_npi(), new_npi()], aco_id=aco_org["id"]
    )
    other_provider_org, other_provider = create_org(ops, "provider", npis=[new_npi()])
    other_aco_org, other_aco = create_org(ops, "aco")
    return World(
        ops,
        aco,
        aco_org,
        provider,
        provider_org,
        other_provider,
        other_provider_org,
        other_aco,
        other_aco_org,
    )


def build(world: World, falls: dict[str, Any]) -> tuple[Scenario, str, str]:
    s = scenario(world, falls)
    a = s.beneficiary()
    b = s.beneficiary(hospice_start="2027-06-20")
    stay = s.spend(a, "2027-03-10", "500.00")
    replaced = s.spend(a, "2027-04-01", "300.00")
    cancelled = s.spend(a, "2027-04-05", "200.00")
    s.upload(
        s.line(a, "2027-03-01"),
        stay,
        {
            **stay,
            "line_number": "2",
            "from_date": "2027-07-01",
            "thru_date": "2027-07-01",
            "allowed_amount": "250.00",
        },
        replaced,
        cancelled,
        s.spend(a, "2027-04-10", "999.00", received_date="2028-06-01"),
        {**s.spend(a, "2027-04-12", "700.00"), "claim_type": "hospice"},
        s.line(b, "2027-06-01"),
        s.spend(b, "2027-06-05", "50.00"),
    )
    s.upload(
        {**replaced, "adjustment": "replacement", "allowed_amount": "320.00", "received_date": "2028-01-05"},
        {**cancelled, "adjustment": "cancel", "received_date": "2028-01-06"},
    )
    return s, a, b


def all_pages(
    api: Api, url: str, limit: int, **params: Any
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    pages, cursor = [], None
    while True:
        query = {"limit": limit, **params, **({"cursor": cursor} if cursor else {})}
        page = expect(api.get(url, params=query), 200)
        pages.append(page)
        cursor = page["next_cursor"]
        if cursor is None:
            return pages, [item for p in pages for item in p["items"]]


def reasons(items: list[dict[str, Any]]) -> list[tuple[str, str, str | None]]:
    return [(i["from_date"], i["allowed_amount"], i["reason"]) for i in items]


def statement_rows(api: Api, settlement_id: str) -> list[dict[str, str]]:
    response = api.get(f"/v1/settlements/{settlement_id}/statement.csv")
    assert response.status_code == 200 and response.headers["content-type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def summary(api: Api, settlement_id: str) -> dict[str, str]:
    response = api.get(f"/v1/settlements/{settlement_id}/summary.csv")
    assert response.status_code == 200 and response.headers["content-type"] == "text/csv; charset=utf-8"
    assert f"{settlement_id}-summary.csv" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert len(rows) == 1
    return rows[0]


# ---- evidence -----------------------------------------------------------------------------------


def test_line_evidence_counts_to_the_cent_and_says_why_not(world: World, falls: dict[str, Any]) -> None:
    s, a, b = build(world, falls)
    created = s.settle()
    assert created["n_episodes"] == 1 and created["n_excluded"] == 1
    [line] = expect(world.aco.get(f"/v1/settlements/{created['id']}/lines"), 200)["items"]
    assert line["mbi"] == a and line["spending"] == "920.00"
    url = f"/v1/settlements/{created['id']}/lines/{line['id']}/claims"

    pages, items = all_pages(world.provider, url, limit=2)
    assert len(pages) == 5 and all(len(p["items"]) == 2 for p in pages[:-1])
    for page in pages:
        assert page["episode"]["id"] == line["id"] and page["episode"]["status"] == "settled"
        assert page["claims_cutoff"] == CUTOFF
        assert page["counted_lines"] == 3 and page["counted_allowed_amount"] == "920.00"
    counted = [Decimal(i["allowed_amount"]) for i in items if i["counted"]]
    assert sum(counted) == Decimal(line["spending"])
    assert all((i["reason"] is None) == i["counted"] for i in items)
    # By service date, claim, line and record.
    assert reasons(items) == [
        ("2027-03-01", "100.00", None),
        ("2027-03-10", "500.00", None),
        ("2027-04-01", "300.00", "superseded"),
        ("2027-04-01", "320.00", None),
        ("2027-04-05", "200.00", "superseded"),
        ("2027-04-05", "200.00", "cancelled"),
        ("2027-04-10", "999.00", "received_after_cutoff"),
        ("2027-04-12", "700.00", "claim_type_not_included"),
        ("2027-07-01", "250.00", "outside_window"),
    ]
    first = items[0]
    assert first["claim_type"] == "carrier" and first["hcpcs"] == "99214" and first["principal_diagnosis"]
    assert first["rendering_npi"] == s.npi and first["paid_amount"] == "80.00"
    assert first["upload_id"].startswith("upl_") and first["received_date"] == "2027-12-31"
    assert items[3]["adjustment"] == "replacement" and items[5]["adjustment"] == "cancel"
    assert items[3]["upload_id"] != items[2]["upload_id"]

    # The excluded episode has evidence too, under the id the statement gives it.
    excluded = next(r for r in statement_rows(world.aco, created["id"]) if r["status"] == "excluded")
    assert excluded["mbi"] == b and excluded["exclusion_reason"] == "hospice_in_window"
    evidence = expect(
        world.ops.get(f"/v1/settlements/{created['id']}/lines/{excluded['line_id']}/claims"), 200
    )
    assert evidence["episode"]["status"] == "excluded"
    assert evidence["episode"]["exclusion_reason"] == "hospice_in_window"
    assert (
        evidence["counted_allowed_amount"]
        == evidence["episode"]["spending"]
        == excluded["spending"]
        == "150.00"
    )


def test_evidence_follows_the_recorded_sources_and_the_preview_reads_everything(
    world: World, falls: dict[str, Any]
) -> None:
    s, a, _ = build(world, falls)
    created = s.settle()
    [line] = expect(world.aco.get(f"/v1/settlements/{created['id']}/lines"), 200)["items"]
    url = f"/v1/settlements/{created['id']}/lines/{line['id']}/claims"
    before = expect(world.aco.get(url, params={"limit": 500}), 200)
    preview_url = f"/v1/arrangements/{s.arrangement_id}/episodes/{line['id']}/claims"
    preview = expect(world.aco.get(preview_url, params={"claims_cutoff": CUTOFF, "limit": 500}), 200)
    # The same episode read now from every upload: the same lines, counted alike.
    assert preview["items"] == before["items"]
    assert preview["episode"]["status"] == "closed" and preview["counted_allowed_amount"] == "920.00"

    # A back-dated line inside the window arrives after the settlement was computed.
    s.upload(s.spend(a, "2027-05-01", "80.00", received_date="2028-01-10"))
    assert expect(world.aco.get(url, params={"limit": 500}), 200) == before
    later = expect(world.provider.get(preview_url, params={"claims_cutoff": CUTOFF, "limit": 500}), 200)
    assert later["counted_allowed_amount"] == "1000.00" and later["counted_lines"] == 4
    episodes = {e["id"]: e for e in s.episodes(claims_cutoff=CUTOFF)}
    assert episodes[line["id"]]["actual_spending"] == later["counted_allowed_amount"]
    # As of an earlier cutoff the replacement has not arrived: the original counts.
    early = expect(world.aco.get(preview_url, params={"claims_cutoff": "2028-01-01", "limit": 500}), 200)
    assert early["counted_allowed_amount"] == "1100.00"  # 100 + 500 + 300 + 200
    assert ("2027-04-01", "320.00", "received_after_cutoff") in reasons(early["items"])


def test_evidence_is_for_parties_and_ops_only(world: World, falls: dict[str, Any]) -> None:
    s, _, _ = build(world, falls)
    created = s.settle()
    [line] = expect(world.aco.get(f"/v1/settlements/{created['id']}/lines"), 200)["items"]
    url = f"/v1/settlements/{created['id']}/lines/{line['id']}/claims"
    preview_url = f"/v1/arrangements/{s.arrangement_id}/episodes/{line['id']}/claims"
    for stranger in (world.other_aco, world.other_provider):
        for path in (url, preview_url):
            body = expect(stranger.get(path), 404)
            # The episode's spending (920.00) must not leak; "920" alone also matches random ids
            # and request ids in the problem document.
            assert "920.00" not in str(body)
    for path in (url, preview_url):
        expect(world.anonymous.get(path), 401)
    expect(world.aco.get(f"/v1/settlements/{created['id']}/lines/epi_nope/claims"), 404)
    expect(world.aco.get(f"/v1/arrangements/{s.arrangement_id}/episodes/epi_nope/claims"), 404)
    expect(world.aco.get("/v1/settlements/stl_nope/lines/epi_nope/claims"), 404)
    for params in ({"cursor": "not-a-cursor"}, {"limit": 0}, {"cursor": "WzFd"}):
        expect(world.aco.get(url, params=params), 422)
        expect(world.aco.get(preview_url, params={"claims_cutoff": CUTOFF, **params}), 422)
    # Before its trigger line was received the episode does not exist.
    expect(world.aco.get(preview_url, params={"claims_cutoff": "2027-12-30"}), 404)
    expect(world.aco.get(preview_url, params={"claims_cutoff": CUTOFF}), 200)


# ---- statement files ----------------------------------------------------------------------------


def test_statement_csv_has_every_episode_and_the_summary_one_row(world: World, falls: dict[str, Any]) -> None:
    s, a, b = build(world, falls)
    expect(
        world.provider.put(
            f"/v1/quality/{s.arrangement_id}/2027-01-01",
            json={"measures": [{"measure_id": "Q155", "numerator": 2, "denominator": 3}]},
        ),
        200,
    )
    created = s.settle()
    [line] = expect(world.aco.get(f"/v1/settlements/{created['id']}/lines"), 200)["items"]
    response = world.provider.get(f"/v1/settlements/{created['id']}/statement.csv")
    assert response.content.decode("utf-8").startswith("settlement_id,line_id,status,exclusion_reason,")
    rows = statement_rows(world.provider, created["id"])
    assert [r["line_id"] for r in rows] == sorted(r["line_id"] for r in rows)
    by_mbi = {r["mbi"]: r for r in rows}
    assert set(by_mbi) == {a, b}
    settled, excluded = by_mbi[a], by_mbi[b]
    assert settled == {
        "settlement_id": created["id"],
        "line_id": line["id"],
        "status": "settled",
        "exclusion_reason": "",
        "terms_version": "1",
        "mbi": a,
        "trigger_date": "2027-03-01",
        "end_date": "2027-05-29",
        "trigger_claim_id": settled["trigger_claim_id"],
        "risk_factor": "1",
        "risk_factor_exact": "1",
        "target": "980.00",
        "spending": "920.00",
        "outlier_cap": "2940.00",
        "actual": "920.00",
        "capped": "false",
        "risk_score_source": "uploaded",
        "price_group": "",  # a single target price
    }
    assert settled["trigger_claim_id"].startswith("CL")
    assert excluded["status"] == "excluded" and excluded["exclusion_reason"] == "hospice_in_window"
    assert excluded["trigger_date"] == "2027-06-01" and excluded["spending"] == "150.00"
    assert excluded["target"] == excluded["actual"] == excluded["capped"] == excluded["terms_version"] == ""
    assert excluded["risk_score_source"] == ""

    row = summary(world.aco, created["id"])
    # T = 980.00, A = 920.00, S = 60.00; q = 2/3; R = 60 x 0.5 x (1 - 0.2 x 1/3) = 28.0000000000...
    assert row["settlement_id"] == created["id"] and row["status"] == "draft" and row["revision"] == "1"
    assert row["aco_name"] == world.aco_org["name"] and row["aco_tin"] == world.aco_org["tin"]
    assert (
        row["provider_name"] == world.provider_org["name"]
        and row["provider_tin"] == world.provider_org["tin"]
    )
    assert row["terms_sha256"] == created["terms_sha256"] and row["inputs_sha256"] == created["inputs_sha256"]
    assert row["period_start"] == "2027-01-01" and row["claims_cutoff"] == CUTOFF
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", row["computed_at"]), row["computed_at"]
    assert (row["episodes_settled"], row["episodes_excluded"], row["episodes_capped"]) == ("1", "1", "0")
    assert (row["total_target"], row["total_actual"], row["savings"]) == ("980.00", "920.00", "60.00")
    assert row["measure_Q155_numerator"] == "2" and row["measure_Q155_denominator"] == "3"
    assert row["measure_Q155_rate"] == "0.6667" and row["measure_Q155_rate_exact"].startswith("0.666666666")
    assert row["quality_score"] == "0.6667" and row["quality_score_exact"] == created["quality_score"]
    assert row["shared_before_caps"] == "28.00"
    assert Decimal(row["shared_before_caps_exact"]) == Decimal(created["shared_before_caps"])
    assert row["stop_gain_limit"] == "196.00" and row["stop_loss_limit"] == "-196.00"
    assert row["cap_applied"] == "" and row["below_min_episodes"] == "false"
    assert row["settlement_amount"] == created["settlement_amount"] == "28.00"
    assert row["payer"] == world.aco_org["name"] and row["payee"] == world.provider_org["name"]
    assert row["outcome"] == f"{world.aco_org['name']} pays {world.provider_org['name']} $28.00."
    assert row["prior_finals"] == "0" and row["delta"] == "" and row["disputes_open"] == "0"
    assert row["aco_accepted_at"] == row["provider_accepted_at"] == ""

    # Money rounds half up to cents for display; the exact figure keeps every stored place.
    expect(world.aco.post(f"/v1/settlements/{created['id']}/accept"), 200)
    expect(world.provider.post(f"/v1/settlements/{created['id']}/disputes", json={"reason": "line 2"}), 201)
    again = summary(world.ops, created["id"])
    assert again["aco_accepted_at"].endswith("Z") and again["disputes_open"] == "1"


def test_spreadsheet_formulas_from_uploads_and_names_are_neutralised(ops: Api, falls: dict[str, Any]) -> None:
    world = named_world(ops, '=HYPERLINK("http://evil") ACO', "@SUM(A1) Practice")
    s = scenario(world, falls)
    mbi = s.beneficiary()
    s.upload(s.line(mbi, "2027-03-01", claim_id="-2-3"), s.spend(mbi, "2027-03-05", "1500.00"))
    created = s.settle()
    assert created["settlement_amount"].startswith("-")  # a loss: negative figures stay numbers
    [row] = statement_rows(world.aco, created["id"])
    assert row["trigger_claim_id"] == "'-2-3"
    evidence = expect(world.aco.get(f"/v1/settlements/{created['id']}/lines/{row['line_id']}/claims"), 200)
    assert evidence["items"][0]["claim_id"] == "-2-3"  # JSON keeps the value as uploaded
    line = summary(world.aco, created["id"])
    assert line["aco_name"] == '\'=HYPERLINK("http://evil") ACO'
    assert line["provider_name"] == "'@SUM(A1) Practice" and line["payer"] == "'@SUM(A1) Practice"
    assert line["outcome"].startswith("'@SUM(A1) Practice pays ")
    # Figures are ours, not text from an upload: a negative amount is a number.
    assert line["settlement_amount"] == created["settlement_amount"]
    assert line["savings"].startswith("-") and line["stop_loss_limit"].startswith("-")


def test_html_statement_reads_as_a_document(ops: Api, falls: dict[str, Any]) -> None:
    world = named_world(ops, "Valley <b>Health</b> ACO", "Summit Geriatrics & Falls Clinic")
    s, _, _ = build(world, falls)
    created = s.settle()
    expect(
        world.aco.post(f"/v1/settlements/{created['id']}/disputes", json={"reason": "<script>x</script>"}),
        201,
    )
    response = world.provider.get(f"/v1/settlements/{created['id']}/statement.html")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    # No script, nothing fetched from elsewhere.
    assert "<script" not in html.lower() and "&lt;script&gt;x&lt;/script&gt;" in html
    assert not re.search(r"""(src|href)\s*=|@import|url\(""", html, re.IGNORECASE)
    assert "@page" in html and "@media print" in html
    assert "Valley &lt;b&gt;Health&lt;/b&gt; ACO" in html and "Summit Geriatrics &amp; Falls Clinic" in html
    assert world.aco_org["tin"] in html and world.provider_org["tin"] in html
    # S = 60.00, q = 0: R = 60 x 0.5 x 0.8 = 24.00, owed to the practice.
    assert created["settlement_amount"] == "24.00"
    assert "Valley &lt;b&gt;Health&lt;/b&gt; ACO pays Summit Geriatrics &amp; Falls Clinic $24.00." in html
    assert "twenty-four dollars and zero cents" in html
    for text in (created["terms_sha256"], created["inputs_sha256"], created["arrangement_id"], CUTOFF):
        assert text in html
    assert "Excluded: Hospice elected during the episode" in html
    assert "Stop-gain" in html and "Stop-loss" in html and "Outlier cap" in html
    assert "Falls: plan of care" in html and "Q155" in html
    assert "Neither party has accepted this revision." in html and "open" in html


def test_settlements_stored_before_exclusions_were_kept_still_show_them(
    world: World, falls: dict[str, Any], engine: Engine
) -> None:
    s, _, b = build(world, falls)
    created = s.settle()
    before = statement_rows(world.aco, created["id"])
    excluded = next(r for r in before if r["status"] == "excluded")
    evidence_url = f"/v1/settlements/{created['id']}/lines/{excluded['line_id']}/claims"
    evidence = expect(world.aco.get(evidence_url), 200)
    with Session(engine) as session, session.begin():
        session.execute(delete(SettlementExclusion).where(SettlementExclusion.settlement_id == created["id"]))
    with Session(engine) as session:
        assert (
            session.scalars(
                select(SettlementExclusion).where(SettlementExclusion.settlement_id == created["id"])
            ).all()
            == []
        )
    # Later uploads do not change what the recorded sources find.
    s.upload(s.spend(b, "2027-06-07", "5.00", received_date="2028-01-02"))
    assert statement_rows(world.aco, created["id"]) == before
    assert expect(world.aco.get(evidence_url), 200) == evidence


# ---- the words and cells themselves -------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("0", "zero dollars and zero cents"),
        ("0.01", "zero dollars and one cent"),
        ("1.00", "one dollar and zero cents"),
        ("-103.04", "one hundred three dollars and four cents"),
        ("15.50", "fifteen dollars and fifty cents"),
        ("1234.56", "one thousand two hundred thirty-four dollars and fifty-six cents"),
        ("69572.14", "sixty-nine thousand five hundred seventy-two dollars and fourteen cents"),
        ("1000000.995", "one million one dollars and zero cents"),  # rounds half up to 1000001.00
        ("2000300040.90", "two billion three hundred thousand forty dollars and ninety cents"),
    ],
)
def test_amounts_in_words(amount: str, words: str) -> None:
    from service.kit.documents import amount_in_words

    assert amount_in_words(Decimal(amount)) == words


def test_money_figures_and_formula_neutralising() -> None:
    from service.kit.documents import money, neutralise

    assert money(Decimal("1234.5")) == "$1,234.50"
    assert money(Decimal("-103.035")) == "-$103.04"
    assert money(Decimal("0")) == "$0.00"
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise(f"{start}1+1") == f"'{start}1+1"
    for safe in ("Summit Geriatrics", "C-1", "1EG4TE5MK73", "", "'quoted"):
        assert neutralise(safe) == safe
