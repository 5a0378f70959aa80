from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.evidence_episode_status import EvidenceEpisodeStatus

T = TypeVar("T", bound="EvidenceEpisode")


@_attrs_define
class EvidenceEpisode:
    """
    Attributes:
        id (str):
        mbi (str):
        trigger_date (datetime.date):
        end_date (datetime.date):
        trigger_claim_id (str):
        status (EvidenceEpisodeStatus): For a settlement's line: `settled` or `excluded`; for a preview: `open`,
            `closed` or `excluded` as of the cutoff.
        exclusion_reason (None | str):
        spending (str): The episode's actual spending as of the cutoff.
    """

    id: str
    mbi: str
    trigger_date: datetime.date
    end_date: datetime.date
    trigger_claim_id: str
    status: EvidenceEpisodeStatus
    exclusion_reason: None | str
    spending: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        mbi = self.mbi

        trigger_date = self.trigger_date.isoformat()

        end_date = self.end_date.isoformat()

        trigger_claim_id = self.trigger_claim_id

        status = self.status.value

        exclusion_reason: None | str
        exclusion_reason = self.exclusion_reason

        spending = self.spending

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "mbi": mbi,
                "trigger_date": trigger_date,
                "end_date": end_date,
                "trigger_claim_id": trigger_claim_id,
                "status": status,
                "exclusion_reason": exclusion_reason,
                "spending": spending,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        mbi = d.pop("mbi")

        trigger_date = datetime.date.fromisoformat(d.pop("trigger_date"))

        end_date = datetime.date.fromisoformat(d.pop("end_date"))

        trigger_claim_id = d.pop("trigger_claim_id")

        status = EvidenceEpisodeStatus(d.pop("status"))

        def _parse_exclusion_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        exclusion_reason = _parse_exclusion_reason(d.pop("exclusion_reason"))

        spending = d.pop("spending")

        evidence_episode = cls(
            id=id,
            mbi=mbi,
            trigger_date=trigger_date,
            end_date=end_date,
            trigger_claim_id=trigger_claim_id,
            status=status,
            exclusion_reason=exclusion_reason,
            spending=spending,
        )

        evidence_episode.additional_properties = d
        return evidence_episode

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
