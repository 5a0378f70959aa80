"""ICD-10-CM code sets by date of service, and a newer set added as data (a CMS code file)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from service.definitions.code_sets import BUNDLED_FISCAL_YEAR, Icd10ByDate, icd10_sets, read_code_file
from service.ingest.validation import ClaimValidator
from tests.support.ingest_data import claim

# A few lines of CMS's code file layout (code, blanks, description); X9999 is new in "FY2027".
FY2027 = """A000    Cholera due to Vibrio cholerae 01, biovar cholerae
R2681   Unsteadiness on feet
X9999   A code new in this year
Z9181   History of falling
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "FY2027.txt").write_text(FY2027)
    (tmp_path / "README.txt").write_text("not a code set: ignored")
    return tmp_path


def test_the_bundled_set_is_fiscal_2026_and_nothing_else_ships() -> None:
    [bundled] = icd10_sets()
    assert (bundled.fiscal_year, bundled.name) == (BUNDLED_FISCAL_YEAR, "ICD-10-CM FY2026")
    assert (bundled.effective_from, bundled.effective_through) == (date(2025, 10, 1), date(2026, 9, 30))
    assert "Z9181" in bundled.codes and "X9999" not in bundled.codes


def test_a_code_file_adds_its_codes_and_their_categories(folder: Path) -> None:
    codes = read_code_file(folder / "FY2027.txt")
    assert {"X9999", "X999", "X99", "A000", "A00", "Z9181", "Z918", "Z91"} <= codes and "X9" not in codes
    (folder / "bad.txt").write_text("A000 ok\n12345 not a code\n")
    with pytest.raises(ValueError, match=r"bad\.txt line 2: '12345' is not an ICD-10-CM code"):
        read_code_file(folder / "bad.txt")


def test_each_date_is_checked_against_its_years_set(folder: Path) -> None:
    sets = icd10_sets(folder)
    assert [s.name for s in sets] == ["ICD-10-CM FY2026", "ICD-10-CM FY2027"]
    check = Icd10ByDate(sets)
    # FY2026: X9999 unknown; FY2027 knows it, but not R26.89 (absent from this small file).
    assert check.check("|Z9181|X9999|", "2026-09-30")[0] == (
        "X9999 is not an ICD-10-CM code or category of ICD-10-CM FY2026 (in force on 2026-09-30)"
    )
    assert check.check("|Z9181|X9999|", "2026-10-01") == (None, ())
    assert check.check("|R2689|", "2027-09-30")[0] == (
        "R2689 is not an ICD-10-CM code or category of ICD-10-CM FY2027 (in force on 2027-09-30)"
    )
    # After the newest set: unknown codes are flagged, not refused; the newest set now is FY2027.
    assert check.check("|Z9181|R2689|", "2027-10-01") == (None, ("R2689",))
    assert check.check("|X999|", "2028-01-01") == (None, ())  # a category of FY2027


def test_the_upload_report_flags_codes_after_the_newest_set(folder: Path) -> None:
    validator = ClaimValidator(sandbox=False)
    validator.code_sets = Icd10ByDate(icd10_sets(folder))
    rows = [
        claim(claim_id="A", from_date="2026-10-05", thru_date="2026-10-05", diagnoses="X99.99"),
        claim(claim_id="B", from_date="2027-11-02", thru_date="2027-11-02", diagnoses="Z91.81|Q99.9"),
        claim(claim_id="C", from_date="2027-11-03", thru_date="2027-11-03", diagnoses="Q99.9"),
    ]
    result = validator.validate_batch([(n, validator.values_of(r)) for n, r in enumerate(rows, 1)])
    assert (len(result.rows), result.errors) == (3, [])
    [warning] = validator.warnings()
    assert (warning["code"], warning["code_set"], warning["rows"], warning["first_row"]) == (
        "Q999",
        "ICD-10-CM FY2027",
        2,
        2,
    )
    assert "in force until 2027-09-30" in warning["message"]


def test_the_bundled_set_is_exactly_the_packages_codes() -> None:
    """The service reads the package's code list as text (compact, without the package's code
    tree); it must hold exactly the codes and categories the package's tree lists."""
    import subprocess
    import sys

    # In a child process: the package's tree takes about 190 MB to build.
    script = (
        "import re, simple_icd_10_cm as cm\n"
        "shape = re.compile(r'[A-Z][0-9][0-9A-Z]{1,5}')\n"
        "print('\\n'.join(sorted(c for c in cm.get_all_codes(with_dots=False) if shape.fullmatch(c))))\n"
    )
    listed = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    [bundled] = icd10_sets()
    assert len(listed) > 90_000
    assert set(listed) == bundled.codes
    assert list(bundled.ordered) == sorted(set(listed))
