from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.report_row_level import ReportRowLevel

T = TypeVar("T", bound="ReportRow")


@_attrs_define
class ReportRow:
    """Spending of the episodes attributed to one practice, or to one NPI.

    Attributes:
        level (ReportRowLevel):
        practice_id (None | str): Null: the clinician was on no practice's roster that day.
        practice_name (None | str):
        npi (None | str): Set on `npi` rows.
        episodes (int):
        total_spending (str):
        mean_spending (str):
        winsorised_mean_spending (str):
        median_spending (str):
        p10_spending (str):
        p90_spending (str):
        mean_risk_score (str):
        spending_outside_arrangements (str):
        leakage_share (str): spending_outside_arrangements / total_spending.
    """

    level: ReportRowLevel
    practice_id: None | str
    practice_name: None | str
    npi: None | str
    episodes: int
    total_spending: str
    mean_spending: str
    winsorised_mean_spending: str
    median_spending: str
    p10_spending: str
    p90_spending: str
    mean_risk_score: str
    spending_outside_arrangements: str
    leakage_share: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        level = self.level.value

        practice_id: None | str
        practice_id = self.practice_id

        practice_name: None | str
        practice_name = self.practice_name

        npi: None | str
        npi = self.npi

        episodes = self.episodes

        total_spending = self.total_spending

        mean_spending = self.mean_spending

        winsorised_mean_spending = self.winsorised_mean_spending

        median_spending = self.median_spending

        p10_spending = self.p10_spending

        p90_spending = self.p90_spending

        mean_risk_score = self.mean_risk_score

        spending_outside_arrangements = self.spending_outside_arrangements

        leakage_share = self.leakage_share

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "level": level,
                "practice_id": practice_id,
                "practice_name": practice_name,
                "npi": npi,
                "episodes": episodes,
                "total_spending": total_spending,
                "mean_spending": mean_spending,
                "winsorised_mean_spending": winsorised_mean_spending,
                "median_spending": median_spending,
                "p10_spending": p10_spending,
                "p90_spending": p90_spending,
                "mean_risk_score": mean_risk_score,
                "spending_outside_arrangements": spending_outside_arrangements,
                "leakage_share": leakage_share,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        level = ReportRowLevel(d.pop("level"))

        def _parse_practice_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        practice_id = _parse_practice_id(d.pop("practice_id"))

        def _parse_practice_name(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        practice_name = _parse_practice_name(d.pop("practice_name"))

        def _parse_npi(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        npi = _parse_npi(d.pop("npi"))

        episodes = d.pop("episodes")

        total_spending = d.pop("total_spending")

        mean_spending = d.pop("mean_spending")

        winsorised_mean_spending = d.pop("winsorised_mean_spending")

        median_spending = d.pop("median_spending")

        p10_spending = d.pop("p10_spending")

        p90_spending = d.pop("p90_spending")

        mean_risk_score = d.pop("mean_risk_score")

        spending_outside_arrangements = d.pop("spending_outside_arrangements")

        leakage_share = d.pop("leakage_share")

        report_row = cls(
            level=level,
            practice_id=practice_id,
            practice_name=practice_name,
            npi=npi,
            episodes=episodes,
            total_spending=total_spending,
            mean_spending=mean_spending,
            winsorised_mean_spending=winsorised_mean_spending,
            median_spending=median_spending,
            p10_spending=p10_spending,
            p90_spending=p90_spending,
            mean_risk_score=mean_risk_score,
            spending_outside_arrangements=spending_outside_arrangements,
            leakage_share=leakage_share,
        )

        report_row.additional_properties = d
        return report_row

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
