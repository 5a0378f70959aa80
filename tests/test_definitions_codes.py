"""Code normalisation, validation and matching (pure logic, no database)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import column, create_engine, select, table, text

from service.definitions.codes import (
    CodeSet,
    check_entry,
    hcpcs_problem,
    icd10_codes,
    icd10_problem,
    normalize_code,
)
from service.definitions.schemas import EXAMPLE, EpisodeDefinitionSpec
from service.definitions.service import compile_definition, compile_trigger, content_sha256, format_location

FALLS = ["Z91.81", "R29.6", "R26", "W00-W19"]


def test_normalize_code() -> None:
    assert normalize_code(" z91.81 ") == "Z9181"
    assert normalize_code("W19.XXXA") == "W19XXXA"
    assert normalize_code("99213") == "99213"


def test_icd10_problem_accepts_codes_and_categories_and_names_bad_ones() -> None:
    for good in ("Z91.81", "Z9181", "W19", "W19.XXXA", "W19XXXA", "R26", "r26.89"):
        assert icd10_problem(good) is None, good
    assert icd10_problem("W99.Q") == "W99.Q is not an ICD-10-CM code or category"
    assert icd10_problem("Z91.819") == "Z91.819 is not an ICD-10-CM code or category"
    assert "not shaped like" in (icd10_problem("12345") or "")
    assert icd10_problem("R26-R27") is not None  # a range is not a code


def test_hcpcs_problem_checks_the_three_shapes() -> None:
    for good in ("99213", "G0438", "1100F", "0042T", "g0438"):
        assert hcpcs_problem(good) is None, good
    for bad in ("9921", "992133", "GG438", "99-13", "1100FF", ""):
        assert hcpcs_problem(bad) is not None, bad


def test_range_w00_w19_matches_w00_and_w19xxxa_but_not_w20() -> None:
    falls = CodeSet.icd10_prefixes(["W00-W19"])
    assert falls.matches("W00")
    assert falls.matches("W000XXA")
    assert falls.matches(normalize_code("W19.XXXA"))
    assert falls.matches("W10")
    assert not falls.matches("W20")
    assert not falls.matches("W201XXA")
    assert not falls.matches("V99")
    assert not falls.matches("W")  # shorter than any member
    # W02 is not a category of ICD-10-CM: the range is the categories that exist.
    assert "W02" not in falls.codes and {"W00", "W01", "W03", "W19"} <= falls.codes


def test_prefix_z9181_with_or_without_dot_matches_its_extensions() -> None:
    dotted = CodeSet.icd10_prefixes(["Z91.81"])
    plain = CodeSet.icd10_prefixes(["Z9181"])
    assert dotted.codes == plain.codes == {"Z9181"}
    for code_set in (dotted, plain):
        assert code_set.matches("Z9181")
        assert code_set.matches("Z91810")  # Z91.810 as a longer code under the prefix
        assert not code_set.matches("Z918")  # the parent is not under the prefix
        assert not code_set.matches("Z9182")


def test_hcpcs_ranges_are_exact_and_shape_bound() -> None:
    visits = CodeSet.hcpcs(["99202-99205", "97161-97163", "G0438", "0001F-0003F"])
    assert all(visits.matches(c) for c in ("99202", "99203", "99205", "97162", "G0438", "0002F"))
    for outside in ("99201", "99206", "9920F", "97164", "G0439", "0004F", "992020"):
        assert not visits.matches(outside), outside
    assert len(visits) == 4 + 3 + 1 + 3


@pytest.mark.parametrize(
    ("entry", "kind", "message"),
    [
        ("99215-99202", "hcpcs", "99215-99202 is not ordered: 99215 comes after 99202"),
        ("9920F-99215", "hcpcs", "mixes code shapes"),
        ("G0001-H0002", "hcpcs", "mixes code shapes"),
        ("00000-99999", "hcpcs", "at most 10000"),
        ("9920-99215", "hcpcs", "9920 is not an HCPCS/CPT code"),
        ("W19-W00", "icd10", "W19-W00 is not ordered: W19 comes after W00"),
        ("W00-W19.1", "icd10", "W191 is not an ICD-10-CM code or category"),
        ("W00-W199", "icd10", "W00-W199: W199 is not an ICD-10-CM code or category"),
        ("W00-W19XXXA", "icd10", "same length"),
        ("R2", "icd10", "shorter than an ICD-10-CM category"),
        ("W99.Q", "icd10", "W99.Q is not an ICD-10-CM code or category"),
    ],
)
def test_bad_entries_are_named(entry: str, kind: Any, message: str) -> None:
    problem = check_entry(entry, kind)
    assert problem is not None and message in problem, problem


def test_a_stem_of_real_codes_is_a_valid_prefix() -> None:
    # R26.8 is a subcategory; W19.X is no code of its own, but the start of W19.XXXA.
    assert check_entry("R26.8", "icd10") is None
    assert "W19X" not in icd10_codes() and check_entry("W19.X", "icd10") is None
    assert check_entry("W19.Y", "icd10") == "W19.Y is not an ICD-10-CM code or category"


def test_like_patterns_for_the_delimited_diagnoses_column() -> None:
    falls = CodeSet.icd10_prefixes(FALLS)
    patterns = falls.like_patterns()
    assert {"%|Z9181%", "%|R296%", "%|R26%", "%|W00%", "%|W19%"} <= set(patterns)
    assert "%|W20%" not in patterns
    assert CodeSet.hcpcs(["G0438"]).like_patterns() == ["%|G0438|%"]


def test_sql_condition_agrees_with_matches() -> None:
    falls = CodeSet.icd10_prefixes(FALLS)
    visits = CodeSet.hcpcs(["99202-99205", "G0438"])
    rows = [
        ("|Z9181|", "99202"),
        ("|I10|Z91810|", "99206"),
        ("|E119|W19XXXA|", "G0438"),
        ("|W20XXXA|", "9920F"),
        ("|R2689|", "99205"),
        ("|I10|", "G0439"),
        ("|AZ9181|", "99203"),  # Z9181 not at the start of a code: no match
    ]
    engine = create_engine("sqlite://")
    with engine.connect() as conn:
        conn.execute(text("CREATE TABLE line (diagnoses TEXT, hcpcs TEXT)"))
        conn.execute(text("INSERT INTO line VALUES (:d, :h)"), [{"d": d, "h": h} for d, h in rows])
        line = table("line", column("diagnoses"), column("hcpcs"))
        by_diagnosis = set(
            conn.execute(
                select(line.c.diagnoses).where(falls.sql_condition(line.c.diagnoses, delimited=True))
            )
            .scalars()
            .all()
        )
        by_hcpcs = set(conn.execute(select(line.c.hcpcs).where(visits.sql_condition(line.c.hcpcs))).scalars())
    engine.dispose()
    expected_dx = {d for d, _ in rows if falls.matches_any(d.strip("|").split("|"))}
    assert by_diagnosis == expected_dx == {"|Z9181|", "|I10|Z91810|", "|E119|W19XXXA|", "|R2689|"}
    assert by_hcpcs == {h for _, h in rows if visits.matches(h)} == {"99202", "99203", "99205", "G0438"}


def test_empty_code_set_matches_nothing() -> None:
    empty = CodeSet.icd10_prefixes([])
    assert not empty.matches("Z9181") and empty.like_patterns() == []


def _example(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    data.update(changes)
    return data


def test_spec_errors_name_the_field_and_the_bad_code() -> None:
    data = _example()
    data["trigger"]["diagnosis_prefixes"][2] = "W99.Q"
    data["trigger"]["hcpcs"].append("99215-99202")
    data["excluded_principal_diagnosis_prefixes"] = ["C7A.0", "XX1"]
    with pytest.raises(ValidationError) as caught:
        EpisodeDefinitionSpec.model_validate(data)
    found = {format_location(e["loc"]): e["msg"] for e in caught.value.errors()}
    assert found == {
        "trigger.diagnosis_prefixes[2]": "W99.Q is not an ICD-10-CM code or category",
        "trigger.hcpcs[4]": "99215-99202 is not ordered: 99215 comes after 99202",
        "excluded_principal_diagnosis_prefixes[1]": "XX1 is not an ICD-10-CM code or category",
    }


def test_spec_refuses_hospice_spending_unknown_fields_and_duplicates() -> None:
    with pytest.raises(ValidationError, match="hospice claims never count"):
        EpisodeDefinitionSpec.model_validate(_example(included_claim_types=["carrier", "hospice"]))
    with pytest.raises(ValidationError, match="extra"):
        EpisodeDefinitionSpec.model_validate(_example(episode_lenght_days=30))
    measures = EXAMPLE["quality_measures"] + [EXAMPLE["quality_measures"][0]]
    with pytest.raises(ValidationError, match="Q155 appears twice"):
        EpisodeDefinitionSpec.model_validate(_example(quality_measures=measures))
    with pytest.raises(ValidationError, match="outlier_cap_multiple"):
        EpisodeDefinitionSpec.model_validate(_example(outlier_cap_multiple="0.5"))


def test_content_hash_ignores_decimal_spelling_but_not_content() -> None:
    base = content_sha256(EpisodeDefinitionSpec.model_validate(_example()))
    assert content_sha256(EpisodeDefinitionSpec.model_validate(_example(outlier_cap_multiple="3"))) == base
    assert content_sha256(EpisodeDefinitionSpec.model_validate(_example(outlier_cap_multiple="3.00"))) == base
    assert content_sha256(EpisodeDefinitionSpec.model_validate(_example(episode_length_days=60))) != base


def test_a_decimal_must_be_written_as_text() -> None:
    """A YAML or JSON number is a binary float to most tools: decimals are quoted strings."""
    for number in (3, 3.0):
        with pytest.raises(ValidationError, match="must be a decimal string such as"):
            EpisodeDefinitionSpec.model_validate(_example(outlier_cap_multiple=number))
    with pytest.raises(ValidationError, match="must be a decimal string"):
        EpisodeDefinitionSpec.model_validate(_example(outlier_cap_multiple="3e0"))


def test_compiled_definition() -> None:
    spec = EpisodeDefinitionSpec.model_validate(_example(excluded_principal_diagnosis_prefixes=["C00-C14"]))
    compiled = compile_definition(spec)
    assert compiled.trigger is compile_trigger(spec.trigger)  # compiled once, then cached
    assert compiled.trigger.claim_types == {"carrier", "outpatient"}
    assert compiled.trigger.hcpcs.matches("99213") and not compiled.trigger.hcpcs.matches("99216")
    assert compiled.trigger.diagnoses.matches("R2681") and compiled.trigger.min_age == 65
    assert compiled.included_claim_types == {"inpatient", "outpatient", "carrier", "snf", "hha", "dme"}
    assert compiled.excluded_principal.matches("C01") and not compiled.excluded_principal.matches("C15")


def test_matching_agrees_with_the_plain_definition_on_every_code() -> None:
    """Compiled matching equals the definition: a prefix is ``startswith``; a range LO-HI of
    length n holds a code whose first n characters are a code or category between LO and HI."""
    entries = ["Z91.81", "R29.6", "R26", "W00-W19", "S72.0", "C00-C14", "M80.0", "E11.9"]
    compiled = CodeSet.icd10_prefixes(entries)
    every = icd10_codes()

    def plain(code: str) -> bool:
        for entry in entries:
            if "-" in entry:
                low, high = (normalize_code(end) for end in entry.split("-"))
                head = code[: len(low)]
                if head in every and low <= head <= high:
                    return True
            elif code.startswith(normalize_code(entry)):
                return True
        return False

    hits = 0
    for code in every:
        expected = plain(code)
        assert compiled.matches(code) == expected, code
        hits += expected
    assert hits > 1000  # the comparison covered many matching codes, not only misses
