from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.dispute_out_party import DisputeOutParty
from ..models.dispute_out_status import DisputeOutStatus

T = TypeVar("T", bound="DisputeOut")


@_attrs_define
class DisputeOut:
    """
    Example:
        {'arrangement_id': 'arr_01JD7Q5Z0000000000000000A1', 'created_at': '2028-04-02T09:00:00Z', 'id':
            'dsp_01JD7Q5Z0000000000000000D1', 'key_id': 'key_01JD7Q5Z00000000000000ACO1', 'line_ids':
            ['epi_3f1c9a0e5b7d4c2a8e6f1b3d5a7c9e0f'], 'organization_id': 'org_01JD7Q5Z00000000000000ACO1', 'party': 'aco',
            'reason': 'Episode of 2027-03-01 belongs to a beneficiary who left the ACO in February.', 'settlement_id':
            'stl_01JD7Q5Z0000000000000000S1', 'status': 'open'}

    Attributes:
        id (str):
        settlement_id (str):
        arrangement_id (str):
        party (DisputeOutParty):
        organization_id (str):
        key_id (str):
        reason (str):
        line_ids (list[str]): The disputed lines; empty: the settlement as a whole.
        status (DisputeOutStatus): `open` until ops resolves it; `upheld` (a new run is needed before the period is
            finalised) or `rejected`.
        created_at (datetime.datetime):
        resolution_note (None | str):
        resolved_at (datetime.datetime | None):
    """

    id: str
    settlement_id: str
    arrangement_id: str
    party: DisputeOutParty
    organization_id: str
    key_id: str
    reason: str
    line_ids: list[str]
    status: DisputeOutStatus
    created_at: datetime.datetime
    resolution_note: None | str
    resolved_at: datetime.datetime | None
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        settlement_id = self.settlement_id

        arrangement_id = self.arrangement_id

        party = self.party.value

        organization_id = self.organization_id

        key_id = self.key_id

        reason = self.reason

        line_ids = self.line_ids

        status = self.status.value

        created_at = self.created_at.isoformat()

        resolution_note: None | str
        resolution_note = self.resolution_note

        resolved_at: None | str
        if isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "settlement_id": settlement_id,
                "arrangement_id": arrangement_id,
                "party": party,
                "organization_id": organization_id,
                "key_id": key_id,
                "reason": reason,
                "line_ids": line_ids,
                "status": status,
                "created_at": created_at,
                "resolution_note": resolution_note,
                "resolved_at": resolved_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        settlement_id = d.pop("settlement_id")

        arrangement_id = d.pop("arrangement_id")

        party = DisputeOutParty(d.pop("party"))

        organization_id = d.pop("organization_id")

        key_id = d.pop("key_id")

        reason = d.pop("reason")

        line_ids = cast(list[str], d.pop("line_ids"))

        status = DisputeOutStatus(d.pop("status"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_resolution_note(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        resolution_note = _parse_resolution_note(d.pop("resolution_note"))

        def _parse_resolved_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at"))

        dispute_out = cls(
            id=id,
            settlement_id=settlement_id,
            arrangement_id=arrangement_id,
            party=party,
            organization_id=organization_id,
            key_id=key_id,
            reason=reason,
            line_ids=line_ids,
            status=status,
            created_at=created_at,
            resolution_note=resolution_note,
            resolved_at=resolved_at,
        )

        dispute_out.additional_properties = d
        return dispute_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
