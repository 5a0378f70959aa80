from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.analysis_summary_risk_score_sources import AnalysisSummaryRiskScoreSources
    from ..models.analysis_summary_winsorisation import AnalysisSummaryWinsorisation


T = TypeVar("T", bound="AnalysisSummary")


@_attrs_define
class AnalysisSummary:
    """
    Attributes:
        episodes (int): Closed episodes, not excluded: those the statistics describe.
        excluded_episodes (int): Hospice elected in the window, or alignment ending before it.
        open_episodes (int): Window ending after the claims cutoff.
        total_spending (str):
        spending_outside_arrangements (str):
        leakage_share (str):
        winsorisation (AnalysisSummaryWinsorisation): `low_percentile`, `high_percentile` (the definition's) and the
            amounts they came to, `low`, `high`.
        risk_score_sources (AnalysisSummaryRiskScoreSources | Unset): How many of the `episodes` had their HCC score
            `uploaded` (alignment), `computed` from the beneficiary's diagnoses of the year before (CMS-HCC V28), or `none`
            (read as 1.0). Empty on analyses stored before it was counted.
    """

    episodes: int
    excluded_episodes: int
    open_episodes: int
    total_spending: str
    spending_outside_arrangements: str
    leakage_share: str
    winsorisation: AnalysisSummaryWinsorisation
    risk_score_sources: AnalysisSummaryRiskScoreSources | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        episodes = self.episodes

        excluded_episodes = self.excluded_episodes

        open_episodes = self.open_episodes

        total_spending = self.total_spending

        spending_outside_arrangements = self.spending_outside_arrangements

        leakage_share = self.leakage_share

        winsorisation = self.winsorisation.to_dict()

        risk_score_sources: dict[str, Any] | Unset = UNSET
        if not isinstance(self.risk_score_sources, Unset):
            risk_score_sources = self.risk_score_sources.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "episodes": episodes,
                "excluded_episodes": excluded_episodes,
                "open_episodes": open_episodes,
                "total_spending": total_spending,
                "spending_outside_arrangements": spending_outside_arrangements,
                "leakage_share": leakage_share,
                "winsorisation": winsorisation,
            }
        )
        if risk_score_sources is not UNSET:
            field_dict["risk_score_sources"] = risk_score_sources

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.analysis_summary_risk_score_sources import AnalysisSummaryRiskScoreSources  # noqa: PLC0415
        from ..models.analysis_summary_winsorisation import AnalysisSummaryWinsorisation  # noqa: PLC0415

        d = dict(src_dict)
        episodes = d.pop("episodes")

        excluded_episodes = d.pop("excluded_episodes")

        open_episodes = d.pop("open_episodes")

        total_spending = d.pop("total_spending")

        spending_outside_arrangements = d.pop("spending_outside_arrangements")

        leakage_share = d.pop("leakage_share")

        winsorisation = AnalysisSummaryWinsorisation.from_dict(d.pop("winsorisation"))

        _risk_score_sources = d.pop("risk_score_sources", UNSET)
        risk_score_sources: AnalysisSummaryRiskScoreSources | Unset
        if isinstance(_risk_score_sources, Unset):
            risk_score_sources = UNSET
        else:
            risk_score_sources = AnalysisSummaryRiskScoreSources.from_dict(_risk_score_sources)

        analysis_summary = cls(
            episodes=episodes,
            excluded_episodes=excluded_episodes,
            open_episodes=open_episodes,
            total_spending=total_spending,
            spending_outside_arrangements=spending_outside_arrangements,
            leakage_share=leakage_share,
            winsorisation=winsorisation,
            risk_score_sources=risk_score_sources,
        )

        analysis_summary.additional_properties = d
        return analysis_summary

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
