"""Synthetic data for the demo, the tests and the benchmarks (never read by the service itself):
valid identifiers, alignment rows and claim lines with plausible defaults, CSV, and the one
seeded population generator they all build on.

:class:`Population` holds the random source and where rows go (kept in lists, or streamed to a
file by the benchmarks); each user tells its own story with it (the demo's falls clinic, the
settlement benchmark's episodes, a test's few beneficiaries), and the same seed gives the same
rows.
"""

from __future__ import annotations

import csv
import io
import itertools
import random
import secrets
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from service.ingest.validation import ALIGNMENT_FIELDS, CLAIM_FIELDS
from service.kit.identifiers import npi_luhn_valid

MBI_LETTERS = "ACDEFGHJKMNPQRTUVWXY"  # the 20 letters CMS allows in an MBI
DEFAULT_MBI = "1EG4TE5MK73"

Row = dict[str, Any]

# Terms of a worked example (a target of 1000.00 less 2 %, shares 50/50, performance 20 %,
# relief 10 %, caps 20 %): each episode's target is 980.00 x its risk factor. The settlement
# tests and the settlement benchmark use them.
EXAMPLE_TERMS: dict[str, Any] = {
    "target_price": "1000.00",
    "price_adjustment_pct": "-2",
    "savings_share_pct": "50",
    "loss_share_pct": "50",
    "performance_adjustment_pct": "20",
    "loss_quality_relief_pct": "10",
    "quality_measures": [{"measure_id": "Q155", "weight": "1"}, {"measure_id": "Q318", "weight": "1"}],
    "stop_gain_pct": "20",
    "stop_loss_pct": "20",
    "min_episodes": 0,
    "runout_days": 90,
}


# ---- identifiers -------------------------------------------------------------------------------


def make_npi(first_nine: str) -> str:
    """Complete nine digits with the Luhn check digit."""
    for check in "0123456789":
        if npi_luhn_valid(first_nine + check):
            return first_nine + check
    raise AssertionError("unreachable")


def make_mbi(n: int) -> str:
    """The n-th valid MBI (CMS's pattern), distinct for every n below 1,600,000."""
    digits = f"{n:07d}"
    letters = MBI_LETTERS
    return (
        f"{1 + n % 9}{letters[n % 20]}{letters[(n // 20) % 20]}{digits[0]}{letters[(n // 400) % 20]}"
        f"{digits[1]}{digits[2]}{letters[(n // 8000) % 20]}{letters[(n // 160000) % 20]}{digits[5]}{digits[6]}"
    )


def random_mbi(rng: random.Random) -> str:
    """A valid MBI drawn from ``rng`` (CMS's pattern; not necessarily distinct)."""

    def a() -> str:
        return rng.choice(MBI_LETTERS)

    def an() -> str:
        return rng.choice(MBI_LETTERS + "0123456789")

    def d() -> str:
        return str(rng.randint(0, 9))

    return f"{rng.randint(1, 9)}{a()}{an()}{d()}{a()}{an()}{d()}{a()}{a()}{d()}{d()}"


_npi_counter = itertools.count(secrets.randbelow(10_000_000) * 10)
_mbi_counter = itertools.count(secrets.randbelow(10**6))
_tin_counter = itertools.count(secrets.randbelow(10**8) * 10)


def new_npi() -> str:
    """A valid NPI not handed out before in this process."""
    return make_npi(f"1{next(_npi_counter) % 100_000_000:08d}")


def new_mbi() -> str:
    """A valid MBI not handed out before in this process."""
    return make_mbi(next(_mbi_counter))


def new_tin() -> str:
    """A TIN not handed out before in this process (a TIN belongs to one organisation of a kind)."""
    return f"{next(_tin_counter) % 10**9:09d}"


# ---- rows ----------------------------------------------------------------------------------------


def alignment_row(**values: Any) -> Row:
    """One beneficiary's alignment row: an aligned, living 79-year-old without ESRD or hospice
    unless ``values`` say otherwise."""
    row: Row = {
        "mbi": DEFAULT_MBI,
        "birth_date": "1948-05-17",
        "sex": "F",
        "dual_status": "false",
        "hcc_score": "1.137",
        "aligned_from": "2027-01-01",
        "aligned_through": "",
        "esrd": "false",
        "hospice_start": "",
        "death_date": "",
    }
    row.update(values)
    return row


def claim_row(**values: Any) -> Row:
    """One claim line: a carrier fall-risk visit (99214, Z91.81) by a fresh NPI unless ``values``
    say otherwise."""
    row: Row = {
        "claim_id": "C1",
        "line_number": "1",
        "claim_type": "carrier",
        "mbi": DEFAULT_MBI,
        "from_date": "2027-03-02",
        "thru_date": "2027-03-02",
        "billing_tin": "123456789",
        "hcpcs": "99214",
        "diagnoses": "Z91.81|R26.81",
        "allowed_amount": "142.10",
        "paid_amount": "113.68",
        "adjustment": "original",
        "received_date": "2027-03-20",
    }
    if "rendering_npi" not in values:
        row["rendering_npi"] = new_npi()
    row.update(values)
    return row


def money(cents: int) -> str:
    """Whole cents as a decimal string (``12345`` -> ``"123.45"``)."""
    return f"{cents // 100}.{cents % 100:02d}"


def to_csv(rows: list[Row], fields: tuple[str, ...] | None = None) -> bytes:
    """Rows as an upload's CSV (claim lines or alignment, told apart by their fields)."""
    fields = fields or (CLAIM_FIELDS if "claim_id" in rows[0] else ALIGNMENT_FIELDS)
    out = io.StringIO()
    write_csv(out, rows, fields)
    return out.getvalue().encode()


def write_csv(handle: Any, rows: Iterable[Row], fields: tuple[str, ...]) -> None:
    writer = csv.DictWriter(handle, fieldnames=list(fields), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


# ---- the population generator -------------------------------------------------------------------


class Population:
    """A seeded synthetic population: beneficiaries (alignment rows) and their claim lines.

    ``rng`` is the one random source (a story draws from it in a fixed order, so a seed fixes
    the rows). Rows are kept in ``alignment`` and ``claims``, or handed to ``on_alignment`` and
    ``on_claim`` when given (a benchmark's million lines go straight to a file).
    """

    def __init__(
        self,
        seed: int,
        *,
        on_alignment: Callable[[Row], None] | None = None,
        on_claim: Callable[[Row], None] | None = None,
    ) -> None:
        self.rng = random.Random(seed)
        self.alignment: list[Row] = []
        self.claims: list[Row] = []
        self._on_alignment = on_alignment or self.alignment.append
        self._on_claim = on_claim or self.claims.append
        self.lines = 0

    def day_in(self, first: date, last: date) -> date:
        """A day from ``first`` to ``last``, both included."""
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def cents(self, low: int, high: int) -> int:
        return self.rng.randint(low, high)

    def beneficiary(self, mbi: str, **values: Any) -> Row:
        row = alignment_row(mbi=mbi, **values)
        self._on_alignment(row)
        return row

    def claim(self, **values: Any) -> Row:
        row = claim_row(**values)
        self._on_claim(row)
        self.lines += 1
        return row

    def csv(self) -> tuple[bytes, bytes]:
        """The kept rows as the alignment and claims uploads."""
        return to_csv(self.alignment, ALIGNMENT_FIELDS), to_csv(self.claims, CLAIM_FIELDS)
