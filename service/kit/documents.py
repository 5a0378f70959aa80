"""Documents for people: HTML rendered from the templates kept as data in ``contracts/templates/``,
and the helpers their figures and spreadsheets need.

Templates run in Jinja's sandbox with autoescaping: a template can read the values it is given
(no underscore attributes, no Python internals) and every value is HTML-escaped unless the
template says otherwise, so a party's name or a signer's title typed as markup stays text.
A missing value is an error, never a silent blank.

The money helpers write dollars as people read them (``$1,234.56``, and the amount in words for a
statement's outcome); :func:`neutralise` keeps a spreadsheet from running a value that came from
an upload or a person as a formula.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "contracts" / "templates"
CENT = Decimal("0.01")
# Characters a spreadsheet takes as the start of a formula (and tab and carriage return, which
# some spreadsheets strip before looking).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_SCALES = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (10**3, "thousand"))


def round_cents(value: Decimal) -> Decimal:
    """Half up to cents, the rounding the settlement uses."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def money(value: Decimal) -> str:
    """``Decimal("-1234.5")`` -> ``"-$1,234.50"``."""
    cents = round_cents(value)
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents):,.2f}"


def _below_thousand(n: int) -> str:
    words = []
    if n >= 100:
        words.append(f"{_ONES[n // 100]} hundred")
        n %= 100
    if n >= 20:
        words.append(_TENS[n // 10] + (f"-{_ONES[n % 10]}" if n % 10 else ""))
    elif n or not words:
        words.append(_ONES[n])
    return " ".join(words)


def number_in_words(n: int) -> str:
    """A whole number >= 0 in English words (``1234`` -> ``one thousand two hundred thirty-four``)."""
    if n < 0:
        raise ValueError("a negative number has no words here")
    if n < 1000:
        return _below_thousand(n)
    words = []
    for scale, name in _SCALES:
        if n >= scale:
            words.append(f"{number_in_words(n // scale)} {name}")
            n %= scale
    if n:
        words.append(_below_thousand(n))
    return " ".join(words)


def amount_in_words(value: Decimal) -> str:
    """The absolute amount in words: ``103.04`` -> ``one hundred three dollars and four cents``."""
    cents = abs(round_cents(value))
    dollars, rest = int(cents), int((cents - int(cents)) * 100)
    dollar_words = f"{number_in_words(dollars)} dollar{'' if dollars == 1 else 's'}"
    return f"{dollar_words} and {number_in_words(rest)} cent{'' if rest == 1 else 's'}"


def plain_decimal(value: Decimal) -> str:
    """Digits without exponent or trailing zeros (``Decimal("529.2000")`` -> ``"529.2"``)."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0", "") else text


def percent(value: Decimal) -> str:
    """``Decimal("-2.0000")`` -> ``"-2%"``."""
    return plain_decimal(value) + "%"


def neutralise(value: str) -> str:
    """A text value safe to put in a spreadsheet cell: one that a spreadsheet would read as a
    formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is prefixed
    with an apostrophe, which spreadsheets show as text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(money=money, words=amount_in_words, pct=percent, plain=plain_decimal)
    return env


_ENV = _environment()


def render(template: str, context: Mapping[str, Any]) -> str:
    """Render ``contracts/templates/<template>`` with ``context``."""
    return _ENV.get_template(template).render(**context)
