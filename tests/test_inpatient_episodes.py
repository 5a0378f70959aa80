"""Inpatient-anchored episodes (the LEJR definition's anchor kind): stays open episodes by MS-DRG,
the window runs from admission through 90 days after discharge, a readmission inside it is counted
once, the episode belongs to the operating physician (else the attending), each episode is priced
by its risk factor, and a settlement caps and shares as hand-computed below. The same stays sent
as CSV, RIF and CCLF give the same episodes."""

from __future__ import annotations

import copy
import csv
import io
import secrets
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
import yaml

from service.definitions.service import contracts_dir
from service.demo.synthetic import new_mbi, new_npi
from service.settings import Settings
from tests.support.cclf_data import Delivery
from tests.support.episode_data import CSV, TERMS, Scenario, execute
from tests.support.factories import Api, World, create_org, expect
from tests.support.ingest_data import alignment, claim, to_csv
from tests.test_cclf import _import as cclf_import

LEJR = yaml.safe_load((contracts_dir() / "lejr.v1.yaml").read_text())
PRICES = {
    "DRG469-FX": "40000.00",
    "DRG469": "33000.00",
    "DRG470-FX": "31000.00",
    "DRG470": "30000.00",
    "DRG521": "42000.00",
    "DRG522": "36000.00",
}


def lejr_terms(**changes: Any) -> dict[str, Any]:
    terms = {k: v for k, v in copy.deepcopy(TERMS).items() if k != "target_price"}
    terms.update(
        target_price=None,  # execute() starts from TERMS: null leaves it out
        target_prices=PRICES,
        quality_measures=[{"measure_id": "Q350", "weight": "1"}],
        stop_loss_pct="100",
    )
    terms.update(changes)
    return terms


def publish_lejr(ops: Api) -> dict[str, Any]:
    data = copy.deepcopy(LEJR)
    data["code"] = "LEJR-" + secrets.token_hex(4).upper()
    expect(ops.post("/v1/episode-definitions", json=data), 201)
    return {"code": data["code"], "version": 1}


class Stays(Scenario):
    """Scenario with inpatient stays: every line of a stay carries it."""

    def stay(
        self,
        mbi: str,
        admitted: str,
        discharged: str,
        drg: str,
        amounts: tuple[str, ...],
        *,
        operating: str | None = None,
        attending: str | None = None,
        diagnoses: str = "M17.11",
    ) -> list[dict[str, Any]]:
        claim_id = f"IP{next(self._claim_ids):05d}"
        return [
            self.line(
                mbi,
                admitted,
                claim_id=claim_id,
                line_number=str(number),
                claim_type="inpatient",
                thru_date=discharged,
                hcpcs="",
                diagnoses=diagnoses,
                rendering_npi="",
                allowed_amount=amount,
                paid_amount=amount,
                drg_code=drg,
                admission_date=admitted,
                discharge_date=discharged,
                facility_ccn="450058",
                attending_npi=attending or "",
                operating_npi=operating or "",
            )
            for number, amount in enumerate(amounts, start=1)
        ]


@pytest.fixture
def stays(world: World) -> Stays:
    definition = publish_lejr(world.ops)
    return Stays(world, execute(world, definition, ("2027-01-01", "2027-12-31"), **lejr_terms()))


