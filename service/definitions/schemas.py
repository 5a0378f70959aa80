"""The episode definition format (docs/method.md section 1): what a file in ``contracts/episodes/`` holds.

The JSON Schema of :class:`EpisodeDefinitionSpec` is committed as
``contracts/schema/episode-definition.schema.json`` (``cara definitions schema`` prints it).
Every code is validated here; an error's location names the field and the item
(``trigger.diagnosis_prefixes[2]``).
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from service.definitions.codes import CodeKind, check_entry, drg_problem, pcs_problem
from service.kit.decimals import DecimalText


class ClaimType(enum.StrEnum):
    """The Medicare claim types of docs/method.md section 4."""

    inpatient = "inpatient"
    outpatient = "outpatient"
    carrier = "carrier"
    snf = "snf"
    hha = "hha"
    dme = "dme"
    hospice = "hospice"


def _code_validator(kind: CodeKind) -> AfterValidator:
    def check(entry: str) -> str:
        problem = check_entry(entry, kind)
        if problem is not None:
            # A custom error type keeps the message free of pydantic's "Value error, " prefix.
            raise PydanticCustomError(f"invalid_{kind}_code", problem)
        return entry

    return AfterValidator(check)


HcpcsEntry = Annotated[
    str,
    Field(
        min_length=5,
        max_length=24,
        description="An HCPCS/CPT code (`97161`, `G0438`, `1100F`) or an ordered range of codes of "
        "the same shape (`99202-99215`).",
        # For editors only: the validator below gives the precise reason for a bad code.
        json_schema_extra={"pattern": "^[0-9A-Za-z]{5}(-[0-9A-Za-z]{5})?$"},
    ),
    _code_validator("hcpcs"),
]
Icd10Entry = Annotated[
    str,
    Field(
        min_length=3,
        max_length=40,
        description="An ICD-10-CM prefix, dots optional (`Z91.81` = `Z9181`), matching every code "
        "that starts with it; or a range of two codes or categories of equal length (`W00-W19`).",
        json_schema_extra={"pattern": "^[A-Za-z][0-9][0-9A-Za-z.]*(-[A-Za-z][0-9][0-9A-Za-z.]*)?$"},
    ),
    _code_validator("icd10"),
]
ClaimTypes = Annotated[list[ClaimType], Field(min_length=1)]


def _problem_validator(check: Any, error_type: str) -> AfterValidator:
    def validate(entry: str) -> str:
        problem = check(entry)
        if problem is not None:
            raise PydanticCustomError(error_type, problem)
        return entry

    return AfterValidator(validate)


DrgEntry = Annotated[
    str,
    Field(
        min_length=3,
        max_length=3,
        description="An MS-DRG, three digits (`470`).",
        json_schema_extra={"pattern": "^[0-9]{3}$"},
    ),
    _problem_validator(drg_problem, "invalid_drg_code"),
]
PcsEntry = Annotated[
    str,
    Field(
        min_length=3,
        max_length=8,
        description="An ICD-10-PCS code or the start of one, dots optional (`0SR9`, `0SRD0JZ`), "
        "matching every code that starts with it.",
        json_schema_extra={"pattern": "^[0-9A-HJ-NP-Za-hj-np-z.]{3,8}$"},
    ),
    _problem_validator(lambda entry: pcs_problem(entry, prefix=True), "invalid_pcs_code"),
]


def _unique(values: list[Any], what: str) -> list[Any]:
    seen = set()
    for value in values:
        if value in seen:
            raise PydanticCustomError(
                "duplicate", "{value} appears twice in {what}", {"value": str(value), "what": what}
            )
        seen.add(value)
    return values


class TriggerSpec(BaseModel):
    """What opens an episode (docs/method.md section 5)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    claim_types: ClaimTypes = Field(description="Claim types whose lines can open an episode.")
    hcpcs: list[HcpcsEntry] = Field(
        min_length=1, description="Service codes that can open an episode; ranges allowed."
    )
    diagnosis_prefixes: list[Icd10Entry] = Field(
        min_length=1,
        description="ICD-10-CM prefixes; some diagnosis, in any position, of the line's claim must match.",
    )
    rendering_npi_in_arrangement: bool = Field(
        True, description="Only a service rendered by an NPI of the arrangement's provider opens an episode."
    )
    min_age: int = Field(0, ge=0, le=120, description="Age in whole years on the trigger date.")

    @field_validator("claim_types", "hcpcs", "diagnosis_prefixes")
    @classmethod
    def _no_duplicates(cls, values: list[Any]) -> list[Any]:
        return _unique(values, "the list")


