"""The typed Python client (clients/python): generated from the committed openapi.yaml without a
warning, committed as generated, and driving a real server from onboarding to settlement lines."""

from __future__ import annotations

import filecmp
import gzip
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from cara_client import Cara, Conflict, NotFound, PreconditionFailed, Unprocessable
from cara_client.generated.api.arrangements import (
    create_arrangement,
    get_arrangement,
    list_arrangements,
    sign_arrangement,
)
from cara_client.generated.api.organizations_and_keys import create_api_key, create_organization
from cara_client.generated.api.settlements import create_settlement, list_settlement_lines
from cara_client.generated.api.uploads import upload_claims
from cara_client.generated.models import (
    ApiKeyCreate,
    ArrangementCreate,
    OrganizationCreate,
    SettlementRequest,
    SignatureCreate,
    Terms,
)
from cara_client.generated.types import File

from service.demo.synthetic import new_npi, new_tin
from tests.support.episode_data import TERMS, new_mbi
from tests.support.ingest_data import alignment, claim, to_csv, to_ndjson
from tests.support.server import PROJECT_DIR, RunningServer, live_server  # noqa: F401  (a fixture)

GENERATED = PROJECT_DIR / "clients" / "python" / "cara_client" / "generated"


def _tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if "__pycache__" not in p.parts)


