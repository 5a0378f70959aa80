from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.settlement_projection_flags_item import SettlementProjectionFlagsItem

if TYPE_CHECKING:
    from ..models.claims_completion import ClaimsCompletion
    from ..models.open_episode_completion import OpenEpisodeCompletion


T = TypeVar("T", bound="SettlementProjection")


@_attrs_define
class SettlementProjection:
    """A preview's projected final settlement: docs/settlement.md, section 10.

    Example:
        {'claims_completion': {'factors': [{'completion_factor': '0.606061', 'completion_factor_high': '0.649351',
            'completion_factor_low': '0.568182', 'development_factor': '1.5', 'development_spread': '0.1', 'lag': 0}],
            'max_lag': 12, 'origin_months': 21, 'sufficient_history': True}, 'evaluation_month': '2027-09', 'flags': [],
            'open_episodes': {'closed_episodes_used': 52, 'completed': 14, 'expected_spending': '3120.00'},
            'settlement_amount': '812.40', 'settlement_amount_high': '901.75', 'settlement_amount_low': '640.10',
            'today_settlement_amount': '1650.22', 'today_total_actual': '37650.10', 'total_actual': '41230.55',
            'total_actual_high': '42001.90', 'total_actual_low': '40811.20', 'total_target': '45310.00'}

    Attributes:
        evaluation_month (str): The claims cutoff's month (YYYY-MM): lags count from it.
        settlement_amount (str): The projected final settlement amount.
        settlement_amount_low (str):
        settlement_amount_high (str):
        total_actual (str): A, projected.
        total_actual_low (str): A with the most complete reading of the claims.
        total_actual_high (str): A with the least complete reading of the claims.
        total_target (str):
        today_settlement_amount (str): The preview's own figure: the claims on file now.
        today_total_actual (str):
        claims_completion (ClaimsCompletion):
        open_episodes (OpenEpisodeCompletion):
        flags (list[SettlementProjectionFlagsItem]): `insufficient_history`: no claims completion; `no_closed_episodes`:
            open episodes keep the spending they have.
    """

    evaluation_month: str
    settlement_amount: str
    settlement_amount_low: str
    settlement_amount_high: str
    total_actual: str
    total_actual_low: str
    total_actual_high: str
    total_target: str
    today_settlement_amount: str
    today_total_actual: str
    claims_completion: ClaimsCompletion
    open_episodes: OpenEpisodeCompletion
    flags: list[SettlementProjectionFlagsItem]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        evaluation_month = self.evaluation_month

        settlement_amount = self.settlement_amount

        settlement_amount_low = self.settlement_amount_low

        settlement_amount_high = self.settlement_amount_high

        total_actual = self.total_actual

        total_actual_low = self.total_actual_low

        total_actual_high = self.total_actual_high

        total_target = self.total_target

        today_settlement_amount = self.today_settlement_amount

        today_total_actual = self.today_total_actual

        claims_completion = self.claims_completion.to_dict()

        open_episodes = self.open_episodes.to_dict()

        flags = []
        for flags_item_data in self.flags:
            flags_item = flags_item_data.value
            flags.append(flags_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "evaluation_month": evaluation_month,
                "settlement_amount": settlement_amount,
                "settlement_amount_low": settlement_amount_low,
                "settlement_amount_high": settlement_amount_high,
                "total_actual": total_actual,
                "total_actual_low": total_actual_low,
                "total_actual_high": total_actual_high,
                "total_target": total_target,
                "today_settlement_amount": today_settlement_amount,
                "today_total_actual": today_total_actual,
                "claims_completion": claims_completion,
                "open_episodes": open_episodes,
                "flags": flags,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.claims_completion import ClaimsCompletion  # noqa: PLC0415
        from ..models.open_episode_completion import OpenEpisodeCompletion  # noqa: PLC0415

        d = dict(src_dict)
        evaluation_month = d.pop("evaluation_month")

        settlement_amount = d.pop("settlement_amount")

        settlement_amount_low = d.pop("settlement_amount_low")

        settlement_amount_high = d.pop("settlement_amount_high")

        total_actual = d.pop("total_actual")

        total_actual_low = d.pop("total_actual_low")

        total_actual_high = d.pop("total_actual_high")

        total_target = d.pop("total_target")

        today_settlement_amount = d.pop("today_settlement_amount")

        today_total_actual = d.pop("today_total_actual")

        claims_completion = ClaimsCompletion.from_dict(d.pop("claims_completion"))

        open_episodes = OpenEpisodeCompletion.from_dict(d.pop("open_episodes"))

        flags = []
        _flags = d.pop("flags")
        for flags_item_data in _flags:
            flags_item = SettlementProjectionFlagsItem(flags_item_data)

            flags.append(flags_item)

        settlement_projection = cls(
            evaluation_month=evaluation_month,
            settlement_amount=settlement_amount,
            settlement_amount_low=settlement_amount_low,
            settlement_amount_high=settlement_amount_high,
            total_actual=total_actual,
            total_actual_low=total_actual_low,
            total_actual_high=total_actual_high,
            total_target=total_target,
            today_settlement_amount=today_settlement_amount,
            today_total_actual=today_total_actual,
            claims_completion=claims_completion,
            open_episodes=open_episodes,
            flags=flags,
        )

        settlement_projection.additional_properties = d
        return settlement_projection

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
