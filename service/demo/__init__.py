"""``cara demo``: a populated sandbox for a first look at the service.

Everything is made through the public HTTP API (in process, so every validation, audit event and
webhook record happens exactly as for a real client): an ACO, two specialist practices, an
executed falls-prevention arrangement and a proposed one, an orthopaedic practice with an
executed joint-replacement (LEJR) arrangement, a year (2027) of alignment and claims for about
2,000 beneficiaries (and 150 more with a hip or knee replacement), quality data, and a draft
settlement. The data is generated from
a fixed seed, so every demo database holds the same numbers.

The demo's API keys are written to ``var/demo-keys.env`` (or ``--keys-file``; mode 0600) for the README walkthrough
(``source var/demo-keys.env``). Running the command again loads nothing twice: it issues fresh
keys for the demo organisations and rewrites that file.
"""

from __future__ import annotations

import os
import random
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from service.access import repository as access_repository
from service.access import service as access_service
from service.access.models import OrgKind, Role
from service.demo.synthetic import Population, make_mbi, make_npi
from service.kit.changes import CLI_ACTOR
from service.settings import Settings

OPS_NAME = "CARA Operations"
ACO_NAME = "Valley Health ACO"
GERIATRICS_NAME = "Summit Geriatrics & Falls Clinic"
THERAPY_NAME = "Riverbend Physical Therapy"
ORTHOPAEDICS_NAME = "Cascade Orthopaedic Surgeons"
BENEFICIARIES = 2_000
# Beneficiaries with a joint replacement: people of their own, so that the falls-prevention
# figures of the demo stay what they were (their stays would count in falls episodes).
REPLACEMENTS = 150
SEED = 2027
PERIOD = (date(2027, 1, 1), date(2027, 12, 31))
TERMS: dict[str, Any] = {
    "target_price": "2200.00",
    "price_adjustment_pct": "-2",
    "savings_share_pct": "50",
    "loss_share_pct": "40",
    "performance_adjustment_pct": "20",
    "loss_quality_relief_pct": "10",
    "quality_measures": [
        {"measure_id": "Q155", "weight": "2"},
        {"measure_id": "Q318", "weight": "1"},
        {"measure_id": "Q484", "weight": "1"},
    ],
    "stop_gain_pct": "20",
    "stop_loss_pct": "15",
    "min_episodes": 10,
    "runout_days": 90,
}


# The LEJR arrangement: a base target per risk factor (MS-DRG group) of the definition.
LEJR_TERMS: dict[str, Any] = {
    "target_prices": {
        "DRG469-FX": "41000.00",
        "DRG469": "34000.00",
        "DRG470-FX": "30500.00",
        "DRG470": "24500.00",
        "DRG521": "43000.00",
        "DRG522": "33500.00",
    },
    "price_adjustment_pct": "-3",
    "savings_share_pct": "50",
    "loss_share_pct": "50",
    "performance_adjustment_pct": "20",
    "loss_quality_relief_pct": "10",
    "quality_measures": [{"measure_id": "Q470", "weight": "1"}, {"measure_id": "Q376", "weight": "1"}],
    "stop_gain_pct": "20",
    "stop_loss_pct": "20",
    "min_episodes": 10,
    "runout_days": 90,
}


@dataclass(frozen=True)
class DemoKeys:
    ops: str
    aco: str
    provider: str
    therapy: str
    aco_id: str
    provider_id: str
    therapy_id: str
    arrangement_id: str
    proposed_arrangement_id: str
    settlement_id: str
    orthopaedics: str = ""
    orthopaedics_id: str = ""
    lejr_arrangement_id: str = ""

    def as_env(self) -> str:
        return (
            f"OPS_KEY={self.ops}\nACO_KEY={self.aco}\nPROVIDER_KEY={self.provider}\n"
            f"THERAPY_KEY={self.therapy}\nORTHOPAEDICS_KEY={self.orthopaedics}\nACO_ID={self.aco_id}\n"
            f"PROVIDER_ID={self.provider_id}\nTHERAPY_ID={self.therapy_id}\n"
            f"ORTHOPAEDICS_ID={self.orthopaedics_id}\nARRANGEMENT_ID={self.arrangement_id}\n"
            f"PROPOSED_ARRANGEMENT_ID={self.proposed_arrangement_id}\n"
            f"LEJR_ARRANGEMENT_ID={self.lejr_arrangement_id}\nSETTLEMENT_ID={self.settlement_id}\n"
        )


