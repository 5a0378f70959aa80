"""From one FHIR R4 resource of a CMS export (CARIN Blue Button profiles, as BCDA and Blue Button
2.0 write them) to our row fields. Pure functions over the parsed JSON: only the elements a row
needs are read, and every value is handed on as text for the validator to judge (a missing or
malformed element becomes an empty or raw value that the validator refuses with its reason).

docs/ingest.md ("FHIR bulk exports") has the table of which element gives which column.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

Resource = dict[str, Any]

BB = "https://bluebutton.cms.gov/resources/variables/"
EOB_TYPE = "https://bluebutton.cms.gov/resources/codesystem/eob-type"
CLAIM_GROUP = "https://bluebutton.cms.gov/resources/identifier/claim-group"
CLAIM_ID = BB + "clm_id"
MBI = "http://hl7.org/fhir/sid/us-mbi"
BENE_ID = BB + "bene_id"
CURRENCY = "https://bluebutton.cms.gov/resources/codesystem/identifier-currency"
ICD10_SYSTEMS = ("http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10")
HCPCS_SYSTEMS = ("https://bluebutton.cms.gov/resources/codesystem/hcpcs", BB + "hcpcs_cd")
PCS_SYSTEMS = ("http://www.cms.gov/Medicare/Coding/ICD10", "http://hl7.org/fhir/sid/icd-10")
NPI = "http://hl7.org/fhir/sid/us-npi"

# eob-type codes of the medical claim types; PDE (Part D events) are not claim lines here.
CLAIM_TYPES = {
    "CARRIER": "carrier",
    "DME": "dme",
    "INPATIENT": "inpatient",
    "OUTPATIENT": "outpatient",
    "SNF": "snf",
    "HHA": "hha",
    "HOSPICE": "hospice",
}
SKIPPED_TYPES = frozenset({"PDE"})
INSTITUTIONAL = frozenset({"inpatient", "outpatient", "snf", "hha", "hospice"})
# Beneficiary cost sharing of an institutional claim (benefitBalance.financial), added to its
# payment for the allowed amount, as for RIF files.
COST_SHARING = frozenset(
    {
        "nch_bene_ip_ddctbl_amt",
        "nch_bene_pta_coinsrnc_lblty_am",
        "nch_bene_pta_coinsrnc_lblty_amt",
        "nch_bene_blood_ddctbl_lblty_am",
        "nch_bene_ptb_ddctbl_amt",
        "nch_bene_ptb_coinsrnc_amt",
    }
)
# A Part B line that Medicare did not allow spends nothing (as CCLF5's processing indicator).
ALLOWED_PROCESSING = frozenset({"A", "R", "S", "O"})
ESRD_STATUS = frozenset({"11", "21", "31"})
DUAL_STATUS = frozenset({f"{n:02d}" for n in range(1, 10)})
SEX = {"male": "M", "female": "F"}

# Every column the mapping extracts, in the order docs/ingest.md lists them: the validator's
# columns (``CLAIM_FIELDS``), each stored.
CLAIM_COLUMNS = (
    "claim_id",
    "line_number",
    "claim_type",
    "mbi",
    "from_date",
    "thru_date",
    "rendering_npi",
    "billing_tin",
    "hcpcs",
    "diagnoses",
    "allowed_amount",
    "paid_amount",
    "adjustment",
    "received_date",
    "drg_code",
    "admission_date",
    "discharge_date",
    "facility_ccn",
    "attending_npi",
    "operating_npi",
    "procedure_codes",
)


# --- small readers ---------------------------------------------------------------------------


_NONE: tuple[dict[str, Any], ...] = ()


def _codings(concept: Any) -> list[dict[str, Any]] | tuple[dict[str, Any], ...]:
    """The codings of a CodeableConcept (the read path of every element: no copy unless an
    entry is not an object)."""
    codings = concept.get("coding") if type(concept) is dict else None
    if type(codings) is not list:
        return _NONE
    for c in codings:
        if type(c) is not dict:
            return [c for c in codings if type(c) is dict]
    return codings


def _dict(resource: Any, name: str) -> dict[str, Any]:
    value = resource.get(name) if isinstance(resource, dict) else None
    return value if isinstance(value, dict) else {}


def _list(resource: Any, name: str) -> list[dict[str, Any]] | tuple[dict[str, Any], ...]:
    value = resource.get(name) if type(resource) is dict else None
    if type(value) is not list:
        return _NONE
    for v in value:
        if type(v) is not dict:
            return [v for v in value if type(v) is dict]
    return value


def _code(concept: Any, systems: Iterable[str]) -> str:
    """The code of the first coding of ``concept`` in one of ``systems`` (in their order)."""
    codings = _codings(concept)
    for system in systems:
        for coding in codings:
            if coding.get("system") == system:
                return _text(coding.get("code"))
    return ""


def _has_code(concept: Any, code: str) -> bool:
    return any(c.get("code") == code for c in _codings(concept))


def _text(value: Any) -> str:
    if type(value) is str:
        return value.strip()
    return "" if value is None else str(value)


def day(value: Any) -> str:
    """The date part of a FHIR date or dateTime (the validator judges the rest)."""
    text = _text(value)
    return text[:10] if len(text) >= 10 and text[4:5] == "-" else text


def _money(value: Any) -> Decimal | None:
    """A FHIR decimal (a JSON number, read as a float) as the decimal it was written as."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return Decimal(repr(value) if isinstance(value, float) else str(value))
    except InvalidOperation:
        return None


