"""HCC scores computed from claims when alignment has none (service/episodes/risk.py): equal to
hccinfhir's own CMS-HCC V28 result for the same diagnoses and demographics, demographic only
without diagnoses, never instead of an uploaded score, shown with their source."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hccinfhir import HCCInFHIR

from service.demo.synthetic import new_mbi
from tests.support.episode_data import CSV, Scenario, publish_definition, scenario
from tests.support.factories import Api, World, expect
from tests.support.ingest_data import alignment, to_csv, to_ndjson

NORMALISATION = 1.015
SOURCE = "computed: CMS-HCC V28, hccinfhir 0.4.0, normalised by 1.015"


@pytest.fixture(scope="module")
def falls(ops: Api) -> dict[str, Any]:
    return publish_definition(ops)


def hccinfhir_score(codes: list[str], **demographics: Any) -> Decimal:
    """The package's own payment score, to the four places an uploaded score has."""
    result = HCCInFHIR(model_name="CMS-HCC Model V28").calculate_from_diagnosis(
        codes, demographics, norm_factor=NORMALISATION
    )
    return Decimal(repr(result.risk_score_payment)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def factor(score: Decimal) -> str:
    """The line's risk factor: the score clamped to 0.5 .. 3.0, as the API writes it."""
    clamped = min(max(score, Decimal("0.5")), Decimal("3.0"))
    return str(clamped.normalize())


def diagnosed(
    s: Scenario, mbi: str, day: str, amount: str, *, diagnoses: str, **changes: Any
) -> dict[str, Any]:
    """A spending line (outpatient, no trigger service) with the given diagnoses."""
    return s.line(
        mbi, day, claim_type="outpatient", hcpcs="", diagnoses=diagnoses, allowed_amount=amount, **changes
    )


def lines_by_mbi(s: Scenario, settlement_id: str) -> dict[str, dict[str, Any]]:
    page = expect(s.world.aco.get(f"/v1/settlements/{settlement_id}/lines", params={"limit": 100}), 200)
    return {x["mbi"]: x for x in page["items"]}


def test_scores_computed_from_last_years_claims(world: World, falls: dict[str, Any]) -> None:
    s = scenario(world, falls)
    # No uploaded score: diagnoses of 2026 (diabetes with complications, heart failure), an
    # originally disabled woman of 80 on 1 February 2027.
    sick = s.beneficiary(hcc_score="", birth_date="1946-06-15", sex="F", entitlement_reason="1")
    # No uploaded score and no claims in 2026: the demographic score of a woman of 90, dual.
    healthy = s.beneficiary(hcc_score="", birth_date="1936-12-01", sex="F", dual_status="true")
    # An uploaded score wins over any diagnosis.
    uploaded = s.beneficiary(hcc_score="1.3", birth_date="1946-06-15", sex="M")
    # Unknown sex: the model has no score for it (1.0, no source).
    unknown = s.beneficiary(hcc_score="", sex="U")
    rows = []
    for mbi in (sick, uploaded, unknown):
        rows.append(
            diagnosed(s, mbi, "2026-06-01", "50.00", diagnoses="E11.69|I50.22", received_date="2026-07-01")
        )
        rows.append(diagnosed(s, mbi, "2026-09-01", "50.00", diagnoses="N18.4", received_date="2026-10-01"))
    # A 2026 line cancelled before the cutoff and one received after it: neither counts.
    rows.append(
        diagnosed(
            s, sick, "2026-10-01", "0.00", diagnoses="C34.90", adjustment="cancel", received_date="2027-01-02"
        )
    )
    rows.append(diagnosed(s, sick, "2026-11-01", "50.00", diagnoses="F20.9", received_date="2028-06-01"))
    for mbi in (sick, healthy, uploaded, unknown):
        rows.append(s.line(mbi, "2027-03-01"))
    s.upload(*rows)

    created = s.settle(claims_cutoff="2028-03-30")
    lines = lines_by_mbi(s, created["id"])
    sick_score = hccinfhir_score(["E1169", "I5022", "N184"], age=80, sex="F", dual_elgbl_cd="00", orec="1")
    healthy_score = hccinfhir_score([], age=90, sex="F", dual_elgbl_cd="02", orec="0")
    assert Decimal("0.5") < healthy_score < sick_score < Decimal("3.0")  # the clamp does not hide them
    assert (lines[sick]["risk_factor"], lines[sick]["risk_score_source"]) == (factor(sick_score), SOURCE)
    assert (lines[healthy]["risk_factor"], lines[healthy]["risk_score_source"]) == (
        factor(healthy_score),
        SOURCE,
    )
    assert (lines[uploaded]["risk_factor"], lines[uploaded]["risk_score_source"]) == ("1.3", "uploaded")
    assert (lines[unknown]["risk_factor"], lines[unknown]["risk_score_source"]) == ("1", None)
    # The target follows: 980.00 x the risk factor, rounded.
    expected_target = (Decimal("980.00") * Decimal(factor(sick_score))).quantize(
        Decimal("0.01"), ROUND_HALF_UP
    )
    assert lines[sick]["target"] == str(expected_target)

    # The inputs say scores were computed, and with which model; a recompute reproduces them.
    assert created["inputs"]["risk_scores"] == {"computed": 2, "model": SOURCE}
    assert created["sources"]["risk_scores"] == "computed when not uploaded"
    recomputed = expect(s.world.provider.post(f"/v1/settlements/{created['id']}/recompute"), 200)
    assert recomputed["matches"] is True

    # The statement shows each score's source: the CSV column and the document.
    statement = s.world.provider.get(f"/v1/settlements/{created['id']}/statement.csv")
    by_mbi = {r["mbi"]: r for r in csv.DictReader(io.StringIO(statement.text))}
    assert by_mbi[sick]["risk_score_source"] == SOURCE and by_mbi[uploaded]["risk_score_source"] == "uploaded"
    assert by_mbi[unknown]["risk_score_source"] == ""
    html = s.world.provider.get(f"/v1/settlements/{created['id']}/statement.html").text
    assert SOURCE in html and "uploaded" in html


def test_every_score_uploaded_keeps_the_inputs_as_they_were(world: World, falls: dict[str, Any]) -> None:
    s = scenario(world, falls)
    mbi = s.beneficiary(hcc_score="0.9")
    s.upload(
        diagnosed(s, mbi, "2026-06-01", "50.00", diagnoses="E11.69", received_date="2026-07-01"),
        s.line(mbi, "2027-03-01"),
    )
    created = s.settle(claims_cutoff="2028-03-30")
    assert "risk_scores" not in created["inputs"]
    [line] = lines_by_mbi(s, created["id"]).values()
    assert (line["risk_factor"], line["risk_score_source"]) == ("0.9", "uploaded")


def test_a_definition_without_hcc_adjustment_computes_nothing(world: World, ops: Api) -> None:
    s = scenario(world, publish_definition(ops, risk_adjustment="none"))
    mbi = s.beneficiary(hcc_score="")
    s.upload(
        diagnosed(s, mbi, "2026-06-01", "50.00", diagnoses="E11.69", received_date="2026-07-01"),
        s.line(mbi, "2027-03-01"),
    )
    created = s.settle(claims_cutoff="2028-03-30")
    assert "risk_scores" not in created["inputs"]
    [line] = lines_by_mbi(s, created["id"]).values()
    assert (line["risk_factor"], line["risk_score_source"]) == ("1", None)


def test_entitlement_reason_is_stored_and_read_back(world: World) -> None:
    """Optional in CSV and NDJSON uploads; an absent column or empty value is null."""
    disabled, esrd, unsent = new_mbi(), new_mbi(), new_mbi()
    expect(
        world.aco.post(
            "/v1/alignment",
            content=to_csv(
                [
                    alignment(mbi=disabled, entitlement_reason="1"),
                    alignment(mbi=unsent, entitlement_reason=""),
                ]
            ),
            headers=CSV,
        ),
        201,
    )
    expect(
        world.aco.post(
            "/v1/alignment",
            content=to_ndjson([alignment(mbi=esrd, entitlement_reason="2")]),
            headers={"content-type": "application/x-ndjson"},
        ),
        201,
    )
    page = expect(world.aco.get("/v1/alignment", params={"as_of": date(2027, 3, 1).isoformat()}), 200)
    got = {r["mbi"]: r["entitlement_reason"] for r in page["items"]}
    assert got == {disabled: "1", esrd: "2", unsent: None}