class DemoError(RuntimeError):
    pass


def write_keys(path: Path, keys: DemoKeys) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write("# API keys of the demo organisations (cara demo). Sandbox data only.\n")
        out.write(keys.as_env())


# --- the demo population (service/demo/synthetic.py generates it) --------------------------------------------------------------------


def _money(rng: random.Random, low: float, high: float) -> str:
    # Cents drawn as an integer: demo amounts are exact decimals like real ones.
    return str(Decimal(rng.randint(int(low * 100), int(high * 100))) / 100)


def population(geriatrics_npis: list[str], therapy_npis: list[str], pcp_npis: list[str]) -> Population:
    """Alignment and a year of claims for ``BENEFICIARIES`` people, from a fixed seed.

    About one in five is seen by the geriatric clinic for a fall-risk problem (the trigger of a
    falls-prevention episode); those carry more therapy, home health and, sometimes, a hip
    fracture. The rest have ordinary primary care, outpatient and hospital use.
    """
    people = Population(SEED)
    rng = people.rng
    day_in = people.day_in
    claim_no = 0

    def add(
        person: str, kind: str, day: date, code: str, diagnoses: str, low: float, high: float, npi: str
    ) -> None:
        nonlocal claim_no
        claim_no += 1
        allowed = _money(rng, low, high)
        people.claim(
            claim_id=f"DEMO{claim_no:07d}",
            line_number="1",
            claim_type=kind,
            mbi=person,
            from_date=day.isoformat(),
            thru_date=(day + timedelta(days=rng.randint(3, 9) if kind == "inpatient" else 0)).isoformat(),
            rendering_npi=npi,
            billing_tin="431234567",
            hcpcs=code,
            diagnoses=diagnoses,
            allowed_amount=allowed,
            paid_amount=str((Decimal(allowed) * Decimal("0.8")).quantize(Decimal("0.01"))),
            adjustment="original",
            received_date=(day + timedelta(days=rng.randint(10, 75))).isoformat(),
        )

    chronic = ["I10", "E11.9", "E78.5", "M17.11", "J44.9", "N18.30", "F03.90", "I48.91"]
    for n in range(BENEFICIARIES):
        person = make_mbi(1_000_000 + n)
        # Ages 62..97 in 2027: a few under 65 show the age rule.
        birth = date(1930, 1, 1) + timedelta(days=rng.randint(0, 35 * 365))
        row = people.beneficiary(
            person,
            birth_date=birth.isoformat(),
            sex=rng.choice("FM"),
            dual_status="true" if rng.random() < 0.15 else "false",
            hcc_score=f"{min(3.5, max(0.35, rng.lognormvariate(0, 0.45))):.3f}",
            aligned_from="2027-01-01",
            esrd="true" if rng.random() < 0.01 else "false",
        )
        roll = rng.random()
        if roll < 0.03:
            row["aligned_through"] = day_in(date(2027, 3, 1), date(2027, 11, 30)).isoformat()
        elif roll < 0.05:
            row["hospice_start"] = day_in(date(2027, 2, 1), date(2027, 12, 1)).isoformat()
        elif roll < 0.07:
            row["death_date"] = day_in(date(2027, 2, 1), date(2027, 12, 1)).isoformat()

        own_chronic = "|".join(rng.sample(chronic, rng.randint(1, 3)))
        pcp = rng.choice(pcp_npis)
        for _ in range(rng.randint(2, 7)):
            add(person, "carrier", day_in(*PERIOD), rng.choice(["99213", "99214"]), own_chronic, 75, 165, pcp)
        for _ in range(rng.randint(0, 3)):
            add(
                person,
                "outpatient",
                day_in(*PERIOD),
                rng.choice(["71046", "80053", "93000"]),
                own_chronic,
                40,
                900,
                pcp,
            )
        if rng.random() < 0.08:
            add(person, "inpatient", day_in(*PERIOD), "", f"J18.9|{own_chronic}", 7_000, 19_000, pcp)
        if rng.random() < 0.2:
            add(person, "dme", day_in(*PERIOD), "E0143", own_chronic, 60, 350, pcp)

        if rng.random() < 0.2:
            # A fall-risk visit at the geriatric clinic, then the care that tends to follow it.
            visit = day_in(date(2027, 1, 5), date(2027, 11, 15))
            risk = rng.choice(["Z91.81", "R26.81", "R29.6", "W19.XXXA|R26.89"])
            add(
                person,
                "carrier",
                visit,
                rng.choice(["99204", "99214", "99215"]),
                f"{risk}|{own_chronic}",
                110,
                260,
                rng.choice(geriatrics_npis),
            )
            therapist = rng.choice(therapy_npis)
            start = visit + timedelta(days=rng.randint(3, 20))
            add(person, "carrier", start, "97162", risk, 95, 140, therapist)
            for week in range(rng.randint(2, 8)):
                add(
                    person,
                    "carrier",
                    start + timedelta(days=7 * (week + 1)),
                    "97110",
                    risk,
                    30,
                    75,
                    therapist,
                )
            if rng.random() < 0.35:
                add(
                    person,
                    "hha",
                    visit + timedelta(days=rng.randint(5, 40)),
                    "G0151",
                    risk,
                    150,
                    2_400,
                    therapist,
                )
            if rng.random() < 0.07:
                fracture = visit + timedelta(days=rng.randint(10, 80))
                add(person, "inpatient", fracture, "", "S72.001A|W19.XXXA", 14_000, 32_000, pcp)
                add(person, "snf", fracture + timedelta(days=6), "", "S72.001D", 6_000, 15_000, pcp)
    return people


