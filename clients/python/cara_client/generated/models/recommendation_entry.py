from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.interval import Interval


T = TypeVar("T", bound="RecommendationEntry")


@_attrs_define
class RecommendationEntry:
    """The recommended target price of one risk factor (`all`: every episode of the definition).

    Attributes:
        risk_factor (str):
        episodes (int):
        baseline_mean (str): Winsorised mean spending of the baseline episodes.
        trend (str):
        baseline_mean_risk_score (str):
        target_mean_risk_score (str):
        risk_ratio (str): target_mean_risk_score / baseline_mean_risk_score.
        recommended_target_price (str): baseline_mean x trend x risk_ratio, to the cent.
        interval (Interval):
        price_adjustment_pct (str):
        adjusted_target_price (str): recommended_target_price x (1 + price_adjustment_pct / 100), to the cent: what
            settlement would compare spending with.
        adjusted_interval (Interval):
        warnings (list[str]):
    """

    risk_factor: str
    episodes: int
    baseline_mean: str
    trend: str
    baseline_mean_risk_score: str
    target_mean_risk_score: str
    risk_ratio: str
    recommended_target_price: str
    interval: Interval
    price_adjustment_pct: str
    adjusted_target_price: str
    adjusted_interval: Interval
    warnings: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        risk_factor = self.risk_factor

        episodes = self.episodes

        baseline_mean = self.baseline_mean

        trend = self.trend

        baseline_mean_risk_score = self.baseline_mean_risk_score

        target_mean_risk_score = self.target_mean_risk_score

        risk_ratio = self.risk_ratio

        recommended_target_price = self.recommended_target_price

        interval = self.interval.to_dict()

        price_adjustment_pct = self.price_adjustment_pct

        adjusted_target_price = self.adjusted_target_price

        adjusted_interval = self.adjusted_interval.to_dict()

        warnings = self.warnings

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "risk_factor": risk_factor,
                "episodes": episodes,
                "baseline_mean": baseline_mean,
                "trend": trend,
                "baseline_mean_risk_score": baseline_mean_risk_score,
                "target_mean_risk_score": target_mean_risk_score,
                "risk_ratio": risk_ratio,
                "recommended_target_price": recommended_target_price,
                "interval": interval,
                "price_adjustment_pct": price_adjustment_pct,
                "adjusted_target_price": adjusted_target_price,
                "adjusted_interval": adjusted_interval,
                "warnings": warnings,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.interval import Interval  # noqa: PLC0415

        d = dict(src_dict)
        risk_factor = d.pop("risk_factor")

        episodes = d.pop("episodes")

        baseline_mean = d.pop("baseline_mean")

        trend = d.pop("trend")

        baseline_mean_risk_score = d.pop("baseline_mean_risk_score")

        target_mean_risk_score = d.pop("target_mean_risk_score")

        risk_ratio = d.pop("risk_ratio")

        recommended_target_price = d.pop("recommended_target_price")

        interval = Interval.from_dict(d.pop("interval"))

        price_adjustment_pct = d.pop("price_adjustment_pct")

        adjusted_target_price = d.pop("adjusted_target_price")

        adjusted_interval = Interval.from_dict(d.pop("adjusted_interval"))

        warnings = cast(list[str], d.pop("warnings"))

        recommendation_entry = cls(
            risk_factor=risk_factor,
            episodes=episodes,
            baseline_mean=baseline_mean,
            trend=trend,
            baseline_mean_risk_score=baseline_mean_risk_score,
            target_mean_risk_score=target_mean_risk_score,
            risk_ratio=risk_ratio,
            recommended_target_price=recommended_target_price,
            interval=interval,
            price_adjustment_pct=price_adjustment_pct,
            adjusted_target_price=adjusted_target_price,
            adjusted_interval=adjusted_interval,
            warnings=warnings,
        )

        recommendation_entry.additional_properties = d
        return recommendation_entry

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
