from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.baseline_period import BaselinePeriod
    from ..models.episode_ref import EpisodeRef


T = TypeVar("T", bound="AnalysisRequest")


@_attrs_define
class AnalysisRequest:
    """What to analyse, and the parameters of the target-price recommendation.

    Example:
        {'aco_id': 'org_01JD7Q5Z00000000000000ACO1', 'baseline': {'end': '2027-12-31', 'start': '2027-01-01'},
            'claims_cutoff': '2028-06-30', 'episode': {'code': 'FALLS-PREV', 'version': 1}, 'price_adjustment_pct': '-1.5',
            'trend': '1.03'}

    Attributes:
        aco_id (str): The ACO whose claims are read (an ACO: its own).
        episode (EpisodeRef):  Example: {'code': 'FALLS-PREV', 'version': 1}.
        baseline (BaselinePeriod): The days on which a claim line may open an episode (both included). Example: {'end':
            '2027-12-31', 'start': '2027-01-01'}.
        claims_cutoff (datetime.date | None | Unset): Count claim line versions received on or before this date
            (default: today). Episodes whose window ends after it are counted as open and left out of the statistics.
        practice_ids (list[str] | Unset): Only episodes opened by clinicians on these practices' rosters on the trigger
            day, as an arrangement with them would open them. Empty (and no `npis`): any rendering NPI.
        npis (list[str] | Unset): Only episodes opened by these NPIs (with `practice_ids`: by either).
        trend (str | Unset): The factor from baseline prices to the performance year (1.03: 3 % growth); default 1.
            Default: '1'.
        target_mean_risk_score (None | str | Unset): The mean HCC risk score expected of the arrangement's
            beneficiaries; default: the baseline's own (a risk ratio of 1).
        price_adjustment_pct (str | Unset): The discount (negative) or premium the parties consider, shown applied to
            the recommendation. Default: '0'.
        seed (int | None | Unset): Seed of the bootstrap interval (default: drawn, then stored).
    """

    aco_id: str
    episode: EpisodeRef
    baseline: BaselinePeriod
    claims_cutoff: datetime.date | None | Unset = UNSET
    practice_ids: list[str] | Unset = UNSET
    npis: list[str] | Unset = UNSET
    trend: str | Unset = "1"
    target_mean_risk_score: None | str | Unset = UNSET
    price_adjustment_pct: str | Unset = "0"
    seed: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        aco_id = self.aco_id

        episode = self.episode.to_dict()

        baseline = self.baseline.to_dict()

        claims_cutoff: None | str | Unset
        if isinstance(self.claims_cutoff, Unset):
            claims_cutoff = UNSET
        elif isinstance(self.claims_cutoff, datetime.date):
            claims_cutoff = self.claims_cutoff.isoformat()
        else:
            claims_cutoff = self.claims_cutoff

        practice_ids: list[str] | Unset = UNSET
        if not isinstance(self.practice_ids, Unset):
            practice_ids = self.practice_ids

        npis: list[str] | Unset = UNSET
        if not isinstance(self.npis, Unset):
            npis = self.npis

        trend = self.trend

        target_mean_risk_score: None | str | Unset
        if isinstance(self.target_mean_risk_score, Unset):
            target_mean_risk_score = UNSET
        else:
            target_mean_risk_score = self.target_mean_risk_score

        price_adjustment_pct = self.price_adjustment_pct

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "aco_id": aco_id,
                "episode": episode,
                "baseline": baseline,
            }
        )
        if claims_cutoff is not UNSET:
            field_dict["claims_cutoff"] = claims_cutoff
        if practice_ids is not UNSET:
            field_dict["practice_ids"] = practice_ids
        if npis is not UNSET:
            field_dict["npis"] = npis
        if trend is not UNSET:
            field_dict["trend"] = trend
        if target_mean_risk_score is not UNSET:
            field_dict["target_mean_risk_score"] = target_mean_risk_score
        if price_adjustment_pct is not UNSET:
            field_dict["price_adjustment_pct"] = price_adjustment_pct
        if seed is not UNSET:
            field_dict["seed"] = seed

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.baseline_period import BaselinePeriod  # noqa: PLC0415
        from ..models.episode_ref import EpisodeRef  # noqa: PLC0415

        d = dict(src_dict)
        aco_id = d.pop("aco_id")

        episode = EpisodeRef.from_dict(d.pop("episode"))

        baseline = BaselinePeriod.from_dict(d.pop("baseline"))

        def _parse_claims_cutoff(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                claims_cutoff_type_0 = datetime.date.fromisoformat(data)

                return claims_cutoff_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        claims_cutoff = _parse_claims_cutoff(d.pop("claims_cutoff", UNSET))

        practice_ids = cast(list[str], d.pop("practice_ids", UNSET))

        npis = cast(list[str], d.pop("npis", UNSET))

        trend = d.pop("trend", UNSET)

        def _parse_target_mean_risk_score(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target_mean_risk_score = _parse_target_mean_risk_score(d.pop("target_mean_risk_score", UNSET))

        price_adjustment_pct = d.pop("price_adjustment_pct", UNSET)

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        analysis_request = cls(
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
        )

        return analysis_request
