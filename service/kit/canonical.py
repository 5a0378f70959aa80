"""Canonical JSON for hashing: the one way a value is written before it is hashed.

Three hashes use it, and parties rely on each staying byte for byte the same:
- the terms hash both parties sign (arrangements),
- the content hash a published episode definition is compared by (definitions),
- the inputs hash of a settlement (settlements).

The rules: keys sorted, no spaces, UTF-8 as is (no ``\\u`` escapes); a decimal as plain digits
without exponent or trailing zeros, and zero always ``"0"`` (``-0.00`` and ``0E+3`` too), so that
equal amounts hash equally however they were typed; dates as ``YYYY-MM-DD``; enums as their
value; pydantic models as their fields. Floats are refused: money and rates are decimals.

One rule differs between the hashes, so it is a parameter every caller states: ``omit_none``.
The terms hash leaves absent values out (``"overrides": null`` is the same terms as no
``overrides`` at all); the definition and settlement hashes keep ``null`` (an unreported quality
measure's ``"numerator": null`` is part of what was settled). Changing a caller's choice changes
its hashes.

(Before this module the definition hash wrote a negative zero as ``"-0"``; no definition can hold
one, its only decimal being at least 1, so no published hash depended on that.)
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from pydantic import BaseModel


def decimal_text(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros; any zero is ``"0"``."""
    text = format(value.normalize(), "f")
    return "0" if text in ("-0", "0", "") else text


def canonical(value: Any, *, omit_none: bool) -> Any:
    """``value`` as JSON-ready data under the rules above (keys not yet sorted)."""
    if isinstance(value, Enum):
        return canonical(value.value, omit_none=omit_none)
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return canonical(value.model_dump(mode="python"), omit_none=omit_none)
    if isinstance(value, dict):
        return {
            str(key): canonical(item, omit_none=omit_none)
            for key, item in value.items()
            if not (omit_none and item is None)
        }
    if isinstance(value, list | tuple):
        return [canonical(item, omit_none=omit_none) for item in value]
    raise TypeError(f"cannot hash {type(value).__name__}")


def canonical_json(value: Any, *, omit_none: bool) -> str:
    """The canonical text of ``value``: sorted keys, compact separators, no ASCII escaping."""
    return json.dumps(
        canonical(value, omit_none=omit_none), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


def canonical_sha256(value: Any, *, omit_none: bool) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of :func:`canonical_json`."""
    return hashlib.sha256(canonical_json(value, omit_none=omit_none).encode("utf-8")).hexdigest()