class RiskFactorSpec(BaseModel):
    """A group of stays priced apart (one target price each in an arrangement's terms)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(
        pattern=r"^[A-Z0-9][A-Z0-9_-]{0,39}$",
        description="Names the group in the terms' `target_prices` (`DRG470-FX`).",
    )
    name: str = Field(min_length=1, max_length=200)
    drgs: list[DrgEntry] = Field(min_length=1, description="MS-DRGs of the anchor stay in this group.")
    diagnosis_prefixes: list[Icd10Entry] = Field(
        default_factory=list,
        description="ICD-10-CM prefixes; when given, some diagnosis of the anchor stay must match "
        "(`S72.0` for a hip fracture). Empty: every stay of the DRGs.",
    )

    @field_validator("drgs", "diagnosis_prefixes")
    @classmethod
    def _no_duplicates(cls, values: list[Any]) -> list[Any]:
        return _unique(values, "the list")


class InpatientStayAnchorSpec(BaseModel):
    """An episode anchored on an inpatient stay (docs/definitions.md, "Anchor kinds"): it opens on
    the admission date and runs through ``episode_length_days`` days after the discharge date."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["inpatient_stay"]
    drgs: list[DrgEntry] = Field(min_length=1, description="MS-DRGs of the stays that open an episode.")
    procedure_prefixes: list[PcsEntry] = Field(
        default_factory=list,
        description="ICD-10-PCS prefixes; when given, some procedure of the stay must match. Empty: "
        "the DRG alone decides.",
    )
    attribution: Literal["operating_physician", "facility"] = Field(
        description="`operating_physician`: the stay's operating NPI (else its attending NPI) must be "
        "on the arrangement's practice roster on the admission date; `facility`: the arrangement's "
        "provider is the hospital, and every qualifying stay of an aligned beneficiary counts."
    )
    min_age: int = Field(0, ge=0, le=120, description="Age in whole years on the admission date.")
    risk_factors: list[RiskFactorSpec] = Field(
        min_length=1,
        description="Price groups, the first matching one applying; every anchor DRG needs a group "
        "without diagnosis prefixes, so that every episode has one.",
    )
    excluded_drgs: list[DrgEntry] = Field(
        default_factory=list,
        description="Inpatient stays (readmissions) with these MS-DRGs are left out of spending.",
    )

    @field_validator("drgs", "procedure_prefixes", "excluded_drgs")
    @classmethod
    def _no_duplicates(cls, values: list[Any]) -> list[Any]:
        return _unique(values, "the list")

    @model_validator(mode="after")
    def _priced(self) -> InpatientStayAnchorSpec:
        _unique([f.id for f in self.risk_factors], "risk_factors")
        anchors = set(self.drgs)
        for factor in self.risk_factors:
            stray = sorted(set(factor.drgs) - anchors)
            if stray:
                raise PydanticCustomError(
                    "risk_factor_drg",
                    "risk factor {id} lists {drgs}, not among the anchor's drgs",
                    {"id": factor.id, "drgs": ", ".join(stray)},
                )
        fallback = {drg for f in self.risk_factors if not f.diagnosis_prefixes for drg in f.drgs}
        unpriced = sorted(anchors - fallback)
        if unpriced:
            raise PydanticCustomError(
                "risk_factor_missing",
                "MS-DRG {drgs} has no risk factor without diagnosis prefixes: some episodes would have no price",
                {"drgs": ", ".join(unpriced)},
            )
        excluded = sorted(anchors & set(self.excluded_drgs))
        if excluded:
            raise PydanticCustomError(
                "excluded_anchor",
                "MS-DRG {drgs} both opens an episode and is excluded from its spending",
                {"drgs": ", ".join(excluded)},
            )
        return self


class QualityMeasureSpec(BaseModel):
    """A quality measure an arrangement may choose."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(
        pattern=r"^[A-Z][A-Z0-9_]{0,19}$", description="Measure id, e.g. `Q155` (a MIPS quality id)."
    )
    name: str = Field(min_length=1, max_length=200)
    higher_is_better: bool = Field(description="False for inverse measures such as admission rates.")


class WinsorisationSpec(BaseModel):
    """Where episode spending is winsorised: values below the low percentile are raised to it, values
    above the high percentile lowered to it (percentiles of the episodes being summarised)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    low_percentile: DecimalText = Field(
        default=Decimal("1"), ge=0, le=50, max_digits=5, decimal_places=2, description="0 .. 50."
    )
    high_percentile: DecimalText = Field(
        default=Decimal("99"), ge=50, le=100, max_digits=5, decimal_places=2, description="50 .. 100."
    )


EXAMPLE: dict[str, Any] = {
    "code": "FALLS-PREV",
    "version": 1,
    "name": "Falls prevention",
    "description": "A 90-day episode opened by a specialist's evaluation of a beneficiary at risk of falling.",
    "approach": "max_flex",
    "episode_length_days": 90,
    "trigger": {
        "claim_types": ["carrier", "outpatient"],
        "hcpcs": ["99202-99205", "99211-99215", "97161-97163", "97165-97167"],
        "diagnosis_prefixes": ["Z91.81", "R29.6", "R26", "W00-W19"],
        "rendering_npi_in_arrangement": True,
        "min_age": 65,
    },
    "included_claim_types": ["inpatient", "outpatient", "carrier", "snf", "hha", "dme"],
    "excluded_principal_diagnosis_prefixes": [],
    "outlier_cap_multiple": "3.0",
    "risk_adjustment": "hcc",
    "quality_measures": [
        {"id": "Q155", "name": "Falls: plan of care", "higher_is_better": True},
        {"id": "Q318", "name": "Falls: screening for future fall risk", "higher_is_better": True},
        {
            "id": "Q484",
            "name": "Risk-standardized acute unplanned admissions for patients with multiple chronic conditions",
            "higher_is_better": False,
        },
    ],
}