def money_text(value: Decimal | None) -> str:
    """Two places when the amount has at most two; else as written (the validator refuses it)."""
    if value is None:
        return ""
    if value == value.quantize(Decimal("0.01")):
        return f"{value:.2f}"
    return str(value)


def _extension_codes(resource: Any) -> dict[str, str]:
    """Blue Button variable -> the code (or identifier value) of each extension of ``resource``."""
    out: dict[str, str] = {}
    for ext in _list(resource, "extension"):
        url = ext.get("url")
        if type(url) is str and url.startswith(BB):
            out.setdefault(url[len(BB) :], _extension_value(ext))
    return out


def _extension_code(resource: Any, name: str) -> str:
    url = BB + name
    for ext in _list(resource, "extension"):
        if ext.get("url") == url:
            return _extension_value(ext)
    return ""


def _extension_value(ext: dict[str, Any]) -> str:
    coding = ext.get("valueCoding")
    if isinstance(coding, dict):
        return _text(coding.get("code"))
    identifier = ext.get("valueIdentifier")
    if isinstance(identifier, dict):
        return _text(identifier.get("value"))
    return _text(ext.get("valueCode") or ext.get("valueString"))


def _identifier(resource: Any, system: str) -> str:
    for identifier in _list(resource, "identifier"):
        if identifier.get("system") == system:
            return _text(identifier.get("value"))
    return ""


def _bb_variable(category: Any) -> str:
    """The Blue Button variable a category names (``.../variables/line_nch_pmt_amt`` ->
    ``line_nch_pmt_amt``), or ""."""
    for coding in _codings(category):
        code = _text(coding.get("code"))
        if code.startswith(BB):
            return code[len(BB) :]
    return ""


def reference_id(reference: Any, resource_type: str) -> str:
    """``Patient/123`` -> ``123`` (the id a reference to ``resource_type`` names)."""
    text = _text(reference.get("reference")) if isinstance(reference, dict) else ""
    prefix = resource_type + "/"
    return text[len(prefix) :] if text.startswith(prefix) else ""


# --- ExplanationOfBenefit --------------------------------------------------------------------


def eob_type(eob: Resource) -> str:
    """The eob-type code (CARRIER, INPATIENT, ... PDE), or ""."""
    return _code(eob.get("type"), (EOB_TYPE,))


def claim_type(eob: Resource) -> str:
    code = eob_type(eob)
    return CLAIM_TYPES.get(code, f"eob-type {code or 'missing'}")


def claim_key(eob: Resource, kind: str | None = None) -> str:
    """Our ``claim_id``, shared by the versions of one claim: the claim type and the claim group
    (CLM_GRP_ID), else the claim id (CLM_ID), else the resource id."""
    kind = claim_type(eob) if kind is None else kind
    group = _identifier(eob, CLAIM_GROUP) or _identifier(eob, CLAIM_ID) or _text(eob.get("id"))
    return f"{kind if kind in INSTITUTIONAL or kind in ('carrier', 'dme') else 'unknown'}-{group}"


def claim_uid(eob: Resource) -> str:
    """The version's own claim id (CLM_ID), else the resource id."""
    return _identifier(eob, CLAIM_ID) or _text(eob.get("id"))


def patient_id(eob: Resource) -> str:
    return reference_id(eob.get("patient"), "Patient")


def _supporting(eob: Resource) -> dict[str, dict[str, Any]]:
    """Each code of a supportingInfo category (a C4BB category, or a Blue Button variable URL) ->
    the first supportingInfo that carries it."""
    out: dict[str, dict[str, Any]] = {}
    for info in _list(eob, "supportingInfo"):
        for coding in _codings(info.get("category")):
            code = coding.get("code")
            if type(code) is str and code not in out:
                out[code] = info
    return out


