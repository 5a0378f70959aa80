from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from attrs import define as _attrs_define

from ..models.inpatient_stay_anchor_spec_attribution import InpatientStayAnchorSpecAttribution
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.risk_factor_spec import RiskFactorSpec


T = TypeVar("T", bound="InpatientStayAnchorSpec")


@_attrs_define
class InpatientStayAnchorSpec:
    """An episode anchored on an inpatient stay (docs/definitions.md, "Anchor kinds"): it opens on
    the admission date and runs through ``episode_length_days`` days after the discharge date.

        Attributes:
            kind (Literal['inpatient_stay']):
            drgs (list[str]): MS-DRGs of the stays that open an episode.
            attribution (InpatientStayAnchorSpecAttribution): `operating_physician`: the stay's operating NPI (else its
                attending NPI) must be on the arrangement's practice roster on the admission date; `facility`: the arrangement's
                provider is the hospital, and every qualifying stay of an aligned beneficiary counts.
            risk_factors (list[RiskFactorSpec]): Price groups, the first matching one applying; every anchor DRG needs a
                group without diagnosis prefixes, so that every episode has one.
            procedure_prefixes (list[str] | Unset): ICD-10-PCS prefixes; when given, some procedure of the stay must match.
                Empty: the DRG alone decides.
            min_age (int | Unset): Age in whole years on the admission date. Default: 0.
            excluded_drgs (list[str] | Unset): Inpatient stays (readmissions) with these MS-DRGs are left out of spending.
    """

    kind: Literal["inpatient_stay"]
    drgs: list[str]
    attribution: InpatientStayAnchorSpecAttribution
    risk_factors: list[RiskFactorSpec]
    procedure_prefixes: list[str] | Unset = UNSET
    min_age: int | Unset = 0
    excluded_drgs: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kind = self.kind

        drgs = self.drgs

        attribution = self.attribution.value

        risk_factors = []
        for risk_factors_item_data in self.risk_factors:
            risk_factors_item = risk_factors_item_data.to_dict()
            risk_factors.append(risk_factors_item)

        procedure_prefixes: list[str] | Unset = UNSET
        if not isinstance(self.procedure_prefixes, Unset):
            procedure_prefixes = self.procedure_prefixes

        min_age = self.min_age

        excluded_drgs: list[str] | Unset = UNSET
        if not isinstance(self.excluded_drgs, Unset):
            excluded_drgs = self.excluded_drgs

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "kind": kind,
                "drgs": drgs,
                "attribution": attribution,
                "risk_factors": risk_factors,
            }
        )
        if procedure_prefixes is not UNSET:
            field_dict["procedure_prefixes"] = procedure_prefixes
        if min_age is not UNSET:
            field_dict["min_age"] = min_age
        if excluded_drgs is not UNSET:
            field_dict["excluded_drgs"] = excluded_drgs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.risk_factor_spec import RiskFactorSpec  # noqa: PLC0415

        d = dict(src_dict)
        kind = cast(Literal["inpatient_stay"], d.pop("kind"))
        if kind != "inpatient_stay":
            raise ValueError(f"kind must match const 'inpatient_stay', got '{kind}'")

        drgs = cast(list[str], d.pop("drgs"))

        attribution = InpatientStayAnchorSpecAttribution(d.pop("attribution"))

        risk_factors = []
        _risk_factors = d.pop("risk_factors")
        for risk_factors_item_data in _risk_factors:
            risk_factors_item = RiskFactorSpec.from_dict(risk_factors_item_data)

            risk_factors.append(risk_factors_item)

        procedure_prefixes = cast(list[str], d.pop("procedure_prefixes", UNSET))

        min_age = d.pop("min_age", UNSET)

        excluded_drgs = cast(list[str], d.pop("excluded_drgs", UNSET))

        inpatient_stay_anchor_spec = cls(
            kind=kind,
            drgs=drgs,
            attribution=attribution,
            risk_factors=risk_factors,
            procedure_prefixes=procedure_prefixes,
            min_age=min_age,
            excluded_drgs=excluded_drgs,
        )

        return inpatient_stay_anchor_spec
