from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ChainVerificationOut")


@_attrs_define
class ChainVerificationOut:
    """
    Attributes:
        ok (bool):
        events (int): Events verified (before the break, when broken).
        broken_seq (int | None): The first event that does not match.
        reason (None | str):
    """

    ok: bool
    events: int
    broken_seq: int | None
    reason: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        events = self.events

        broken_seq: int | None
        broken_seq = self.broken_seq

        reason: None | str
        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ok": ok,
                "events": events,
                "broken_seq": broken_seq,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        ok = d.pop("ok")

        events = d.pop("events")

        def _parse_broken_seq(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        broken_seq = _parse_broken_seq(d.pop("broken_seq"))

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        chain_verification_out = cls(
            ok=ok,
            events=events,
            broken_seq=broken_seq,
            reason=reason,
        )

        chain_verification_out.additional_properties = d
        return chain_verification_out

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