def test_anchor_window_readmission_attribution_and_risk_factor(stays: Stays) -> None:
    surgeon, outsider = stays.npi, new_npi()
    knee, hip_elsewhere, hip_fracture, heart = (stays.beneficiary(hcc_score="") for _ in range(4))
    stays.upload(
        # Knee replacement (470), operated by the practice's surgeon: 1 .. 4 March, then 90 days.
        *stays.stay(
            knee,
            "2027-03-01",
            "2027-03-04",
            "470",
            ("10000.00", "4000.00"),
            operating=surgeon,
            attending=outsider,
        ),
        stays.line(knee, "2027-03-05", claim_type="snf", hcpcs="", allowed_amount="3000.00"),
        # A readmission grouped to 470 again, inside the window: no second episode, counted once.
        *stays.stay(knee, "2027-04-10", "2027-04-12", "470", ("6000.00",), operating=surgeon),
        # An unrelated readmission (chemotherapy, 847): left out of spending.
        *stays.stay(knee, "2027-05-01", "2027-05-02", "847", ("9999.00",), operating=outsider),
        stays.line(knee, "2027-06-02", hcpcs="99213", allowed_amount="500.00"),  # discharge + 90: in
        stays.line(knee, "2027-06-03", hcpcs="99213", allowed_amount="700.00"),  # the day after: out
        # Hip replacement operated by another surgeon, our clinician attending: not ours.
        *stays.stay(
            hip_elsewhere,
            "2027-05-10",
            "2027-05-14",
            "469",
            ("50000.00",),
            operating=outsider,
            attending=surgeon,
        ),
        # Hip fracture (469 with S72.001A), no operating NPI: the attending (ours) decides.
        *stays.stay(
            hip_fracture,
            "2027-08-01",
            "2027-08-06",
            "469",
            ("120000.00",),
            attending=surgeon,
            diagnoses="S72.001A|W19.XXXA",
        ),
        # A heart failure stay (291) opens nothing, whoever treats it.
        *stays.stay(heart, "2027-09-01", "2027-09-03", "291", ("8000.00",), operating=surgeon),
    )
    found = {e["mbi"]: e for e in stays.episodes()}
    assert set(found) == {knee, hip_fracture}
    first = found[knee]
    assert (first["trigger_date"], first["end_date"]) == ("2027-03-01", "2027-06-02")
    assert first["risk_factor"] == "DRG470" and first["status"] == "closed"
    # 10000 + 4000 (the stay) + 3000 (SNF) + 6000 (readmission, once) + 500; not 847, not 3 June.
    assert first["actual_spending"] == "23500.00"
    second = found[hip_fracture]
    assert (second["trigger_date"], second["end_date"], second["risk_factor"]) == (
        "2027-08-01",
        "2027-11-04",
        "DRG469-FX",
    )

    evidence = expect(
        stays.world.aco.get(
            f"/v1/arrangements/{stays.arrangement_id}/episodes/{first['id']}/claims",
            params={"claims_cutoff": "2029-12-31", "limit": 100},
        ),
        200,
    )
    reasons = {(i["from_date"], i["allowed_amount"]): i["reason"] for i in evidence["items"]}
    assert reasons[("2027-05-01", "9999.00")] == "drg_excluded"
    assert evidence["counted_allowed_amount"] == "23500.00"

    # Settlement, by hand: targets are the risk factor's price less 2 %; no HCC scaling (LEJR has
    # risk_adjustment none). Knee 30000 x 0.98 = 29400.00, spending 23500.00 under the cap.
    # Hip fracture 40000 x 0.98 = 39200.00, cap 3 x 39200 = 117600.00 < 120000.00: capped.
    # T = 68600.00, A = 141100.00, S = -72500.00; no quality data (q = 0), loss share 50 %:
    # R = -72500 x 0.5 x (1 - 0.1 x 0) = -36250.00, inside the stop-loss (100 % of T).
    settlement = stays.settle(preview=True, status=200)
    assert (settlement["n_episodes"], settlement["total_target"], settlement["total_actual"]) == (
        2,
        "68600.00",
        "141100.00",
    )
    assert settlement["savings"] == "-72500.00" and settlement["settlement_amount"] == "-36250.00"
    stored = stays.settle()
    lines = expect(
        stays.world.aco.get(f"/v1/settlements/{stored['id']}/lines", params={"limit": 100}),
        200,
    )["items"]
    by_mbi = {line["mbi"]: line for line in lines}
    assert (by_mbi[knee]["target"], by_mbi[knee]["actual"], by_mbi[knee]["capped"]) == (
        "29400.00",
        "23500.00",
        False,
    )
    assert (
        by_mbi[hip_fracture]["target"],
        by_mbi[hip_fracture]["outlier_cap"],
        by_mbi[hip_fracture]["actual"],
    ) == (
        "39200.00",
        "117600.00",
        "117600.00",
    )
    assert by_mbi[hip_fracture]["capped"] is True
    assert (by_mbi[knee]["price_group"], by_mbi[hip_fracture]["price_group"]) == ("DRG470", "DRG469-FX")
    statement = stays.world.aco.get(f"/v1/settlements/{stored['id']}/statement.csv").text
    groups = {row["mbi"]: row["price_group"] for row in csv.DictReader(io.StringIO(statement))}
    assert (groups[knee], groups[hip_fracture]) == ("DRG470", "DRG469-FX")
    # The agreement states the anchor, the window, the groups and their prices.
    agreement = stays.world.aco.get(f"/v1/arrangements/{stays.arrangement_id}/document").text
    assert "inpatient hospital stay grouped to MS-DRG 469, 470, 521, 522" in agreement
    assert "the 90 days after the day of discharge" in agreement and "operating physician" in agreement
    assert "MS-DRG 470 with hip fracture (DRG470-FX)" in agreement and "DRG470 $30,000.00" in agreement
    assert "leaving out inpatient stays grouped to MS-DRG 001" in agreement
    # The statement shows the table of targets: base and episode target (less 2 %) per risk factor.
    document = stays.world.aco.get(f"/v1/settlements/{stored['id']}/statement.html").text
    assert "Target prices by risk factor" in document
    for factor, base, target in (
        ("DRG470", "30,000.00", "29,400.00"),
        ("DRG469-FX", "40,000.00", "39,200.00"),
    ):
        row = document[document.index(f"<td>{factor}</td>") :].split("</tr>")[0]
        assert base in row and target in row, row


