"""Episode analyses over HTTP: the episodes a definition would have opened in an ACO's own claims,
their statistics per practice and NPI (checked against figures worked out by hand), the target
price recommendation and its use in a proposal, the 202/status flow, CSV, tenancy and problems."""

from __future__ import annotations

import asyncio
import csv
import io
import secrets
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from service.analyses import run, worker
from service.analyses.models import EpisodeAnalysis
from service.arrangements.schemas import Period, TargetPriceSource, Terms, canonical_json, terms_sha256
from service.bootstrap import run_with_session
from service.demo.synthetic import new_mbi, new_npi
from service.kit import clock
from service.kit.db import Database
from service.settings import Settings
from tests.support.episode_data import CSV, TERMS, Scenario, publish_definition, scenario
from tests.support.factories import Api, World, expect
from tests.support.ingest_data import alignment, claim, to_csv

D = Decimal
CENT = D("0.01")
PROBLEM = "application/problem+json"
CUTOFF = "2027-12-01"
RECEIVED = "2027-11-25"


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def falls(ops: Api) -> dict[str, Any]:
    # Winsorised at the 10th and 90th percentiles, so that seven episodes show it.
    return publish_definition(ops, winsorisation={"low_percentile": "10", "high_percentile": "90"})


def episode(s: Scenario, day: str, extra: str | None, *, npi: str, **alignment: Any) -> list[dict[str, Any]]:
    """A beneficiary with one trigger line (100.00) by ``npi`` and, if ``extra``, an inpatient
    stay of that amount a week later."""
    mbi = s.beneficiary(**alignment)
    rows = [s.line(mbi, day, rendering_npi=npi, received_date=RECEIVED)]
    if extra is not None:
        later = day[:-2] + f"{int(day[-2:]) + 7:02d}"
        rows.append(s.spend(mbi, later, extra, received_date=RECEIVED))
    return rows


@pytest.fixture(scope="module")
def data(ops: Api, falls: dict[str, Any]) -> Scenario:
    """Seven closed episodes of 2027, one excluded, one open (see the module's figures)."""
    world = World.create(ops)
    s = scenario(world, falls)  # the ACO and its practice: an arrangement in force all 2027
    npi_a, npi_b = world.provider_org["npis"]
    (other_npi,) = world.other_provider_org["npis"]
    loner = new_npi()  # on no practice's roster
    rows: list[dict[str, Any]] = []
    rows += episode(s, "2027-02-01", None, npi=npi_a)  # 100.00, score 1.0
    rows += episode(s, "2027-02-02", "200.00", npi=npi_a, hcc_score="0.4")  # 300.00, score 0.5 (bounded)
    rows += episode(s, "2027-02-03", "400.00", npi=npi_a, hcc_score="2.0")  # 500.00
    rows += episode(s, "2027-02-04", "9900.00", npi=npi_b)  # 10,000.00
    rows += episode(s, "2027-03-01", "100.00", npi=other_npi)  # 200.00, outside any arrangement
    rows += episode(s, "2027-03-02", "700.00", npi=other_npi)  # 800.00, outside
    rows += episode(s, "2027-04-01", "50.00", npi=loner)  # 150.00, outside, no practice
    rows += episode(s, "2027-05-01", "999.00", npi=npi_a, hospice_start="2027-05-11")  # excluded
    rows += episode(s, "2027-11-20", None, npi=npi_a)  # open on the cutoff
    s.upload(*rows)
    # Another ACO's claims by the same clinicians never enter this ACO's analysis.
    mbi = new_mbi()
    line = claim(
        claim_id="OTHER1",
        mbi=mbi,
        from_date="2027-02-01",
        thru_date="2027-02-01",
        rendering_npi=npi_a,
        received_date=RECEIVED,
        allowed_amount="100.00",
        paid_amount="80.00",
    )
    expect(world.other_aco.post("/v1/alignment", content=to_csv([alignment(mbi=mbi)]), headers=CSV), 201)
    expect(world.other_aco.post("/v1/claims", content=to_csv([line]), headers=CSV), 201)
    return s


