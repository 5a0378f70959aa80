from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WebhookEndpointCreate")


@_attrs_define
class WebhookEndpointCreate:
    """A receiver to register: an http(s) URL reachable from the internet, and the events it wants.

    Example:
        {'description': 'contracting portal (production)', 'events': ['arrangement.*', 'settlement.finalized'], 'url':
            'https://portal.lakeside-geriatrics.example/hooks/cara'}

    Attributes:
        url (str): `http` or `https`; must resolve to public addresses only (no loopback, private, link-local or
            metadata addresses).
        events (list[str]): Event types (`arrangement.signed`), family wildcards (`arrangement.*`, `settlement.*`,
            `upload.*`) or `*` for every event. Known types: arrangement.proposed, arrangement.revised, arrangement.signed,
            arrangement.executed, arrangement.declined, arrangement.withdrawn, arrangement.amended, arrangement.terminated,
            arrangement.approved, arrangement.rejected, organization.roster_changed, settlement.created,
            settlement.finalized, settlement.accepted, settlement.disputed, settlement.dispute_resolved, quality.reported,
            upload.completed, upload.failed.
        description (None | str | Unset):
    """

    url: str
    events: list[str]
    description: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        events = self.events

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "url": url,
                "events": events,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        url = d.pop("url")

        events = cast(list[str], d.pop("events"))

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        webhook_endpoint_create = cls(
            url=url,
            events=events,
            description=description,
        )

        return webhook_endpoint_create