def test_a_stay_still_in_progress_opens_nothing_until_discharged(stays: Stays) -> None:
    mbi = stays.beneficiary()
    interim = stays.stay(mbi, "2027-03-01", "2027-03-04", "470", ("5000.00",), operating=stays.npi)
    interim[0]["discharge_date"] = ""
    stays.upload(*interim)
    assert stays.episodes() == []


def test_terms_must_price_every_risk_factor(world: World) -> None:
    definition = publish_lejr(world.ops)
    body = {
        "aco_id": world.aco_org["id"],
        "provider_id": world.provider_org["id"],
        "episode": definition,
        "period": {"start": "2027-01-01", "end": "2027-12-31"},
    }
    missing = {k: v for k, v in PRICES.items() if k != "DRG522"}
    problem = expect(
        world.aco.post(
            "/v1/arrangements",
            json={**body, "terms": lejr_terms(target_prices={**missing, "DRG999": "1.00"})},
        ),
        422,
    )
    messages = {e["location"]: e["message"] for e in problem["errors"]}
    assert "risk factor DRG522 has no target price" in messages["body.terms.target_prices"]
    assert "not a risk factor" in messages["body.terms.target_prices.DRG999"]
    one_price = {**lejr_terms(), "target_price": "30000.00"}
    del one_price["target_prices"]
    problem = expect(world.aco.post("/v1/arrangements", json={**body, "terms": one_price}), 422)
    assert "give target_prices" in problem["errors"][0]["message"]
    both = {**lejr_terms(), "target_price": "30000.00"}
    expect(world.aco.post("/v1/arrangements", json={**body, "terms": both}), 422)
    # A falls-style definition refuses a price table.
    falls = {**TERMS, "target_prices": {"DRG470": "1.00"}}
    del falls["target_price"]
    from tests.support.episode_data import publish_definition

    problem = expect(
        world.aco.post(
            "/v1/arrangements", json={**body, "episode": publish_definition(world.ops), "terms": falls}
        ),
        422,
    )
    assert "has no risk factors" in problem["errors"][0]["message"]


# ---- the same stays from CSV, RIF and CCLF ------------------------------------------------------


def _rif_date(day: str) -> str:
    return date.fromisoformat(day).strftime("%d-%b-%Y")


