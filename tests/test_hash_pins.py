"""Regression pins for the hashes parties rely on: the terms hash both parties sign, the
definition content hash published definitions are compared by, and the settlement inputs hash.

The expected digests were computed once, by the code that produced every stored hash so far, for
the fixed inputs below. A change in how values are written for hashing (decimals, zero, dates,
absent values, key order) changes them: such a change would break every signature and every
stored comparison, so these values must never be edited to make a test pass.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from service.arrangements.in_force import apply_overrides
from service.arrangements.schemas import Period, Terms, canonical_json, terms_sha256
from service.definitions.schemas import EXAMPLE, EpisodeDefinitionSpec
from service.definitions.service import content_sha256, contracts_dir, read_definition_file
from service.kit.canonical import canonical_json as kit_canonical_json
from service.kit.canonical import canonical_sha256, decimal_text

TERMS: dict[str, Any] = {
    "target_price": "2200.00",
    "price_adjustment_pct": "-2",
    "savings_share_pct": "50",
    "loss_share_pct": "40",
    "performance_adjustment_pct": "20",
    "loss_quality_relief_pct": "10",
    "quality_measures": [
        {"measure_id": "Q155", "weight": "2"},
        {"measure_id": "Q318", "weight": "1"},
        {"measure_id": "Q484", "weight": "1"},
    ],
    "stop_gain_pct": "20",
    "stop_loss_pct": "15",
    "min_episodes": 10,
    "runout_days": 90,
}
# Trailing zeros, a negative zero, a zero and an override: the cases the canonical form settles.
EDGE_TERMS: dict[str, Any] = {
    **TERMS,
    "target_price": "1000.50",
    "price_adjustment_pct": "-0.00",
    "savings_share_pct": "50.0000",
    "loss_share_pct": "0",
    "quality_measures": [{"measure_id": "Q155", "weight": "0.2500"}],
    "overrides": {"episode_length_days": 60},
}
PARTIES = {
    "aco_id": "org_01ACO",
    "provider_id": "org_01PROVIDER",
    "definition_code": "FALLS-PREV",
    "definition_version": 1,
    "period": Period(start=date(2027, 1, 1), end=date(2027, 12, 31)),
}


def test_terms_hash_is_pinned() -> None:
    assert (
        terms_sha256(**PARTIES, terms=Terms.model_validate(TERMS))
        == "1a3be822d0fffd161f00ed5b21dfcb286c3b9ec305ad286edba81037dfcf5908"
    )
    assert (
        terms_sha256(**PARTIES, terms=Terms.model_validate(EDGE_TERMS))
        == "c6e63bbcd3f237b5598f19f1b2f7feb8837611d3e050d2183e29497ff80c5bad"
    )
    # The signed text itself: sorted keys, no spaces, absent values left out, "-0.00" as "0".
    assert canonical_json(**PARTIES, terms=Terms.model_validate(EDGE_TERMS)) == (
        '{"aco_id":"org_01ACO","definition":{"code":"FALLS-PREV","version":1},'
        '"period":{"end":"2027-12-31","start":"2027-01-01"},"provider_id":"org_01PROVIDER",'
        '"terms":{"loss_quality_relief_pct":"10","loss_share_pct":"0","min_episodes":10,'
        '"overrides":{"episode_length_days":60},"performance_adjustment_pct":"20",'
        '"price_adjustment_pct":"0","quality_measures":[{"measure_id":"Q155","weight":"0.25"}],'
        '"runout_days":90,"savings_share_pct":"50","stop_gain_pct":"20","stop_loss_pct":"15",'
        '"target_price":"1000.5"}}'
    )


def test_definition_hash_is_pinned() -> None:
    spec = EpisodeDefinitionSpec.model_validate(EXAMPLE)
    assert content_sha256(spec) == "a7195099a5b768c7a736d02711b7f77bb6accbe77ae1158140c5f0f0d85b3ce0"
    variant = copy.deepcopy(EXAMPLE)
    variant.update(
        outlier_cap_multiple="3.50", excluded_principal_diagnosis_prefixes=["C50", "S72.0"], version=2
    )
    assert (
        content_sha256(EpisodeDefinitionSpec.model_validate(variant))
        == "a5c4cbd79c39abc7fb7ef5db6a1d103ff2fb61360ed154089f731709a92cd6c6"
    )
    # A field added to the format later changes nothing while absent, and is hashed when present.
    assert content_sha256(EpisodeDefinitionSpec.model_validate({**EXAMPLE, "winsorisation": None})) == (
        "a7195099a5b768c7a736d02711b7f77bb6accbe77ae1158140c5f0f0d85b3ce0"
    )
    winsorised = EpisodeDefinitionSpec.model_validate({**EXAMPLE, "winsorisation": {"high_percentile": "95"}})
    assert content_sha256(winsorised) != "a7195099a5b768c7a736d02711b7f77bb6accbe77ae1158140c5f0f0d85b3ce0"
    # The definition as a settlement applies it (max-flex override of the episode length).
    effective = apply_overrides(spec, Terms.model_validate(EDGE_TERMS))
    assert content_sha256(effective) == "3ac8f759521481dabf46f1e204cd79355f6e1f18945cc458173c37a5fdc15419"
    # The shipped definition file, as `cara definitions load` publishes it.
    shipped = read_definition_file(contracts_dir() / "falls-prev.v1.yaml")
    assert content_sha256(shipped) == "77a89fd3aed68ef2167d1513bf2973df494a50683f9a6a0cedaad84f392717f0"


def test_settlement_inputs_hash_is_pinned() -> None:
    inputs = {
        "arrangement_id": "arr_01PIN",
        "period_start": "2027-01-01",
        "period_end": "2027-12-31",
        "claims_cutoff": "2028-03-30",
        "terms": {"version": 1, "sha256": "ab" * 32},
        "definition": {"code": "FALLS-PREV", "version": 1, "effective_sha256": "cd" * 32},
        "quality": [
            {
                "measure_id": "Q155",
                "weight": decimal_text(Decimal("1.50")),
                "higher_is_better": True,
                "numerator": 30,
                "denominator": 40,
            },
            {
                "measure_id": "Q484",
                "weight": decimal_text(Decimal("-0.0")),
                "higher_is_better": False,
                "numerator": None,  # not reported: kept, not left out
                "denominator": None,
            },
        ],
        "episodes": {"settled": 3, "excluded": 1, "claim_lines_counted": 17, "sha256": "ef" * 32},
    }
    assert (
        canonical_sha256(inputs, omit_none=False)
        == "95b9a7e222dfbe665275c7b43063e816f2aa5c661437469e4e74086f14d712da"
    )


def test_decimal_text_is_pinned() -> None:
    """How the episodes digest and the quality weights write a decimal."""
    values = ["1.50", "-0.00", "0E+3", "440", "4.4E+2", "0.000100", "12345678901234.10", "-3.20"]
    assert [decimal_text(Decimal(v)) for v in values] == [
        "1.5",
        "0",
        "0",
        "440",
        "440",
        "0.0001",
        "12345678901234.1",
        "-3.2",
    ]


def test_canonical_rules() -> None:
    """The one canonical form: what each rule does, and the one parameter that differs by hash."""
    value = {"b": Decimal("-0.000"), "a": [date(2027, 1, 2), None], "c": None, "é": Decimal("1E+2")}
    assert (
        kit_canonical_json(value, omit_none=False) == '{"a":["2027-01-02",null],"b":"0","c":null,"é":"100"}'
    )
    # Absent values are left out of dictionaries (the terms hash), never out of lists.
    assert kit_canonical_json(value, omit_none=True) == '{"a":["2027-01-02",null],"b":"0","é":"100"}'
    with pytest.raises(TypeError):
        kit_canonical_json({"amount": 1.5}, omit_none=False)


def test_an_amendments_effective_date_enters_the_hash_only_after_the_periods_start() -> None:
    terms = Terms.model_validate(TERMS)
    pinned = "1a3be822d0fffd161f00ed5b21dfcb286c3b9ec305ad286edba81037dfcf5908"  # as above
    # The period's start, named or not, is the hash signed before effective dates existed.
    assert terms_sha256(**PARTIES, terms=terms, effective_from=None) == pinned
    assert terms_sha256(**PARTIES, terms=terms, effective_from=date(2027, 1, 1)) == pinned
    # A later day is a top-level member beside the terms.
    assert (
        terms_sha256(**PARTIES, terms=terms, effective_from=date(2027, 7, 1))
        == "36e807407775f9043a1565aa169e5165faa7056934a647886dd02c39614d85a7"
    )
    assert canonical_json(**PARTIES, terms=terms, effective_from=date(2027, 7, 1)).startswith(
        '{"aco_id":"org_01ACO","definition":{"code":"FALLS-PREV","version":1},'
        '"effective_from":"2027-07-01","period":{"end":"2027-12-31","start":"2027-01-01"},'
    )
