from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OpenEpisodeCompletion")


@_attrs_define
class OpenEpisodeCompletion:
    """
    Attributes:
        completed (int): Open episodes (the cutoff on or before their last day) completed.
        closed_episodes_used (int): Closed episodes whose mean spending by day of episode completed them.
        expected_spending (str): Their expected spending on the days still to come.
    """

    completed: int
    closed_episodes_used: int
    expected_spending: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        completed = self.completed

        closed_episodes_used = self.closed_episodes_used

        expected_spending = self.expected_spending

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "completed": completed,
                "closed_episodes_used": closed_episodes_used,
                "expected_spending": expected_spending,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        completed = d.pop("completed")

        closed_episodes_used = d.pop("closed_episodes_used")

        expected_spending = d.pop("expected_spending")

        open_episode_completion = cls(
            completed=completed,
            closed_episodes_used=closed_episodes_used,
            expected_spending=expected_spending,
        )

        open_episode_completion.additional_properties = d
        return open_episode_completion

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
