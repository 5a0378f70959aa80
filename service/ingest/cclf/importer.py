"""The ways into a CCLF delivery: an uploaded archive (unpacked with a size limit) or a directory
or archive on disk (the command line), and the explanation of its versions as CSV. Storing a
delivery is :func:`service.ingest.deliveries.import_delivery`, the same for RIF and CCLF."""

from __future__ import annotations

import csv
import sys
from datetime import date
from pathlib import Path

from service.ingest.archive import unpack
from service.ingest.cclf.delivery import CclfDelivery

EXPLAIN_FIELDS = (
    "file",
    "record",
    "cur_clm_uniq_id",
    "claim",
    "adjustment_type",
    "effective",
    "paid_amount",
    "counts",
    "reason",
)


def unpack_delivery(archive: Path, directory: Path, max_bytes: int) -> CclfDelivery:
    """``unpack`` the archive into ``directory`` and check the delivery (blocking: run it in a
    worker thread)."""
    unpack(archive, directory, max_bytes=max_bytes)
    return CclfDelivery(directory)


def open_delivery(source: Path, scratch: Path, *, aligned_from: date | None) -> CclfDelivery:
    """The delivery at ``source``: a directory, or an archive unpacked into ``scratch`` (the
    operator's own file: no size limit). Raises DeliveryRefused or ValueError."""
    if source.is_file():
        unpack(source, scratch, max_bytes=sys.maxsize)
        source = scratch
    return CclfDelivery(source, aligned_from=aligned_from)


def write_explanation(delivery: CclfDelivery, path: Path) -> None:
    """Every claim version of the delivery, whether it counts and why, as CSV."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPLAIN_FIELDS)
        for d in delivery.decisions():
            v = d.version
            writer.writerow(
                [v.file, v.record, v.uid, v.key, v.code, v.effective, v.amount, d.counts, d.reason]
            )
