"""The synthetic data the demo, the tests and the benchmarks share (service/demo/synthetic.py)."""

from __future__ import annotations

import random
from datetime import date

from service.demo.synthetic import (
    Population,
    alignment_row,
    claim_row,
    make_mbi,
    make_npi,
    new_mbi,
    new_npi,
    random_mbi,
)
from service.kit.identifiers import mbi_problem, npi_problem


def test_made_identifiers_are_valid_and_distinct() -> None:
    assert make_npi("123456789") == "1234567893"  # CMS's published example
    assert all(npi_problem(new_npi()) is None for _ in range(50))
    mbis = [make_mbi(n) for n in range(0, 1_600_000, 997)]
    assert len(set(mbis)) == len(mbis) and all(mbi_problem(m) is None for m in mbis)
    rng = random.Random(1)
    assert all(mbi_problem(random_mbi(rng)) is None for _ in range(200))
    assert new_mbi() != new_mbi()


def test_rows_take_defaults_unless_given() -> None:
    assert claim_row()["rendering_npi"] != claim_row()["rendering_npi"]  # a fresh NPI each
    assert claim_row(rendering_npi="")["rendering_npi"] == ""  # an explicit blank stays blank
    assert alignment_row(mbi="2EG4TE5MK74", hcc_score="0.9")["hcc_score"] == "0.9"


def test_a_seed_fixes_the_population() -> None:
    def draw(seed: int) -> tuple[bytes, bytes]:
        people = Population(seed)
        for n in range(20):
            people.beneficiary(make_mbi(n), birth_date=people.day_in(date(1930, 1, 1), date(1960, 1, 1)))
            people.claim(claim_id=f"X{n}", mbi=make_mbi(n), rendering_npi="1234567893")
        return people.csv()

    assert draw(5) == draw(5) and draw(5) != draw(6)
    streamed: list[dict[str, str]] = []
    people = Population(5, on_claim=streamed.append)
    people.claim(rendering_npi="1234567893")
    assert people.claims == [] and len(streamed) == 1 and people.lines == 1
