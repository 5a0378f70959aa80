from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.analysis_out_status import AnalysisOutStatus

if TYPE_CHECKING:
    from ..models.analysis_summary import AnalysisSummary
    from ..models.baseline_period import BaselinePeriod
    from ..models.episode_ref import EpisodeRef
    from ..models.recommendation import Recommendation
    from ..models.report_row import ReportRow


T = TypeVar("T", bound="AnalysisOut")


@_attrs_define
class AnalysisOut:
    """
    Attributes:
        id (str):
        status (AnalysisOutStatus):
        aco_id (str):
        episode (EpisodeRef):  Example: {'code': 'FALLS-PREV', 'version': 1}.
        baseline (BaselinePeriod): The days on which a claim line may open an episode (both included). Example: {'end':
            '2027-12-31', 'start': '2027-01-01'}.
        claims_cutoff (datetime.date):
        practice_ids (list[str]):
        npis (list[str]):
        trend (str):
        target_mean_risk_score (None | str):
        price_adjustment_pct (str):
        seed (int):
        created_at (datetime.datetime):
        started_at (datetime.datetime | None):
        finished_at (datetime.datetime | None):
        error (None | str): Why a failed analysis failed.
        summary (AnalysisSummary | None): When done.
        recommendation (None | Recommendation): When done and there were episodes.
        rows (list[ReportRow]): When done: each practice, then each NPI.
    """

    id: str
    status: AnalysisOutStatus
    aco_id: str
    episode: EpisodeRef
    baseline: BaselinePeriod
    claims_cutoff: datetime.date
    practice_ids: list[str]
    npis: list[str]
    trend: str
    target_mean_risk_score: None | str
    price_adjustment_pct: str
    seed: int
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    error: None | str
    summary: AnalysisSummary | None
    recommendation: None | Recommendation
    rows: list[ReportRow]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.analysis_summary import AnalysisSummary  # noqa: PLC0415
        from ..models.recommendation import Recommendation  # noqa: PLC0415

        id = self.id

        status = self.status.value

        aco_id = self.aco_id

        episode = self.episode.to_dict()

        baseline = self.baseline.to_dict()

        claims_cutoff = self.claims_cutoff.isoformat()

        practice_ids = self.practice_ids

        npis = self.npis

        trend = self.trend

        target_mean_risk_score: None | str
        target_mean_risk_score = self.target_mean_risk_score

        price_adjustment_pct = self.price_adjustment_pct

        seed = self.seed

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        error: None | str
        error = self.error

        summary: dict[str, Any] | None
        if isinstance(self.summary, AnalysisSummary):
            summary = self.summary.to_dict()
        else:
            summary = self.summary

        recommendation: dict[str, Any] | None
        if isinstance(self.recommendation, Recommendation):
            recommendation = self.recommendation.to_dict()
        else:
            recommendation = self.recommendation

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "aco_id": aco_id,
                "episode": episode,
                "baseline": baseline,
                "claims_cutoff": claims_cutoff,
                "practice_ids": practice_ids,
                "npis": npis,
                "trend": trend,
                "target_mean_risk_score": target_mean_risk_score,
                "price_adjustment_pct": price_adjustment_pct,
                "seed": seed,
                "created_at": created_at,
                "started_at": started_at,
                "finished_at": finished_at,
                "error": error,
                "summary": summary,
                "recommendation": recommendation,
                "rows": rows,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.analysis_summary import AnalysisSummary  # noqa: PLC0415
        from ..models.baseline_period import BaselinePeriod  # noqa: PLC0415
        from ..models.episode_ref import EpisodeRef  # noqa: PLC0415
        from ..models.recommendation import Recommendation  # noqa: PLC0415
        from ..models.report_row import ReportRow  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = AnalysisOutStatus(d.pop("status"))

        aco_id = d.pop("aco_id")

        episode = EpisodeRef.from_dict(d.pop("episode"))

        baseline = BaselinePeriod.from_dict(d.pop("baseline"))

        claims_cutoff = datetime.date.fromisoformat(d.pop("claims_cutoff"))

        practice_ids = cast(list[str], d.pop("practice_ids"))

        npis = cast(list[str], d.pop("npis"))

        trend = d.pop("trend")

        def _parse_target_mean_risk_score(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        target_mean_risk_score = _parse_target_mean_risk_score(d.pop("target_mean_risk_score"))

        price_adjustment_pct = d.pop("price_adjustment_pct")

        seed = d.pop("seed")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        def _parse_error(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error = _parse_error(d.pop("error"))

        def _parse_summary(data: object) -> AnalysisSummary | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                summary_type_0 = AnalysisSummary.from_dict(data)

                return summary_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AnalysisSummary | None, data)

        summary = _parse_summary(d.pop("summary"))

        def _parse_recommendation(data: object) -> None | Recommendation:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                recommendation_type_0 = Recommendation.from_dict(data)

                return recommendation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Recommendation, data)

        recommendation = _parse_recommendation(d.pop("recommendation"))

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = ReportRow.from_dict(rows_item_data)

            rows.append(rows_item)

        analysis_out = cls(
            id=id,
            status=status,
            aco_id=aco_id,
            episode=episode,
            baseline=baseline,
            claims_cutoff=claims_cutoff,
            practice_ids=practice_ids,
            npis=npis,
            trend=trend,
            target_mean_risk_score=target_mean_risk_score,
            price_adjustment_pct=price_adjustment_pct,
            seed=seed,
            created_at=created_at,
            started_at=started_at,
            finished_at=finished_at,
            error=error,
            summary=summary,
            recommendation=recommendation,
            rows=rows,
        )

        analysis_out.additional_properties = d
        return analysis_out

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