def received_date(eob: Resource, supporting: dict[str, dict[str, Any]] | None = None) -> str:
    """supportingInfo ``clmrecvddate`` (NCH_WKLY_PROC_DT), else the end of billablePeriod."""
    info = (_supporting(eob) if supporting is None else supporting).get("clmrecvddate")
    if info is not None and info.get("timingDate"):
        return day(info["timingDate"])
    period = _dict(eob, "billablePeriod")
    return day(period.get("end"))


def cancelled(eob: Resource) -> bool:
    return eob.get("status") == "cancelled"


def diagnoses(eob: Resource) -> list[str]:
    """Principal first, then the others by sequence, without repeats. The ICD-10-CM coding of
    each; a diagnosis without one (ICD-9) gives its first code, for the validator to refuse."""
    principal = ""
    others: list[tuple[int, str]] = []
    for entry in _list(eob, "diagnosis"):
        code = ""
        first = ""
        for coding in _codings(entry.get("diagnosisCodeableConcept")):
            value = coding.get("code")
            if type(value) is str and value:
                if coding.get("system") in ICD10_SYSTEMS:
                    code = value.strip()
                    break
                first = first or value.strip()
        code = code or first
        if not principal and any(_has_code(t, "principal") for t in _list(entry, "type")):
            principal = code
        else:
            others.append((_sequence(entry), code))
    others.sort(key=lambda pair: pair[0])
    codes = [principal] if principal else []
    for _, code in others:
        if code and code not in codes:
            codes.append(code)
    return codes


def _care_team(eob: Resource) -> list[tuple[int, str, str]]:
    """(sequence, role code, NPI) of each care-team member."""
    out = []
    for member in _list(eob, "careTeam"):
        provider = _dict(member, "provider")
        identifier = _dict(provider, "identifier")
        roles = [_text(c.get("code")) for c in _codings(member.get("role"))]
        for role in roles or [""]:
            out.append((_sequence(member), role, _text(identifier.get("value"))))
    return out


def _npi_of(team: list[tuple[int, str, str]], role: str, among: Iterable[int] | None = None) -> str:
    wanted = None if among is None else set(among)
    for sequence, member_role, npi in team:
        if member_role == role and (wanted is None or sequence in wanted) and npi:
            return npi
    return ""


def _facility_ccn(eob: Resource) -> str:
    """The CMS certification number (PRVDR_NUM) of an institutional claim's provider: the
    ``PRN`` identifier of the contained Organization that ``provider`` references."""
    provider = _dict(eob, "provider")
    reference = _text(provider.get("reference"))
    for contained in _list(eob, "contained"):
        if reference and reference == "#" + _text(contained.get("id")):
            for identifier in _list(contained, "identifier"):
                if _has_code(identifier.get("type"), "PRN"):
                    return _text(identifier.get("value"))
    identifier = _dict(provider, "identifier")
    return _text(identifier.get("value")) if identifier.get("system") == BB + "prvdr_num" else ""


def _procedures(eob: Resource) -> list[str]:
    codes = []
    for entry in sorted(_list(eob, "procedure"), key=_sequence):
        code = _code(entry.get("procedureCodeableConcept"), PCS_SYSTEMS)
        if code and code not in codes:
            codes.append(code)
    return codes


def _financial(eob: Resource) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for balance in _list(eob, "benefitBalance"):
        for financial in _list(balance, "financial"):
            name = _bb_variable(financial.get("type"))
            used = financial.get("usedMoney")
            value = _money(used.get("value")) if isinstance(used, dict) else None
            if name and value is not None:
                out[name] = value
    return out


def _adjudications(item: Resource) -> dict[str, Any]:
    """Each code of an adjudication category of the item (a C4BB category such as ``eligible``,
    or a Blue Button variable URL) -> the first amount (``amount.value``) carrying it."""
    out: dict[str, Any] = {}
    for adjudication in _list(item, "adjudication"):
        amount = adjudication.get("amount")
        value = amount.get("value") if type(amount) is dict else None
        for coding in _codings(adjudication.get("category")):
            code = coding.get("code")
            if type(code) is str and code not in out:
                out[code] = value
    return out


def _amount_text(amounts: dict[str, Any], variable: str, category: str) -> str:
    """The line amount of Blue Button ``variable``, else of the C4BB ``category``, as text."""
    key = BB + variable
    return _money_text(amounts[key] if key in amounts else amounts.get(category))