def analyse(api: Api, s: Scenario, falls: dict[str, Any], status: int = 202, **body: Any) -> Any:
    payload = {
        "aco_id": s.world.aco_org["id"],
        "episode": falls,
        "baseline": {"start": "2027-01-01", "end": "2027-12-31"},
        "claims_cutoff": CUTOFF,
        **body,
    }
    response = api.post("/v1/episode-analyses", json=payload)
    found = expect(response, status)
    if status == 202:
        assert response.headers["location"] == f"/v1/episode-analyses/{found['id']}"
        assert found["status"] == "queued" and found["summary"] is None and found["rows"] == []
    return found


def done(api: Api, analysis: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = expect(api.get(f"/v1/episode-analyses/{analysis['id']}"), 200)
    assert body["status"] == "done", body
    return body


def test_statistics_match_the_hand_computed_figures(data: Scenario, falls: dict[str, Any]) -> None:
    result = done(data.world.aco, analyse(data.world.aco, data, falls, trend="1.03", seed=7))
    summary = result["summary"]
    assert (summary["episodes"], summary["excluded_episodes"], summary["open_episodes"]) == (7, 1, 1)
    assert summary["risk_score_sources"] == {"uploaded": 7, "computed": 0, "none": 0}
    # Spending sorted: 100, 150, 200, 300, 500, 800, 10000 (n = 7). Linear interpolation: the
    # 10th percentile at h = 0.6 (100 + 0.6 x 50 = 130), the 90th at h = 5.4 (800 + 0.4 x 9200).
    assert D(summary["total_spending"]) == D("12050.00")
    assert summary["winsorisation"] == {
        "low_percentile": "10",
        "high_percentile": "90",
        "low": "130.00",
        "high": "4480.00",
    }
    outside = D("200") + D("800") + D("150")
    assert D(summary["spending_outside_arrangements"]) == outside
    assert D(summary["leakage_share"]) == (outside / D("12050")).quantize(D("0.000001"))

    rows = {(r["level"], r["practice_id"], r["npi"]): r for r in result["rows"]}
    practice, other = data.world.provider_org, data.world.other_provider_org
    assert [r["level"] for r in result["rows"]] == ["practice"] * 3 + ["npi"] * 4
    ours = rows[("practice", practice["id"], None)]
    # 100, 300, 500, 10000: median at h = 1.5, 10th at h = 0.3, 90th at h = 2.7.
    assert ours["episodes"] == 4 and ours["practice_name"] == practice["name"]
    assert D(ours["total_spending"]) == D("10900") and D(ours["mean_spending"]) == D("2725")
    assert D(ours["winsorised_mean_spending"]) == (D("130") + 300 + 500 + 4480) / 4
    assert D(ours["median_spending"]) == D("400")
    assert D(ours["p10_spending"]) == D("160")
    assert D(ours["p90_spending"]) == D("500") + D("0.7") * 9500
    assert D(ours["mean_risk_score"]) == (D("1.0") + D("0.5") + D("2.0") + D("1.0")) / 4
    assert D(ours["leakage_share"]) == 0
    theirs = rows[("practice", other["id"], None)]
    assert (
        theirs["episodes"] == 2
        and D(theirs["leakage_share"]) == 1
        and D(theirs["median_spending"]) == D("500")
    )
    nobody = rows[("practice", None, None)]
    assert (
        nobody["episodes"] == 1
        and nobody["practice_name"] is None
        and D(nobody["total_spending"]) == D("150")
    )
    npi_a, npi_b = practice["npis"]
    assert rows[("npi", practice["id"], npi_a)]["episodes"] == 3
    assert D(rows[("npi", practice["id"], npi_b)]["winsorised_mean_spending"]) == D("4480")

    (entry,) = result["recommendation"]["entries"]
    winsorised_mean = cents((D("130") + 150 + 200 + 300 + 500 + 800 + 4480) / 7)
    baseline_score = ((D("1.0") * 5 + D("0.5") + D("2.0")) / 7).quantize(D("0.0001"))
    ratio = (D("1.0000") / baseline_score).quantize(D("0.000001"))  # HCC-adjusted: a score of 1.0
    assert entry["risk_factor"] == "all" and entry["episodes"] == 7
    assert D(entry["baseline_mean"]) == winsorised_mean
    assert D(entry["baseline_mean_risk_score"]) == baseline_score and D(entry["risk_ratio"]) == ratio
    assert D(entry["recommended_target_price"]) == cents(winsorised_mean * D("1.03") * ratio)
    assert D(entry["interval"]["low"]) < D(entry["recommended_target_price"]) < D(entry["interval"]["high"])
    assert entry["warnings"] and "fewer than 30" in entry["warnings"][0]
    assert result["recommendation"]["seed"] == 7


def test_practices_and_npis_narrow_the_triggers(data: Scenario, falls: dict[str, Any]) -> None:
    aco, practice = data.world.aco, data.world.provider_org
    narrowed = done(aco, analyse(aco, data, falls, practice_ids=[practice["id"]]))
    assert narrowed["summary"]["episodes"] == 4 and narrowed["practice_ids"] == [practice["id"]]
    (other_npi,) = data.world.other_provider_org["npis"]
    one = done(aco, analyse(aco, data, falls, npis=[other_npi]))
    assert one["summary"]["episodes"] == 2 and D(one["summary"]["leakage_share"]) == 1


def test_the_recommendation_reproduces_with_its_seed_and_prices_a_proposal(
    data: Scenario, falls: dict[str, Any]
) -> None:
    aco = data.world.aco
    first = done(aco, analyse(aco, data, falls, seed=2027, price_adjustment_pct="-2"))
    again = done(aco, analyse(aco, data, falls, seed=2027, price_adjustment_pct="-2"))
    other = done(aco, analyse(aco, data, falls, seed=2028, price_adjustment_pct="-2"))
    (entry,) = first["recommendation"]["entries"]
    assert again["recommendation"] == first["recommendation"]
    assert other["recommendation"]["entries"][0]["interval"] != entry["interval"]
    price = D(entry["recommended_target_price"])
    assert D(entry["adjusted_target_price"]) == cents(price * D("0.98"))

    body = {
        "aco_id": data.world.aco_org["id"],
        "provider_id": data.world.provider_org["id"],
        "episode": falls,
        "period": {"start": "2029-01-01", "end": "2029-12-31"},
        "terms": {**TERMS, "target_price": {"from_analysis": first["id"]}},
    }
    arrangement = expect(aco.post("/v1/arrangements", json=body), 201)
    terms = arrangement["terms"]
    assert D(terms["target_price"]) == price
    source = terms["target_price_source"]
    assert source["analysis_id"] == first["id"] and source["risk_factor"] == "all" and source["seed"] == 2027
    assert D(source["interval_low"]) == D(entry["interval"]["low"])
    document = expect(aco.get(f"/v1/arrangements/{arrangement['id']}/document"), 200)
    assert first["id"] in document and "winsorised mean spending" in document

    # A revision may keep the provenance with its price, never change or invent it.
    etag = aco.get(f"/v1/arrangements/{arrangement['id']}").headers["etag"]
    forged = {**terms, "target_price_source": {**source, "trend": "2"}}
    response = aco.patch(
        f"/v1/arrangements/{arrangement['id']}", json={"terms": forged}, headers={"If-Match": etag}
    )
    assert response.status_code == 422 and "target_price_source" in response.text
    kept = expect(
        aco.patch(f"/v1/arrangements/{arrangement['id']}", json={"terms": terms}, headers={"If-Match": etag}),
        200,
    )
    assert kept["terms"]["target_price_source"] == source

    # Unknown analyses, another ACO's, a wrong risk factor: 422 at the field.
    for target, location in (
        ({"from_analysis": "ana_unknown"}, "body.terms.target_price.from_analysis"),
        ({"from_analysis": first["id"], "risk_factor": "drg-470"}, "body.terms.target_price.risk_factor"),
    ):
        problem = expect(
            aco.post("/v1/arrangements", json={**body, "terms": {**TERMS, "target_price": target}}), 422
        )
        assert problem["errors"][0]["location"] == location
    invented = {**TERMS, "target_price_source": source}
    expect(aco.post("/v1/arrangements", json={**body, "terms": invented}), 422)


def test_report_csv(data: Scenario, falls: dict[str, Any]) -> None:
    aco = data.world.aco
    analysis = done(aco, analyse(aco, data, falls))
    response = aco.get(f"/v1/episode-analyses/{analysis['id']}/report.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(response.text)))
    assert len(table) == len(analysis["rows"]) == 7
    for row, shown in zip(table, analysis["rows"], strict=True):
        assert row["level"] == shown["level"] and row["npi"] == (shown["npi"] or "")
        assert D(row["total_spending"]) == D(shown["total_spending"])
        assert D(row["leakage_share"]) == D(shown["leakage_share"])


def test_tenancy(data: Scenario, falls: dict[str, Any]) -> None:
    world = data.world
    mine = analyse(world.aco, data, falls)
    for api, status in ((world.other_aco, 404), (world.provider, 403), (world.anonymous, 401)):
        assert api.get(f"/v1/episode-analyses/{mine['id']}").status_code == status
        assert api.get(f"/v1/episode-analyses/{mine['id']}/report.csv").status_code == status
    listed = expect(world.aco.get("/v1/episode-analyses", params={"limit": 500}), 200)["items"]
    assert mine["id"] in {a["id"] for a in listed}
    assert {a["aco_id"] for a in listed} == {world.aco_org["id"]}
    assert expect(world.other_aco.get("/v1/episode-analyses"), 200)["items"] == []
    assert world.provider.get("/v1/episode-analyses").status_code == 403
    # Ops reads any ACO's and may request one for it.
    assert expect(world.ops.get(f"/v1/episode-analyses/{mine['id']}"), 200)["aco_id"] == world.aco_org["id"]
    by_ops = done(world.ops, analyse(world.ops, data, falls))
    assert by_ops["summary"]["episodes"] == 7
    # The other ACO's analysis of its own claims finds its own episode only.
    theirs = analyse(world.other_aco, data, falls, aco_id=world.other_aco_org["id"])
    assert done(world.other_aco, theirs)["summary"]["episodes"] == 1


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"trend": 1.03}, "body.trend"),
        ({"baseline": {"start": "2027-12-31", "end": "2027-01-01"}}, "body.baseline"),
        ({"episode": {"code": "NOPE", "version": 1}}, "body.episode"),
        ({"practice_ids": ["org_nope"]}, "body.practice_ids.0"),
        ({"npis": ["1234567890"]}, "body.npis.0"),
        ({"target_mean_risk_score": "1.1"}, "body.target_mean_risk_score"),
        ({"claims_cutoff": "2026-12-31"}, "body.claims_cutoff"),
        ({"unknown": 1}, "body.unknown"),
    ],
)
def test_bad_requests_are_problems(
    data: Scenario, falls: dict[str, Any], change: dict[str, Any], location: str
) -> None:
    response = data.world.aco.post(
        "/v1/episode-analyses",
        json={
            "aco_id": data.world.aco_org["id"],
            "episode": falls,
            "baseline": {"start": "2027-01-01", "end": "2027-12-31"},
            **change,
        },
    )
    assert response.status_code == 422 and response.headers["content-type"].startswith(PROBLEM)
    assert location in {e["location"] for e in response.json()["errors"]}, response.text


