"""Streaming decoding of an upload body: optional gzip, line splitting, CSV or NDJSON rows.

Bytes go in chunk by chunk; complete rows come out. Nothing holds more than one chunk and one
partial line, whatever the size of the upload. The SHA-256 and size are of the decompressed
content, so the same data sent gzipped or plain is the same upload.

All of this is CPU work: ``records_from_body`` runs it in a worker thread, never on the event
loop. Hostile bodies are bounded: gzip may expand at most ``max_ratio`` times the bytes received
(checked past the first MiB), every gzip member is read (a body of several members is the
concatenation of their contents, RFC 1952; anything else after a member is refused, never
dropped), and more than ``max_blank_lines`` empty lines refuse the body.
"""

from __future__ import annotations

import csv
import hashlib
import json
import zlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from service.ingest.validation import RowError, as_text
from service.kit.body_limits import json_depth_exceeds
from service.kit.decimals import NUMBER_REFUSED
from service.kit.errors import FieldError, PayloadTooLarge, Unprocessable

if TYPE_CHECKING:
    from service.ingest.columnar import ColumnBlock

# Inflate at most this much per step, so a small gzip bomb cannot allocate a huge buffer.
_INFLATE_STEP = 1 << 20
# Below this much inflated content the expansion ratio is not checked: small bodies of repeated
# rows may shrink a hundredfold and more.
RATIO_FLOOR_BYTES = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
# An NDJSON row is one flat object (a list of diagnoses at most): this many brackets in a line
# calls for a look at how deeply they nest.
_BRACKETS_WORTH_A_LOOK = 16
MAX_NDJSON_DEPTH = 3


def _inflater() -> Any:
    return zlib.decompressobj(16 + zlib.MAX_WBITS)


class ByteLines:
    """Feeds raw chunks, yields complete lines (without line endings)."""

    def __init__(self, *, gzip: bool, max_bytes: int, max_line_bytes: int, max_ratio: int = 200) -> None:
        self.inflater = _inflater() if gzip else None
        self.max_bytes = max_bytes
        self.max_line_bytes = max_line_bytes
        self.max_ratio = max_ratio
        self.sha256 = hashlib.sha256()
        self.size = 0
        self.received = 0  # bytes as sent (compressed, for gzip)
        self.members = 1 if gzip else 0  # gzip members begun
        self.between = b""  # bytes after a member's end, too few yet to tell what follows
        self.pending = b""
        self.lines_seen = 0

    def _accept(self, data: bytes) -> bytes:
        """Counts and hashes ``data``; returns the complete lines it ends (each with its line end)
        and keeps the partial line after them."""
        if not data:
            return b""
        self.size += len(data)
        if self.size > self.max_bytes:
            raise PayloadTooLarge(f"uploads are limited to {self.max_bytes} bytes (decompressed)")
        self.sha256.update(data)
        data = self.pending + data
        cut = data.rfind(b"\n") + 1
        block, self.pending = data[:cut], data[cut:]
        if len(self.pending) > self.max_line_bytes:
            self._too_long(self.lines_seen + 1)
        self._check_line_lengths(block)
        self.lines_seen += block.count(b"\n")
        return block

    def _check_line_lengths(self, block: bytes) -> None:
        """Refuses a line of ``block`` longer than ``max_line_bytes``. Each step looks at the next
        ``max_line_bytes + 1`` bytes from a line's start: without a line end among them, that
        line is too long; else every line ending there is short enough, and the next step starts
        after the last line end found (a few steps per MiB, not one per line)."""
        limit = self.max_line_bytes
        start = 0
        while len(block) - start > limit:
            last = block.rfind(b"\n", start, start + limit + 1)
            if last < 0:
                self._too_long(self.lines_seen + block.count(b"\n", 0, start) + 1)
            start = last + 1

    def _too_long(self, line_number: int) -> None:
        raise Unprocessable(
            f"line {line_number} is longer than {self.max_line_bytes} bytes",
            errors=[FieldError(location=f"line {line_number}", message="line too long")],
        )

    def _check_ratio(self) -> None:
        if self.size > RATIO_FLOOR_BYTES and self.size > self.max_ratio * self.received:
            raise PayloadTooLarge(
                f"the gzip body expands more than {self.max_ratio} times: refused as a decompression bomb "
                "(send it uncompressed, or raise CARA_MAX_GZIP_RATIO)"
            )

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        """The complete lines that ``chunk`` ends, one by one (without line endings)."""
        for block in self.feed_blocks(chunk):
            yield from lines_of(block)

    def finish(self) -> Iterator[bytes]:
        for block in self.finish_blocks():
            yield from lines_of(block)

    def feed_blocks(self, chunk: bytes) -> Iterator[bytes]:
        """The complete lines that ``chunk`` ends, as blocks of bytes (line endings kept)."""
        self.received += len(chunk)
        if self.inflater is None:
            yield self._accept(chunk)
            return
        data = chunk
        while data:
            if self.inflater.eof:
                # The member ended; what follows must be another one (its content continues
                # the body). Anything else is refused: a body is read whole or not at all.
                data = self.between + data
                if len(data) < len(_GZIP_MAGIC):
                    self.between = data
                    return
                self.between = b""
                if not data.startswith(_GZIP_MAGIC):
                    raise Unprocessable(
                        "the gzip body has data after its end that is not another gzip member"
                    )
                self.inflater = _inflater()
                self.members += 1
            try:
                out = self.inflater.decompress(data, _INFLATE_STEP)
            except zlib.error as exc:
                raise Unprocessable("the body is not valid gzip (Content-Encoding: gzip)") from exc
            yield self._accept(out)
            self._check_ratio()
            data = self.inflater.unused_data if self.inflater.eof else self.inflater.unconsumed_tail

    def finish_blocks(self) -> Iterator[bytes]:
        """What is left at the end of the body (the last line may lack its line end)."""
        if self.inflater is not None:
            if self.between:
                raise Unprocessable("the gzip body has data after its end that is not another gzip member")
            try:
                tail = self.inflater.flush()
            except zlib.error as exc:
                raise Unprocessable("the gzip stream is truncated") from exc
            if not self.inflater.eof:
                raise Unprocessable("the gzip stream is truncated")
            yield self._accept(tail)
        if self.pending:
            self.lines_seen += 1
            last = self.pending
            self.pending = b""
            yield last


