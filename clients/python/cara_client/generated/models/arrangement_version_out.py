from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.arrangement_version_out_kind import ArrangementVersionOutKind

if TYPE_CHECKING:
    from ..models.signature import Signature
    from ..models.terms import Terms


T = TypeVar("T", bound="ArrangementVersionOut")


@_attrs_define
class ArrangementVersionOut:
    """
    Example:
        {'terms': {'loss_quality_relief_pct': '10', 'loss_share_pct': '25', 'min_episodes': 11,
            'performance_adjustment_pct': '20', 'price_adjustment_pct': '-2', 'quality_measures': [{'measure_id': 'Q155',
            'weight': '1'}, {'measure_id': 'Q318', 'weight': '1'}], 'runout_days': 90, 'savings_share_pct': '50',
            'stop_gain_pct': '20', 'stop_loss_pct': '20', 'target_price': '1200.00'}, 'version': 1}

    Attributes:
        version (int):
        kind (ArrangementVersionOutKind):
        terms (Terms): The negotiated terms of an arrangement (docs/method.md section 2). Percentages: `"12.5"` is
            12.5%. Example: {'loss_quality_relief_pct': '10', 'loss_share_pct': '25', 'min_episodes': 11,
            'performance_adjustment_pct': '20', 'price_adjustment_pct': '-2', 'quality_measures': [{'measure_id': 'Q155',
            'weight': '1'}, {'measure_id': 'Q318', 'weight': '1'}], 'runout_days': 90, 'savings_share_pct': '50',
            'stop_gain_pct': '20', 'stop_loss_pct': '20', 'target_price': '1200.00'}.
        terms_sha256 (str):
        effective_from (datetime.date): The first day this version's terms apply to (the period's start except for an
            amendment given a later effective date).
        created_by (str):
        created_at (datetime.datetime):
        signatures (list[Signature]):
    """

    version: int
    kind: ArrangementVersionOutKind
    terms: Terms
    terms_sha256: str
    effective_from: datetime.date
    created_by: str
    created_at: datetime.datetime
    signatures: list[Signature]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        version = self.version

        kind = self.kind.value

        terms = self.terms.to_dict()

        terms_sha256 = self.terms_sha256

        effective_from = self.effective_from.isoformat()

        created_by = self.created_by

        created_at = self.created_at.isoformat()

        signatures = []
        for signatures_item_data in self.signatures:
            signatures_item = signatures_item_data.to_dict()
            signatures.append(signatures_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "version": version,
                "kind": kind,
                "terms": terms,
                "terms_sha256": terms_sha256,
                "effective_from": effective_from,
                "created_by": created_by,
                "created_at": created_at,
                "signatures": signatures,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.signature import Signature  # noqa: PLC0415
        from ..models.terms import Terms  # noqa: PLC0415

        d = dict(src_dict)
        version = d.pop("version")

        kind = ArrangementVersionOutKind(d.pop("kind"))

        terms = Terms.from_dict(d.pop("terms"))

        terms_sha256 = d.pop("terms_sha256")

        effective_from = datetime.date.fromisoformat(d.pop("effective_from"))

        created_by = d.pop("created_by")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        signatures = []
        _signatures = d.pop("signatures")
        for signatures_item_data in _signatures:
            signatures_item = Signature.from_dict(signatures_item_data)

            signatures.append(signatures_item)

        arrangement_version_out = cls(
            version=version,
            kind=kind,
            terms=terms,
            terms_sha256=terms_sha256,
            effective_from=effective_from,
            created_by=created_by,
            created_at=created_at,
            signatures=signatures,
        )

        arrangement_version_out.additional_properties = d
        return arrangement_version_out

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
