"""Synthetic FHIR bulk exports for tests and benchmarks: our claim lines and alignment rows (the
shapes of service/demo/synthetic.py) written as CMS writes them, ``ExplanationOfBenefit``,
``Patient`` and ``Coverage`` resources of the CARIN Blue Button profiles, one per NDJSON line.

The resources carry what BCDA's do for the elements the importer reads (docs/ingest.md, "FHIR
bulk exports"): one EOB per claim with its lines as ``item``, the claim group and claim id, the
performing NPI in ``careTeam``, ICD-10-CM diagnoses (principal first), the claim received date,
line adjudications (carrier, DME) or the claim payment and cost sharing (institutional).
"""

from __future__ import annotations

import gzip
import itertools
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson

from service.ingest.fhir.mapping import BB, CLAIM_GROUP, CLAIM_ID, CURRENCY, EOB_TYPE, INSTITUTIONAL, MBI

Row = dict[str, Any]
C4BB = "http://hl7.org/fhir/us/carin-bb/CodeSystem/"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
HCPCS = "https://bluebutton.cms.gov/resources/codesystem/hcpcs"
ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication"
BB_ADJUDICATION = "https://bluebutton.cms.gov/resources/codesystem/adjudication"


def patient_id(mbi: str) -> str:
    return f"bene-{mbi}"


def _money(value: str | Decimal) -> float:
    return float(Decimal(value))


def _category(system: str, code: str, variable: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code}, {"system": BB_ADJUDICATION, "code": BB + variable}]}


def eob(
    lines: list[Row],
    *,
    group: str | None = None,
    clm_id: str | None = None,
    status: str = "active",
    received: str | None = None,
) -> dict[str, Any]:
    """One ExplanationOfBenefit of the claim lines ``lines`` (one claim: same type, MBI, claim)."""
    first = lines[0]
    kind = first["claim_type"]
    institutional = kind in INSTITUTIONAL
    npis = list(dict.fromkeys(line["rendering_npi"] for line in lines if line.get("rendering_npi")))
    team = [
        {
            "sequence": n,
            "provider": {"identifier": {"system": "http://hl7.org/fhir/sid/us-npi", "value": npi}},
            "role": {"coding": [{"system": C4BB + "C4BBClaimCareTeamRole", "code": "performing"}]},
        }
        for n, npi in enumerate(npis, start=1)
    ]
    if institutional and npis:
        team.append(
            {
                "sequence": len(team) + 1,
                "provider": {"identifier": {"value": npis[0]}},
                "role": {"coding": [{"system": C4BB + "C4BBClaimCareTeamRole", "code": "attending"}]},
            }
        )
    codes = [c.replace(".", "") for c in first["diagnoses"].split("|") if c]
    diagnoses = [
        {
            "sequence": n,
            "diagnosisCodeableConcept": {"coding": [{"system": ICD10CM, "code": code}]},
            "type": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/ex-diagnosistype"
                            if n == 1
                            else C4BB + "C4BBClaimDiagnosisType",
                            "code": "principal" if n == 1 else "secondary",
                        }
                    ]
                }
            ],
        }
        for n, code in enumerate(codes, start=1)
    ]
    items = []
    for line in lines:
        item: dict[str, Any] = {
            "sequence": int(line["line_number"]),
            "productOrService": {"coding": [{"system": HCPCS, "code": line["hcpcs"]}]}
            if line.get("hcpcs")
            else {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/data-absent-reason",
                        "code": "not-applicable",
                    }
                ]
            },
        }
        if line.get("rendering_npi"):
            item["careTeamSequence"] = [npis.index(line["rendering_npi"]) + 1]
        if not institutional:
            item["servicedPeriod"] = {"start": line["from_date"], "end": line["thru_date"]}
            item["extension"] = [
                {
                    "url": BB + "line_prcsg_ind_cd",
                    "valueCoding": {"system": BB + "line_prcsg_ind_cd", "code": "A"},
                }
            ]
            if line.get("billing_tin"):
                item["extension"].append(
                    {
                        "url": BB + "tax_num",
                        "valueCoding": {"system": BB + "tax_num", "code": line["billing_tin"]},
                    }
                )
            item["adjudication"] = [
                {
                    "category": _category(ADJUDICATION, "eligible", "line_alowd_chrg_amt"),
                    "amount": {"value": _money(line["allowed_amount"]), "currency": "USD"},
                },
                {
                    "category": _category(ADJUDICATION, "benefit", "line_nch_pmt_amt"),
                    "amount": {"value": _money(line["paid_amount"]), "currency": "USD"},
                },
            ]
        items.append(item)
    resource: dict[str, Any] = {
        "resourceType": "ExplanationOfBenefit",
        "id": f"{kind}-{clm_id or first['claim_id']}",
        "identifier": [
            {"system": CLAIM_ID, "value": clm_id or first["claim_id"]},
            {"system": CLAIM_GROUP, "value": group or first["claim_id"]},
        ],
        "status": status,
        "type": {
            "coding": [
                {"system": EOB_TYPE, "code": kind.upper()},
                {
                    "system": "http://terminology.hl7.org/CodeSystem/claim-type",
                    "code": "institutional" if institutional else "professional",
                },
            ]
        },
        "use": "claim",
        "patient": {"reference": f"Patient/{patient_id(first['mbi'])}"},
        "billablePeriod": {
            "start": min(line["from_date"] for line in lines),
            "end": max(line["thru_date"] for line in lines),
        },
        "created": "2028-01-01T00:00:00+00:00",
        "insurer": {"identifier": {"value": "CMS"}},
        "provider": {
            "identifier": {
                "system": "http://hl7.org/fhir/sid/us-npi",
                "value": npis[0] if npis else "0000000000",
            }
        },
        "outcome": "complete",
        "careTeam": team,
        "supportingInfo": [
            {
                "sequence": 1,
                "category": {
                    "coding": [
                        {"system": C4BB + "C4BBSupportingInfoType", "code": "clmrecvddate"},
                        {
                            "system": "https://bluebutton.cms.gov/resources/codesystem/information",
                            "code": BB + "nch_wkly_proc_dt",
                        },
                    ]
                },
                "timingDate": received or first["received_date"],
            }
        ],
        "diagnosis": diagnoses,
        "insurance": [
            {"focal": True, "coverage": {"reference": f"Coverage/part-a-{patient_id(first['mbi'])}"}}
        ],
        "item": items,
    }
    if institutional:
        paid = sum((Decimal(line["paid_amount"]) for line in lines), Decimal(0))
        allowed = sum((Decimal(line["allowed_amount"]) for line in lines), Decimal(0))
        resource["payment"] = {"amount": {"value": _money(paid), "currency": "USD"}}
        resource["benefitBalance"] = [
            {
                "category": {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/ex-benefitcategory", "code": "1"}
                    ]
                },
                "financial": [
                    {
                        "type": {
                            "coding": [
                                {
                                    "system": "https://bluebutton.cms.gov/resources/codesystem/benefit-balance",
                                    "code": BB + "nch_bene_ptb_ddctbl_amt",
                                }
                            ]
                        },
                        "usedMoney": {"value": _money(allowed - paid), "currency": "USD"},
                    }
                ],
            }
        ]
    return resource


