"""Progress of long commands (service/cli/progress.py): plain periodic lines when stderr is not a
terminal, bars drawn by rich on a terminal."""

from __future__ import annotations

import asyncio
import io

from rich.console import Console

from service import demo
from service.cli.progress import reporting


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_off_a_terminal_a_plain_line_every_interval_and_one_at_the_end() -> None:
    out = io.StringIO()
    clock = FakeClock()
    with reporting(Console(file=out, width=200), every_seconds=5, clock=clock) as reporter:
        progress = reporter.part("claims.csv", 2_000_000)
        for second, rows in ((1, 1_000), (4, 4_000), (6, 6_000), (9, 9_000), (12, 12_000)):
            clock.now = 100.0 + second
            progress(rows, rows * 100)
        clock.now = 113.0
        progress(12_500, 1_250_000)
    lines = out.getvalue().splitlines()
    assert lines == [
        "claims.csv: 6,000 rows, 600.0 kB of 2.0 MB, 1,000 rows/s",
        "claims.csv: 12,000 rows, 1.2 MB of 2.0 MB, 1,000 rows/s",
        "claims.csv: 12,500 rows, 1.2 MB of 2.0 MB, 962 rows/s (done in 13.0 s)",
    ]
    assert "\x1b[" not in out.getvalue()  # nothing that redraws in a log


def test_parts_of_unknown_size_report_rows_and_rate() -> None:
    out = io.StringIO()
    clock = FakeClock()
    with reporting(Console(file=out, width=200), every_seconds=5, clock=clock) as reporter:
        alignment, claims = reporter.part("alignment"), reporter.part("claims")
        clock.now = 102.0
        alignment(30, 0)
        claims(400, 0)
    assert out.getvalue().splitlines() == [
        "alignment: 30 rows, 15 rows/s (done in 2.0 s)",
        "claims: 400 rows, 200 rows/s (done in 2.0 s)",
    ]


def test_on_a_terminal_a_bar_with_rows_bytes_rate_and_time_left() -> None:
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=150, color_system=None)
    clock = FakeClock()
    with reporting(console, clock=clock) as reporter:
        progress = reporter.part("claims.csv.gz", 4_000_000)
        for second in (1, 2):
            clock.now = 100.0 + second
            progress(25_000 * second, 1_000_000 * second)
    text = out.getvalue()
    assert "\x1b[" in text  # drawn and redrawn in place, not logged
    final = text.rsplit("\r", 1)[-1]
    assert "claims.csv.gz" in final and "━" in final
    # Rows so far and rows a second, bytes of the total, and the time left at 1 MB a second.
    assert "50,000 rows, 25,000 rows/s 2.0/4.0 MB 0:00:02" in final, final


def test_the_demo_tells_each_upload_its_rows_and_bytes_as_they_are_sent() -> None:
    body = b"mbi,birth_date\n" + b"1EG4TE5MK73,1948-05-17\n" * 40_000
    told: list[tuple[int, int]] = []

    async def send() -> list[bytes]:
        return [chunk async for chunk in demo._sent(body, lambda rows, sent: told.append((rows, sent)))]

    assert b"".join(asyncio.run(send())) == body
    assert len(told) > 1 and told == sorted(told)
    assert told[-1] == (40_000, len(body))  # the header line is not a row
