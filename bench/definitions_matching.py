"""How fast FALLS-PREV's compiled trigger classifies claim lines (pure Python, no database).

Run: ``.venv/bin/python -m bench.definitions_matching [--lines N]``. Lines get random real
ICD-10-CM diagnoses (4 per line) and HCPCS codes from a small mix, so most lines miss: the
common case of a claims file.
"""

from __future__ import annotations

import argparse
import random
import time

from service.definitions.codes import icd10_codes, icd10_problem
from service.definitions.service import compile_trigger, contracts_dir, read_definition_file


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()

    spec = read_definition_file(contracts_dir() / "falls-prev.v1.yaml")
    trigger = compile_trigger(spec.trigger)
    codes = sorted(icd10_codes())
    rng = random.Random(1)
    diagnoses = [[rng.choice(codes) for _ in range(4)] for _ in range(args.lines)]
    hcpcs = [rng.choice(["99213", "97161", "G0438", "99999", "80053"]) for _ in range(args.lines)]

    start = time.perf_counter()
    hits = sum(
        1
        for h, dx in zip(hcpcs, diagnoses, strict=True)
        if trigger.hcpcs.matches(h) and trigger.diagnoses.matches_any(dx)
    )
    elapsed = time.perf_counter() - start
    print(
        f"trigger test: {args.lines} lines in {elapsed:.2f} s ({args.lines / elapsed / 1e6:.2f} M lines/s), {hits} hits"
    )

    start = time.perf_counter()
    hits = sum(1 for dx in diagnoses for d in dx if trigger.diagnoses.matches(d))
    elapsed = time.perf_counter() - start
    print(
        f"diagnosis prefix match: {4 * args.lines} codes in {elapsed:.2f} s ({4 * args.lines / elapsed / 1e6:.2f} M/s)"
    )

    start = time.perf_counter()
    bad = sum(1 for dx in diagnoses for d in dx if icd10_problem(d) is not None)
    elapsed = time.perf_counter() - start
    print(f"ICD-10-CM validation: {4 * args.lines} codes in {elapsed:.2f} s ({bad} invalid)")


if __name__ == "__main__":
    main()
