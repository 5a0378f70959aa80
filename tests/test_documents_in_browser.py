"""The contract and the statement opened as a person would: printed to PDF by a real browser.

Headless Chromium (Debian's ``chromium``) prints each HTML document to PDF; ``pdftotext`` and
``pdfinfo`` (``poppler-utils``) read the PDF back. scripts/test installs both when they are
missing. Chromium runs with a fresh profile, no network services and nothing fetched: the
documents need nothing but themselves.
"""

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from service.demo.synthetic import new_npi
from tests.support.episode_data import publish_definition, scenario
from tests.support.factories import Api, World, create_org, expect

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


def tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is missing: apt-get install -y chromium poppler-utils (scripts/test does)"
    return found


def print_to_pdf(html: str, directory: Path, name: str) -> tuple[str, int]:
    """Print ``html`` with headless Chromium; return the PDF's text and its page count."""
    source = directory / f"{name}.html"
    source.write_text(html, encoding="utf-8")
    pdf = directory / f"{name}.pdf"
    profile = directory / f"{name}-profile"
    profile.mkdir()
    done = subprocess.run(
        [
            tool("chromium"),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--print-to-pdf={pdf}",
            source.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0 and pdf.exists(), done.stderr[-2000:]
    text = subprocess.run(
        [tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    info = subprocess.run([tool("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    return text, pages


def squeezed(text: str) -> str:
    """Without whitespace: a hash the printed page wrapped is still found whole."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def settled(ops: Api) -> tuple[World, Any, dict[str, Any]]:
    tag = secrets.token_hex(2)
    aco_org, aco = create_org(ops, "aco", name=f"Valley Health ACO {tag}")
    provider_org, provider = create_org(
        ops,
        "provider",
        name=f"Summit Geriatrics & Falls Clinic {tag}",
        npis=[new_npi()],
        aco_id=aco_org["id"],
    )
    other_provider_org, other_provider = create_org(ops, "provider", npis=[new_npi()])
    other_aco_org, other_aco = create_org(ops, "aco")
    world = World(
        ops,
        aco,
        aco_org,
        provider,
        provider_org,
        other_provider,
        other_provider_org,
        other_aco,
        other_aco_org,
    )
    s = scenario(world, publish_definition(ops))
    rows = []
    # Three episodes of 1,000.00, 1,200.00 and 1,234.56 of spending against targets of 980.00:
    # T = 2940.00, A = 3434.56, S = -494.56, q = 0: R = -494.56 x 0.5 = -247.28.
    for day, extra in (("2027-02-01", "900.00"), ("2027-03-01", "1100.00"), ("2027-04-01", "1134.56")):
        mbi = s.beneficiary()
        rows += [s.line(mbi, day), s.spend(mbi, day, extra)]
    excluded = s.beneficiary(hospice_start="2027-05-10")
    rows += [s.line(excluded, "2027-05-01")]
    s.upload(*rows)
    created = s.settle()
    assert created["settlement_amount"] == "-247.28" and created["n_excluded"] == 1
    expect(world.provider.post(f"/v1/settlements/{created['id']}/accept"), 200)
    return world, s, created


def test_the_statement_prints_as_a_document(
    settled: tuple[World, Any, dict[str, Any]], tmp_path: Path
) -> None:
    world, _, created = settled
    html = expect(world.aco.get(f"/v1/settlements/{created['id']}/statement.html"), 200)
    text, pages = print_to_pdf(html, tmp_path, "statement")
    flat = re.sub(r"\s+", " ", text)
    provider, aco = world.provider_org["name"], world.aco_org["name"]
    assert f"{provider} pays {aco} $247.28." in flat
    assert "two hundred forty-seven dollars and twenty-eight cents" in flat
    assert world.aco_org["tin"] in flat and world.provider_org["tin"] in flat
    assert created["terms_sha256"] in squeezed(text) and created["inputs_sha256"] in squeezed(text)
    assert "Excluded: Hospice elected during the episode" in flat
    assert "-$247.28" in flat and "$2,940.00" in flat and "$3,434.56" in flat
    assert "Accepted by " + provider in flat
    assert 1 <= pages <= 4, pages


def test_the_contract_prints_as_an_agreement(
    settled: tuple[World, Any, dict[str, Any]], tmp_path: Path
) -> None:
    world, s, _ = settled
    arrangement = expect(world.aco.get(f"/v1/arrangements/{s.arrangement_id}"), 200)
    html = expect(world.provider.get(f"/v1/arrangements/{s.arrangement_id}/document"), 200)
    text, pages = print_to_pdf(html, tmp_path, "contract")
    flat = re.sub(r"\s+", " ", text)
    assert world.aco_org["name"] in flat and world.provider_org["name"] in flat
    assert world.aco_org["tin"] in flat and world.provider_org["tin"] in flat
    assert "The target price of an episode is $1,000.00" in flat
    assert arrangement["terms_sha256"] in squeezed(text)
    assert "Dana Reyes, CEO" in flat and "Version history" in flat
    assert 2 <= pages <= 10, pages
