"""Archives of claim files (zip, or tar plain or gzipped), unpacked flat with a size limit."""

from __future__ import annotations

import tarfile
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import IO

from service.ingest.cclf.manifest import DeliveryRefused
from service.kit.errors import PayloadTooLarge

# Accepted media types; what the archive is (zip, or tar plain or gzipped) is read from its bytes.
ARCHIVE_TYPES = frozenset(
    {
        "application/zip",
        "application/x-zip-compressed",
        "application/x-tar",
        "application/gzip",
        "application/x-gtar",
        "application/octet-stream",
    }
)


MAX_ARCHIVE_FILES = 100
_ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")


def unpack(archive: Path, destination: Path, *, max_bytes: int) -> None:
    """Extract the regular files of a zip or tar (gzip allowed) into ``destination``, flat (only
    base names, so no path leaves it), refusing more than ``max_bytes`` of content. A member that
    is itself a zip (CMS zips each file of a delivery) is unpacked in its place, one level deep."""
    total = 0
    count = 0
    written: set[str] = set()

    def copy(source: IO[bytes], target: Path, head: bytes = b"") -> None:
        nonlocal total
        total += len(head)
        with target.open("wb") as out:
            out.write(head)
            while chunk := source.read(1 << 20):
                total += len(chunk)
                if total > max_bytes:
                    raise PayloadTooLarge(f"the unpacked delivery exceeds {max_bytes} bytes")
                out.write(chunk)

    def write(name: str, source: IO[bytes], *, nested: bool) -> None:
        nonlocal count
        base = Path(name).name
        if not base or base.startswith("."):
            return
        count += 1
        if count > MAX_ARCHIVE_FILES:
            raise DeliveryRefused(
                [f"the archive holds more than {MAX_ARCHIVE_FILES} files (a delivery has about a dozen)"]
            )
        head = b"" if nested else source.read(4)
        if head in _ZIP_MAGIC:
            with tempfile.TemporaryDirectory() as scratch:
                inner = Path(scratch) / "inner.zip"
                copy(source, inner, head)
                members(inner, nested=True)
            return
        if base in written:  # two folders' files of one name: which one is meant is unknowable
            raise DeliveryRefused([f"the archive holds more than one file named {base}"])
        written.add(base)
        copy(source, destination / base, head)

    def members(path: Path, *, nested: bool) -> None:
        with path.open("rb") as handle:
            is_zip = handle.read(4) in _ZIP_MAGIC
        if is_zip:
            with zipfile.ZipFile(path) as bundle:
                for info in bundle.infolist():
                    if not info.is_dir():
                        with bundle.open(info) as source:
                            write(info.filename, source, nested=nested)
        else:
            with tarfile.open(path, mode="r:*") as tar:
                for member in tar:
                    if member.isfile():
                        member_file = tar.extractfile(member)
                        if member_file is not None:
                            write(member.name, member_file, nested=nested)

    try:
        members(archive, nested=False)
    # RuntimeError: an encrypted zip member; NotImplementedError (a RuntimeError): a compression
    # method zipfile lacks. Their messages may hold reprs (``<ZipInfo ...>``): DeliveryRefused
    # replaces those by the member's name.
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError, zlib.error, RuntimeError) as exc:
        raise DeliveryRefused([f"not a readable zip or tar archive: {exc}"]) from exc