def test_who_may_request(data: Scenario, falls: dict[str, Any]) -> None:
    world = data.world
    body = {
        "aco_id": world.aco_org["id"],
        "episode": falls,
        "baseline": {"start": "2027-01-01", "end": "2027-12-31"},
    }
    assert world.provider.post("/v1/episode-analyses", json=body).status_code == 403
    problem = expect(world.other_aco.post("/v1/episode-analyses", json=body), 422)
    assert problem["errors"][0]["location"] == "body.aco_id"
    assert world.aco.get("/v1/episode-analyses/ana_unknown").status_code == 404


def test_the_worker_runs_an_analysis_its_process_never_started(
    data: Scenario, falls: dict[str, Any], migrated: Settings
) -> None:
    """A queued analysis older than the grace period (its process stopped before running it) is
    run by `cara worker`'s pass, once."""
    accepted = done(data.world.aco, analyse(data.world.aco, data, falls, seed=11))
    stale = f"ana_stale{secrets.token_hex(8)}"

    async def queue(session: AsyncSession) -> None:
        original = await session.get(EpisodeAnalysis, accepted["id"])
        assert original is not None
        copied = {c.key: getattr(original, c.key) for c in EpisodeAnalysis.__mapper__.column_attrs}
        copied.update(
            id=stale,
            status="queued",
            started_at=None,
            finished_at=None,
            summary=None,
            recommendation=None,
            created_at=clock.utcnow() - timedelta(minutes=5),
        )
        session.add(EpisodeAnalysis(**copied))

    run_with_session(migrated, queue)

    async def work() -> tuple[int, int]:
        database = Database(migrated.database_url, 2)
        try:
            return await worker.run_once(database), await worker.run_once(database)
        finally:
            await database.dispose()

    assert asyncio.run(work()) == (1, 0)
    ran = done(data.world.aco, {"id": stale})
    assert ran["recommendation"] == accepted["recommendation"]