def add_replacements(people: Population, surgeon_npis: list[str], pcp_npis: list[str]) -> None:
    """``REPLACEMENTS`` more beneficiaries, each with a hip or knee replacement stay in 2027 (the
    LEJR anchor: MS-DRG 469, 470, 521 or 522, operated by one of ``surgeon_npis``), some with a
    readmission, then skilled nursing, home health and follow-up visits. Its own random source,
    so that the falls-prevention population before it is unchanged."""
    rng = random.Random(SEED + 1)
    groups = [  # (DRG, diagnoses, allowed range of the stay): mostly knees (470)
        ("470", "M17.11|I10", 11_000, 19_000),
        ("470", "M17.12|E11.9", 11_000, 19_000),
        ("470", "M16.11|I10", 12_000, 20_000),
        ("469", "M17.11|I50.9|N18.30", 22_000, 38_000),
        ("521", "S72.001A|W19.XXXA|I50.9", 28_000, 45_000),
        ("522", "S72.011A|W19.XXXA", 20_000, 32_000),
    ]
    weights = [40, 20, 15, 10, 7, 8]
    for n in range(REPLACEMENTS):
        person = make_mbi(1_500_000 + n)
        birth = date(1935, 1, 1) + timedelta(days=rng.randint(0, 27 * 365))
        people.beneficiary(
            person,
            birth_date=birth.isoformat(),
            sex=rng.choice("FM"),
            dual_status="false",
            hcc_score=f"{min(3.0, max(0.5, rng.lognormvariate(0, 0.35))):.3f}",
            aligned_from="2027-01-01",
            esrd="false",
        )
        drg, diagnoses, low, high = rng.choices(groups, weights)[0]
        admitted = people.day_in(date(2027, 1, 10), date(2027, 9, 30))
        discharged = admitted + timedelta(days=rng.randint(1, 5))
        surgeon, pcp = rng.choice(surgeon_npis), rng.choice(pcp_npis)
        stays = [(admitted, discharged, drg, diagnoses, low, high)]
        if rng.random() < 0.08:  # a readmission inside the window, counted once
            back = discharged + timedelta(days=rng.randint(5, 40))
            stays.append((back, back + timedelta(days=3), "863", "T84.53XA|M17.11", 9_000, 16_000))
        for number, (first, last, group, codes, low_amount, high_amount) in enumerate(stays, start=1):
            allowed = _money(rng, low_amount, high_amount)
            people.claim(
                claim_id=f"DEMOIP{n:05d}{number}",
                claim_type="inpatient",
                mbi=person,
                from_date=first.isoformat(),
                thru_date=last.isoformat(),
                rendering_npi=surgeon,
                billing_tin="",
                hcpcs="",
                diagnoses=codes,
                allowed_amount=allowed,
                paid_amount=str((Decimal(allowed) * Decimal("0.8")).quantize(Decimal("0.01"))),
                received_date=(last + timedelta(days=rng.randint(10, 45))).isoformat(),
                drg_code=group,
                admission_date=first.isoformat(),
                discharge_date=last.isoformat(),
                facility_ccn="500014",
                attending_npi=surgeon,
                operating_npi=surgeon if number == 1 else "",
            )
        after = [("snf", "", 5_000, 14_000)] if rng.random() < 0.4 else [("hha", "G0151", 1_500, 4_500)]
        after += [("carrier", "99213", 80, 160), ("carrier", "97110", 30, 75), ("carrier", "97110", 30, 75)]
        for index, (kind, code, low_amount, high_amount) in enumerate(after):
            day = discharged + timedelta(days=1 + index * rng.randint(7, 25))
            allowed = _money(rng, low_amount, high_amount)
            people.claim(
                claim_id=f"DEMOPA{n:05d}{index}",
                claim_type=kind,
                mbi=person,
                from_date=day.isoformat(),
                thru_date=day.isoformat(),
                rendering_npi=surgeon if code == "99213" else pcp,
                hcpcs=code,
                diagnoses=diagnoses.split("|")[0].replace("A", "D") if drg in ("521", "522") else "Z96.651",
                allowed_amount=allowed,
                paid_amount=str((Decimal(allowed) * Decimal("0.8")).quantize(Decimal("0.01"))),
                received_date=(day + timedelta(days=rng.randint(10, 45))).isoformat(),
            )