class EpisodeDefinitionSpec(BaseModel):
    """An episode definition: the content of one YAML file under `contracts/episodes/`."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        title="EpisodeDefinition",
        json_schema_extra={"example": EXAMPLE},
    )

    code: str = Field(
        pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$",
        max_length=40,
        description="Identity with `version`, e.g. `FALLS-PREV`.",
    )
    version: int = Field(ge=1, le=10_000, description="A change to a published definition is a new version.")
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=10_000)
    approach: Literal["default", "max_flex"] = Field(
        description="`default`: trigger and length locked; `max_flex`: an arrangement may override "
        "them, subject to ops approval."
    )
    episode_length_days: int = Field(
        ge=1,
        le=730,
        description="Visit trigger: the trigger date is day 0 and the episode covers days 0 .. L-1. "
        "Inpatient anchor: the episode runs from admission through L days after discharge.",
    )
    trigger: TriggerSpec | None = Field(
        default=None, description="The visit that opens an episode (the default anchor kind)."
    )
    included_claim_types: ClaimTypes = Field(
        description="Claim types whose spending counts. Hospice claims never count."
    )
    excluded_principal_diagnosis_prefixes: list[Icd10Entry] = Field(
        default_factory=list,
        description="Lines whose claim's principal diagnosis matches are left out of spending.",
    )
    outlier_cap_multiple: DecimalText = Field(
        ge=1,
        le=100,
        max_digits=6,
        decimal_places=3,
        description="An episode's counted spending is capped at this multiple of its target.",
    )
    risk_adjustment: Literal["hcc", "none"] = Field(
        description="`hcc`: the target is scaled by the beneficiary's normalised CMS-HCC score, "
        "clamped to [0.5, 3.0]."
    )
    quality_measures: list[QualityMeasureSpec] = Field(
        min_length=1, description="The measures an arrangement may choose from."
    )
    # Fields added after the format's first edition are optional; absent, they leave a
    # definition's content hash as it was (definitions.service.FIRST_EDITION_FIELDS).
    winsorisation: WinsorisationSpec | None = Field(
        default=None,
        description="Percentiles at which episode spending is winsorised in analyses and target-price "
        "recommendations; absent means the 1st and 99th. (A settlement caps each episode at "
        "`outlier_cap_multiple` times its target instead: it needs no population of episodes.)",
    )
    anchor: InpatientStayAnchorSpec | None = Field(
        default=None,
        description="An anchor of another kind than the visit `trigger` (exactly one of the two): "
        "`inpatient_stay`.",
    )

    @model_validator(mode="after")
    def _one_anchor(self) -> EpisodeDefinitionSpec:
        if (self.trigger is None) == (self.anchor is None):
            raise PydanticCustomError(
                "anchor", "a definition has exactly one of trigger (a visit) and anchor (an inpatient stay)"
            )
        return self

    @property
    def risk_factor_ids(self) -> tuple[str, ...]:
        """The price groups an arrangement's terms must price (none for a visit trigger)."""
        return () if self.anchor is None else tuple(f.id for f in self.anchor.risk_factors)

    @field_validator("included_claim_types")
    @classmethod
    def _no_hospice(cls, values: list[ClaimType]) -> list[ClaimType]:
        if ClaimType.hospice in values:
            raise PydanticCustomError(
                "hospice_included", "hospice claims never count towards an episode's spending"
            )
        return _unique(values, "the list")

    @field_validator("excluded_principal_diagnosis_prefixes")
    @classmethod
    def _unique_prefixes(cls, values: list[str]) -> list[str]:
        return _unique(values, "the list")

    @field_validator("quality_measures")
    @classmethod
    def _unique_measures(cls, values: list[QualityMeasureSpec]) -> list[QualityMeasureSpec]:
        _unique([m.id for m in values], "quality_measures")
        return values


class EpisodeDefinition(EpisodeDefinitionSpec):
    """A published definition: its content plus when it was published and its content hash."""

    model_config = ConfigDict(
        title="PublishedEpisodeDefinition",
        json_schema_extra={
            "example": {
                **EXAMPLE,
                "id": "def_01JD7Q5Z8K3M4N5P6Q7R8S9T0V",
                "content_sha256": "a7195099a5b768c7a736d02711b7f77bb6accbe77ae1158140c5f0f0d85b3ce0",
                "published_at": "2026-11-23T06:00:00Z",
            }
        },
    )

    id: str = Field(description="Opaque id of the published (code, version).")
    content_sha256: str = Field(
        description="SHA-256 of the canonical JSON of the content (keys sorted, decimals normalised)."
    )
    published_at: datetime
