"""The README's walkthrough, run as written against a real server with the demo data.

The blocks marked ``<!-- walkthrough -->`` in README.md are extracted and run by bash, one
script, in a scratch directory, exactly as a reader would paste them after ``scripts/start``
(which is ``cara demo`` then ``cara serve``). A README that drifts from the API fails here.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import httpx

from tests.support.server import PROJECT_DIR, cara, running_server

BLOCK = re.compile(r"<!-- walkthrough -->\n```sh\n(.*?)```", re.DOTALL)
CLIENT_BLOCK = re.compile(r"<!-- client -->\n```python\n(.*?)```", re.DOTALL)


def walkthrough() -> list[str]:
    return BLOCK.findall((PROJECT_DIR / "README.md").read_text())


def test_the_readme_has_a_walkthrough_from_proposal_to_final_settlement() -> None:
    script = "\n".join(walkthrough())
    assert len(walkthrough()) >= 4
    for step in (
        "/v1/arrangements", "/signatures", "/settlements", "/accept", "/disputes", "/resolve",
        "/finalize", "/recompute", "source var/demo-keys.env", "/v1/episode-analyses",
    ):  # fmt: skip
        assert step in script


def keys_provider_id(directory: Path) -> str:
    saved = (directory / "var" / "demo-keys.env").read_text().splitlines()
    return next(line.split("=", 1)[1] for line in saved if line.startswith("PROVIDER_ID="))


def test_readme_walkthrough_runs_as_written_against_the_demo(tmp_path: Path) -> None:
    with running_server() as server:
        out = cara("demo", "--keys-file", str(tmp_path / "var" / "demo-keys.env"), env=server.env)
        assert "Demo data loaded." in out
        env = {k: v for k, v in os.environ.items() if not k.startswith("CARA_")}
        env["BASE"] = server.base_url
        done = subprocess.run(
            ["bash", "-c", "set -euo pipefail\n" + "\n".join(walkthrough())],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
        assert done.returncode == 0, f"walkthrough failed:\n{done.stdout}\n{done.stderr}"
        lines = done.stdout.splitlines()
        assert "executed" in lines
        # Accepted by the provider; finalising while the ACO's dispute is open is refused; ops
        # rejects the dispute; the settlement is final and recomputes to the same figures.
        assert keys_provider_id(tmp_path) in lines
        assert "409" in lines and "rejected" in lines
        assert "final" in lines
        assert lines.index("409") < lines.index("rejected") < lines.index("final")
        assert "True" in lines
        # The last block: a provider may not finalise; the answer is a problem document.
        problem = json.loads(lines[-1])
        assert problem["status"] == 403
        assert problem["type"].startswith("https://")

        contract = (tmp_path / "contract.html").read_text()
        assert "Summit Geriatrics &amp; Falls Clinic" in contract
        assert "Valley Health ACO" in contract
        statement = list(csv.DictReader(io.StringIO((tmp_path / "statement.csv").read_text())))
        assert len(statement) > 100  # hundreds of demo episodes, settled and excluded
        assert {row["status"] for row in statement} == {"settled", "excluded"}
        [summary] = list(csv.DictReader(io.StringIO((tmp_path / "summary.csv").read_text())))
        assert int(summary["episodes_settled"]) + int(summary["episodes_excluded"]) == len(statement)
        document = (tmp_path / "statement.html").read_text()
        assert "Valley Health ACO" in document and "Summit Geriatrics &amp; Falls Clinic" in document
        assert summary["inputs_sha256"] in document
        evidence = json.loads((tmp_path / "evidence.json").read_text())
        line = next(row for row in statement if row["line_id"] == evidence["episode"]["id"])
        assert evidence["counted_allowed_amount"] == line["spending"]
        assert sum(Decimal(i["allowed_amount"]) for i in evidence["items"] if i["counted"]) == Decimal(
            line["spending"]
        )

        # "Price an arrangement from your own data": the analysis is done, its report has a row
        # per practice and NPI, and the proposal took the recommended price with its provenance.
        analysis_id = next(line.split()[1] for line in lines if line.startswith("analysis "))
        assert lines[lines.index(f"analysis {analysis_id}") + 1] == "done"
        cited = lines.index(analysis_id)
        recommended, target_price = lines[cited - 2], lines[cited - 1]
        assert Decimal(recommended) == Decimal(target_price) > 0
        report = list(csv.DictReader(io.StringIO((tmp_path / "analysis.csv").read_text())))
        assert {row["level"] for row in report} == {"practice", "npi"}
        assert any(row["practice_name"] == "Summit Geriatrics & Falls Clinic" for row in report)
        assert analysis_id in (tmp_path / "priced-contract.html").read_text()

        # "Integrate in ten lines": the Python client's block, as written, at most ten lines of code.
        (client_block,) = CLIENT_BLOCK.findall((PROJECT_DIR / "README.md").read_text())
        code_lines = [line for line in client_block.splitlines() if line.strip()]
        assert len(code_lines) <= 10
        integration = subprocess.run(
            [sys.executable, "-c", client_block],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert integration.returncode == 0, integration.stderr
        keys_now = dict(
            line.split("=", 1)
            for line in (tmp_path / "var" / "demo-keys.env").read_text().splitlines()
            if "=" in line
        )
        previews = [line.split() for line in integration.stdout.splitlines()]
        # The demo's executed arrangements (falls prevention, joint replacement) and the one the
        # walkthrough executed, each with an amount.
        ids = [arrangement_id for arrangement_id, _ in previews]
        assert len(ids) == 3 and {keys_now["ARRANGEMENT_ID"], keys_now["LEJR_ARRANGEMENT_ID"]} <= set(ids)
        assert all(re.fullmatch(r"-?[0-9]+\.[0-9]{2}", amount) for _, amount in previews), previews

        # The settlement the walkthrough finalised is final for everyone.
        keys = dict(
            line.split("=", 1)
            for line in (tmp_path / "var" / "demo-keys.env").read_text().splitlines()
            if "=" in line
        )
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            auth = {"Authorization": f"Bearer {keys['ACO_KEY']}"}
            arrangement = client.get(f"/v1/arrangements/{keys['ARRANGEMENT_ID']}", headers=auth).json()
            assert arrangement["status"] == "executed"
            docs = client.get("/docs")
            assert docs.status_code == 200
            # The docs page is served whole from this server: no CDN.
            assert "cdn." not in docs.text and "unpkg" not in docs.text


def test_demo_twice_loads_nothing_twice_and_issues_new_keys(tmp_path: Path) -> None:
    with running_server() as server:
        keys_path = tmp_path / "demo-keys.env"
        cara("demo", "--keys-file", str(keys_path), env=server.env)
        first = keys_path.read_text()
        again = cara("demo", "--keys-file", str(keys_path), env=server.env)
        assert "already present" in again
        second = keys_path.read_text()
        assert oct(keys_path.stat().st_mode & 0o777) == "0o600"

        def values(text: str) -> dict[str, str]:
            return dict(line.split("=", 1) for line in text.splitlines() if "=" in line)

        before, after = values(first), values(second)
        assert before["ACO_KEY"] != after["ACO_KEY"]
        assert {k: v for k, v in before.items() if not k.endswith("_KEY")} == {
            k: v for k, v in after.items() if not k.endswith("_KEY")
        }
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            auth = {"Authorization": f"Bearer {after['OPS_KEY']}"}
            orgs = client.get("/v1/organizations", params={"limit": 500}, headers=auth).json()["items"]
            names = [org["name"] for org in orgs]
            assert names.count("Valley Health ACO") == 1
            old = client.get("/v1/organizations", headers={"Authorization": f"Bearer {before['ACO_KEY']}"})
            assert old.status_code == 200  # earlier keys keep working until revoked


def test_demo_refuses_production(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CARA_")}
    env.update(
        {
            "CARA_ENVIRONMENT": "production",
            "CARA_DATABASE_URL": "postgresql://cara:secret@db.internal:5432/cara?sslmode=require",
        }
    )
    done = subprocess.run(
        [str(Path(cara.__globals__["CARA"])), "demo", "--keys-file", str(tmp_path / "k.env")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert "production" in done.stderr
    assert not (tmp_path / "k.env").exists()


def test_the_configuration_table_lists_every_setting() -> None:
    from service.settings import Settings

    readme = (PROJECT_DIR / "README.md").read_text()
    rows = set(re.findall(r"^\| `(CARA_[A-Z0-9_]+)` \|", readme, re.MULTILINE))
    assert rows == {f"CARA_{name.upper()}" for name in Settings.model_fields}