def lines_of(block: bytes) -> list[bytes]:
    """The lines of a block of complete lines, without their line ends (``\n`` or ``\r\n``)."""
    if not block:
        return []
    lines = block.split(b"\n")
    if block.endswith(b"\n"):
        lines.pop()
    return [line[:-1] if line.endswith(b"\r") else line for line in lines]


def _is_text(value: Any) -> bool:
    """False when a decoded JSON value holds a lone surrogate (``"\\ud800"``): not Unicode text."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class RowParser:
    """Turns lines into (row number, values in ``fields`` order) or (row number, error reason),
    or, for a value refused before validation (money as a JSON number), (row number, RowError);
    with ``blocks``, whole blocks of CSV lines into ColumnBlocks where it can."""

    def __init__(
        self,
        fmt: str,
        fields: tuple[str, ...],
        required: tuple[str, ...],
        *,
        money: frozenset[str] = frozenset(),
        max_blank_lines: int = 1000,
        blocks: bool = False,
    ) -> None:
        self.fmt = fmt
        self.blocks = blocks and fmt == "csv"
        self.fields = fields
        self.known = frozenset(fields)
        self.money = money
        self.required = required
        self.max_blank_lines = max_blank_lines
        self.header: list[str] | None = None
        self.positions: list[int] | None = None  # None: the header lists the fields in order
        self.row = 0
        self.blank_lines = 0

    def parse_block(self, block: bytes) -> Iterator[tuple[int, list[str] | str | RowError] | ColumnBlock]:
        """The rows of a block of complete lines: with ``blocks``, one ColumnBlock where Arrow
        reads the block as the line-by-line reader would (``columnar``); else row by row."""
        if self.header is None and self.fmt == "csv" and block:
            first, _, block = block.partition(b"\n")
            self.parse(first[:-1] if first.endswith(b"\r") else first)
        if self.blocks and self.header is not None and block:
            # Imported here: Arrow loads with the first CSV claim lines (see storage._arrow).
            from service.ingest import columnar

            table = columnar.read_block(block, self.header, self.fields)
            if table is not None:
                yield columnar.ColumnBlock(self.row + 1, table)
                self.row += table.num_rows
                return
        for line in lines_of(block):
            record = self.parse(line)
            if record is not None:
                yield record

    def parse(self, line: bytes) -> tuple[int, list[str] | str | RowError] | None:
        if self.header is None and self.fmt == "csv":
            self._read_header(line)
            return None
        if not line.strip():
            self.blank_lines += 1
            if self.blank_lines > self.max_blank_lines:
                raise Unprocessable(
                    f"the body has more than {self.max_blank_lines} empty lines",
                    errors=[FieldError(location="body", message="too many empty lines")],
                )
            return None
        self.row += 1
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            return self.row, "not valid UTF-8"
        if self.fmt == "ndjson":
            return self.row, self._json_row(line, text)
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

    def _json_row(self, line: bytes, text: str) -> list[str] | str | RowError:
        """An NDJSON line as values in ``fields`` order, or why it is not a valid row."""
        if line.count(b"[") + line.count(b"{") > _BRACKETS_WORTH_A_LOOK and json_depth_exceeds(
            line, MAX_NDJSON_DEPTH
        ):
            return "JSON nested too deeply: a row is one flat object"
        try:
            value = json.loads(text)
        except (ValueError, RecursionError):
            return "not a JSON object"
        if not isinstance(value, dict):
            return "not a JSON object"
        if b"\\u" in line and not _is_text(value):
            return "a JSON string escapes a lone surrogate (like \\ud800): not Unicode text"
        unknown = [name for name in value if name not in self.known]
        if unknown:
            # As a CSV header naming an unknown column is refused, so is an unknown field.
            shown = ", ".join(sorted(name[:64] for name in unknown)[:5])
            return f"unknown field(s): {shown}; the fields are " + ", ".join(self.fields)
        for name in self.money:
            amount = value.get(name)
            # As in the JSON API: a JSON number may already have lost cents in the sender's float.
            if isinstance(amount, int | float) and not isinstance(amount, bool):
                return RowError(self.row, name, as_text(amount), NUMBER_REFUSED)
        return [as_text(value.get(name)) for name in self.fields]

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
                "the CSV header must name the fields of docs/method.md section 4: " + ", ".join(self.fields),
                errors=errors,
            )
        self.header = header
        if header != list(self.fields):
            self.positions = [header.index(name) if name in header else -1 for name in self.fields]
