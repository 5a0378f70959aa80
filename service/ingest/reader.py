"""Streaming decoding of an upload body: optional gzip, line splitting, CSV or NDJSON rows.

Bytes go in chunk by chunk; complete rows come out. Nothing holds more than one chunk and one
partial line, whatever the size of the upload. The SHA-256 and size are of the decompressed
content, so the same data sent gzipped or plain is the same upload.
"""

from __future__ import annotations

import csv
import hashlib
import json
import zlib
from collections.abc import Iterator

from service.ingest.validation import as_text
from service.kit.errors import FieldError, PayloadTooLarge, Unprocessable

# Inflate at most this much per step, so a small gzip bomb cannot allocate a huge buffer.
_INFLATE_STEP = 1 << 20


class ByteLines:
    """Feeds raw chunks, yields complete lines (without line endings)."""

    def __init__(self, *, gzip: bool, max_bytes: int, max_line_bytes: int) -> None:
        self.inflater = zlib.decompressobj(16 + zlib.MAX_WBITS) if gzip else None
        self.max_bytes = max_bytes
        self.max_line_bytes = max_line_bytes
        self.sha256 = hashlib.sha256()
        self.size = 0
        self.pending = b""
        self.lines_seen = 0

    def _accept(self, data: bytes) -> Iterator[bytes]:
        if not data:
            return
        self.size += len(data)
        if self.size > self.max_bytes:
            raise PayloadTooLarge(f"uploads are limited to {self.max_bytes} bytes (decompressed)")
        self.sha256.update(data)
        data = self.pending + data
        parts = data.split(b"\n")
        self.pending = parts.pop()
        if len(self.pending) > self.max_line_bytes:
            self._too_long(self.lines_seen + 1)
        for line in parts:
            self.lines_seen += 1
            if len(line) > self.max_line_bytes:
                self._too_long(self.lines_seen)
            yield line[:-1] if line.endswith(b"\r") else line

    def _too_long(self, line_number: int) -> None:
        raise Unprocessable(
            f"line {line_number} is longer than {self.max_line_bytes} bytes",
            errors=[FieldError(location=f"line {line_number}", message="line too long")],
        )

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        if self.inflater is None:
            yield from self._accept(chunk)
            return
        data = chunk
        while data:
            try:
                out = self.inflater.decompress(data, _INFLATE_STEP)
            except zlib.error as exc:
                raise Unprocessable("the body is not valid gzip (Content-Encoding: gzip)") from exc
            yield from self._accept(out)
            data = self.inflater.unconsumed_tail

    def finish(self) -> Iterator[bytes]:
        if self.inflater is not None:
            try:
                tail = self.inflater.flush()
            except zlib.error as exc:
                raise Unprocessable("the gzip stream is truncated") from exc
            if not self.inflater.eof:
                raise Unprocessable("the gzip stream is truncated")
            yield from self._accept(tail)
        if self.pending:
            self.lines_seen += 1
            last = self.pending
            self.pending = b""
            yield last[:-1] if last.endswith(b"\r") else last


class RowParser:
    """Turns lines into (row number, values in ``fields`` order) or (row number, error reason)."""

    def __init__(self, fmt: str, fields: tuple[str, ...], required: tuple[str, ...]) -> None:
        self.fmt = fmt
        self.fields = fields
        self.required = required
        self.header: list[str] | None = None
        self.positions: list[int] | None = None  # None: the header lists the fields in order
        self.row = 0

    def parse(self, line: bytes) -> tuple[int, list[str] | str] | None:
        if self.header is None and self.fmt == "csv":
            self._read_header(line)
            return None
        if not line.strip():
            return None
        self.row += 1
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            return self.row, "not valid UTF-8"
        if self.fmt == "ndjson":
            try:
                value = json.loads(text)
            except ValueError:
                return self.row, "not a JSON object"
            if not isinstance(value, dict):
                return self.row, "not a JSON object"
            return self.row, [as_text(value.get(name)) for name in self.fields]
        assert self.header is not None
        # Most lines carry no quotes: a plain split is several times faster than the csv module.
        try:
            values = text.split(",") if '"' not in text else next(csv.reader([text]))
        except csv.Error as exc:  # e.g. a carriage return inside a quoted line
            return self.row, f"not a valid CSV line ({exc})"
        if len(values) != len(self.header):
            return self.row, f"{len(values)} values for {len(self.header)} columns"
        if self.positions is None:
            return self.row, values
        return self.row, [values[i] if i >= 0 else "" for i in self.positions]

    def _read_header(self, line: bytes) -> None:
        text = line.decode("utf-8", errors="replace").lstrip("\ufeff")
        try:
            header = [name.strip() for name in next(csv.reader([text]), [])]
        except csv.Error as exc:  # e.g. a carriage return inside the header line
            raise Unprocessable(
                "the CSV header line cannot be read",
                errors=[FieldError(location="header", message=f"not a valid CSV line ({exc})")],
            ) from exc
        unknown = [name for name in header if name not in self.fields]
        missing = [name for name in self.required if name not in header]
        if unknown or missing or len(set(header)) != len(header):
            errors = [FieldError(location=f"header: {n}", message="unknown column") for n in unknown]
            errors += [
                FieldError(location=f"header: {n}", message="required column missing") for n in missing
            ]
            if len(set(header)) != len(header):
                errors.append(FieldError(location="header", message="duplicate column"))
            raise Unprocessable(
                "the CSV header must name the fields of SPEC section 5: " + ", ".join(self.fields),
                errors=errors,
            )
        self.header = header
        if header != list(self.fields):
            self.positions = [header.index(name) if name in header else -1 for name in self.fields]
