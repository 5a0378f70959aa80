from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.settlement_out import SettlementOut


T = TypeVar("T", bound="SettlementRecomputation")


@_attrs_define
class SettlementRecomputation:
    """
    Example:
        {'differences': [], 'matches': True, 'recomputed': {'inputs_sha256': '4b1e...', 'settlement_amount': '-103.04',
            'status': 'recomputed'}, 'settlement_id': 'stl_01JD7Q5Z0000000000000000S1'}

    Attributes:
        settlement_id (str):
        matches (bool): The recomputation gave the recorded hash and figures.
        differences (list[str]): The figures (and `inputs_sha256`) that differ.
        recomputed (SettlementOut):  Example: {'acceptance': {}, 'arrangement_id': 'arr_01JD7Q5Z0000000000000000A1',
            'below_min_episodes': False, 'claims_cutoff': '2028-03-30', 'created_at': '2028-04-01T09:00:00Z', 'definition':
            {'code': 'FALLS-PREV', 'version': 1}, 'disputes': [], 'id': 'stl_01JD7Q5Z0000000000000000S1', 'inputs_sha256':
            '4b1e...', 'n_episodes': 3, 'n_excluded': 0, 'period_end': '2027-12-31', 'period_start': '2027-01-01',
            'quality_score': '0.8', 'revision': 1, 'savings': '-224.00', 'settlement_amount': '-103.04',
            'shared_before_caps': '-103.04', 'sources': {'provider_roster': [{'from': '2027-01-01', 'npi': '1234567893',
            'through': '2027-12-31'}], 'quality_report': {'version': 1, 'version_id': 'qrv_01JD7Q5Z0000000000000000Q1'},
            'settled_elsewhere': [], 'uploads': [{'content_sha256': '77a8...', 'id': 'upl_01JD7Q5Z0000000000000000U1',
            'kind': 'claims'}]}, 'status': 'draft', 'stop_gain_limit': '529.20', 'stop_loss_limit': '-529.20',
            'terms_sha256': '9f2c...', 'terms_version': 1, 'total_actual': '2870.00', 'total_target': '2646.00'}.
    """

    settlement_id: str
    matches: bool
    differences: list[str]
    recomputed: SettlementOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        settlement_id = self.settlement_id

        matches = self.matches

        differences = self.differences

        recomputed = self.recomputed.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "settlement_id": settlement_id,
                "matches": matches,
                "differences": differences,
                "recomputed": recomputed,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.settlement_out import SettlementOut  # noqa: PLC0415

        d = dict(src_dict)
        settlement_id = d.pop("settlement_id")

        matches = d.pop("matches")

        differences = cast(list[str], d.pop("differences"))

        recomputed = SettlementOut.from_dict(d.pop("recomputed"))

        settlement_recomputation = cls(
            settlement_id=settlement_id,
            matches=matches,
            differences=differences,
            recomputed=recomputed,
        )

        settlement_recomputation.additional_properties = d
        return settlement_recomputation

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