def patient(row: Row) -> dict[str, Any]:
    """The Patient of one alignment row (MBI current, birth date, gender, death date)."""
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": patient_id(row["mbi"]),
        "identifier": [
            {"system": BB + "bene_id", "value": patient_id(row["mbi"])},
            {
                "type": {
                    "coding": [
                        {
                            "extension": [
                                {"url": CURRENCY, "valueCoding": {"system": CURRENCY, "code": "current"}}
                            ],
                            "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                            "code": "MC",
                        }
                    ]
                },
                "system": MBI,
                "value": row["mbi"],
            },
        ],
        "gender": {"F": "female", "M": "male"}.get(row["sex"], "unknown"),
        "birthDate": row["birth_date"],
    }
    if row.get("death_date"):
        resource["deceasedDateTime"] = row["death_date"]
    return resource


def coverage(row: Row) -> dict[str, Any]:
    """The Part A Coverage of one alignment row (dual status each month, ESRD, and OREC when the
    row has an entitlement reason)."""

    def coding(name: str, code: str) -> dict[str, Any]:
        return {"url": BB + name, "valueCoding": {"system": BB + name, "code": code}}

    dual = "02" if row.get("dual_status") == "true" else "NA"
    return {
        "resourceType": "Coverage",
        "id": f"part-a-{patient_id(row['mbi'])}",
        "extension": [
            *([coding("orec", row["entitlement_reason"])] if row.get("entitlement_reason") else []),
            coding("esrd_ind", "Y" if row.get("esrd") == "true" else "N"),
            *(coding(f"dual_{month:02d}", dual) for month in range(1, 13)),
        ],
        "status": "active",
        "beneficiary": {"reference": f"Patient/{patient_id(row['mbi'])}"},
        "payor": [{"identifier": {"value": "Centers for Medicare and Medicaid Services"}}],
        "class": [
            {
                "type": {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/coverage-class", "code": "group"}
                    ]
                },
                "value": "Medicare",
            },
            {
                "type": {
                    "coding": [
                        {"system": "http://terminology.hl7.org/CodeSystem/coverage-class", "code": "plan"}
                    ]
                },
                "value": "Part A",
            },
        ],
    }


def claims(lines: Iterable[Row]) -> Iterator[dict[str, Any]]:
    """One EOB per claim of ``lines`` (lines of a claim consecutive)."""
    batch: list[Row] = []
    for line in lines:
        if batch and line["claim_id"] != batch[0]["claim_id"]:
            yield eob(batch)
            batch = []
        batch.append(line)
    if batch:
        yield eob(batch)


def write_ndjson(path: Path, resources: Iterable[dict[str, Any]]) -> Path:
    """One resource a line; gzip when ``path`` ends in ``.gz``."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wb") as out:  # type: ignore[operator]
        for resource in resources:
            out.write(orjson.dumps(resource) + b"\n")
    return path


def write_export(
    directory: Path,
    alignment: list[Row],
    lines: Iterable[Row],
    *,
    extra_eobs: Iterable[dict[str, Any]] = (),
    gz: bool = False,
) -> Path:
    """An export as BCDA names its files (a job's UUIDs: the type is read from the content)."""
    directory.mkdir(parents=True, exist_ok=True)
    suffix = ".ndjson.gz" if gz else ".ndjson"
    write_ndjson(directory / f"4a1c9e0b-patient{suffix}", (patient(row) for row in alignment))
    write_ndjson(directory / f"4a1c9e0b-coverage{suffix}", (coverage(row) for row in alignment))
    write_ndjson(directory / f"4a1c9e0b-eob{suffix}", itertools.chain(claims(lines), extra_eobs))
    return directory