def _money_text(value: Any) -> str:
    """A FHIR decimal (a JSON number) as the text it was written as, with two places when it has
    at most two (a third decimal or an exponent stays as written: the validator refuses it).
    Floats read from JSON print back as written (the shortest repr); at most 15 significant
    digits, which money of NUMERIC(16, 2) below 10^12 has, so ``.2f`` is exact there."""
    if type(value) is float:
        text = repr(value)
        whole, _, places = text.partition(".")
        if "e" in text or "n" in text or len(places) > 2 or len(whole.lstrip("-")) > 12:
            return text
        return f"{value:.2f}"
    if type(value) is int:
        return f"{value}.00"
    return money_text(_money(value))


def _period(element: Any) -> tuple[str, str]:
    if not isinstance(element, dict):
        return "", ""
    return day(element.get("start")), day(element.get("end"))


def _sequence(element: dict[str, Any]) -> int:
    value = element.get("sequence")
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def claim_denied(eob: Resource) -> bool:
    """Medicare paid nothing on the claim: an institutional claim with a non-payment reason
    (CLM_MDCR_NON_PMT_RSN_CD), a Part B claim whose payment denial code is 0."""
    return _claim_denied(eob, claim_type(eob))


def _claim_denied(eob: Resource, kind: str) -> bool:
    if kind in INSTITUTIONAL:
        return bool(_extension_code(eob, "clm_mdcr_non_pmt_rsn_cd"))
    return _extension_code(eob, "carr_clm_pmt_dnl_cd") == "0"


def _line_denied(extensions: dict[str, str]) -> bool:
    code = extensions.get("line_prcsg_ind_cd", "")
    return bool(code) and code not in ALLOWED_PROCESSING


def claim_rows(eob: Resource, mbi: str) -> list[dict[str, str]]:
    """The claim lines of one ExplanationOfBenefit (every column of ``CLAIM_COLUMNS``), one per
    ``item`` by its sequence; a claim without items is one line 1 with the claim's amounts.

    Carrier and DME lines carry their own dates (``servicedPeriod``/``servicedDate``), the line's
    allowed (``line_alowd_chrg_amt``, C4BB ``eligible``) and paid (``line_nch_pmt_amt``, C4BB
    ``benefit``) amounts and its performing NPI. Institutional lines carry the claim's
    ``billablePeriod``; like RIF, the claim's payment (plus the beneficiary's deductible and
    coinsurance for the allowed amount) goes on its first line, 0.00 on the others. Denied
    claims and lines spend nothing; a cancellation is the claim's ``status`` ``cancelled``.
    """
    kind = claim_type(eob)
    institutional = kind in INSTITUTIONAL
    team = _care_team(eob)
    start, end = _period(eob.get("billablePeriod"))
    supporting = _supporting(eob)
    admission = supporting.get("admissionperiod")
    admitted, discharged = _period(admission.get("timingPeriod")) if admission else ("", "")
    drg = supporting.get(BB + "clm_drg_cd")
    denied = _claim_denied(eob, kind)
    base = {
        "claim_id": claim_key(eob, kind),
        "claim_type": kind,
        "mbi": mbi,
        "billing_tin": "",
        "diagnoses": "|".join(diagnoses(eob)),
        "adjustment": "cancel" if cancelled(eob) else "original",
        "received_date": received_date(eob, supporting),
        "drg_code": _code(drg.get("code"), (BB + "clm_drg_cd",)) if drg else "",
        "admission_date": admitted,
        "discharge_date": discharged,
        "facility_ccn": _facility_ccn(eob) if institutional else "",
        "attending_npi": _npi_of(team, "attending"),
        "operating_npi": _npi_of(team, "operating"),
        "procedure_codes": "|".join(_procedures(eob)),
    }
    items = sorted(_list(eob, "item"), key=_sequence)
    paid = allowed = None
    if institutional:
        payment = _dict(eob, "payment")
        amount = _dict(payment, "amount")
        paid = _money(amount.get("value"))
        sharing = sum((v for k, v in _financial(eob).items() if k in COST_SHARING), Decimal(0))
        allowed = None if paid is None else paid + sharing
    zero = denied and base["adjustment"] != "cancel"
    rows = []
    for index, item in enumerate(items or [{"sequence": 1}]):
        row = dict(base)
        row["line_number"] = _text(item.get("sequence"))
        row["hcpcs"] = _code(item.get("productOrService"), HCPCS_SYSTEMS)
        sequences = item.get("careTeamSequence")
        sequences = sequences if type(sequences) is list else []
        if institutional:
            row["from_date"], row["thru_date"] = start, end
            row["rendering_npi"] = _npi_of(team, "performing", sequences) or base["attending_npi"]
            if zero or index > 0:
                row["allowed_amount"] = row["paid_amount"] = "0.00"
            else:
                row["allowed_amount"], row["paid_amount"] = money_text(allowed), money_text(paid)
        else:
            line_start, line_end = _period(item.get("servicedPeriod"))
            served = day(item.get("servicedDate"))
            row["from_date"] = line_start or served or start
            row["thru_date"] = line_end or served or end
            row["rendering_npi"] = _npi_of(team, "performing", sequences) or _npi_of(team, "performing")
            extensions = _extension_codes(item)
            row["billing_tin"] = extensions.get("tax_num", "")
            if zero or _line_denied(extensions):
                row["allowed_amount"] = row["paid_amount"] = "0.00"
            else:
                amounts = _adjudications(item)
                row["allowed_amount"] = _amount_text(amounts, "line_alowd_chrg_amt", "eligible")
                row["paid_amount"] = _amount_text(amounts, "line_nch_pmt_amt", "benefit")
        rows.append(row)
    return rows