def test_the_committed_client_is_what_the_generator_makes_of_openapi_yaml(tmp_path: Path) -> None:
    done = subprocess.run(
        ["bash", str(PROJECT_DIR / "scripts" / "generate-client"), str(tmp_path / "generated")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    # openapi-python-client reports every operation or schema it could not use as a warning.
    assert "warning" not in output.lower(), output
    assert output.strip() == f"Generating {tmp_path / 'generated'}", output
    fresh = tmp_path / "generated"
    assert _tree(fresh) == _tree(GENERATED), "run scripts/generate-client"
    files = [name for name in _tree(fresh) if (fresh / name).is_file()]
    _, mismatch, errors = filecmp.cmpfiles(fresh, GENERATED, files, shallow=False)
    assert (mismatch, errors) == ([], []), "the committed client is stale: run scripts/generate-client"


def _org(cara: Cara, kind: str, **fields: Any) -> tuple[str, str]:
    body = OrganizationCreate.from_dict(
        {"kind": kind, "name": f"client {kind} {new_tin()}", "tin": new_tin(), **fields}
    )
    org = cara.call(create_organization, body=body)
    key = cara.call(
        create_api_key, org.id, body=ApiKeyCreate.from_dict({"name": "integration", "role": kind})
    )
    return org.id, key.key


def test_an_integration_through_the_client(live_server: RunningServer, tmp_path: Path) -> None:  # noqa: F811
    base = live_server.base_url
    with Cara(base, live_server.ops_key) as ops:
        aco_id, aco_key = _org(ops, "aco")
        npi = new_npi()
        provider_id, provider_key = _org(ops, "provider", npis=[npi], aco_id=aco_id)
    aco, provider = Cara(base, aco_key), Cara(base, provider_key)

    # Propose (one Idempotency-Key: the second call replays the first, nothing is created twice).
    proposal = ArrangementCreate.from_dict(
        {
            "aco_id": aco_id,
            "provider_id": provider_id,
            "episode": {"code": "FALLS-PREV", "version": 1},
            "period": {"start": "2027-01-01", "end": "2027-12-31"},
            "terms": TERMS,
        }
    )
    created = aco.call_detailed(create_arrangement, body=proposal, idempotency_key="client-test-propose")
    again = aco.call_detailed(create_arrangement, body=proposal, idempotency_key="client-test-propose")
    arrangement = created.parsed
    assert again.parsed.id == arrangement.id and again.headers["idempotent-replayed"] == "true"
    assert created.headers["location"] == f"/v1/arrangements/{arrangement.id}"
    assert isinstance(arrangement.terms, Terms) and arrangement.terms.target_price == "1000.00"
    assert arrangement.status == "draft"

    # A change without If-Match, and one with a stale ETag: typed problems.
    read = aco.read_arrangement(arrangement.id)
    signature = SignatureCreate(
        signer_name="Dana Reyes", signer_title="CEO", terms_sha256=read.value.terms_sha256
    )
    with pytest.raises(PreconditionFailed) as stale:
        aco.call(sign_arrangement, arrangement.id, body=signature, if_match='"stale"')
    assert stale.value.status == 412 and stale.value["current_etag"] == read.etag

    # Both signatures, each reading the ETag and terms hash first.
    assert provider.sign_arrangement(
        arrangement.id, signer_name="Sam Ortiz", signer_title="Director"
    ).status == ("partially_signed")
    executed = aco.sign_arrangement(arrangement.id, signer_name="Dana Reyes", signer_title="CEO")
    assert executed.status == "executed" and len(executed.signatures) == 2
    with pytest.raises(Conflict) as conflict:
        aco.sign_arrangement(arrangement.id, signer_name="Dana Reyes", signer_title="CEO")
    assert conflict.value.status == 409 and conflict.value.type.endswith("/conflict")

    # Alignment (CSV) and claims (gzip NDJSON) streamed from files, with progress.
    mbis = [new_mbi() for _ in range(3)]
    alignment_path = tmp_path / "alignment.csv"
    alignment_path.write_bytes(to_csv([alignment(mbi=m, hcc_score="1.0") for m in mbis]))
    seen: list[tuple[int, int]] = []
    report = aco.upload("alignment", alignment_path, progress=lambda sent, total: seen.append((sent, total)))
    assert (report.status, report.rows_stored) == ("stored", 3)
    assert seen[0] == (0, alignment_path.stat().st_size) and seen[-1] == (seen[-1][1], seen[-1][1])
    lines = [
        claim(claim_id=f"T{i}", mbi=m, from_date="2027-03-02", thru_date="2027-03-02", rendering_npi=npi)
        for i, m in enumerate(mbis)
    ] + [
        claim(
            claim_id="H1",
            mbi=mbis[0],
            claim_type="inpatient",
            hcpcs="",
            diagnoses="S72.001A",
            from_date="2027-04-10",
            thru_date="2027-04-14",
            allowed_amount="2400.00",
            paid_amount="2000.00",
        )
    ]
    claims_path = tmp_path / "claims.ndjson.gz"
    claims_path.write_bytes(gzip.compress(to_ndjson(lines)))
    report = aco.upload("claims", claims_path)
    assert (report.kind, report.status, report.rows_stored) == ("claims", "stored", 4)
    # The same content again: the service keeps one copy and answers the first report.
    assert aco.upload("claims", claims_path).id == report.id
    bad_path = tmp_path / "bad.csv"
    bad_path.write_bytes(to_csv([claim(mbi="123")]))
    with pytest.raises(Unprocessable) as rejected:
        aco.upload("claims", bad_path)
    assert rejected.value["upload_status"] == "rejected"
    assert [e.field for e in rejected.value.problem.errors] == ["mbi"]
    # The generated operation sends the File's media type.
    later = claim(claim_id="L1", mbi=mbis[1], from_date="2027-09-01", thru_date="2027-09-01")
    raw = aco.call(upload_claims, body=File(payload=to_csv([later]), mime_type="text/csv"))  # type: ignore[arg-type]
    assert (raw.status, raw.rows_stored) == ("stored", 1)

    # Preview (nothing stored), then the settlement and its lines, page after page.
    period = {"period_start": "2027-01-01", "period_end": "2027-12-31", "claims_cutoff": "2028-03-30"}
    preview = provider.call(
        create_settlement, arrangement.id, body=SettlementRequest.from_dict({**period, "preview": True})
    )
    settlement = aco.call(create_settlement, arrangement.id, body=SettlementRequest.from_dict(period))
    assert preview.n_episodes == settlement.n_episodes == 3
    assert preview.settlement_amount == settlement.settlement_amount
    assert settlement.status == "draft" and settlement.revision == 1
    lines_read = list(provider.pages(list_settlement_lines, settlement.id, limit=2))
    assert len(lines_read) == 3 and len({line.episode_id for line in lines_read}) == 3
    assert sum(Decimal(line.actual) for line in lines_read) == Decimal(settlement.total_actual)
    assert sum(Decimal(line.spending) for line in lines_read) > Decimal("2000")

    # Listing through cursor pages; another party's view is a typed 404.
    assert [a.id for a in aco.pages(list_arrangements, limit=1)] == [arrangement.id]
    with Cara(base, live_server.ops_key) as ops:
        _, stranger_key = _org(ops, "aco")
    with Cara(base, stranger_key) as stranger, pytest.raises(NotFound) as missing:
        stranger.call(get_arrangement, arrangement.id)
    assert missing.value.status == 404 and missing.value.problem.title == "Not found"
    aco.close()
    provider.close()


def test_retries_wait_as_told_and_repeat_the_idempotency_key() -> None:
    """A 429, a dropped connection and a 409 "still in progress" are retried after Retry-After (or
    a short back-off) with the same Idempotency-Key, so the service acts once; another 409 is not."""
    seen: list[httpx.Request] = []
    answers = iter(
        [
            httpx.Response(
                429,
                headers={"Retry-After": "7", "content-type": "application/problem+json"},
                json={
                    "type": "https://cara-service.org/problems/rate-limited",
                    "title": "Too many requests",
                    "status": 429,
                },
            ),
            httpx.ConnectError("dropped"),
            httpx.Response(
                409,
                headers={"content-type": "application/problem+json"},
                json={
                    "type": "https://cara-service.org/problems/idempotency-in-progress",
                    "title": "Request already in progress",
                    "status": 409,
                },
            ),
            httpx.Response(
                201,
                json={
                    "id": "org_1",
                    "kind": "aco",
                    "name": "A",
                    "tin": "123456789",
                    "npis": [],
                    "aco_id": None,
                    "contact_email": None,
                    "cms_aco_id": None,
                    "created_at": "2027-01-01T00:00:00Z",
                },
            ),
            httpx.Response(
                409,
                headers={"content-type": "application/problem+json"},
                json={
                    "type": "https://cara-service.org/problems/conflict",
                    "title": "Conflict",
                    "status": 409,
                    "detail": "no",
                },
            ),
        ]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    waits: list[float] = []
    cara = Cara("http://cara.test", "cara_key", sleep=waits.append)
    cara.api.set_httpx_client(
        httpx.Client(
            base_url="http://cara.test",
            transport=httpx.MockTransport(handler),
            headers={"Authorization": "Bearer cara_key"},
        )
    )
    body = OrganizationCreate.from_dict({"kind": "aco", "name": "A", "tin": "123456789"})
    created = cara.call_detailed(create_organization, body=body)
    assert created.status_code == 201
    assert waits == [7.0, 1.0, 2.0]
    keys = {r.headers["idempotency-key"] for r in seen}
    assert (
        len(seen) == 4
        and len(keys) == 1
        and all(r.headers["authorization"] == "Bearer cara_key" for r in seen)
    )
    with pytest.raises(Conflict) as conflict:
        cara.call(create_organization, body=body)
    assert conflict.value.detail == "no" and len(seen) == 5
    assert seen[4].headers["idempotency-key"] not in keys
