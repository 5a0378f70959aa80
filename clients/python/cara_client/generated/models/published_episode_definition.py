from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.claim_type import ClaimType
from ..models.published_episode_definition_approach import PublishedEpisodeDefinitionApproach
from ..models.published_episode_definition_risk_adjustment import PublishedEpisodeDefinitionRiskAdjustment
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.inpatient_stay_anchor_spec import InpatientStayAnchorSpec
    from ..models.quality_measure_spec import QualityMeasureSpec
    from ..models.trigger_spec import TriggerSpec
    from ..models.winsorisation_spec import WinsorisationSpec


T = TypeVar("T", bound="PublishedEpisodeDefinition")


@_attrs_define
class PublishedEpisodeDefinition:
    """A published definition: its content plus when it was published and its content hash.

    Example:
        {'approach': 'max_flex', 'code': 'FALLS-PREV', 'content_sha256':
            'a7195099a5b768c7a736d02711b7f77bb6accbe77ae1158140c5f0f0d85b3ce0', 'description': "A 90-day episode opened by a
            specialist's evaluation of a beneficiary at risk of falling.", 'episode_length_days': 90,
            'excluded_principal_diagnosis_prefixes': [], 'id': 'def_01JD7Q5Z8K3M4N5P6Q7R8S9T0V', 'included_claim_types':
            ['inpatient', 'outpatient', 'carrier', 'snf', 'hha', 'dme'], 'name': 'Falls prevention', 'outlier_cap_multiple':
            '3.0', 'published_at': '2026-11-23T06:00:00Z', 'quality_measures': [{'higher_is_better': True, 'id': 'Q155',
            'name': 'Falls: plan of care'}, {'higher_is_better': True, 'id': 'Q318', 'name': 'Falls: screening for future
            fall risk'}, {'higher_is_better': False, 'id': 'Q484', 'name': 'Risk-standardized acute unplanned admissions for
            patients with multiple chronic conditions'}], 'risk_adjustment': 'hcc', 'trigger': {'claim_types': ['carrier',
            'outpatient'], 'diagnosis_prefixes': ['Z91.81', 'R29.6', 'R26', 'W00-W19'], 'hcpcs': ['99202-99205',
            '99211-99215', '97161-97163', '97165-97167'], 'min_age': 65, 'rendering_npi_in_arrangement': True}, 'version':
            1}

    Attributes:
        code (str): Identity with `version`, e.g. `FALLS-PREV`.
        version (int): A change to a published definition is a new version.
        name (str):
        description (str):
        approach (PublishedEpisodeDefinitionApproach): `default`: trigger and length locked; `max_flex`: an arrangement
            may override them, subject to ops approval.
        episode_length_days (int): Visit trigger: the trigger date is day 0 and the episode covers days 0 .. L-1.
            Inpatient anchor: the episode runs from admission through L days after discharge.
        included_claim_types (list[ClaimType]): Claim types whose spending counts. Hospice claims never count.
        outlier_cap_multiple (str): An episode's counted spending is capped at this multiple of its target.
        risk_adjustment (PublishedEpisodeDefinitionRiskAdjustment): `hcc`: the target is scaled by the beneficiary's
            normalised CMS-HCC score, clamped to [0.5, 3.0].
        quality_measures (list[QualityMeasureSpec]): The measures an arrangement may choose from.
        id (str): Opaque id of the published (code, version).
        content_sha256 (str): SHA-256 of the canonical JSON of the content (keys sorted, decimals normalised).
        published_at (datetime.datetime):
        trigger (None | TriggerSpec | Unset): The visit that opens an episode (the default anchor kind).
        excluded_principal_diagnosis_prefixes (list[str] | Unset): Lines whose claim's principal diagnosis matches are
            left out of spending.
        winsorisation (None | Unset | WinsorisationSpec): Percentiles at which episode spending is winsorised in
            analyses and target-price recommendations; absent means the 1st and 99th. (A settlement caps each episode at
            `outlier_cap_multiple` times its target instead: it needs no population of episodes.)
        anchor (InpatientStayAnchorSpec | None | Unset): An anchor of another kind than the visit `trigger` (exactly one
            of the two): `inpatient_stay`.
    """

    code: str
    version: int
    name: str
    description: str
    approach: PublishedEpisodeDefinitionApproach
    episode_length_days: int
    included_claim_types: list[ClaimType]
    outlier_cap_multiple: str
    risk_adjustment: PublishedEpisodeDefinitionRiskAdjustment
    quality_measures: list[QualityMeasureSpec]
    id: str
    content_sha256: str
    published_at: datetime.datetime
    trigger: None | TriggerSpec | Unset = UNSET
    excluded_principal_diagnosis_prefixes: list[str] | Unset = UNSET
    winsorisation: None | Unset | WinsorisationSpec = UNSET
    anchor: InpatientStayAnchorSpec | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.inpatient_stay_anchor_spec import InpatientStayAnchorSpec  # noqa: PLC0415
        from ..models.trigger_spec import TriggerSpec  # noqa: PLC0415
        from ..models.winsorisation_spec import WinsorisationSpec  # noqa: PLC0415

        code = self.code

        version = self.version

        name = self.name

        description = self.description

        approach = self.approach.value

        episode_length_days = self.episode_length_days

        included_claim_types = []
        for included_claim_types_item_data in self.included_claim_types:
            included_claim_types_item = included_claim_types_item_data.value
            included_claim_types.append(included_claim_types_item)

        outlier_cap_multiple = self.outlier_cap_multiple

        risk_adjustment = self.risk_adjustment.value

        quality_measures = []
        for quality_measures_item_data in self.quality_measures:
            quality_measures_item = quality_measures_item_data.to_dict()
            quality_measures.append(quality_measures_item)

        id = self.id

        content_sha256 = self.content_sha256

        published_at = self.published_at.isoformat()

        trigger: dict[str, Any] | None | Unset
        if isinstance(self.trigger, Unset):
            trigger = UNSET
        elif isinstance(self.trigger, TriggerSpec):
            trigger = self.trigger.to_dict()
        else:
            trigger = self.trigger

        excluded_principal_diagnosis_prefixes: list[str] | Unset = UNSET
        if not isinstance(self.excluded_principal_diagnosis_prefixes, Unset):
            excluded_principal_diagnosis_prefixes = self.excluded_principal_diagnosis_prefixes

        winsorisation: dict[str, Any] | None | Unset
        if isinstance(self.winsorisation, Unset):
            winsorisation = UNSET
        elif isinstance(self.winsorisation, WinsorisationSpec):
            winsorisation = self.winsorisation.to_dict()
        else:
            winsorisation = self.winsorisation

        anchor: dict[str, Any] | None | Unset
        if isinstance(self.anchor, Unset):
            anchor = UNSET
        elif isinstance(self.anchor, InpatientStayAnchorSpec):
            anchor = self.anchor.to_dict()
        else:
            anchor = self.anchor

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "version": version,
                "name": name,
                "description": description,
                "approach": approach,
                "episode_length_days": episode_length_days,
                "included_claim_types": included_claim_types,
                "outlier_cap_multiple": outlier_cap_multiple,
                "risk_adjustment": risk_adjustment,
                "quality_measures": quality_measures,
                "id": id,
                "content_sha256": content_sha256,
                "published_at": published_at,
            }
        )
        if trigger is not UNSET:
            field_dict["trigger"] = trigger
        if excluded_principal_diagnosis_prefixes is not UNSET:
            field_dict["excluded_principal_diagnosis_prefixes"] = excluded_principal_diagnosis_prefixes
        if winsorisation is not UNSET:
            field_dict["winsorisation"] = winsorisation
        if anchor is not UNSET:
            field_dict["anchor"] = anchor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.inpatient_stay_anchor_spec import InpatientStayAnchorSpec  # noqa: PLC0415
        from ..models.quality_measure_spec import QualityMeasureSpec  # noqa: PLC0415
        from ..models.trigger_spec import TriggerSpec  # noqa: PLC0415
        from ..models.winsorisation_spec import WinsorisationSpec  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        version = d.pop("version")

        name = d.pop("name")

        description = d.pop("description")

        approach = PublishedEpisodeDefinitionApproach(d.pop("approach"))

        episode_length_days = d.pop("episode_length_days")

        included_claim_types = []
        _included_claim_types = d.pop("included_claim_types")
        for included_claim_types_item_data in _included_claim_types:
            included_claim_types_item = ClaimType(included_claim_types_item_data)

            included_claim_types.append(included_claim_types_item)

        outlier_cap_multiple = d.pop("outlier_cap_multiple")

        risk_adjustment = PublishedEpisodeDefinitionRiskAdjustment(d.pop("risk_adjustment"))

        quality_measures = []
        _quality_measures = d.pop("quality_measures")
        for quality_measures_item_data in _quality_measures:
            quality_measures_item = QualityMeasureSpec.from_dict(quality_measures_item_data)

            quality_measures.append(quality_measures_item)

        id = d.pop("id")

        content_sha256 = d.pop("content_sha256")

        published_at = datetime.datetime.fromisoformat(d.pop("published_at"))

        def _parse_trigger(data: object) -> None | TriggerSpec | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                trigger_type_0 = TriggerSpec.from_dict(data)

                return trigger_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TriggerSpec | Unset, data)

        trigger = _parse_trigger(d.pop("trigger", UNSET))

        excluded_principal_diagnosis_prefixes = cast(list[str], d.pop("excluded_principal_diagnosis_prefixes", UNSET))

        def _parse_winsorisation(data: object) -> None | Unset | WinsorisationSpec:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                winsorisation_type_0 = WinsorisationSpec.from_dict(data)

                return winsorisation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WinsorisationSpec, data)

        winsorisation = _parse_winsorisation(d.pop("winsorisation", UNSET))

        def _parse_anchor(data: object) -> InpatientStayAnchorSpec | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                anchor_type_0 = InpatientStayAnchorSpec.from_dict(data)

                return anchor_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(InpatientStayAnchorSpec | None | Unset, data)

        anchor = _parse_anchor(d.pop("anchor", UNSET))

        published_episode_definition = cls(
            code=code,
            version=version,
            name=name,
            description=description,
            approach=approach,
            episode_length_days=episode_length_days,
            included_claim_types=included_claim_types,
            outlier_cap_multiple=outlier_cap_multiple,
            risk_adjustment=risk_adjustment,
            quality_measures=quality_measures,
            id=id,
            content_sha256=content_sha256,
            published_at=published_at,
            trigger=trigger,
            excluded_principal_diagnosis_prefixes=excluded_principal_diagnosis_prefixes,
            winsorisation=winsorisation,
            anchor=anchor,
        )

        return published_episode_definition