def claim_amount(rows: list[dict[str, str]]) -> Decimal | None:
    """What a version pays in all (for the explanation of versions), None when unreadable."""
    total = Decimal(0)
    for row in rows:
        try:
            total += Decimal(row["paid_amount"])
        except InvalidOperation:
            return None
    return total


# --- Patient and Coverage --------------------------------------------------------------------


def _current_mbi(patient: Resource) -> str:
    """The MBI marked current (identifier-currency), else the first MBI listed."""
    mbis = [i for i in _list(patient, "identifier") if i.get("system") == MBI]
    for identifier in mbis:
        for coding in _codings(identifier.get("type")):
            for ext in _list(coding, "extension"):
                value = ext.get("valueCoding")
                if ext.get("url") == CURRENCY and isinstance(value, dict) and value.get("code") == "current":
                    return _text(identifier.get("value"))
    return _text(mbis[0].get("value")) if mbis else ""


def patient_facts(patient: Resource) -> dict[str, str]:
    """id, MBI (the current one), birth date, sex (gender male M, female F, else U), death date."""
    return {
        "id": _text(patient.get("id")) or _identifier(patient, BENE_ID),
        "mbi": _current_mbi(patient),
        "birth_date": day(patient.get("birthDate")),
        "sex": SEX.get(_text(patient.get("gender")), "U"),
        "death_date": day(patient.get("deceasedDateTime")),
    }


def coverage_facts(coverage: Resource) -> dict[str, str]:
    """The patient a Coverage is of and what it says of them: dual status (a monthly dual code
    01-09 in any month), ESRD (``esrd_ind`` Y, or a Medicare status 11, 21, 31) and the original
    reason for entitlement (``orec``, Part A's: 0 age, 1 disability, 2 ESRD, 3 both)."""
    extensions = {
        _text(e.get("url"))[len(BB) :]: e
        for e in _list(coverage, "extension")
        if _text(e.get("url")).startswith(BB)
    }

    def code(name: str) -> str:
        ext = extensions.get(name)
        coding = ext.get("valueCoding") if ext else None
        return _text(coding.get("code")) if isinstance(coding, dict) else ""

    duals = {code(f"dual_{month:02d}") for month in range(1, 13)}
    statuses = {code(f"ms_cd_{month:02d}") for month in range(1, 13)} | {code("ms_cd")}
    return {
        "patient": reference_id(coverage.get("beneficiary"), "Patient"),
        "dual_status": "true" if duals & DUAL_STATUS else "",
        "esrd": "true" if code("esrd_ind") == "Y" or statuses & ESRD_STATUS else "",
        "entitlement_reason": code("orec"),
    }


def alignment_row(
    patient: dict[str, str],
    coverages: Iterable[dict[str, str]],
    *,
    aligned_from: str,
    hospice_start: str,
) -> dict[str, str]:
    """One beneficiary's alignment row from their Patient and Coverage facts. A fact none of the
    Coverage resources states is ``false`` (dual status, ESRD) or empty (entitlement reason)."""
    dual = esrd = False
    reason = ""
    for facts in coverages:
        dual = dual or facts["dual_status"] == "true"
        esrd = esrd or facts["esrd"] == "true"
        reason = reason or facts["entitlement_reason"]
    return {
        "mbi": patient["mbi"],
        "birth_date": patient["birth_date"],
        "sex": patient["sex"],
        "dual_status": "true" if dual else "false",
        "hcc_score": "",
        "aligned_from": aligned_from,
        "aligned_through": "",
        "esrd": "true" if esrd else "false",
        "hospice_start": hospice_start,
        "death_date": patient["death_date"],
        "entitlement_reason": reason,
    }
