"""Before anything is read for storage the delivery is checked against its CCLF0 summary: every file
CCLF0 lists that this importer reads must be present, hold exactly the record count CCLF0 gives,
have the record length of our layout (an unknown length refuses the delivery) and contain only
records of that length (a truncated file refuses it). A refused delivery stores nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from service.ingest.cclf.layouts import EARLIER_LENGTHS, LAYOUT_VERSION, LAYOUTS, READ, file_type
from service.kit.text import without_reprs


class DeliveryRefused(ValueError):
    """The delivery is incomplete or of an unknown layout: nothing of it is read or stored."""

    def __init__(self, problems: list[str]) -> None:
        # Shown to the client: no Python reprs, nothing a JSON encoder or a database refuses
        # (a tar member's name may hold anything).
        problems = [without_reprs(p) for p in problems]
        super().__init__("; ".join(problems))
        self.problems = problems


# --- the delivery check ----------------------------------------------------------------------


@dataclass(frozen=True)
class DeliveryFile:
    type: str
    path: Path
    records: int


def check_delivery(directory: Path) -> dict[str, DeliveryFile]:
    """Check a delivery against its CCLF0 summary; raise ``DeliveryRefused`` naming every problem."""
    if not directory.is_dir():
        raise DeliveryRefused([f"{directory} is not a directory"])
    found: dict[str, list[Path]] = {}
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        kind = file_type(path.name)
        if kind:
            found.setdefault(kind, []).append(path)
    problems = [
        f"{kind}: {len(paths)} files ({', '.join(p.name for p in paths)})"
        for kind, paths in found.items()
        if len(paths) > 1
    ]
    if "CCLF0" not in found:
        raise DeliveryRefused(["no CCLF0 summary file: the delivery cannot be checked", *problems])
    summary: dict[str, tuple[int, int]] = {}
    with found["CCLF0"][0].open(encoding="latin-1", newline="") as handle:
        for number, line in enumerate(handle, start=1):
            line = line.rstrip("\r\n")
            if not line.strip() or line.lstrip().lower().startswith("file number"):
                continue  # blank, or the header row
            row = LAYOUTS["CCLF0"].parse(line.ljust(LAYOUTS["CCLF0"].record_length))
            kind = file_type(row["FILE_TYPE"])
            count, length = row["TOT_REC_CNT"].replace(",", ""), row["REC_LNGTH"].replace(",", "")
            if kind is None or not count.isdigit() or not length.isdigit():
                problems.append(f"CCLF0 record {number}: not a summary record ({line.strip()[:60]!r})")
                continue
            summary[kind] = (int(count), int(length))
    checked: dict[str, DeliveryFile] = {}
    for kind in READ:
        paths = found.get(kind, [])
        if kind not in summary:
            if paths:
                problems.append(f"{kind}: {paths[0].name} is not listed in CCLF0")
            continue
        expected_count, expected_length = summary[kind]
        layout = LAYOUTS[kind]
        if expected_length != layout.record_length:
            earlier = EARLIER_LENGTHS.get(kind, {}).get(expected_length)
            read = (
                f"the layout of CCLF Information Packet {LAYOUT_VERSION}, {layout.record_length} characters"
            )
            problems.append(
                f"{kind}: record length {expected_length} is {earlier}, not read here (this importer "
                f"reads {read}): ask CMS for the delivery in the current layout"
                if earlier
                else f"{kind}: record length {expected_length} is unknown (this importer reads {read})"
            )
            continue
        if not paths:
            if expected_count:
                problems.append(f"{kind}: CCLF0 lists {expected_count} records but the file is missing")
            continue
        found_count, bad = _count(paths[0], layout.record_length)
        if bad:
            problems.append(f"{kind}: {bad}")
        elif found_count != expected_count:
            problems.append(
                f"{kind}: {found_count} records, CCLF0 says {expected_count} (truncated or incomplete)"
            )
        else:
            checked[kind] = DeliveryFile(kind, paths[0], found_count)
    if problems:
        raise DeliveryRefused(problems)
    return checked


def _count(path: Path, length: int) -> tuple[int, str | None]:
    count = 0
    with path.open("rb") as handle:
        for count, line in enumerate(handle, start=1):
            size = len(line.rstrip(b"\r\n"))
            if size != length:
                return (
                    count,
                    f"record {count} is {size} characters long, not {length} (truncated or another layout)",
                )
    return count, None
