from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
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
    """

    episodes: int
    excluded_episodes: int
    open_episodes: int
    total_spending: str
    spending_outside_arrangements: str
    leakage_share: str
    winsorisation: AnalysisSummaryWinsorisation
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        episodes = self.episodes

        excluded_episodes = self.excluded_episodes

        open_episodes = self.open_episodes

        total_spending = self.total_spending

        spending_outside_arrangements = self.spending_outside_arrangements

        leakage_share = self.leakage_share

        winsorisation = self.winsorisation.to_dict()

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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.analysis_summary_winsorisation import AnalysisSummaryWinsorisation  # noqa: PLC0415

        d = dict(src_dict)
        episodes = d.pop("episodes")

        excluded_episodes = d.pop("excluded_episodes")

        open_episodes = d.pop("open_episodes")

        total_spending = d.pop("total_spending")

        spending_outside_arrangements = d.pop("spending_outside_arrangements")

        leakage_share = d.pop("leakage_share")

        winsorisation = AnalysisSummaryWinsorisation.from_dict(d.pop("winsorisation"))

        analysis_summary = cls(
            episodes=episodes,
            excluded_episodes=excluded_episodes,
            open_episodes=open_episodes,
            total_spending=total_spending,
            spending_outside_arrangements=spending_outside_arrangements,
            leakage_share=leakage_share,
            winsorisation=winsorisation,
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
