from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="WinsorisationSpec")


@_attrs_define
class WinsorisationSpec:
    """Where episode spending is winsorised: values below the low percentile are raised to it, values
    above the high percentile lowered to it (percentiles of the episodes being summarised).

        Attributes:
            low_percentile (str | Unset): 0 .. 50. Default: '1'.
            high_percentile (str | Unset): 50 .. 100. Default: '99'.
    """

    low_percentile: str | Unset = "1"
    high_percentile: str | Unset = "99"

    def to_dict(self) -> dict[str, Any]:
        low_percentile = self.low_percentile

        high_percentile = self.high_percentile

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if low_percentile is not UNSET:
            field_dict["low_percentile"] = low_percentile
        if high_percentile is not UNSET:
            field_dict["high_percentile"] = high_percentile

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        low_percentile = d.pop("low_percentile", UNSET)

        high_percentile = d.pop("high_percentile", UNSET)

        winsorisation_spec = cls(
            low_percentile=low_percentile,
            high_percentile=high_percentile,
        )

        return winsorisation_spec
