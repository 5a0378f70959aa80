from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from service.access.models import Role
from service.kit.identifiers import npi_problem, tin_problem


def _check(problem: str | None, value: str) -> str:
    if problem:
        raise ValueError(problem)
    return value


Npi = Annotated[str, AfterValidator(lambda v: _check(npi_problem(v), v))]
Tin = Annotated[str, AfterValidator(lambda v: _check(tin_problem(v), v))]
ContactEmail = Annotated[
    str,
    Field(
        max_length=254,
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
        description="Where people reach the organisation about its arrangements.",
    ),
]
CmsAcoId = Annotated[
    str,
    Field(
        pattern=r"^[A-Z][0-9]{4}$",
        description="For an ACO: the identifier CMS assigned to it, one capital letter and four digits "
        "(for example A1234). Unique.",
    ),
]


class OrganizationCreate(BaseModel):
    """A new ACO or preferred provider (ops only)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "example": {
                "kind": "provider",
                "name": "Lakeside Geriatrics PC",
                "tin": "123456789",
                "aco_id": "org_01JD7Q5Z0000000000000001",
                "npis": ["1234567893"],
                "npis_effective_from": "2027-01-01",
                "contact_email": "contracts@lakeside.example",
            }
        },
    )

    kind: Literal["aco", "provider"]
    name: str = Field(min_length=1, max_length=200)
    tin: Tin
    aco_id: str | None = Field(
        None, max_length=40, description="For a provider: the ACO whose network it joins."
    )
    npis: list[Npi] = Field(
        default_factory=list,
        max_length=5000,
        description="Clinicians' NPIs (TIN-NPI participation): the first entries of the roster.",
    )
    npis_effective_from: date | None = Field(
        None, description="The day `npis` join the roster (their onboarding date); default today."
    )
    contact_email: ContactEmail | None = None
    cms_aco_id: CmsAcoId | None = None


class OrganizationUpdate(BaseModel):
    """A change of an organisation's profile (ops only): only the fields sent change; `null`
    clears `contact_email` or `cms_aco_id`. The TIN and kind never change (a new TIN is a new
    organisation); documents already signed keep the name they were signed with."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"name": "Lakeview ACO LLC", "cms_aco_id": "A1234"}},
    )

    name: str | None = Field(None, min_length=1, max_length=200, description="Cannot be null.")
    contact_email: ContactEmail | None = None
    cms_aco_id: CmsAcoId | None = None


class Organization(BaseModel):
    """An organisation. Others than ops and the organisation itself see the directory fields
    (`id`, `kind`, `name`, `cms_aco_id`, `npis`, `created_at`); `tin`, `aco_id` and
    `contact_email` are then null. `npis` is the roster as it stands: the NPIs on it today or
    from an announced later day (the history, with dates, is `GET .../npis`)."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "org_01JD7Q5Z0000000000000002",
                "kind": "provider",
                "name": "Lakeside Geriatrics PC",
                "tin": "123456789",
                "aco_id": "org_01JD7Q5Z0000000000000001",
                "contact_email": "contracts@lakeside.example",
                "cms_aco_id": None,
                "npis": ["1234567893"],
                "created_at": "2026-11-23T10:00:00Z",
            }
        }
    )

    id: str
    kind: Literal["ops", "aco", "provider"]
    name: str
    tin: str | None
    aco_id: str | None
    contact_email: str | None
    cms_aco_id: str | None
    npis: list[str]
    created_at: datetime


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"example": {"name": "portal-prod", "role": "provider"}}
    )

    name: str = Field(min_length=1, max_length=200)
    role: Role = Field(description="Must equal the organisation's kind.")


class ApiKeyCreated(BaseModel):
    """The new key. `key` is shown here once and never again: store it now."""

    model_config = ConfigDict(
        json_schema_extra={
            "example": {
                "id": "key_01JD7Q5Z0000000000000003",
                "key": "cara_3q2x...",
                "prefix": "cara_3q2xAb",
                "role": "provider",
                "organization_id": "org_01JD7Q5Z0000000000000002",
            }
        }
    )

    id: str
    key: str
    prefix: str
    role: Role
    organization_id: str


class ApiKeyInfo(BaseModel):
    """A key without its secret."""

    id: str
    name: str
    prefix: str
    role: Role
    organization_id: str
    created_at: datetime
    revoked_at: datetime | None
