from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.period import Period
    from ..models.terms import Terms


T = TypeVar("T", bound="RenewalCreate")


@_attrs_define
class RenewalCreate:
    """A renewal: the following period and the terms in force, unless given here.

    Example:
        {'period': {'end': '2028-12-31', 'start': '2028-01-01'}}

    Attributes:
        period (None | Period | Unset): Default: right after the renewed period, as long (whole calendar months when the
            renewed period is whole months, else as many days). Must start after the renewed period ends.
        terms (None | Terms | Unset): Default: the terms of the version in force.
    """

    period: None | Period | Unset = UNSET
    terms: None | Terms | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.period import Period  # noqa: PLC0415
        from ..models.terms import Terms  # noqa: PLC0415

        period: dict[str, Any] | None | Unset
        if isinstance(self.period, Unset):
            period = UNSET
        elif isinstance(self.period, Period):
            period = self.period.to_dict()
        else:
            period = self.period

        terms: dict[str, Any] | None | Unset
        if isinstance(self.terms, Unset):
            terms = UNSET
        elif isinstance(self.terms, Terms):
            terms = self.terms.to_dict()
        else:
            terms = self.terms

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if period is not UNSET:
            field_dict["period"] = period
        if terms is not UNSET:
            field_dict["terms"] = terms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.period import Period  # noqa: PLC0415
        from ..models.terms import Terms  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_period(data: object) -> None | Period | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                period_type_0 = Period.from_dict(data)

                return period_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Period | Unset, data)

        period = _parse_period(d.pop("period", UNSET))

        def _parse_terms(data: object) -> None | Terms | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                terms_type_0 = Terms.from_dict(data)

                return terms_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Terms | Unset, data)

        terms = _parse_terms(d.pop("terms", UNSET))

        renewal_create = cls(
            period=period,
            terms=terms,
        )

        return renewal_create