def _write_rif(
    directory: Path, mbi: str, birth: str, stays: list[dict[str, str]], carrier: list[dict[str, str]]
) -> Path:
    directory.mkdir(parents=True)
    with (directory / "beneficiary_2027.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, ["BENE_ID", "MBI_NUM", "RFRNC_YR", "BENE_BIRTH_DT", "BENE_SEX_IDENT_CD",
                                         "DUAL_MO_CNT", "BENE_ESRD_IND", "DEATH_DT"], delimiter="|")  # fmt: skip
        writer.writeheader()
        writer.writerow({"BENE_ID": "-1", "MBI_NUM": mbi, "RFRNC_YR": "2027", "BENE_BIRTH_DT": _rif_date(birth),
                         "BENE_SEX_IDENT_CD": "2", "DUAL_MO_CNT": "0", "BENE_ESRD_IND": "N", "DEATH_DT": ""})  # fmt: skip
    fields = ["BENE_ID", "CLM_ID", "CLM_LINE_NUM", "CLM_FROM_DT", "CLM_THRU_DT", "NCH_WKLY_PROC_DT",
              "CLM_PMT_AMT", "PRNCPAL_DGNS_CD", "HCPCS_CD", "AT_PHYSN_NPI", "OP_PHYSN_NPI", "PRVDR_NUM",
              "CLM_DRG_CD", "CLM_ADMSN_DT", "NCH_BENE_DSCHRG_DT", "ICD_PRCDR_CD1"]  # fmt: skip
    with (directory / "inpatient.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fields, delimiter="|")
        writer.writeheader()
        for stay in stays:
            writer.writerow({"BENE_ID": "-1", "CLM_ID": stay["id"], "CLM_LINE_NUM": "1",
                             "CLM_FROM_DT": _rif_date(stay["admitted"]), "CLM_THRU_DT": _rif_date(stay["discharged"]),
                             "NCH_WKLY_PROC_DT": _rif_date(stay["received"]), "CLM_PMT_AMT": stay["amount"],
                             "PRNCPAL_DGNS_CD": "M1711", "HCPCS_CD": "", "AT_PHYSN_NPI": stay["attending"],
                             "OP_PHYSN_NPI": stay["operating"], "PRVDR_NUM": "140001", "CLM_DRG_CD": stay["drg"],
                             "CLM_ADMSN_DT": _rif_date(stay["admitted"]),
                             "NCH_BENE_DSCHRG_DT": _rif_date(stay["discharged"]), "ICD_PRCDR_CD1": "0SRD0JZ"})  # fmt: skip
    fields = ["BENE_ID", "CLM_ID", "LINE_NUM", "CLM_FROM_DT", "CLM_THRU_DT", "NCH_WKLY_PROC_DT", "PRF_PHYSN_NPI",
              "TAX_NUM", "HCPCS_CD", "PRNCPAL_DGNS_CD", "LINE_ALOWD_CHRG_AMT", "LINE_NCH_PMT_AMT"]  # fmt: skip
    with (directory / "carrier.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fields, delimiter="|")
        writer.writeheader()
        for visit in carrier:
            writer.writerow({"BENE_ID": "-1", "CLM_ID": visit["id"], "LINE_NUM": "1",
                             "CLM_FROM_DT": _rif_date(visit["day"]), "CLM_THRU_DT": _rif_date(visit["day"]),
                             "NCH_WKLY_PROC_DT": _rif_date(visit["received"]), "PRF_PHYSN_NPI": visit["npi"],
                             "TAX_NUM": "123456789", "HCPCS_CD": "99213", "PRNCPAL_DGNS_CD": "Z9181",
                             "LINE_ALOWD_CHRG_AMT": visit["amount"], "LINE_NCH_PMT_AMT": visit["amount"]})  # fmt: skip
    return directory


def test_csv_rif_and_cclf_give_the_same_episodes(ops: Api, migrated: Settings, tmp_path: Path) -> None:
    surgeon, outsider = new_npi(), new_npi()
    mbi, birth = new_mbi(), "1950-04-01"
    stays = [  # anchor, readmission inside the window, a second anchor after it, another surgeon's
        {"id": "101", "admitted": "2027-03-01", "discharged": "2027-03-04", "drg": "470", "amount": "14000.00",
         "operating": surgeon, "attending": outsider},
        {"id": "102", "admitted": "2027-04-10", "discharged": "2027-04-12", "drg": "470", "amount": "6000.00",
         "operating": surgeon, "attending": outsider},
        {"id": "103", "admitted": "2027-08-01", "discharged": "2027-08-03", "drg": "469", "amount": "41000.00",
         "operating": "", "attending": surgeon},
        {"id": "104", "admitted": "2027-11-20", "discharged": "2027-11-22", "drg": "470", "amount": "9000.00",
         "operating": outsider, "attending": surgeon},
    ]  # fmt: skip
    for stay in stays:
        stay["received"] = (date.fromisoformat(stay["discharged"]) + timedelta(days=10)).isoformat()
    visits = [
        {"id": "201", "day": "2027-05-02", "amount": "250.00", "npi": outsider, "received": "2027-05-20"},
        {"id": "202", "day": "2027-10-31", "amount": "125.00", "npi": outsider, "received": "2027-11-20"},
    ]

    # CSV
    csv_rows = [
        claim(claim_id=f"IP{s['id']}", claim_type="inpatient", mbi=mbi, from_date=s["admitted"],
              thru_date=s["discharged"], rendering_npi="", billing_tin="", hcpcs="", diagnoses="M17.11",
              allowed_amount=s["amount"], paid_amount=s["amount"], received_date=s["received"],
              drg_code=s["drg"], admission_date=s["admitted"], discharge_date=s["discharged"],
              facility_ccn="140001", attending_npi=s["attending"], operating_npi=s["operating"])
        for s in stays
    ] + [
        claim(claim_id=f"CA{v['id']}", mbi=mbi, from_date=v["day"], thru_date=v["day"], rendering_npi=v["npi"],
              hcpcs="99213", diagnoses="Z91.81", allowed_amount=v["amount"], paid_amount=v["amount"],
              received_date=v["received"])
        for v in visits
    ]  # fmt: skip
    # CCLF
    delivery = Delivery()
    for s in stays:
        delivery.part_a(s["id"], mbi, s["admitted"], s["discharged"], s["amount"], effective=s["received"],
                        loaded=s["received"], npi=s["attending"], operating_npi=s["operating"], drg=s["drg"],
                        principal="M1711", diagnoses=())  # fmt: skip
    for v in visits:
        delivery.part_b(v["id"], 1, mbi, f"CN{v['id']}", v["day"], v["amount"], effective=v["received"],
                        loaded=v["received"], npi=v["npi"], hcpcs="99213")  # fmt: skip
    delivery.beneficiary(mbi, birth=birth)

    provider_org, provider = create_org(ops, "provider", npis=[surgeon])
    outcomes = []
    for source in ("csv", "rif", "cclf"):
        aco_org, aco = create_org(ops, "aco")
        if source == "csv":
            row = alignment(mbi=mbi, birth_date=birth, aligned_from="2027-01-01", hcc_score="")
            expect(aco.post("/v1/alignment", content=to_csv([row]), headers=CSV), 201)
            expect(aco.post("/v1/claims", content=to_csv(csv_rows), headers=CSV), 201)
        elif source == "rif":
            directory = _write_rif(tmp_path / "rif", mbi, birth, stays, visits)
            from service.cli import main as cara

            argv = ["import", "rif", str(directory), "--aco", aco_org["id"]]
            assert cara(argv, settings=migrated.model_copy(update={"sandbox": True})) == 0
        else:
            assert cclf_import(migrated, aco_org["id"], delivery.write(tmp_path / "cclf")) == 0
        parties = SimpleNamespace(
            ops=ops, aco=aco, aco_org=aco_org, provider=provider, provider_org=provider_org
        )
        definition = publish_lejr(ops)
        arrangement = execute(cast(World, parties), definition, ("2027-01-01", "2027-12-31"), **lejr_terms())
        episodes = expect(
            aco.get(f"/v1/arrangements/{arrangement}/episodes", params={"claims_cutoff": "2029-12-31"}), 200
        )["items"]
        outcomes.append(
            [
                (e["mbi"], e["trigger_date"], e["end_date"], e["risk_factor"], e["actual_spending"])
                for e in episodes
            ]
        )
    # 470 on 1 March (its readmission and the May visit inside), 469 on 1 August by the attending
    # (the October visit inside); the November stay is another surgeon's.
    assert outcomes[0] == [
        (mbi, "2027-03-01", "2027-06-02", "DRG470", "20250.00"),
        (mbi, "2027-08-01", "2027-11-01", "DRG469", "41125.00"),
    ]
    assert outcomes[1] == outcomes[0] and outcomes[2] == outcomes[0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"trigger": {"claim_types": ["carrier"], "hcpcs": ["99213"], "diagnosis_prefixes": ["Z91.81"]}},
         "exactly one of trigger"),
        ({"anchor": None}, "exactly one of trigger"),
        ({"anchor.drgs": ["47A"]}, "not an MS-DRG"),
        ({"anchor.procedure_prefixes": ["0SRO"]}, "ICD-10-PCS"),
        ({"anchor.risk_factors": [{"id": "DRG469-FX", "name": "x", "drgs": ["469"], "diagnosis_prefixes": ["S72.0"]}]},
         "no risk factor without diagnosis prefixes"),
        ({"anchor.excluded_drgs": ["470"]}, "both opens an episode and is excluded"),
    ],
)  # fmt: skip
def test_an_inpatient_anchor_is_validated(ops: Api, change: dict[str, Any], message: str) -> None:
    data = copy.deepcopy(LEJR)
    data["code"] = "LEJR-" + secrets.token_hex(4).upper()
    for path, value in change.items():
        if path.startswith("anchor."):
            data["anchor"][path.split(".", 1)[1]] = value
        elif value is None:
            del data[path]
        else:
            data[path] = value
    problem = expect(ops.post("/v1/episode-definitions", json=data), 422)
    assert any(message in e["message"] for e in problem["errors"]), problem["errors"]


