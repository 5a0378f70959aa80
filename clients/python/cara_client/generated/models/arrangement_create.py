from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.episode_ref import EpisodeRef
    from ..models.period import Period
    from ..models.proposed_terms import ProposedTerms


T = TypeVar("T", bound="ArrangementCreate")


@_attrs_define
class ArrangementCreate:
    """
    Example:
        {'aco_id': 'org_01JD7Q5Z00000000000000ACO1', 'episode': {'code': 'FALLS-PREV', 'version': 1}, 'period': {'end':
            '2027-12-31', 'start': '2027-01-01'}, 'provider_id': 'org_01JD7Q5Z00000000000000PRV1', 'terms':
            {'loss_quality_relief_pct': '10', 'loss_share_pct': '25', 'min_episodes': 11, 'performance_adjustment_pct':
            '20', 'price_adjustment_pct': '-2', 'quality_measures': [{'measure_id': 'Q155', 'weight': '1'}, {'measure_id':
            'Q318', 'weight': '1'}], 'runout_days': 90, 'savings_share_pct': '50', 'stop_gain_pct': '20', 'stop_loss_pct':
            '20', 'target_price': '1200.00'}}

    Attributes:
        aco_id (str):
        provider_id (str):
        episode (EpisodeRef):  Example: {'code': 'FALLS-PREV', 'version': 1}.
        period (Period): The performance period, within 2027-01-01 .. 2036-12-31. Example: {'end': '2027-12-31',
            'start': '2027-01-01'}.
        terms (ProposedTerms): The terms of a proposal: the target price a decimal string, or taken from an analysis.
            Example: {'loss_quality_relief_pct': '10', 'loss_share_pct': '25', 'min_episodes': 11,
            'performance_adjustment_pct': '20', 'price_adjustment_pct': '-2', 'quality_measures': [{'measure_id': 'Q155',
            'weight': '1'}, {'measure_id': 'Q318', 'weight': '1'}], 'runout_days': 90, 'savings_share_pct': '50',
            'stop_gain_pct': '20', 'stop_loss_pct': '20', 'target_price': '1200.00'}.
    """

    aco_id: str
    provider_id: str
    episode: EpisodeRef
    period: Period
    terms: ProposedTerms

    def to_dict(self) -> dict[str, Any]:
        aco_id = self.aco_id

        provider_id = self.provider_id

        episode = self.episode.to_dict()

        period = self.period.to_dict()

        terms = self.terms.to_dict()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "aco_id": aco_id,
                "provider_id": provider_id,
                "episode": episode,
                "period": period,
                "terms": terms,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.episode_ref import EpisodeRef  # noqa: PLC0415
        from ..models.period import Period  # noqa: PLC0415
        from ..models.proposed_terms import ProposedTerms  # noqa: PLC0415

        d = dict(src_dict)
        aco_id = d.pop("aco_id")

        provider_id = d.pop("provider_id")

        episode = EpisodeRef.from_dict(d.pop("episode"))

        period = Period.from_dict(d.pop("period"))

        terms = ProposedTerms.from_dict(d.pop("terms"))

        arrangement_create = cls(
            aco_id=aco_id,
            provider_id=provider_id,
            episode=episode,
            period=period,
            terms=terms,
        )

        return arrangement_create