# --- loading through the API ---------------------------------------------------------------------


def _check(response: httpx.Response, status: int) -> Any:
    if response.status_code != status:
        raise DemoError(
            f"{response.request.method} {response.request.url.path}: {response.status_code} {response.text}"
        )
    return response.json() if response.headers.get("content-type", "").endswith("json") else response.text


async def _org(client: httpx.AsyncClient, body: dict[str, Any]) -> tuple[dict[str, Any], str]:
    org = _check(await client.post("/v1/organizations", json=body), 201)
    key = _check(
        await client.post(
            f"/v1/organizations/{org['id']}/api-keys", json={"name": "demo", "role": body["kind"]}
        ),
        201,
    )
    return org, str(key["key"])


def _as(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def _act(client: httpx.AsyncClient, key: str, arrangement_id: str, action: str, body: Any) -> Any:
    path = f"/v1/arrangements/{arrangement_id}"
    current = await client.get(path, headers=_as(key))
    headers = {**_as(key), "If-Match": current.headers["etag"]}
    return _check(
        await client.post(f"{path}/{action}", json=body, headers=headers),
        201 if action == "signatures" else 200,
    )


async def _sign(client: httpx.AsyncClient, key: str, arrangement_id: str, signer: tuple[str, str]) -> None:
    current = _check(await client.get(f"/v1/arrangements/{arrangement_id}", headers=_as(key)), 200)
    body = {"signer_name": signer[0], "signer_title": signer[1], "terms_sha256": current["terms_sha256"]}
    await _act(client, key, arrangement_id, "signatures", body)


# Told the rows and bytes sent so far of one upload; made per upload from its name and size.
Progress = Callable[[int, int], None]
ProgressParts = Callable[[str, int], Progress]
_UPLOAD_CHUNK_BYTES = 64 * 1024


async def _sent(body: bytes, progress: Progress | None) -> AsyncIterator[bytes]:
    """A CSV body in chunks, telling ``progress`` its data rows and bytes sent so far."""
    rows = -1  # the header line is not a row
    for start in range(0, len(body), _UPLOAD_CHUNK_BYTES):
        chunk = body[start : start + _UPLOAD_CHUNK_BYTES]
        yield chunk
        rows += chunk.count(b"\n")
        if progress is not None:
            progress(max(rows, 0), start + len(chunk))


async def load(client: httpx.AsyncClient, ops_key: str, progress: ProgressParts | None = None) -> DemoKeys:
    client.headers.update(_as(ops_key))
    aco, aco_key = await _org(client, {"kind": "aco", "name": ACO_NAME, "tin": "431234567"})
    geriatrics_npis = [make_npi(f"1{n:08d}") for n in (70011001, 70011002, 70011003)]
    therapy_npis = [make_npi(f"1{n:08d}") for n in (70022001, 70022002)]
    pcp_npis = [make_npi(f"1{n:08d}") for n in range(70033001, 70033041)]
    geriatrics, geriatrics_key = await _org(
        client,
        {
            "kind": "provider",
            "name": GERIATRICS_NAME,
            "tin": "562345678",
            "npis": geriatrics_npis,
            "npis_effective_from": PERIOD[0].isoformat(),
            "aco_id": aco["id"],
        },
    )
    therapy, therapy_key = await _org(
        client,
        {
            "kind": "provider",
            "name": THERAPY_NAME,
            "tin": "613456789",
            "npis": therapy_npis,
            "npis_effective_from": PERIOD[0].isoformat(),
            "aco_id": aco["id"],
        },
    )

    surgeon_npis = [make_npi(f"1{n:08d}") for n in (70044001, 70044002, 70044003, 70044004)]
    orthopaedics, orthopaedics_key = await _org(
        client,
        {
            "kind": "provider",
            "name": ORTHOPAEDICS_NAME,
            "tin": "724567890",
            "npis": surgeon_npis,
            "npis_effective_from": PERIOD[0].isoformat(),
            "aco_id": aco["id"],
        },
    )

    people = population(geriatrics_npis, therapy_npis, pcp_npis)
    add_replacements(people, surgeon_npis, pcp_npis)
    csv_headers = {**_as(aco_key), "Content-Type": "text/csv"}
    alignment_csv, claims_csv = people.csv()
    for kind, body in (("alignment", alignment_csv), ("claims", claims_csv)):
        told = progress(kind, len(body)) if progress is not None else None
        _check(await client.post(f"/v1/{kind}", content=_sent(body, told), headers=csv_headers), 201)

    def proposal(provider_id: str) -> dict[str, Any]:
        return {
            "aco_id": aco["id"],
            "provider_id": provider_id,
            "episode": {"code": "FALLS-PREV", "version": 1},
            "period": {"start": PERIOD[0].isoformat(), "end": PERIOD[1].isoformat()},
            "terms": TERMS,
        }

    executed = _check(
        await client.post("/v1/arrangements", json=proposal(geriatrics["id"]), headers=_as(aco_key)), 201
    )
    await _sign(
        client, aco_key, executed["id"], ("Maria Okafor", "Chief Executive Officer, Valley Health ACO")
    )
    await _sign(client, geriatrics_key, executed["id"], ("Dr. Samuel Lindqvist", "Medical Director"))
    proposed = _check(
        await client.post("/v1/arrangements", json=proposal(therapy["id"]), headers=_as(aco_key)), 201
    )
    joints = {
        **proposal(orthopaedics["id"]),
        "episode": {"code": "LEJR", "version": 1},
        "terms": LEJR_TERMS,
    }
    lejr = _check(await client.post("/v1/arrangements", json=joints, headers=_as(aco_key)), 201)
    await _sign(client, aco_key, lejr["id"], ("Maria Okafor", "Chief Executive Officer, Valley Health ACO"))
    await _sign(client, orthopaedics_key, lejr["id"], ("Dr. Ines Halvorsen", "Managing Partner"))

    quality = {
        "measures": [
            {"measure_id": "Q155", "numerator": 312, "denominator": 380},
            {"measure_id": "Q318", "numerator": 301, "denominator": 390},
            {"measure_id": "Q484", "numerator": 41, "denominator": 388},
        ]
    }
    _check(
        await client.put(
            f"/v1/quality/{executed['id']}/{PERIOD[0].isoformat()}", json=quality, headers=_as(geriatrics_key)
        ),
        200,
    )
    settlement = _check(
        await client.post(
            f"/v1/arrangements/{executed['id']}/settlements",
            json={"period_start": PERIOD[0].isoformat(), "period_end": PERIOD[1].isoformat()},
            headers=_as(aco_key),
        ),
        201,
    )
    return DemoKeys(
        ops=ops_key,
        aco=aco_key,
        provider=geriatrics_key,
        therapy=therapy_key,
        aco_id=aco["id"],
        provider_id=geriatrics["id"],
        therapy_id=therapy["id"],
        arrangement_id=executed["id"],
        proposed_arrangement_id=proposed["id"],
        settlement_id=settlement["id"],
        orthopaedics=orthopaedics_key,
        orthopaedics_id=orthopaedics["id"],
        lejr_arrangement_id=lejr["id"],
    )


async def issue_keys(session: AsyncSession, names: dict[str, OrgKind]) -> dict[str, tuple[str, str]]:
    """Fresh keys for existing organisations (a repeated ``cara demo``): name -> (org id, key)."""
    keys: dict[str, tuple[str, str]] = {}
    for name, kind in names.items():
        org = await access_repository.get_by_name(session, name, kind)
        if org is None:
            raise DemoError(f"demo organisation {name!r} is missing: start from an empty database")
        _, key = await access_service.create_api_key(
            session, actor=CLI_ACTOR, org_id=org.id, name="demo", role=Role(kind.value)
        )
        keys[name] = (org.id, key)
    return keys


async def ops_key_and_state(session: AsyncSession) -> tuple[str, bool]:
    org = await access_service.ensure_ops_organization(session, OPS_NAME)
    _, key = await access_service.create_api_key(
        session, actor=CLI_ACTOR, org_id=org.id, name="demo", role=Role.ops
    )
    loaded = await access_repository.get_by_name(session, ACO_NAME, OrgKind.aco) is not None
    return key, loaded


def _read_env(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {name: value for name, value in pairs}


async def _rerun(
    client: httpx.AsyncClient, ops_key: str, keys: dict[str, tuple[str, str]], known: dict[str, str]
) -> DemoKeys:
    """Demo data is already there: hand out the fresh keys, keep the ids already known."""
    ids = dict(known)
    if "ARRANGEMENT_ID" not in ids or "LEJR_ARRANGEMENT_ID" not in ids:
        page = _check(await client.get("/v1/arrangements", params={"limit": 500}, headers=_as(ops_key)), 200)
        for item in page["items"]:
            if item["episode"]["code"] == "LEJR":
                ids.setdefault("LEJR_ARRANGEMENT_ID", item["id"])
                continue
            ids.setdefault(
                "ARRANGEMENT_ID" if item["status"] == "executed" else "PROPOSED_ARRANGEMENT_ID", item["id"]
            )
    return DemoKeys(
        ops=ops_key,
        aco=keys[ACO_NAME][1],
        provider=keys[GERIATRICS_NAME][1],
        therapy=keys[THERAPY_NAME][1],
        aco_id=keys[ACO_NAME][0],
        provider_id=keys[GERIATRICS_NAME][0],
        therapy_id=keys[THERAPY_NAME][0],
        arrangement_id=ids.get("ARRANGEMENT_ID", ""),
        proposed_arrangement_id=ids.get("PROPOSED_ARRANGEMENT_ID", ""),
        settlement_id=ids.get("SETTLEMENT_ID", ""),
        orthopaedics=keys[ORTHOPAEDICS_NAME][1],
        orthopaedics_id=keys[ORTHOPAEDICS_NAME][0],
        lejr_arrangement_id=ids.get("LEJR_ARRANGEMENT_ID", ""),
    )


async def run(
    settings: Settings, keys_path: Path, progress: ProgressParts | None = None
) -> tuple[DemoKeys, bool]:
    """Load the demo (or hand out new keys if it is loaded); returns the keys and whether data was
    loaded now. The caller has applied migrations and published the definitions. ``progress``
    gives the callback of each upload (alignment, claims) from its name and size."""
    from service.app import create_app
    from service.kit.db import Database

    database = Database(settings.database_url, 2)
    try:
        async with database.sessionmaker() as session:
            ops_key, loaded = await ops_key_and_state(session)
            names = {
                ACO_NAME: OrgKind.aco,
                GERIATRICS_NAME: OrgKind.provider,
                THERAPY_NAME: OrgKind.provider,
                ORTHOPAEDICS_NAME: OrgKind.provider,
            }
            keys = await issue_keys(session, names) if loaded else {}
            await session.commit()
    finally:
        await database.dispose()

    # The demo's own requests are not worth a log line each.
    app = create_app(settings.model_copy(update={"log_level": "WARNING"}))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://cara.demo", timeout=600) as client:
            if loaded:
                return await _rerun(client, ops_key, keys, _read_env(keys_path)), False
            return await load(client, ops_key, progress), True
