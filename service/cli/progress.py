"""Progress of a long command (``cara import``, ``cara demo``), shown where it is read.

An importer reports through a plain callback, ``progress(rows, bytes_read)``: the rows and bytes
it has read so far (bytes as read from disk, compressed for a gzip file). It gets one callback per
part it reads (a file; alignment, then claims) from :meth:`Reporter.part`, given the part's name
and, when known, its size in bytes (which gives an ETA). The command owns the reporter:

    with reporting() as reporter:
        result = await import_file(..., progress=reporter.part("claims", path.stat().st_size))

On a terminal each part is a progress bar (``rich``): rows, bytes, rows a second, time left.
Anywhere else (a log, a pipe, CI) it is a plain line every ``every_seconds`` and one when the part
ends: rows, bytes and rows a second, nothing that redraws.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.filesize import decimal
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

ProgressCallback = Callable[[int, int], None]  # (rows so far, bytes read so far)

PLAIN_EVERY_SECONDS = 5.0


class RowsColumn(ProgressColumn):
    """Rows so far and rows a second (the bytes column beside it shows bytes)."""

    def render(self, task: Task) -> Text:
        rows = int(task.fields.get("rows", 0))
        elapsed = task.elapsed or 0.0
        rate = f", {rows / elapsed:,.0f} rows/s" if elapsed > 0 else ""
        return Text(f"{rows:,} rows{rate}")


class BytesColumn(DownloadColumn):
    """Bytes read (of the total, when known); nothing for a part that reports no bytes."""

    def render(self, task: Task) -> Text:
        if task.total is None and not task.completed:
            return Text("")
        return super().render(task)


class Reporter:
    """Hands out one callback per part; draws bars on a terminal, else writes plain lines."""

    def __init__(
        self,
        console: Console,
        *,
        every_seconds: float = PLAIN_EVERY_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.console = console
        self.every_seconds = every_seconds
        self.clock = clock
        self.bars: Progress | None = None
        if console.is_terminal:
            self.bars = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                RowsColumn(),
                BytesColumn(),
                TimeRemainingColumn(),
                console=console,
                get_time=clock,
            )
        self._finish: list[Callable[[], None]] = []

    def part(self, label: str, total_bytes: int | None = None) -> ProgressCallback:
        """The callback of one part named ``label`` of ``total_bytes`` bytes (None: unknown)."""
        if self.bars is not None:
            return self._bar(self.bars, label, total_bytes)
        return self._lines(label, total_bytes)

    def _bar(self, bars: Progress, label: str, total_bytes: int | None) -> ProgressCallback:
        if not bars.live.is_started:
            bars.start()
        task: TaskID = bars.add_task(label, total=total_bytes, rows=0)

        def update(rows: int, bytes_read: int) -> None:
            bars.update(task, completed=bytes_read, rows=rows)

        return update

    def _lines(self, label: str, total_bytes: int | None) -> ProgressCallback:
        part = _PlainPart(self.console, label, total_bytes, self.every_seconds, self.clock)
        self._finish.append(part.finish)
        return part

    def close(self) -> None:
        if self.bars is not None and self.bars.live.is_started:
            self.bars.stop()
        for finish in self._finish:
            finish()
        self._finish.clear()


class _PlainPart:
    """One part as plain lines: one every ``every_seconds`` while it runs, one when it ends."""

    def __init__(
        self,
        console: Console,
        label: str,
        total_bytes: int | None,
        every_seconds: float,
        clock: Callable[[], float],
    ) -> None:
        self.console = console
        self.label = label
        self.of_total = f" of {decimal(total_bytes)}" if total_bytes else ""
        self.every_seconds = every_seconds
        self.clock = clock
        self.started = self.shown_at = clock()
        self.rows = self.bytes_read = 0

    def __call__(self, rows: int, bytes_read: int) -> None:
        self.rows, self.bytes_read = rows, bytes_read
        now = self.clock()
        if now - self.shown_at >= self.every_seconds:
            self.shown_at = now
            self._say(now)

    def finish(self) -> None:
        now = self.clock()
        self._say(now, f" (done in {now - self.started:.1f} s)")

    def _say(self, now: float, end: str = "") -> None:
        elapsed = now - self.started
        rate = f", {self.rows / elapsed:,.0f} rows/s" if elapsed > 0 else ""
        size = f", {decimal(self.bytes_read)}{self.of_total}" if self.bytes_read or self.of_total else ""
        text = f"{self.label}: {self.rows:,} rows{size}{rate}{end}"
        self.console.print(text, highlight=False, soft_wrap=True, markup=False)


@contextmanager
def reporting(
    console: Console | None = None,
    *,
    every_seconds: float = PLAIN_EVERY_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[Reporter]:
    """A reporter on ``console`` (by default stderr: the bars or lines never mix with the
    command's report on stdout); ends its bars, or writes each part's last line, on exit."""
    reporter = Reporter(console or Console(stderr=True), every_seconds=every_seconds, clock=clock)
    try:
        yield reporter
    finally:
        reporter.close()
