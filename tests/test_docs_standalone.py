"""The repository stands alone: its documents cite nothing outside it.

Checked for README.md and docs/*.md (references and links), and for the text a reader meets
elsewhere: the code under service/ (its docstrings are the OpenAPI text), the generated
openapi.yaml, the contracts (definitions, schema, templates), the migrations, benchmarks and
scripts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = sorted([ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
SOURCES = sorted(
    [
        ROOT / "openapi.yaml",
        ROOT / "Dockerfile",
        *(
            p
            for folder in ("service", "contracts", "migrations", "bench", "scripts")
            for p in (ROOT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        ),
    ]
)
# Documents kept outside this repository, and the ways of pointing at them.
OUTSIDE = re.compile(
    r"SPEC(\.md)?\s+sections?\s+\d|SPEC\.md|STYLE\.md|API\.md|\.\./shared|/work/|shared/data"
)
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("document", DOCUMENTS + SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_reference_outside_the_repository(document: Path) -> None:
    text = document.read_text()
    found = [m.group(0) for m in OUTSIDE.finditer(text)]
    assert found == [], f"{document.name} refers outside the repository: {found}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve_inside_the_repository(document: Path) -> None:
    for target in LINK.findall(document.read_text()):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        path = (document.parent / target.split("#", 1)[0]).resolve()
        assert path.is_relative_to(ROOT), f"{document.name}: {target} leaves the repository"
        assert path.exists(), f"{document.name}: {target} does not exist"


def test_the_method_page_carries_the_worked_example() -> None:
    method = (ROOT / "docs" / "method.md").read_text()
    for figure in ("1176.00", "1470.00", "2646.00", "2870.00", "-224.00", "-103.04", "-529.20"):
        assert figure in method, figure
