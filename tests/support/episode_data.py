"""Arrangements with claims and alignment for the episode and settlement tests, made over HTTP.

The terms are those of SPEC section 8 (target 1000.00, -2 %, shares 50/50, performance 20 %,
relief 10 %, caps 20 %), so that each episode's target is 980.00 x its risk factor.
"""

from __future__ import annotations

import copy
import itertools
import secrets
from dataclasses import dataclass, field
from typing import Any

from service.definitions.schemas import EXAMPLE
from service.demo.synthetic import EXAMPLE_TERMS, new_mbi
from tests.support.factories import Api, World, expect
from tests.support.ingest_data import alignment, claim, to_csv

CSV = {"content-type": "text/csv"}
TERMS: dict[str, Any] = EXAMPLE_TERMS


def publish_definition(ops: Api, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(EXAMPLE)
    data["code"] = "EPI-" + secrets.token_hex(4).upper()
    data.update(changes)
    expect(ops.post("/v1/episode-definitions", json=data), 201)
    return {"code": data["code"], "version": 1}


def _act(api: Api, arr_id: str, path: str, json: Any = None) -> Any:
    etag = api.get(f"/v1/arrangements/{arr_id}").headers["etag"]
    return api.post(f"/v1/arrangements/{arr_id}{path}", json=json, headers={"If-Match": etag})


def execute(world: World, episode: dict[str, Any], period: tuple[str, str], **terms: Any) -> str:
    body = {
        "aco_id": world.aco_org["id"],
        "provider_id": world.provider_org["id"],
        "episode": episode,
        "period": {"start": period[0], "end": period[1]},
        "terms": {**copy.deepcopy(TERMS), **terms},
    }
    arr = expect(world.aco.post("/v1/arrangements", json=body), 201)
    for api in (world.aco, world.provider):
        current = expect(api.get(f"/v1/arrangements/{arr['id']}"), 200)
        expect(
            _act(
                api,
                arr["id"],
                "/signatures",
                {"signer_name": "Dana Reyes", "signer_title": "CEO", "terms_sha256": current["terms_sha256"]},
            ),
            201,
        )
    if terms.get("overrides"):
        expect(_act(world.ops, arr["id"], "/approve", {"reason": "reviewed"}), 200)
    return str(arr["id"])


@dataclass
class Scenario:
    """One ACO, its in-network provider, one executed arrangement; helpers to add data."""

    world: World
    arrangement_id: str
    claims: list[dict[str, Any]] = field(default_factory=list)
    _claim_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @property
    def npi(self) -> str:
        return str(self.world.provider_org["npis"][0])

    def beneficiary(self, **changes: Any) -> str:
        mbi = changes.pop("mbi", None) or new_mbi()
        changes.setdefault("hcc_score", "1.0")
        row = alignment(mbi=mbi, **changes)
        expect(self.world.aco.post("/v1/alignment", content=to_csv([row]), headers=CSV), 201)
        return mbi

    def line(self, mbi: str, day: str, **changes: Any) -> dict[str, Any]:
        """A trigger line by default (carrier 99214, Z91.81, the provider's NPI, 142.10)."""
        values: dict[str, Any] = {
            "claim_id": f"CL{next(self._claim_ids):05d}",
            "mbi": mbi,
            "from_date": day,
            "thru_date": day,
            "rendering_npi": self.npi,
            "received_date": "2027-12-31",
            "allowed_amount": "100.00",
            "paid_amount": "80.00",
        }
        values.update(changes)
        return claim(**values)

    def spend(self, mbi: str, day: str, amount: str, **changes: Any) -> dict[str, Any]:
        """A non-trigger line that counts as spending (an inpatient stay)."""
        return self.line(
            mbi, day, claim_type="inpatient", hcpcs="", diagnoses="S72.001A", allowed_amount=amount, **changes
        )

    def upload(self, *rows: dict[str, Any]) -> None:
        expect(self.world.aco.post("/v1/claims", content=to_csv(list(rows)), headers=CSV), 201)

    def episodes(self, api: Api | None = None, **params: Any) -> list[dict[str, Any]]:
        params.setdefault("claims_cutoff", "2029-12-31")
        params.setdefault("limit", 500)
        page = expect(
            (api or self.world.aco).get(f"/v1/arrangements/{self.arrangement_id}/episodes", params=params),
            200,
        )
        return list(page["items"])

    def settle(self, api: Api | None = None, status: int = 201, **body: Any) -> Any:
        payload = {"period_start": "2027-01-01", "period_end": "2027-12-31", **body}
        return expect(
            (api or self.world.aco).post(f"/v1/arrangements/{self.arrangement_id}/settlements", json=payload),
            status,
        )


def scenario(
    world: World,
    episode: dict[str, Any],
    period: tuple[str, str] = ("2027-01-01", "2027-12-31"),
    **terms: Any,
) -> Scenario:
    return Scenario(world, execute(world, episode, period, **terms))
