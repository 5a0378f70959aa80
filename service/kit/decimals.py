"""Money and percentages in requests: decimal strings only.

A JSON number is a binary float to most clients (``2150.1`` may already be ``2150.0999...`` when
it leaves them), so an input decimal must arrive as text: ``"2150.10"``. :data:`DecimalText` is a
:class:`~decimal.Decimal` that accepts such text (or a ``Decimal`` from Python code) and refuses a
JSON number with a message that says so; its JSON Schema is a string in requests and responses
alike, so one schema serves both and generated clients see one type.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

DECIMAL_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?\Z")

NUMBER_REFUSED = 'must be a decimal string such as "2150.10", not a JSON number'
NOT_DECIMAL = 'must be a decimal string: digits with an optional sign and point, such as "-2.5"'


def _decimal_text(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool | int | float):
        raise PydanticCustomError("decimal_string", NUMBER_REFUSED)
    if isinstance(value, str) and not _DECIMAL.match(value):
        raise PydanticCustomError("decimal_string", NOT_DECIMAL)
    return value


DecimalText = Annotated[
    Decimal,
    BeforeValidator(_decimal_text),
    WithJsonSchema({"type": "string", "pattern": DECIMAL_PATTERN}),
]
