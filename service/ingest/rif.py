"""Import of CMS RIF claim files (pipe-delimited, header row, dates like ``30-May-2015``).

Each RIF row is mapped onto the docs/method.md section 4 fields and handed to ``service.ingest.ingest``,
the same validation and storage path as an HTTP upload. docs/ingest.md documents the mapping:

* carrier: one line per RIF line; ``rendering_npi`` = PRF_PHYSN_NPI, ``billing_tin`` = TAX_NUM,
  allowed = LINE_ALOWD_CHRG_AMT, paid = LINE_NCH_PMT_AMT.
* dme: the same with ``rendering_npi`` = PRVDR_NPI (the supplier).
* inpatient, outpatient, snf, hha, hospice (institutional): one line per revenue-centre row
  (CLM_LINE_NUM) with its HCPCS_CD; ``rendering_npi`` = RNDRNG_PHYSN_NPI, else the attending
  AT_PHYSN_NPI. RIF carries no allowed amount per institutional line, so the claim's allowed
  amount (CLM_PMT_AMT plus the beneficiary's deductible and coinsurance the claim records) is
  put on its first line and 0.00 on the others: the claim sums to its allowed amount.
* inpatient: every line also carries its stay: ``drg_code`` = CLM_DRG_CD, ``admission_date`` =
  CLM_ADMSN_DT, ``discharge_date`` = NCH_BENE_DSCHRG_DT, ``facility_ccn`` = PRVDR_NUM,
  ``attending_npi`` = AT_PHYSN_NPI, ``operating_npi`` = OP_PHYSN_NPI, ``procedure_codes`` =
  ICD_PRCDR_CD1..25.
* every line: diagnoses = PRNCPAL_DGNS_CD, ICD_DGNS_CD1..25, then the external causes
  FST_DGNS_E_CD and ICD_DGNS_E_CD1..12, where falls (W00-W19) are coded (duplicates dropped),
  ``received_date`` = NCH_WKLY_PROC_DT (the week CMS processed the claim), adjustment original.
* beneficiaries (beneficiary_YYYY files; the latest reference year wins): MBI_NUM, birth date,
  sex (1 M, 2 F, else U), dual status (DUAL_MO_CNT > 0), ESRD (BENE_ESRD_IND Y),
  death date, ``aligned_from`` = 1 January of the first reference year, open-ended; hospice start
  = the earliest hospice claim's from date; ``hcc_score`` empty (RIF has none: 1.0);
  ``entitlement_reason`` = BENE_ENTLMT_RSN_ORIG when it is 0-3, else empty.

``shift_years`` moves every date by whole years (29 February becomes the 28th), so the 2015-2021
sample can be replayed in a LEAD-era performance period with the beneficiaries' ages intact.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from service.ingest.models import Upload
from service.ingest.validation import drg_text

CLAIM_FILES = {
    "carrier": "carrier",
    "dme": "dme",
    "inpatient": "inpatient",
    "outpatient": "outpatient",
    "snf": "snf",
    "hha": "hha",
    "hospice": "hospice",
}
INSTITUTIONAL = {"inpatient", "outpatient", "snf", "hha", "hospice"}
# Every diagnosis of a claim, principal first. The external causes (FST_DGNS_E_CD,
# ICD_DGNS_E_CD1..12) are where RIF records how an injury happened, falls (W00-W19) included.
DIAGNOSIS_FIELDS = (
    "PRNCPAL_DGNS_CD",
    *(f"ICD_DGNS_CD{i}" for i in range(1, 26)),
    "FST_DGNS_E_CD",
    *(f"ICD_DGNS_E_CD{i}" for i in range(1, 13)),
)
# Beneficiary cost sharing recorded on the claim, added to CLM_PMT_AMT for the allowed amount.
PROCEDURE_FIELDS = tuple(f"ICD_PRCDR_CD{i}" for i in range(1, 26))
COST_SHARING = (
    "NCH_BENE_IP_DDCTBL_AMT",
    "NCH_BENE_PTA_COINSRNC_LBLTY_AM",
    "NCH_BENE_BLOOD_DDCTBL_LBLTY_AM",
    "NCH_BENE_PTB_DDCTBL_AMT",
    "NCH_BENE_PTB_COINSRNC_AMT",
)


def _entitlement_reason(value: str) -> str:
    """The original reason for entitlement when it is one the alignment takes (0-3), else empty."""
    value = value.strip()
    return value if value in ("0", "1", "2", "3") else ""


def parse_rif_date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    return datetime.strptime(value, "%d-%b-%Y").date()


def shift(day: date | None, years: int) -> date | None:
    if day is None or years == 0:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="|")


def _amount(row: dict[str, str], name: str) -> Decimal:
    value = (row.get(name) or "").strip()
    return Decimal(value) if value else Decimal(0)


@dataclass
class RifDelivery:
    """The RIF files of one directory, read lazily; ``sha256`` covers the files and the shift."""

    source: ClassVar[str] = "rif"

    directory: Path
    shift_years: int = 0
    mbi_of: dict[str, str] = field(default_factory=dict)
    hospice_start: dict[str, date] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.directory.is_dir():
            raise FileNotFoundError(f"{self.directory} is not a directory")
        for row in self._beneficiaries():
            self.mbi_of[row["BENE_ID"]] = row["MBI_NUM"].strip()
        hospice = self.directory / "hospice.csv"
        if hospice.exists():
            for row in _rows(hospice):
                start = shift(parse_rif_date(row["CLM_FROM_DT"]), self.shift_years)
                bene = row["BENE_ID"]
                if start and (bene not in self.hospice_start or start < self.hospice_start[bene]):
                    self.hospice_start[bene] = start

    def _beneficiaries(self) -> Iterator[dict[str, str]]:
        for path in sorted(self.directory.glob("beneficiary_[0-9]*.csv")):
            yield from _rows(path)

    def sha256(self, kind: str) -> str:
        digest = hashlib.sha256(f"rif:{kind}:shift={self.shift_years}\n".encode())
        names = ["beneficiary_"] if kind == "alignment" else list(CLAIM_FILES.values())
        for path in sorted(self.directory.glob("*.csv")):
            if any(path.name.startswith(n) for n in names):
                digest.update(path.name.encode() + b"\n" + path.read_bytes())
        return digest.hexdigest()

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.directory.glob("*.csv"))

    async def keep(self, session: AsyncSession, claims: Upload) -> None:
        """Nothing is kept beside a RIF claims upload."""

    async def alignment_records(self) -> AsyncIterator[tuple[int, dict[str, Any]]]:
        latest: dict[str, dict[str, str]] = {}
        first_year: dict[str, int] = {}
        for row in self._beneficiaries():
            bene, year = row["BENE_ID"], int(row["RFRNC_YR"])
            first_year[bene] = min(year, first_year.get(bene, year))
            if bene not in latest or year >= int(latest[bene]["RFRNC_YR"]):
                latest[bene] = row
        for number, (bene, row) in enumerate(sorted(latest.items()), start=1):
            yield (
                number,
                {
                    "mbi": row["MBI_NUM"].strip(),
                    "birth_date": _iso(shift(parse_rif_date(row["BENE_BIRTH_DT"]), self.shift_years)),
                    "sex": {"1": "M", "2": "F"}.get(row["BENE_SEX_IDENT_CD"].strip(), "U"),
                    "dual_status": "true" if int(row.get("DUAL_MO_CNT") or 0) > 0 else "false",
                    "hcc_score": "",
                    "aligned_from": _iso(shift(date(first_year[bene], 1, 1), self.shift_years)),
                    "aligned_through": "",
                    "esrd": "true" if row.get("BENE_ESRD_IND", "").strip() == "Y" else "false",
                    "hospice_start": _iso(self.hospice_start.get(bene)),
                    "death_date": _iso(shift(parse_rif_date(row.get("DEATH_DT", "")), self.shift_years)),
                    "entitlement_reason": _entitlement_reason(row.get("BENE_ENTLMT_RSN_ORIG", "")),
                },
            )

    async def claim_records(self) -> AsyncIterator[tuple[int, dict[str, Any]]]:
        number = 0
        for claim_type, stem in CLAIM_FILES.items():
            path = self.directory / f"{stem}.csv"
            if not path.exists():
                continue
            first_line_seen: set[str] = set()
            for row in _rows(path):
                number += 1
                yield number, self._claim(claim_type, row, first_line_seen)

    def _claim(self, claim_type: str, row: dict[str, str], first_line_seen: set[str]) -> dict[str, Any]:
        claim_id = row["CLM_ID"].strip()
        diagnoses = []
        for name in DIAGNOSIS_FIELDS:
            code = (row.get(name) or "").strip()
            if code and code not in diagnoses:
                diagnoses.append(code)
        dates = {
            k: _iso(shift(parse_rif_date(row.get(k) or ""), self.shift_years))
            for k in ("CLM_FROM_DT", "CLM_THRU_DT", "NCH_WKLY_PROC_DT", "CLM_ADMSN_DT", "NCH_BENE_DSCHRG_DT")
        }
        if claim_type in INSTITUTIONAL:
            line = row["CLM_LINE_NUM"].strip()
            npi = (row.get("RNDRNG_PHYSN_NPI") or "").strip() or (row.get("AT_PHYSN_NPI") or "").strip()
            tin = ""
            if claim_id in first_line_seen:
                allowed = paid = Decimal(0)
            else:
                first_line_seen.add(claim_id)
                paid = _amount(row, "CLM_PMT_AMT")
                allowed = paid + sum((_amount(row, n) for n in COST_SHARING), Decimal(0))
        else:
            line = row["LINE_NUM"].strip()
            npi = (row.get("PRF_PHYSN_NPI") if claim_type == "carrier" else row.get("PRVDR_NPI")) or ""
            tin = (row.get("TAX_NUM") or "").strip()
            allowed = _amount(row, "LINE_ALOWD_CHRG_AMT")
            paid = _amount(row, "LINE_NCH_PMT_AMT")
        return {
            # RIF's synthetic claim ids are negative numbers; the leading "-" is kept as is.
            "claim_id": f"{claim_type[:3].upper()}{claim_id}",
            "line_number": line,
            "claim_type": claim_type,
            "mbi": self.mbi_of.get(row["BENE_ID"], f"unknown BENE_ID {row['BENE_ID']}"),
            "from_date": dates["CLM_FROM_DT"],
            "thru_date": dates["CLM_THRU_DT"],
            "rendering_npi": npi.strip(),
            "billing_tin": tin if len(tin) == 9 else "",
            "hcpcs": (row.get("HCPCS_CD") or "").strip(),
            "diagnoses": "|".join(diagnoses),
            "allowed_amount": f"{allowed:.2f}",
            "paid_amount": f"{paid:.2f}",
            "adjustment": "original",
            "received_date": dates["NCH_WKLY_PROC_DT"] or dates["CLM_THRU_DT"],
            **(self._stay(row, dates) if claim_type == "inpatient" else {}),
        }

    @staticmethod
    def _stay(row: dict[str, str], dates: dict[str, str]) -> dict[str, str]:
        """The inpatient stay a line belongs to (every line of the claim carries it)."""
        procedures = []
        for name in PROCEDURE_FIELDS:
            code = (row.get(name) or "").strip()
            if code and code not in procedures:
                procedures.append(code)
        return {
            "drg_code": drg_text(row.get("CLM_DRG_CD") or ""),
            "admission_date": dates["CLM_ADMSN_DT"],
            "discharge_date": dates["NCH_BENE_DSCHRG_DT"],
            "facility_ccn": (row.get("PRVDR_NUM") or "").strip(),
            "attending_npi": (row.get("AT_PHYSN_NPI") or "").strip(),
            "operating_npi": (row.get("OP_PHYSN_NPI") or "").strip(),
            "procedure_codes": "|".join(procedures),
        }
