from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="EpisodeRef")


@_attrs_define
class EpisodeRef:
    """
    Example:
        {'code': 'FALLS-PREV', 'version': 1}

    Attributes:
        code (str):
        version (int):
    """

    code: str
    version: int

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        version = d.pop("version")

        episode_ref = cls(
            code=code,
            version=version,
        )

        return episode_ref
