from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.trigger_spec import TriggerSpec


T = TypeVar("T", bound="Overrides")


@_attrs_define
class Overrides:
    """Max-flex customisations replacing the definition's; they need ops approval.

    Attributes:
        episode_length_days (int | None | Unset): Replaces the definition's episode length.
        trigger (None | TriggerSpec | Unset): Replaces the definition's trigger as a whole.
    """

    episode_length_days: int | None | Unset = UNSET
    trigger: None | TriggerSpec | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.trigger_spec import TriggerSpec  # noqa: PLC0415

        episode_length_days: int | None | Unset
        if isinstance(self.episode_length_days, Unset):
            episode_length_days = UNSET
        else:
            episode_length_days = self.episode_length_days

        trigger: dict[str, Any] | None | Unset
        if isinstance(self.trigger, Unset):
            trigger = UNSET
        elif isinstance(self.trigger, TriggerSpec):
            trigger = self.trigger.to_dict()
        else:
            trigger = self.trigger

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if episode_length_days is not UNSET:
            field_dict["episode_length_days"] = episode_length_days
        if trigger is not UNSET:
            field_dict["trigger"] = trigger

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.trigger_spec import TriggerSpec  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_episode_length_days(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        episode_length_days = _parse_episode_length_days(d.pop("episode_length_days", UNSET))

        def _parse_trigger(data: object) -> None | TriggerSpec | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                trigger_type_0 = TriggerSpec.from_dict(data)

                return trigger_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TriggerSpec | Unset, data)

        trigger = _parse_trigger(d.pop("trigger", UNSET))

        overrides = cls(
            episode_length_days=episode_length_days,
            trigger=trigger,
        )

        return overrides
