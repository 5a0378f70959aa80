from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="SettlementLineOut")


@_attrs_define
class SettlementLineOut:
    """
    Example:
        {'actual': '1470.00', 'capped': True, 'end_date': '2027-05-30', 'episode_id':
            'epi_3f1c9a0e5b7d4c2a8e6f1b3d5a7c9e0f', 'id': 'epi_3f1c9a0e5b7d4c2a8e6f1b3d5a7c9e0f', 'mbi': '1EG4TE5MK73',
            'outlier_cap': '1470.00', 'risk_factor': '0.5', 'risk_score_source': 'uploaded', 'spending': '1600.00',
            'target': '490.00', 'terms_version': 1, 'trigger_date': '2027-03-02'}

    Attributes:
        id (str): The line's id within the settlement (what a dispute's `line_ids` name): its episode's id, so the same
            episode has the same line id in every revision.
        episode_id (str):
        mbi (str):
        trigger_date (datetime.date):
        end_date (datetime.date):
        risk_factor (str):
        target (str):
        spending (str): Actual spending before the outlier cap.
        outlier_cap (str):
        actual (str): Counted spending: min(spending, outlier_cap).
        capped (bool):
        terms_version (int | None): The terms version the episode settled under (in force on its trigger date); null on
            lines stored before amendments took effect on a date (the settlement's terms_version).
        risk_score_source (None | str): Where the HCC score behind `risk_factor` came from: `uploaded` (the alignment
            row's), or `computed: <model>` from the beneficiary's diagnoses of the year before (docs/settlement.md, risk
            scores); null when there is no score (1.0), and on lines stored before scores were computed.
        price_group (None | str | Unset): Under terms with `target_prices`, the risk factor (price group) of the
            episode's anchor stay whose price is the base of `target` (docs/definitions.md, anchor kinds); null under a
            single `target_price`.
    """

    id: str
    episode_id: str
    mbi: str
    trigger_date: datetime.date
    end_date: datetime.date
    risk_factor: str
    target: str
    spending: str
    outlier_cap: str
    actual: str
    capped: bool
    terms_version: int | None
    risk_score_source: None | str
    price_group: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        episode_id = self.episode_id

        mbi = self.mbi

        trigger_date = self.trigger_date.isoformat()

        end_date = self.end_date.isoformat()

        risk_factor = self.risk_factor

        target = self.target

        spending = self.spending

        outlier_cap = self.outlier_cap

        actual = self.actual

        capped = self.capped

        terms_version: int | None
        terms_version = self.terms_version

        risk_score_source: None | str
        risk_score_source = self.risk_score_source

        price_group: None | str | Unset
        if isinstance(self.price_group, Unset):
            price_group = UNSET
        else:
            price_group = self.price_group

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "episode_id": episode_id,
                "mbi": mbi,
                "trigger_date": trigger_date,
                "end_date": end_date,
                "risk_factor": risk_factor,
                "target": target,
                "spending": spending,
                "outlier_cap": outlier_cap,
                "actual": actual,
                "capped": capped,
                "terms_version": terms_version,
                "risk_score_source": risk_score_source,
            }
        )
        if price_group is not UNSET:
            field_dict["price_group"] = price_group

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        episode_id = d.pop("episode_id")

        mbi = d.pop("mbi")

        trigger_date = datetime.date.fromisoformat(d.pop("trigger_date"))

        end_date = datetime.date.fromisoformat(d.pop("end_date"))

        risk_factor = d.pop("risk_factor")

        target = d.pop("target")

        spending = d.pop("spending")

        outlier_cap = d.pop("outlier_cap")

        actual = d.pop("actual")

        capped = d.pop("capped")

        def _parse_terms_version(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        terms_version = _parse_terms_version(d.pop("terms_version"))

        def _parse_risk_score_source(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        risk_score_source = _parse_risk_score_source(d.pop("risk_score_source"))

        def _parse_price_group(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        price_group = _parse_price_group(d.pop("price_group", UNSET))

        settlement_line_out = cls(
            id=id,
            episode_id=episode_id,
            mbi=mbi,
            trigger_date=trigger_date,
            end_date=end_date,
            risk_factor=risk_factor,
            target=target,
            spending=spending,
            outlier_cap=outlier_cap,
            actual=actual,
            capped=capped,
            terms_version=terms_version,
            risk_score_source=risk_score_source,
            price_group=price_group,
        )

        settlement_line_out.additional_properties = d
        return settlement_line_out

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
