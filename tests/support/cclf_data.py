"""Synthetic CCLF deliveries for tests and benchmarks, written from the importer's own layout
tables (``service.ingest.cclf.layouts.LAYOUTS``): a record is its fields placed by position.

``Delivery`` collects records (Part A headers with their revenue lines and diagnoses, Part B and
DME lines, beneficiaries, MBI crosswalk) and ``write`` produces the files with CMS's names and a
CCLF0 summary; ``write`` can also falsify the summary (counts, record lengths) or cut a file, to
test refusals. ``bulk_part_b`` streams a large CCLF5-only delivery for the benchmark.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from service.demo.synthetic import new_npi
from service.ingest.cclf.layouts import LAYOUTS, Layout

FILE_NAMES = {
    "CCLF0": "P.A9999.ACO.ZC0Y27.D270115.T1200000",
    "CCLF1": "P.A9999.ACO.ZC1Y27.D270115.T1200000",
    "CCLF2": "P.A9999.ACO.ZC2Y27.D270115.T1200000",
    "CCLF4": "P.A9999.ACO.ZC4Y27.D270115.T1200000",
    "CCLF5": "P.A9999.ACO.ZC5Y27.D270115.T1200000",
    "CCLF6": "P.A9999.ACO.ZC6Y27.D270115.T1200000",
    "CCLF8": "P.A9999.ACO.ZC8Y27.D270115.T1200000",
    "CCLF9": "P.A9999.ACO.ZC9Y27.D270115.T1200000",
}
NULL_DATE = "9999-12-31"


def _amount(value: Decimal | str, width: int) -> str:
    value = Decimal(value)
    return ("-" if value < 0 else " ") + f"{abs(value):.2f}".rjust(width - 1, "0")


def record(kind: str, **values: Any) -> str:
    """One fixed-width record of ``kind``: every named field at its position, blanks elsewhere."""
    layout: Layout = LAYOUTS[kind]
    line = [" "] * layout.record_length
    positions = {f.name: f for f in layout.fields}
    for name, value in values.items():
        spec = positions[name]
        width = spec.end - spec.start + 1
        if value is None:
            continue
        text = _amount(value, width) if name.endswith("_AMT") else str(value)
        assert len(text) <= width, (kind, name, text)
        line[spec.start - 1 : spec.end] = list(text.ljust(width))
    return "".join(line)


@dataclass
class Delivery:
    records: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in FILE_NAMES if k != "CCLF0"})

    def part_a(
        self,
        uid: str,
        mbi: str,
        from_date: str,
        thru_date: str,
        paid: Decimal | str,
        *,
        code: str = "0",
        effective: str,
        loaded: str,
        oscar: str = "140001",
        claim_type: str = "60",
        principal: str = "S72001A",
        diagnoses: tuple[str, ...] = ("W19XXXA", "I10"),
        lines: tuple[tuple[str, Decimal | str], ...] = (),
        denied_reason: str = "",
        npi: str | None = None,
        drg: str = "",
        operating_npi: str = "",
        patient_status: str = "01",
    ) -> None:
        self.records["CCLF1"].append(
            record(
                "CCLF1",
                CUR_CLM_UNIQ_ID=uid,
                PRVDR_OSCAR_NUM=oscar,
                BENE_MBI_ID=mbi,
                CLM_TYPE_CD=claim_type,
                CLM_FROM_DT=from_date,
                CLM_THRU_DT=thru_date,
                PRNCPL_DGNS_CD=principal,
                CLM_MDCR_NPMT_RSN_CD=denied_reason,
                CLM_PMT_AMT=paid,
                ATNDG_PRVDR_NPI_NUM=npi or new_npi(),
                OPRTG_PRVDR_NPI_NUM=operating_npi,
                DGNS_DRG_CD=drg.zfill(4) if drg else "",
                BENE_PTNT_STUS_CD=patient_status,
                CLM_ADJSMT_TYPE_CD=code.zfill(2),
                CLM_EFCTV_DT=effective,
                CLM_IDR_LD_DT=loaded,
                DGNS_PRCDR_ICD_IND="0",
                CLM_BLG_PRVDR_OSCAR_NUM=oscar,
                CLM_CNTL_NUM=f"CN{uid}",
            )
        )
        for sequence, code_ in enumerate(diagnoses, start=1):
            self.records["CCLF4"].append(
                record(
                    "CCLF4",
                    CUR_CLM_UNIQ_ID=uid,
                    BENE_MBI_ID=mbi,
                    CLM_TYPE_CD=claim_type,
                    CLM_PROD_TYPE_CD="D",
                    CLM_VAL_SQNC_NUM=f"{sequence:02d}",
                    CLM_DGNS_CD=code_,
                    CLM_FROM_DT=from_date,
                    CLM_THRU_DT=thru_date,
                    DGNS_PRCDR_ICD_IND="0",
                )
            )
        for number, (hcpcs, line_paid) in enumerate(lines, start=1):
            self.records["CCLF2"].append(
                record(
                    "CCLF2",
                    CUR_CLM_UNIQ_ID=uid,
                    CLM_LINE_NUM=f"{number:010d}",
                    BENE_MBI_ID=mbi,
                    CLM_TYPE_CD=claim_type,
                    CLM_LINE_FROM_DT=from_date,
                    CLM_LINE_THRU_DT=thru_date,
                    CLM_LINE_PROD_REV_CTR_CD="0120",
                    CLM_LINE_HCPCS_CD=hcpcs,
                    CLM_FROM_DT=from_date,
                    CLM_THRU_DT=thru_date,
                    CLM_LINE_CVRD_PD_AMT=line_paid,
                )
            )

    def part_b(
        self,
        uid: str,
        line: int,
        mbi: str,
        control: str,
        from_date: str,
        paid: Decimal | str,
        *,
        allowed: Decimal | str | None = None,
        code: str = "0",
        effective: str,
        loaded: str,
        thru_date: str | None = None,
        hcpcs: str = "99214",
        diagnoses: tuple[str, ...] = ("Z9181", "R2681"),
        line_diagnosis: str = "",
        npi: str | None = None,
        tin: str = "123456789",
        denial: str = "1",
        processing: str = "A",
        dme: bool = False,
    ) -> None:
        common = {
            "CUR_CLM_UNIQ_ID": uid,
            "CLM_LINE_NUM": f"{line:010d}",
            "BENE_MBI_ID": mbi,
            "CLM_FROM_DT": from_date,
            "CLM_THRU_DT": thru_date or from_date,
            "CLM_LINE_FROM_DT": from_date,
            "CLM_LINE_THRU_DT": thru_date or from_date,
            "CLM_LINE_HCPCS_CD": hcpcs,
            "CLM_LINE_CVRD_PD_AMT": paid,
            "CLM_ADJSMT_TYPE_CD": code.zfill(2),
            "CLM_EFCTV_DT": effective,
            "CLM_IDR_LD_DT": loaded,
            "CLM_CNTL_NUM": control,
            "CLM_LINE_ALOWD_CHRG_AMT": paid if allowed is None else allowed,
        }
        if dme:
            self.records["CCLF6"].append(
                record("CCLF6", **common, CLM_TYPE_CD="82", PAYTO_PRVDR_NPI_NUM=npi or new_npi())
            )
            return
        dgns = {f"CLM_DGNS_{i}_CD": c for i, c in enumerate(diagnoses, start=1)}
        self.records["CCLF5"].append(
            record(
                "CCLF5",
                **common,
                **dgns,
                CLM_TYPE_CD="71",
                CLM_PRVDR_SPCLTY_CD="08",
                CLM_POS_CD="11",
                CLM_LINE_DGNS_CD=line_diagnosis,
                CLM_RNDRG_PRVDR_TAX_NUM=tin,
                RNDRG_PRVDR_NPI_NUM=npi or new_npi(),
                CLM_CARR_PMT_DNL_CD=denial,
                CLM_PRCSG_IND_CD=processing,
                DGNS_PRCDR_ICD_IND="0",
            )
        )

    def beneficiary(
        self,
        mbi: str,
        birth: str = "1948-05-17",
        sex: str = "2",
        *,
        status: str = "10",
        dual: str = "NA",
        death: str = NULL_DATE,
        hospice: str = "1000-01-01",
        entitlement_reason: str = "0",
    ) -> None:
        full = record(
            "CCLF8",
            BENE_MBI_ID=mbi,
            BENE_ORGNL_ENTLMT_RSN_CD=entitlement_reason,
        )
        self.records["CCLF8"].append(
            record(
                "CCLF8",
                BENE_MBI_ID=mbi,
                BENE_DOB=birth,
                BENE_SEX_CD=sex,
                BENE_MDCR_STUS_CD=status,
                BENE_DUAL_STUS_CD=dual,
                BENE_DEATH_DT=death,
                BENE_RNG_BGN_DT=hospice,
                BENE_RNG_END_DT=NULL_DATE,
            )[
                # Names and addresses: filled, to show they are never read.
                :81
            ]
            # Names (82-166) and address (169-549), filled, around the entitlement reason (167).
            + "JANE DOE".ljust(166 - 81)
            + full[166]
            + "N"
            + "12 MAIN ST SPRINGFIELD".ljust(549 - 168)
        )

    def crosswalk(self, current: str, previous: str) -> None:
        self.records["CCLF9"].append(
            record(
                "CCLF9",
                HICN_MBI_XREF_IND="M",
                CRNT_NUM=current,
                PRVS_NUM=previous,
                PRVS_ID_EFCTV_DT="2026-01-01",
                PRVS_ID_OBSLT_DT="2027-02-01",
            )
        )

    def write(
        self,
        directory: Path,
        *,
        counts: dict[str, int] | None = None,
        lengths: dict[str, int] | None = None,
        cut: str | None = None,
    ) -> Path:
        """Write the files and a CCLF0 summary; ``counts``/``lengths`` falsify the summary, ``cut``
        truncates the last record of that file (as an interrupted transfer would)."""
        directory.mkdir(parents=True, exist_ok=True)
        summary = [SUMMARY_HEADER]
        for kind, lines in self.records.items():
            text = "".join(line + "\n" for line in lines)
            if cut == kind:
                text = text[:-40] + "\n"
            (directory / FILE_NAMES[kind]).write_text(text, encoding="latin-1")
            summary.append(
                summary_record(
                    kind,
                    (counts or {}).get(kind, len(lines)),
                    (lengths or {}).get(kind, LAYOUTS[kind].record_length),
                )
            )
        (directory / FILE_NAMES["CCLF0"]).write_text("".join(s + "\n" for s in summary), encoding="latin-1")
        return directory


SUMMARY_HEADER = "File Number  |File Description    |Total Records Count |Record Length"


def summary_record(kind: str, count: int, length: int) -> str:
    """One CCLF0 row as CMS writes it: ``CCLF5  |description |      count| length``."""
    line = record(
        "CCLF0",
        FILE_TYPE=kind,
        FILE_DESC=f"{kind} file",
        TOT_REC_CNT=f"{count:>11}",
        REC_LNGTH=f"{length:>5}",
    )
    return "|".join((line[:7], line[8:51], line[52:63], line[64:]))


def bulk_part_b(directory: Path, lines: int, mbis: list[str], *, seed: int = 7) -> Path:
    """A delivery of ``lines`` CCLF5 lines (originals, one line per claim) and its beneficiaries,
    streamed to disk; 1 % of claims are cancelled and re-billed, 1 % denied."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    npis = [new_npi() for _ in range(50)]
    written = 0
    with (directory / FILE_NAMES["CCLF5"]).open("w", encoding="latin-1") as out:
        claim = 0
        while written < lines:
            claim += 1
            mbi = mbis[claim % len(mbis)]
            day = f"2027-{1 + claim % 12:02d}-{1 + claim % 28:02d}"
            paid = Decimal(rng.randrange(1000, 50000)) / 100
            base: dict[str, Any] = {"npi": npis[claim % len(npis)], "effective": day, "loaded": day}
            scenario = claim % 100
            batch = Delivery()
            batch.part_b(
                f"{claim:013d}",
                1,
                mbi,
                f"CTL{claim}",
                day,
                paid,
                denial="0" if scenario == 1 else "1",
                **base,
            )
            if scenario == 2 and written + 3 <= lines:
                batch.part_b(f"8{claim:012d}", 1, mbi, f"CTL{claim}", day, paid, code="1", **base)
                batch.part_b(f"9{claim:012d}", 1, mbi, f"CTL{claim}", day, paid + 1, **base)
            for line in batch.records["CCLF5"]:
                out.write(line + "\n")
                written += 1
    bene = Delivery()
    for mbi in mbis:
        bene.beneficiary(mbi)
    (directory / FILE_NAMES["CCLF8"]).write_text(
        "".join(r + "\n" for r in bene.records["CCLF8"]), encoding="latin-1"
    )
    summary = [SUMMARY_HEADER, summary_record("CCLF5", written, 388), summary_record("CCLF8", len(mbis), 549)]
    (directory / FILE_NAMES["CCLF0"]).write_text("".join(s + "\n" for s in summary), encoding="latin-1")
    return directory
