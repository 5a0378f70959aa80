from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="TargetPriceSource")


@_attrs_define
class TargetPriceSource:
    """Where the target price came from: an episode analysis's recommendation (docs/analyses.md).
    Set by the service when a proposal's ``target_price`` is ``{"from_analysis": ...}``; part of
    the signed terms, so that both parties sign the number and how it was derived.

        Attributes:
            analysis_id (str):
            risk_factor (str):
            baseline_start (datetime.date):
            baseline_end (datetime.date):
            claims_cutoff (datetime.date):
            episodes (int):
            baseline_mean (str): Winsorised mean spending of the baseline episodes, USD.
            trend (str):
            risk_ratio (str):
            recommended_target_price (str): baseline_mean x trend x risk_ratio, USD.
            interval_low (str): 90 % bootstrap interval of the recommendation, low end.
            interval_high (str):
            seed (int): The bootstrap's seed: the interval reproduces with it.
    """

    analysis_id: str
    risk_factor: str
    baseline_start: datetime.date
    baseline_end: datetime.date
    claims_cutoff: datetime.date
    episodes: int
    baseline_mean: str
    trend: str
    risk_ratio: str
    recommended_target_price: str
    interval_low: str
    interval_high: str
    seed: int

    def to_dict(self) -> dict[str, Any]:
        analysis_id = self.analysis_id

        risk_factor = self.risk_factor

        baseline_start = self.baseline_start.isoformat()

        baseline_end = self.baseline_end.isoformat()

        claims_cutoff = self.claims_cutoff.isoformat()

        episodes = self.episodes

        baseline_mean = self.baseline_mean

        trend = self.trend

        risk_ratio = self.risk_ratio

        recommended_target_price = self.recommended_target_price

        interval_low = self.interval_low

        interval_high = self.interval_high

        seed = self.seed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "analysis_id": analysis_id,
                "risk_factor": risk_factor,
                "baseline_start": baseline_start,
                "baseline_end": baseline_end,
                "claims_cutoff": claims_cutoff,
                "episodes": episodes,
                "baseline_mean": baseline_mean,
                "trend": trend,
                "risk_ratio": risk_ratio,
                "recommended_target_price": recommended_target_price,
                "interval_low": interval_low,
                "interval_high": interval_high,
                "seed": seed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        analysis_id = d.pop("analysis_id")

        risk_factor = d.pop("risk_factor")

        baseline_start = datetime.date.fromisoformat(d.pop("baseline_start"))

        baseline_end = datetime.date.fromisoformat(d.pop("baseline_end"))

        claims_cutoff = datetime.date.fromisoformat(d.pop("claims_cutoff"))

        episodes = d.pop("episodes")

        baseline_mean = d.pop("baseline_mean")

        trend = d.pop("trend")

        risk_ratio = d.pop("risk_ratio")

        recommended_target_price = d.pop("recommended_target_price")

        interval_low = d.pop("interval_low")

        interval_high = d.pop("interval_high")

        seed = d.pop("seed")

        target_price_source = cls(
            analysis_id=analysis_id,
            risk_factor=risk_factor,
            baseline_start=baseline_start,
            baseline_end=baseline_end,
            claims_cutoff=claims_cutoff,
            episodes=episodes,
            baseline_mean=baseline_mean,
            trend=trend,
            risk_ratio=risk_ratio,
            recommended_target_price=recommended_target_price,
            interval_low=interval_low,
            interval_high=interval_high,
            seed=seed,
        )

        return target_price_source
