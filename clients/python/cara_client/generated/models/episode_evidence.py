from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.claim_line_evidence import ClaimLineEvidence
    from ..models.evidence_episode import EvidenceEpisode


T = TypeVar("T", bound="EpisodeEvidence")


@_attrs_define
class EpisodeEvidence:
    """The claim lines behind an episode's spending, one page at a time.

    Attributes:
        episode (EvidenceEpisode):
        claims_cutoff (datetime.date):
        counted_lines (int): How many of the window's claim line versions count (all pages).
        counted_allowed_amount (str): The sum of the counted versions' `allowed_amount` (all pages): the episode's
            spending.
        items (list[ClaimLineEvidence]):
        next_cursor (None | str | Unset): Pass as `?cursor=` for the next page; null on the last.
    """

    episode: EvidenceEpisode
    claims_cutoff: datetime.date
    counted_lines: int
    counted_allowed_amount: str
    items: list[ClaimLineEvidence]
    next_cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        episode = self.episode.to_dict()

        claims_cutoff = self.claims_cutoff.isoformat()

        counted_lines = self.counted_lines

        counted_allowed_amount = self.counted_allowed_amount

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "episode": episode,
                "claims_cutoff": claims_cutoff,
                "counted_lines": counted_lines,
                "counted_allowed_amount": counted_allowed_amount,
                "items": items,
            }
        )
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.claim_line_evidence import ClaimLineEvidence  # noqa: PLC0415
        from ..models.evidence_episode import EvidenceEpisode  # noqa: PLC0415

        d = dict(src_dict)
        episode = EvidenceEpisode.from_dict(d.pop("episode"))

        claims_cutoff = datetime.date.fromisoformat(d.pop("claims_cutoff"))

        counted_lines = d.pop("counted_lines")

        counted_allowed_amount = d.pop("counted_allowed_amount")

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ClaimLineEvidence.from_dict(items_item_data)

            items.append(items_item)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        episode_evidence = cls(
            episode=episode,
            claims_cutoff=claims_cutoff,
            counted_lines=counted_lines,
            counted_allowed_amount=counted_allowed_amount,
            items=items,
            next_cursor=next_cursor,
        )

        episode_evidence.additional_properties = d
        return episode_evidence

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
