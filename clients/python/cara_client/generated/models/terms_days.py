from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TermsDays")


@_attrs_define
class TermsDays:
    """
    Example:
        {'end': '2027-12-31', 'start': '2027-07-01', 'version': 2}

    Attributes:
        version (int):
        terms_sha256 (str):
        start (datetime.date): The first trigger date settled under this version.
        end (datetime.date): The last trigger date settled under this version.
    """

    version: int
    terms_sha256: str
    start: datetime.date
    end: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        terms_sha256 = self.terms_sha256

        start = self.start.isoformat()

        end = self.end.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "terms_sha256": terms_sha256,
                "start": start,
                "end": end,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        version = d.pop("version")

        terms_sha256 = d.pop("terms_sha256")

        start = datetime.date.fromisoformat(d.pop("start"))

        end = datetime.date.fromisoformat(d.pop("end"))

        terms_days = cls(
            version=version,
            terms_sha256=terms_sha256,
            start=start,
            end=end,
        )

        terms_days.additional_properties = d
        return terms_days

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
