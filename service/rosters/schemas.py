from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from service.access.schemas import Npi


class RosterNpiAdd(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"example": {"npi": "1234567893", "effective_from": "2027-04-01"}},
    )

    npi: Npi
    effective_from: date = Field(description="The first day the clinician is on the roster.")


class RosterNpiEnd(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"effective_to": "2027-06-30"}})

    effective_to: date = Field(
        description="The last day the clinician is on the roster (included): a service rendered after "
        "it no longer opens an episode for this practice."
    )


class RosterEntryOut(BaseModel):
    """One stay of an NPI on the roster: on it from `effective_from` through `effective_to` (both
    included; null: still on it)."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "example": {
                "id": "ros_01JD7Q5Z0000000000000004",
                "organization_id": "org_01JD7Q5Z0000000000000002",
                "npi": "1234567893",
                "effective_from": "2027-01-01",
                "effective_to": "2027-06-30",
                "created_at": "2026-11-23T10:00:00Z",
                "ended_at": "2027-06-02T15:04:05Z",
            }
        },
    )

    id: str
    organization_id: str
    npi: str
    effective_from: date
    effective_to: date | None
    created_at: datetime
    ended_at: datetime | None = Field(description="When the end date was recorded.")
