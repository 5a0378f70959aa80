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

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from service.definitions.codes import CodeKind, check_entry
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
        ge=1, le=730, description="Trigger date is day 0; the episode covers days 0 .. L-1."
    )
    trigger: TriggerSpec
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
        "recommendations; absent means the 1st and 99th.",
    )

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
