from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.episode_out_exclusion_reason_type_0 import EpisodeOutExclusionReasonType0
from ..models.episode_out_status import EpisodeOutStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="EpisodeOut")


@_attrs_define
class EpisodeOut:
    """One episode of an arrangement, recomputed from the claims as of the cutoff.

    Example:
        {'actual_spending': '1142.10', 'end_date': '2027-05-30', 'id': 'epi_3f1c9a0e5b7d4c2a8e6f1b3d5a7c9e0f', 'mbi':
            '1EG4TE5MK73', 'status': 'closed', 'trigger_claim_id': 'C1', 'trigger_date': '2027-03-02',
            'trigger_line_number': 1}

    Attributes:
        id (str): Stable id: the same trigger line of the same arrangement gives the same id.
        mbi (str):
        trigger_date (datetime.date): Day 0 of the episode.
        end_date (datetime.date): Day L-1: the last day of the window.
        trigger_claim_id (str):
        trigger_line_number (int):
        status (EpisodeOutStatus): `open` while the window has not ended by the cutoff, `closed` after, `excluded` when
            docs/method.md section 5 excludes it (then see `exclusion_reason`).
        exclusion_reason (EpisodeOutExclusionReasonType0 | None): `hospice_in_window`: hospice elected inside the
            window; `alignment_ended`: the beneficiary's alignment ends before the window does.
        actual_spending (str): Allowed amounts of the included claim lines in the window, as of the cutoff (before the
            outlier cap, which depends on the settlement).
        risk_factor (None | str | Unset): Under an inpatient anchor, the risk factor (price group) of the anchor stay,
            which the terms' `target_prices` price; null for a visit trigger.
    """

    id: str
    mbi: str
    trigger_date: datetime.date
    end_date: datetime.date
    trigger_claim_id: str
    trigger_line_number: int
    status: EpisodeOutStatus
    exclusion_reason: EpisodeOutExclusionReasonType0 | None
    actual_spending: str
    risk_factor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        mbi = self.mbi

        trigger_date = self.trigger_date.isoformat()

        end_date = self.end_date.isoformat()

        trigger_claim_id = self.trigger_claim_id

        trigger_line_number = self.trigger_line_number

        status = self.status.value

        exclusion_reason: None | str
        if isinstance(self.exclusion_reason, EpisodeOutExclusionReasonType0):
            exclusion_reason = self.exclusion_reason.value
        else:
            exclusion_reason = self.exclusion_reason

        actual_spending = self.actual_spending

        risk_factor: None | str | Unset
        if isinstance(self.risk_factor, Unset):
            risk_factor = UNSET
        else:
            risk_factor = self.risk_factor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "mbi": mbi,
                "trigger_date": trigger_date,
                "end_date": end_date,
                "trigger_claim_id": trigger_claim_id,
                "trigger_line_number": trigger_line_number,
                "status": status,
                "exclusion_reason": exclusion_reason,
                "actual_spending": actual_spending,
            }
        )
        if risk_factor is not UNSET:
            field_dict["risk_factor"] = risk_factor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        mbi = d.pop("mbi")

        trigger_date = datetime.date.fromisoformat(d.pop("trigger_date"))

        end_date = datetime.date.fromisoformat(d.pop("end_date"))

        trigger_claim_id = d.pop("trigger_claim_id")

        trigger_line_number = d.pop("trigger_line_number")

        status = EpisodeOutStatus(d.pop("status"))

        def _parse_exclusion_reason(data: object) -> EpisodeOutExclusionReasonType0 | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                exclusion_reason_type_0 = EpisodeOutExclusionReasonType0(data)

                return exclusion_reason_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(EpisodeOutExclusionReasonType0 | None, data)

        exclusion_reason = _parse_exclusion_reason(d.pop("exclusion_reason"))

        actual_spending = d.pop("actual_spending")

        def _parse_risk_factor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        risk_factor = _parse_risk_factor(d.pop("risk_factor", UNSET))

        episode_out = cls(
            id=id,
            mbi=mbi,
            trigger_date=trigger_date,
            end_date=end_date,
            trigger_claim_id=trigger_claim_id,
            trigger_line_number=trigger_line_number,
            status=status,
            exclusion_reason=exclusion_reason,
            actual_spending=actual_spending,
            risk_factor=risk_factor,
        )

        episode_out.additional_properties = d
        return episode_out

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
