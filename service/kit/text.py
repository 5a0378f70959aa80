"""Text from untrusted input made safe to echo back in a problem document or store as JSON."""

from __future__ import annotations

import re

# Python object reprs that library exceptions put in their messages (``<ZipInfo filename=...>``).
_REPR = re.compile(r"<(\w+) (?:filename|name)=('[^']*'|\"[^\"]*\")[^>]*>")
_ANY_REPR = re.compile(r"<[A-Za-z_][\w.]* [^<>]*>")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def printable(text: str) -> str:
    """``text`` that any JSON encoder and database can hold: no lone surrogate (``\\ud800``, or
    a file name decoded with ``surrogateescape``), no NUL or other control character."""
    return _CONTROL.sub("\ufffd", text.encode("utf-8", "replace").decode("utf-8"))


def without_reprs(text: str) -> str:
    """An exception message without Python reprs: ``<ZipInfo filename='a.txt' ...>`` becomes
    ``'a.txt'``; any other ``<Name ...>`` becomes ``a member``."""
    return printable(_ANY_REPR.sub("a member", _REPR.sub(lambda m: m.group(2), text)))
