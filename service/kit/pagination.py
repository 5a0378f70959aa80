"""Keyset (cursor) pagination: ``?limit=`` (1..500, default 50) and an opaque ``?cursor=``.

The cursor encodes the last key returned; the next page starts strictly after it, so pages stay
stable while rows are inserted. Keys are unique, time-ordered ids.

A cursor comes back from the client, so it is checked like any input before it reaches a query:
it must hold one value of the key's type (text without NUL or lone surrogates for string keys, a
64-bit integer for integer keys). Anything else is a 422, never a database error.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel, Field
from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from service.kit.errors import FieldError, Unprocessable

T = TypeVar("T")

MAX_LIMIT = 500

LimitParam = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Page size (1..500).")]
CursorParam = Annotated[
    str | None, Query(max_length=512, description="Opaque cursor from the previous page's `next_cursor`.")
]


class Page(BaseModel, Generic[T]):
    """One page of a list, in a stable order."""

    items: list[T]
    next_cursor: str | None = Field(
        None, description="Pass as `?cursor=` for the next page; null on the last."
    )


def encode_cursor(key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps([key]).encode()).decode().rstrip("=")


_INT64 = range(-(2**63), 2**63)
MAX_TEXT_KEY = 200


def _acceptable(value: Any, expected: type) -> bool:
    if expected is int:
        return type(value) is int and value in _INT64  # bool is an int subclass: not accepted
    if type(value) is not str or len(value) > MAX_TEXT_KEY or "\x00" in value:
        return False
    try:
        value.encode("utf-8")  # a lone surrogate ("\ud800") is not text a database can compare
    except UnicodeEncodeError:
        return False
    return True


def decode_cursor(cursor: str, expected: type = str) -> Any:
    """The key a cursor holds, of type ``expected`` (``str`` or ``int``); 422 for anything else."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(value, list) or len(value) != 1 or not _acceptable(value[0], expected):
            raise ValueError
        return value[0]
    except (ValueError, binascii.Error, UnicodeDecodeError, RecursionError) as exc:
        raise Unprocessable(
            "the cursor is not one this service issued",
            errors=[FieldError(location="query.cursor", message="invalid cursor")],
        ) from exc


def page_of(
    stmt: Select[Any],
    *,
    key: InstrumentedAttribute[Any],
    limit: int,
    cursor: str | None,
    descending: bool = False,
) -> Select[Any]:
    """``stmt`` restricted to the page after ``cursor``, ordered by the unique ``key``: ``limit``
    rows and one more (which tells whether another page follows; see :func:`split_page`)."""
    if cursor is not None:
        after = decode_cursor(cursor, int if key.type.python_type is int else str)
        stmt = stmt.where(key < after if descending else key > after)
    return stmt.order_by(key.desc() if descending else key.asc()).limit(limit + 1)


def split_page(
    rows: Sequence[T], *, limit: int, key_of: Callable[[T], Any]
) -> tuple[Sequence[T], str | None]:
    """The page's rows (at most ``limit``) and the cursor of the next page (None on the last)."""
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, encode_cursor(key_of(rows[-1]))


async def paginate(
    session: AsyncSession,
    stmt: Select[Any],
    *,
    key: InstrumentedAttribute[Any],
    limit: int,
    cursor: str | None,
    descending: bool = False,
) -> tuple[Sequence[Any], str | None]:
    """Run ``stmt`` (selecting ORM entities) one page at a time, ordered by the unique ``key``."""
    stmt = page_of(stmt, key=key, limit=limit, cursor=cursor, descending=descending)
    rows = (await session.scalars(stmt)).all()
    return split_page(rows, limit=limit, key_of=lambda row: getattr(row, key.key))
