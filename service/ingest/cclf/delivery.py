"""Mapping onto the docs/method.md section 4 fields (docs/ingest.md, "CCLF deliveries"):

* Every previous MBI is replaced by the current one (CCLF9, chains followed) before grouping.
* Part A (CCLF1 header; CCLF4 diagnoses after CCLF1's principal; CCLF2 revenue lines only when
  their CLM_LINE_CVRD_PD_AMT sum to the header's CLM_PMT_AMT, else one line with the header
  amount): allowed = paid = CLM_PMT_AMT (or the line amount); ``rendering_npi`` the attending NPI.
  Inpatient claims (types 60, 61) carry their stay on every line: ``drg_code`` DGNS_DRG_CD,
  ``admission_date`` CLM_FROM_DT, ``discharge_date`` CLM_THRU_DT (none while BENE_PTNT_STUS_CD
  is 30, still a patient), ``facility_ccn`` PRVDR_OSCAR_NUM, the attending and operating NPIs.
* Part B (CCLF5): one line per record; allowed CLM_LINE_ALOWD_CHRG_AMT, paid CLM_LINE_CVRD_PD_AMT,
  ``rendering_npi`` RNDRG_PRVDR_NPI_NUM, ``billing_tin`` CLM_RNDRG_PRVDR_TAX_NUM (when 9 digits),
  diagnoses CLM_DGNS_1..12 then the line diagnosis. DME (CCLF6): the same, supplier PAYTO NPI.
* Denied claims and lines spend nothing (0.00): CCLF1 CLM_MDCR_NPMT_RSN_CD non-blank; CCLF5
  CLM_CARR_PMT_DNL_CD '0', or CLM_PRCSG_IND_CD not A, R, S or O.
* CCLF8: alignment rows (birth date, sex, dual status, ESRD from BENE_MDCR_STUS_CD, death date,
  hospice start BENE_RNG_BGN_DT, original reason for entitlement BENE_ORGNL_ENTLMT_RSN_CD); names
  and addresses are never read.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

from sqlalchemy.ext.asyncio import AsyncSession

from service.ingest.cclf.layouts import (
    ADJUSTMENTS,
    ALLOWED_PROCESSING,
    CLAIM_TYPES,
    DIAGNOSIS_FIELDS,
    DME_DIAGNOSIS,
    DUAL_STATUS,
    ENTITLEMENT_REASONS,
    ESRD_STATUS,
    INPATIENT_TYPES,
    KEY_FIELDS,
    LAYOUTS,
    MAX_DIAGNOSES,
    ROW_FIELDS,
    SEX,
    STILL_A_PATIENT,
    VERSION_FIELDS,
    amount,
    as_date,
    cclf_date,
    first_npi,
    money_text,
    records,
    safe_key,
)
from service.ingest.cclf.manifest import DeliveryFile, check_delivery
from service.ingest.cclf.versions import Decision, Plan, Version, in_order, plans, resolve, store_decisions
from service.ingest.models import Upload
from service.ingest.validation import CLAIM_FIELDS, drg_text
from service.kit import clock, offload

Line = tuple[int, str, Decimal | None]  # a Part A line: number, HCPCS, amount (None: unreadable)


# --- the delivery ----------------------------------------------------------------------------


@dataclass
class CclfDelivery:
    """One checked CCLF delivery, read lazily. ``aligned_from`` defaults to 1 January of the year
    of the earliest claim in the delivery (CCLF8 carries no alignment period)."""

    source: ClassVar[str] = "cclf"

    directory: Path
    aligned_from: date | None = None
    files: dict[str, DeliveryFile] = field(default_factory=dict)
    current_mbi: dict[str, str] = field(default_factory=dict)
    # Decisions on claims with more than one version, gathered while the claim rows are made
    # (a claim's only version counts as it is; recording that for every line would double the
    # stored rows of a delivery for nothing).
    decided: list[Decision] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.files = check_delivery(self.directory)
        self.current_mbi = self._crosswalk()

    # MBIs

    def _crosswalk(self) -> dict[str, str]:
        pairs: dict[str, str] = {}
        for _, row in self._records("CCLF9"):
            previous, current = row["PRVS_NUM"], row["CRNT_NUM"]
            if previous and current and previous != current:
                pairs[previous] = current
        resolved: dict[str, str] = {}
        for previous in pairs:
            seen, mbi = {previous}, pairs[previous]
            while mbi in pairs and mbi not in seen:  # chains: A -> B -> C
                seen.add(mbi)
                mbi = pairs[mbi]
            resolved[previous] = mbi
        return resolved

    def mbi(self, value: str) -> str:
        return self.current_mbi.get(value, value)

    # files

    def _records(self, kind: str, names: Iterable[str] | None = None) -> Iterator[tuple[int, dict[str, str]]]:
        file = self.files.get(kind)
        if file is None:
            return iter(())
        return records(file.path, LAYOUTS[kind], names)

    def sha256(self, kind: str) -> str:
        prefix = f"cclf:{kind}:aligned_from={self._aligned_from()}" if kind == "alignment" else f"cclf:{kind}"
        digest = hashlib.sha256(f"{prefix}\n".encode())
        names = (
            ("CCLF8", "CCLF9")
            if kind == "alignment"
            else ("CCLF1", "CCLF2", "CCLF4", "CCLF5", "CCLF6", "CCLF9")
        )
        for name in names:
            file = self.files.get(name)
            if file is None:
                continue
            digest.update(f"{name}\n".encode())
            with file.path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        return digest.hexdigest()

    def size(self) -> int:
        return sum(f.path.stat().st_size for f in self.files.values())

    # alignment

    def _aligned_from(self) -> str:
        if self.aligned_from is not None:
            return self.aligned_from.isoformat()
        earliest: date | None = None
        for kind in ("CCLF1", "CCLF5", "CCLF6"):
            file = self.files.get(kind)
            if file is None:
                continue
            spec = next(f for f in LAYOUTS[kind].fields if f.name == "CLM_FROM_DT")
            with file.path.open(encoding="latin-1", newline="") as handle:
                for line in handle:
                    # An unreadable date is the claim validator's to report; it dates nothing here.
                    day = as_date(cclf_date(line[spec.start - 1 : spec.end].strip()))
                    if day is not None and (earliest is None or day < earliest):
                        earliest = day
        self.aligned_from = date((earliest or clock.today()).year, 1, 1)
        return self.aligned_from.isoformat()

    async def alignment_records(self) -> AsyncIterator[tuple[int, dict[str, Any]]]:
        """Read (and mapped) in a worker thread, a batch at a time."""
        async for record in offload.iterate(self._alignment_rows()):
            yield record

    def _alignment_rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        aligned_from = self._aligned_from()
        for number, row in self._records("CCLF8"):
            yield number, self._alignment(row, aligned_from)

    def _alignment(self, row: dict[str, str], aligned_from: str) -> dict[str, Any]:
        status = row["BENE_MDCR_STUS_CD"]
        return {
            "mbi": self.mbi(row["BENE_MBI_ID"]),
            "birth_date": cclf_date(row["BENE_DOB"]),
            "sex": SEX.get(row["BENE_SEX_CD"], "U"),
            "dual_status": "true" if row["BENE_DUAL_STUS_CD"] in DUAL_STATUS else "false",
            "hcc_score": "",
            "aligned_from": aligned_from,
            "aligned_through": "",
            "esrd": "true" if status in ESRD_STATUS else "false",
            "hospice_start": cclf_date(row["BENE_RNG_BGN_DT"]),
            "death_date": cclf_date(row["BENE_DEATH_DT"]),
            "entitlement_reason": row["BENE_ORGNL_ENTLMT_RSN_CD"]
            if row["BENE_ORGNL_ENTLMT_RSN_CD"] in ENTITLEMENT_REASONS
            else "",
        }

    # claims: versions

    def _part_a_key(self, row: dict[str, str]) -> str:
        oscar = row["CLM_BLG_PRVDR_OSCAR_NUM"] or row["PRVDR_OSCAR_NUM"]
        return "A-" + safe_key(
            f"{oscar}-{row['CLM_FROM_DT'].replace('-', '')}-{row['CLM_THRU_DT'].replace('-', '')}-"
            f"{self.mbi(row['BENE_MBI_ID'])}"
        )

    def _line_key(self, prefix: str, row: dict[str, str]) -> str:
        return f"{prefix}-{safe_key(row['CLM_CNTL_NUM'])}-{self.mbi(row['BENE_MBI_ID'])}"

    def _key(self, kind: str, row: dict[str, str]) -> str:
        if kind == "CCLF1":
            return self._part_a_key(row)
        return f"{self._line_key('B' if kind == 'CCLF5' else 'D', row)}#{_line_number(row['CLM_LINE_NUM'])}"

    def _facts(self, kind: str, row: dict[str, str]) -> tuple[str, str, str, bool]:
        """(natural key, adjustment type code, received date, denied) of one record."""
        loaded = cclf_date(row["CLM_IDR_LD_DT"]) or cclf_date(row["CLM_EFCTV_DT"]) or row["CLM_THRU_DT"]
        if kind == "CCLF1":
            denied = bool(row["CLM_MDCR_NPMT_RSN_CD"])
        else:
            denied = kind == "CCLF5" and (
                row["CLM_CARR_PMT_DNL_CD"] == "0" or row["CLM_PRCSG_IND_CD"] not in ALLOWED_PROCESSING
            )
        return self._key(kind, row), row["CLM_ADJSMT_TYPE_CD"].lstrip("0") or "0", loaded, denied

    def _version(self, kind: str, number: int, row: dict[str, str]) -> Version:
        key, code, loaded, denied = self._facts(kind, row)
        value = amount(row["CLM_PMT_AMT"] if kind == "CCLF1" else row["CLM_LINE_CVRD_PD_AMT"])
        return Version(
            kind,
            number,
            key,
            row["CUR_CLM_UNIQ_ID"],
            code,
            cclf_date(row["CLM_EFCTV_DT"]),
            loaded,
            value,
            denied,
        )

    def _groups(self, kind: str, only: set[int] | None = None) -> dict[str, list[Version]]:
        groups: dict[str, list[Version]] = {}
        file = self.files.get(kind)
        if file is None:
            return groups
        parse = LAYOUTS[kind].parser(VERSION_FIELDS[kind])
        with file.path.open(encoding="latin-1", newline="") as handle:
            for number, line in enumerate(handle, start=1):
                if only is None or number in only:
                    version = self._version(kind, number, parse(line))
                    groups.setdefault(version.key, []).append(version)
        return groups

    def _shared_groups(self, kind: str) -> dict[str, list[Version]]:
        """The groups of two or more versions. Most claims have one version: a first pass keeps
        only a hash of each key, a second builds versions for the records that may share one."""
        first: dict[int, int] = {}
        shared: set[int] = set()
        part_b = kind != "CCLF1"
        mbi = self.current_mbi
        for number, row in self._records(kind, KEY_FIELDS[kind]):
            if part_b:  # the parts of _key, hashed as a tuple (no string to build)
                parts = (
                    safe_key(row["CLM_CNTL_NUM"]),
                    mbi.get(row["BENE_MBI_ID"], row["BENE_MBI_ID"]),
                    _line_number(row["CLM_LINE_NUM"]),
                )
                digest = hash(parts)
            else:
                digest = hash(self._key(kind, row))
            seen = first.setdefault(digest, number)
            if seen != number:
                shared.update((seen, number))
        del first
        if not shared:
            return {}
        return {k: v for k, v in self._groups(kind, shared).items() if len(v) > 1}

    async def keep(self, session: AsyncSession, claims: Upload) -> None:
        """Beside its stored claims upload: why each version of a multi-version claim counts."""
        await store_decisions(session, claims.id, self.decided)

    def decisions(self) -> Iterator[Decision]:
        """Every version of every claim in the delivery, with whether it counts and why."""
        for kind in ("CCLF1", "CCLF5", "CCLF6"):
            for versions in self._groups(kind).values():
                yield from resolve(versions)

    def _plans(self, kind: str) -> dict[int, Plan]:
        """Plans of versions in groups of two or more; a version alone counts as it is."""
        out: dict[int, Plan] = {}
        for versions in self._shared_groups(kind).values():
            decided = resolve(versions)
            self.decided.extend(decided)
            out.update(plans(decided))
        return out

    # claims: rows

    async def claim_records(self) -> AsyncIterator[tuple[int, list[str]]]:
        """Rows as values in the claim validator's field order (``CLAIM_FIELDS``), made in a
        worker thread a batch at a time. Gathers ``decided`` anew."""
        self.decided.clear()
        async for record in offload.iterate(enumerate(self._claim_values(), start=1)):
            yield record

    def claim_rows(self) -> Iterator[dict[str, str]]:
        """The same rows as field mappings."""
        for values in self._claim_values():
            yield dict(zip(CLAIM_FIELDS, values, strict=True))

    def _claim_values(self) -> Iterator[list[str]]:
        yield from self._part_a_rows()
        yield from self._part_b_rows("CCLF5")
        yield from self._part_b_rows("CCLF6")

    def _part_b_rows(self, kind: str) -> Iterator[list[str]]:
        if kind not in self.files:
            return
        group_plans = self._plans(kind)

        def rows() -> Iterator[tuple[int, Plan | None, list[list[str]]]]:
            for number, row in self._records(kind, ROW_FIELDS[kind]):
                plan = group_plans.get(number)
                yield number, plan, [self._part_b_row(kind, row, plan)]

        yield from in_order(rows())

    def _part_b_row(self, kind: str, row: dict[str, str], plan: Plan | None) -> list[str]:
        # The hot path of a large delivery: what _facts decides, inline.
        mbi = self.current_mbi.get(row["BENE_MBI_ID"], row["BENE_MBI_ID"])
        raw_allowed, raw_paid = row["CLM_LINE_ALOWD_CHRG_AMT"], row["CLM_LINE_CVRD_PD_AMT"]
        allowed, paid = amount(raw_allowed), amount(raw_paid)
        if plan is not None:
            adjustment, received = plan.adjustment, plan.received
        else:
            adjustment = ADJUSTMENTS.get(row["CLM_ADJSMT_TYPE_CD"].lstrip("0") or "0", "original")
            received = cclf_date(row["CLM_IDR_LD_DT"]) or cclf_date(row["CLM_EFCTV_DT"]) or row["CLM_THRU_DT"]
        if kind == "CCLF5":
            denied = row["CLM_CARR_PMT_DNL_CD"] == "0" or row["CLM_PRCSG_IND_CD"] not in ALLOWED_PROCESSING
            codes = list(dict.fromkeys(filter(None, [row[name] for name in DIAGNOSIS_FIELDS])))
            npi = first_npi(row["RNDRG_PRVDR_NPI_NUM"], row["CLM_RNDRG_PRVDR_NPI_NUM"])
            tin = row["CLM_RNDRG_PRVDR_TAX_NUM"]
            prefix = "B-"
        else:
            denied, codes, npi, tin, prefix = (
                False,
                [DME_DIAGNOSIS],
                first_npi(row["PAYTO_PRVDR_NPI_NUM"]),
                "",
                "D-",
            )
        if adjustment == "cancel":  # unsigned: a cancel removes the line whatever it carries
            allowed = None if allowed is None else abs(allowed)
            paid = None if paid is None else abs(paid)
        elif denied:
            allowed = paid = Decimal(0)
        return [  # CLAIM_FIELDS order
            f"{prefix}{safe_key(row['CLM_CNTL_NUM'])}-{mbi}",
            row["CLM_LINE_NUM"],
            CLAIM_TYPES.get(row["CLM_TYPE_CD"], f"CLM_TYPE_CD {row['CLM_TYPE_CD']}"),
            mbi,
            row["CLM_FROM_DT"],
            row["CLM_THRU_DT"],
            npi,
            tin if len(tin) == 9 and tin.isdigit() else "",
            row["CLM_LINE_HCPCS_CD"],
            "|".join(codes[:MAX_DIAGNOSES]),
            money_text(allowed, raw_allowed),
            money_text(paid, raw_paid),
            adjustment,
            received,
            *_NO_STAY,
        ]

    def _part_a_rows(self) -> Iterator[list[str]]:
        if "CCLF1" not in self.files:
            return
        diagnoses: dict[str, list[tuple[str, str]]] = {}
        for _, row in self._records("CCLF4"):
            diagnoses.setdefault(row["CUR_CLM_UNIQ_ID"], []).append(
                (row["CLM_VAL_SQNC_NUM"], row["CLM_DGNS_CD"])
            )
        lines: dict[str, list[Line]] = {}
        for _, row in self._records("CCLF2"):
            number = _line_number(row["CLM_LINE_NUM"])
            lines.setdefault(row["CUR_CLM_UNIQ_ID"], []).append(
                (
                    int(number) if number.isdigit() else 0,
                    row["CLM_LINE_HCPCS_CD"],
                    amount(row["CLM_LINE_CVRD_PD_AMT"]),
                )
            )
        groups = self._shared_groups("CCLF1")
        group_plans: dict[int, Plan] = {}
        line_sets: dict[str, set[int]] = {}
        headers = {number: row for number, row in self._records("CCLF1")}
        for key, versions in groups.items():
            if len(versions) > 1:
                decided = resolve(versions)
                self.decided.extend(decided)
                group_plans.update(plans(decided))
                line_sets[key] = {
                    n for v in versions for n, *_ in self._claim_lines(headers[v.record], lines)
                }
        del groups

        def rows() -> Iterator[tuple[int, Plan | None, list[list[str]]]]:
            for number, row in headers.items():
                version = self._version("CCLF1", number, row)
                plan = group_plans.get(number)
                out = self._part_a_version_rows(
                    row, version, plan, lines, diagnoses, line_sets.get(version.key)
                )
                yield number, plan, [[r[name] for name in CLAIM_FIELDS] for r in out]

        yield from in_order(rows())

    @staticmethod
    def _claim_lines(row: dict[str, str], lines: dict[str, list[Line]]) -> list[Line]:
        """CCLF2 lines when they reconcile with the header amount, else one line with it."""
        header = amount(row["CLM_PMT_AMT"])
        own = sorted(lines.get(row["CUR_CLM_UNIQ_ID"], []), key=lambda line: line[0])
        readable = [a for *_, a in own if a is not None]
        if (
            own
            and header is not None
            and len(readable) == len(own)
            and all(n > 0 for n, *_ in own)
            and sum(readable) == header
        ):
            return own
        return [(1, "", header)]

    def _part_a_version_rows(
        self,
        row: dict[str, str],
        version: Version,
        plan: Plan | None,
        lines: dict[str, list[Line]],
        diagnoses: dict[str, list[tuple[str, str]]],
        group_lines: set[int] | None,
    ) -> list[dict[str, Any]]:
        codes = [row["PRNCPL_DGNS_CD"]] if row["PRNCPL_DGNS_CD"] else []
        for _, code in sorted(diagnoses.get(version.uid, [])):
            if code and code not in codes:
                codes.append(code)
        adjustment = plan.adjustment if plan else ADJUSTMENTS.get(version.code, "original")
        received = plan.received if plan else version.loaded
        base = {
            "claim_id": version.key,
            "claim_type": CLAIM_TYPES.get(row["CLM_TYPE_CD"], f"CLM_TYPE_CD {row['CLM_TYPE_CD']}"),
            "mbi": self.mbi(row["BENE_MBI_ID"]),
            "from_date": row["CLM_FROM_DT"],
            "thru_date": row["CLM_THRU_DT"],
            "rendering_npi": first_npi(
                row["ATNDG_PRVDR_NPI_NUM"], row["CLM_ATNDG_PRVDR_NPI_NUM"], row["OPRTG_PRVDR_NPI_NUM"]
            ),
            "billing_tin": "",
            "diagnoses": "|".join(codes[:MAX_DIAGNOSES]),
            "adjustment": adjustment,
            "received_date": received,
            **self._stay(row),
        }
        out = []
        own = self._claim_lines(row, lines)
        for number, hcpcs, value in own:
            if adjustment == "cancel":
                value = None if value is None else abs(value)
            elif version.denied:
                value = Decimal(0)
            text = money_text(value, row["CLM_PMT_AMT"])  # unreadable: only the header amount can be
            out.append(
                {
                    **base,
                    "line_number": str(number),
                    "hcpcs": hcpcs,
                    "allowed_amount": text,
                    "paid_amount": text,
                }
            )
        if plan is not None and plan.final and group_lines:
            # Lines other versions had and the final one lacks must not keep counting.
            for number in sorted(group_lines - {n for n, *_ in own}):
                out.append(
                    {
                        **base,
                        "line_number": str(number),
                        "hcpcs": "",
                        "allowed_amount": "0.00",
                        "paid_amount": "0.00",
                        "adjustment": "cancel",
                    }
                )
        return out

    @staticmethod
    def _stay(row: dict[str, str]) -> dict[str, str]:
        """The inpatient stay of a Part A claim (nothing for other claim types)."""
        if row["CLM_TYPE_CD"] not in INPATIENT_TYPES:
            return dict.fromkeys(STAY_FIELDS, "")
        discharged = row["BENE_PTNT_STUS_CD"] != STILL_A_PATIENT
        return {
            "drg_code": drg_text(row["DGNS_DRG_CD"]),
            "admission_date": cclf_date(row["CLM_FROM_DT"]),
            "discharge_date": cclf_date(row["CLM_THRU_DT"]) if discharged else "",
            "facility_ccn": row["PRVDR_OSCAR_NUM"],
            "attending_npi": first_npi(row["ATNDG_PRVDR_NPI_NUM"], row["CLM_ATNDG_PRVDR_NPI_NUM"]),
            "operating_npi": first_npi(row["OPRTG_PRVDR_NPI_NUM"]),
            # CCLF3 (procedures) is not read: CCLF stays carry no procedure codes here.
            "procedure_codes": "",
        }


# The claim fields of an inpatient stay, after the line's own (CLAIM_FIELDS order).
STAY_FIELDS = CLAIM_FIELDS[CLAIM_FIELDS.index("drg_code") :]
_NO_STAY = ("",) * len(STAY_FIELDS)


def _line_number(value: str) -> str:
    stripped = value.lstrip("0")
    return stripped if stripped.isdigit() else value
