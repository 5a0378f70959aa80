"""Validators for the identifiers of US health care: NPI, TIN and Medicare MBI.

Each returns None when the value is valid, else the reason in words, so the same check serves
JSON schemas, uploads and claim files alike.
"""

from __future__ import annotations

import re

# docs/method.md section 4: ten digits and a valid check digit. CMS issues NPIs starting with 1 or 2; the
# synthetic NPIs of CMS's public sample data start with 8 or 9 and carry valid check digits.
_NPI = re.compile(r"^\d{10}\Z")
_TIN = re.compile(r"^\d{9}\Z")
# CMS MBI format: C A AN N A AN N A A N N, letters excluding S, L, O, I, B, Z.
_A = "AC-HJKMNP-RT-Y"
_AN = _A + "0-9"
_MBI = re.compile(rf"^[1-9][{_A}][{_AN}]\d[{_A}][{_AN}]\d[{_A}][{_A}]\d\d\Z")
# CMS's synthetic test MBIs (Blue Button, BFD) put an S in position 2, which a real MBI never has.
_SYNTHETIC_MBI = re.compile(rf"^[1-9]S[{_AN}]\d[{_A}][{_AN}]\d[{_A}][{_A}]\d\d\Z")


def npi_luhn_valid(npi: str) -> bool:
    """Luhn check over the constant prefix 80840 followed by the 10 NPI digits."""
    digits = [int(c) for c in "80840" + npi]
    total = 0
    for index, digit in enumerate(reversed(digits)):
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def npi_problem(value: str) -> str | None:
    if not _NPI.match(value):
        return "an NPI is 10 digits"
    if not npi_luhn_valid(value):
        return "NPI check digit (Luhn, prefix 80840) does not match"
    return None


def tin_problem(value: str) -> str | None:
    return None if _TIN.match(value) else "a TIN is 9 digits, no dash"


def mbi_problem(value: str, *, sandbox: bool = False) -> str | None:
    if _MBI.match(value):
        return None
    if sandbox and _SYNTHETIC_MBI.match(value):
        return None
    if _SYNTHETIC_MBI.match(value):
        return "synthetic MBI (S in position 2) is accepted only with CARA_SANDBOX=true"
    return "not a Medicare Beneficiary Identifier (11 characters in CMS's MBI pattern)"