def test_the_provenance_is_signed_with_the_price_and_absent_changes_no_hash() -> None:
    """Terms without a source hash as before (the pinned hashes stay); with one, the hashed text
    carries it, so a signature binds the price's derivation too."""
    kw: dict[str, Any] = {
        "aco_id": "org_aco",
        "provider_id": "org_prv",
        "definition_code": "FALLS-PREV",
        "definition_version": 1,
        "period": Period(start=date(2027, 1, 1), end=date(2027, 12, 31)),
    }
    plain = Terms.model_validate(TERMS)
    text = canonical_json(terms=plain, **kw)
    assert "target_price_source" not in text
    source = TargetPriceSource(
        analysis_id="ana_1", risk_factor="all", baseline_start=date(2026, 1, 1), baseline_end=date(2026, 12, 31),
        claims_cutoff=date(2027, 6, 30), episodes=40, baseline_mean=D("1000.00"), trend=D("1.03"),
        risk_ratio=D("0.95"), recommended_target_price=D("978.50"), interval_low=D("900.00"),
        interval_high=D("1060.00"), seed=1,
    )  # fmt: skip
    sourced = plain.model_copy(update={"target_price_source": source})
    assert '"target_price_source":{"analysis_id":"ana_1"' in canonical_json(terms=sourced, **kw)
    other = plain.model_copy(update={"target_price_source": source.model_copy(update={"seed": 2})})
    assert len({terms_sha256(terms=t, **kw) for t in (plain, sourced, other)}) == 3


def test_a_failed_run_says_so_without_leaking_the_cause(
    data: Scenario, falls: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(session: AsyncSession, analysis: EpisodeAnalysis) -> None:
        raise RuntimeError("password=hunter2 in some internal detail")

    monkeypatch.setattr(run, "compute", broken)
    aco = data.world.aco
    failed = expect(aco.get(f"/v1/episode-analyses/{analyse(aco, data, falls)['id']}"), 200)
    assert failed["status"] == "failed" and failed["summary"] is None and failed["finished_at"]
    assert failed["error"] == "an internal error; see the service log"
    assert aco.get(f"/v1/episode-analyses/{failed['id']}/report.csv").status_code == 409
