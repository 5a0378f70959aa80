"""Fresh valid identifiers for test data. Kept apart from the API factories so that data
generators (also used by the benchmarks) do not import the test client."""

from __future__ import annotations

import itertools
import secrets

from service.kit.identifiers import make_npi

_npi_counter = itertools.count(secrets.randbelow(10_000_000) * 10)


def new_npi() -> str:
    return make_npi(f"1{next(_npi_counter) % 100_000_000:08d}")


def new_tin() -> str:
    return f"{secrets.randbelow(10**9):09d}"