def test_facility_attribution_and_a_procedure_list(world: World) -> None:
    """Attributed to the facility, a stay opens an episode whoever operated; with a procedure
    list (knee replacements, ICD-10-PCS 0SRC/0SRD), a stay of the DRG without one opens none."""
    data = copy.deepcopy(LEJR)
    data["code"] = "LEJR-" + secrets.token_hex(4).upper()
    data["anchor"].update(attribution="facility", procedure_prefixes=["0SRC", "0SRD"])
    expect(world.ops.post("/v1/episode-definitions", json=data), 201)
    knees = Stays(world, execute(world, {"code": data["code"], "version": 1}, ("2027-01-01", "2027-12-31"),
                                 **lejr_terms()))  # fmt: skip
    outsider = new_npi()
    knee, hip = knees.beneficiary(), knees.beneficiary()
    knee_stay = knees.stay(knee, "2027-02-01", "2027-02-03", "470", ("15000.00",), operating=outsider)
    hip_stay = knees.stay(hip, "2027-02-01", "2027-02-03", "470", ("15000.00",), operating=outsider)
    knee_stay[0]["procedure_codes"] = "0SRD0JZ"
    hip_stay[0]["procedure_codes"] = "0SR90JZ"
    knees.upload(*knee_stay, *hip_stay)
    [episode] = knees.episodes()
    assert (episode["mbi"], episode["end_date"], episode["risk_factor"]) == (knee, "2027-05-04", "DRG470")


