from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.audit_event_out_details import AuditEventOutDetails


T = TypeVar("T", bound="AuditEventOut")


@_attrs_define
class AuditEventOut:
    """Who did what, when, to which resource; `hash` chains it to the event before.

    Example:
        {'action': 'arrangement.signed', 'actor_key_id': 'key_01JD7Q5Z0000000000000003', 'actor_org_id':
            'org_01JD7Q5Z0000000000000001', 'details': {'version': 1}, 'hash': 'e3b0...', 'id':
            'evt_01JD7Q5Z0000000000000009', 'occurred_at': '2026-11-23T10:00:00Z', 'prev_hash': '9b1c...', 'request_id':
            '3f1c2a9e6b0d4e7f', 'resource_id': 'arr_01JD7Q5Z0000000000000004', 'resource_type': 'arrangement', 'seq': 42}

    Attributes:
        seq (int):
        id (str):
        occurred_at (datetime.datetime):
        actor_org_id (None | str):
        actor_key_id (str):
        action (str):
        resource_type (str):
        resource_id (str):
        request_id (None | str):
        details (AuditEventOutDetails):
        prev_hash (str):
        hash_ (str):
    """

    seq: int
    id: str
    occurred_at: datetime.datetime
    actor_org_id: None | str
    actor_key_id: str
    action: str
    resource_type: str
    resource_id: str
    request_id: None | str
    details: AuditEventOutDetails
    prev_hash: str
    hash_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        seq = self.seq

        id = self.id

        occurred_at = self.occurred_at.isoformat()

        actor_org_id: None | str
        actor_org_id = self.actor_org_id

        actor_key_id = self.actor_key_id

        action = self.action

        resource_type = self.resource_type

        resource_id = self.resource_id

        request_id: None | str
        request_id = self.request_id

        details = self.details.to_dict()

        prev_hash = self.prev_hash

        hash_ = self.hash_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "seq": seq,
                "id": id,
                "occurred_at": occurred_at,
                "actor_org_id": actor_org_id,
                "actor_key_id": actor_key_id,
                "action": action,
                "resource_type": resource_type,
                "resource_id": resource_id,
                "request_id": request_id,
                "details": details,
                "prev_hash": prev_hash,
                "hash": hash_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.audit_event_out_details import AuditEventOutDetails  # noqa: PLC0415

        d = dict(src_dict)
        seq = d.pop("seq")

        id = d.pop("id")

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        def _parse_actor_org_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        actor_org_id = _parse_actor_org_id(d.pop("actor_org_id"))

        actor_key_id = d.pop("actor_key_id")

        action = d.pop("action")

        resource_type = d.pop("resource_type")

        resource_id = d.pop("resource_id")

        def _parse_request_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        request_id = _parse_request_id(d.pop("request_id"))

        details = AuditEventOutDetails.from_dict(d.pop("details"))

        prev_hash = d.pop("prev_hash")

        hash_ = d.pop("hash")

        audit_event_out = cls(
            seq=seq,
            id=id,
            occurred_at=occurred_at,
            actor_org_id=actor_org_id,
            actor_key_id=actor_key_id,
            action=action,
            resource_type=resource_type,
            resource_id=resource_id,
            request_id=request_id,
            details=details,
            prev_hash=prev_hash,
            hash_=hash_,
        )

        audit_event_out.additional_properties = d
        return audit_event_out

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
