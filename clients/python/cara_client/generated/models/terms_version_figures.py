from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TermsVersionFigures")


@_attrs_define
class TermsVersionFigures:
    """One terms version's part of a settlement: the episodes triggered while it was in force.

    Example:
        {'end': '2027-12-31', 'n_episodes': 1, 'savings': '-122.00', 'shared': '-56.12', 'start': '2027-07-01',
            'stop_gain_limit': '215.6', 'stop_loss_limit': '-215.6', 'terms_sha256': '9f2c...', 'total_actual': '1200.00',
            'total_target': '1078.00', 'version': 2}

    Attributes:
        version (int): The terms version.
        terms_sha256 (str): Its terms hash.
        start (datetime.date): The first trigger date of the settlement period under this version.
        end (datetime.date): The last trigger date of the settlement period under this version.
        n_episodes (int): n_v: settled episodes triggered under it.
        total_target (str): T_v: their targets, at this version's target price.
        total_actual (str): A_v: their counted (outlier-capped) spending.
        savings (str): S_v = T_v - A_v.
        shared (str): R_v: the savings or loss formula with this version's shares and the period's quality score (before
            the min_episodes waiver and the caps, which apply to the sums).
        stop_gain_limit (str): This version's part of the stop-gain limit.
        stop_loss_limit (str): This version's part of the stop-loss limit.
    """

    version: int
    terms_sha256: str
    start: datetime.date
    end: datetime.date
    n_episodes: int
    total_target: str
    total_actual: str
    savings: str
    shared: str
    stop_gain_limit: str
    stop_loss_limit: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        terms_sha256 = self.terms_sha256

        start = self.start.isoformat()

        end = self.end.isoformat()

        n_episodes = self.n_episodes

        total_target = self.total_target

        total_actual = self.total_actual

        savings = self.savings

        shared = self.shared

        stop_gain_limit = self.stop_gain_limit

        stop_loss_limit = self.stop_loss_limit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "terms_sha256": terms_sha256,
                "start": start,
                "end": end,
                "n_episodes": n_episodes,
                "total_target": total_target,
                "total_actual": total_actual,
                "savings": savings,
                "shared": shared,
                "stop_gain_limit": stop_gain_limit,
                "stop_loss_limit": stop_loss_limit,
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

        n_episodes = d.pop("n_episodes")

        total_target = d.pop("total_target")

        total_actual = d.pop("total_actual")

        savings = d.pop("savings")

        shared = d.pop("shared")

        stop_gain_limit = d.pop("stop_gain_limit")

        stop_loss_limit = d.pop("stop_loss_limit")

        terms_version_figures = cls(
            version=version,
            terms_sha256=terms_sha256,
            start=start,
            end=end,
            n_episodes=n_episodes,
            total_target=total_target,
            total_actual=total_actual,
            savings=savings,
            shared=shared,
            stop_gain_limit=stop_gain_limit,
            stop_loss_limit=stop_loss_limit,
        )

        terms_version_figures.additional_properties = d
        return terms_version_figures

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