def test_an_analysis_recommends_a_price_per_risk_factor(stays: Stays) -> None:
    """An episode analysis of the LEJR definition prices each MS-DRG group from its own episodes:
    two knee replacements (470) and one hip fracture (469 with S72), all operated by our surgeon."""
    surgeon = stays.npi
    knee_a, knee_b, fracture = (stays.beneficiary(hcc_score="") for _ in range(3))
    stays.upload(
        *stays.stay(knee_a, "2027-02-01", "2027-02-04", "470", ("20000.00",), operating=surgeon),
        *stays.stay(knee_b, "2027-03-01", "2027-03-03", "470", ("26000.00",), operating=surgeon),
        *stays.stay(
            fracture,
            "2027-04-01",
            "2027-04-06",
            "469",
            ("45000.00",),
            operating=surgeon,
            diagnoses="S72.001A",
        ),
    )
    ask = {
        "aco_id": stays.world.aco_org["id"],
        "episode": expect(stays.world.aco.get(f"/v1/arrangements/{stays.arrangement_id}"), 200)["episode"],
        "baseline": {"start": "2027-01-01", "end": "2027-12-31"},
        "claims_cutoff": "2028-06-30",
        "trend": "1.02",
        "seed": 7,
    }
    created = expect(stays.world.aco.post("/v1/episode-analyses", json=ask), 202)
    analysis = expect(stays.world.aco.get(f"/v1/episode-analyses/{created['id']}"), 200)
    assert analysis["status"] == "done", analysis
    # LEJR is not risk-adjusted: no score is computed where alignment has none.
    assert analysis["summary"]["risk_score_sources"] == {"uploaded": 0, "computed": 0, "none": 3}
    entries = {e["risk_factor"]: e for e in analysis["recommendation"]["entries"]}
    assert set(entries) == {"DRG470", "DRG469-FX"}
    # Two values winsorised at their 1st and 99th percentiles keep their mean: (20000 + 26000) / 2;
    # one value is its own mean. LEJR is not risk-adjusted: the risk ratio is 1.
    assert (entries["DRG470"]["episodes"], entries["DRG470"]["baseline_mean"]) == (2, "23000.00")
    assert entries["DRG470"]["recommended_target_price"] == "23460.00"  # x 1.02
    assert (entries["DRG469-FX"]["episodes"], entries["DRG469-FX"]["baseline_mean"]) == (1, "45000.00")
    assert entries["DRG469-FX"]["recommended_target_price"] == "45900.00"
    assert all(e["warnings"] for e in entries.values())  # far fewer than the minimum sample
