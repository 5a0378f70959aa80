from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.settlement_out_cap_bound_type_0 import SettlementOutCapBoundType0
from ..models.settlement_out_status import SettlementOutStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.dispute_out import DisputeOut
    from ..models.measure_score import MeasureScore
    from ..models.settlement_out_acceptance import SettlementOutAcceptance
    from ..models.settlement_out_definition import SettlementOutDefinition
    from ..models.settlement_out_inputs import SettlementOutInputs
    from ..models.settlement_out_sources_type_0 import SettlementOutSourcesType0
    from ..models.settlement_projection import SettlementProjection
    from ..models.terms_version_figures import TermsVersionFigures


T = TypeVar("T", bound="SettlementOut")


@_attrs_define
class SettlementOut:
    """
    Example:
        {'acceptance': {}, 'arrangement_id': 'arr_01JD7Q5Z0000000000000000A1', 'below_min_episodes': False,
            'claims_cutoff': '2028-03-30', 'created_at': '2028-04-01T09:00:00Z', 'definition': {'code': 'FALLS-PREV',
            'version': 1}, 'disputes': [], 'id': 'stl_01JD7Q5Z0000000000000000S1', 'inputs_sha256': '4b1e...', 'n_episodes':
            3, 'n_excluded': 0, 'period_end': '2027-12-31', 'period_start': '2027-01-01', 'quality_score': '0.8',
            'revision': 1, 'savings': '-224.00', 'settlement_amount': '-103.04', 'shared_before_caps': '-103.04', 'sources':
            {'provider_roster': [{'from': '2027-01-01', 'npi': '1234567893', 'through': '2027-12-31'}], 'quality_report':
            {'version': 1, 'version_id': 'qrv_01JD7Q5Z0000000000000000Q1'}, 'settled_elsewhere': [], 'uploads':
            [{'content_sha256': '77a8...', 'id': 'upl_01JD7Q5Z0000000000000000U1', 'kind': 'claims'}]}, 'status': 'draft',
            'stop_gain_limit': '529.20', 'stop_loss_limit': '-529.20', 'terms_sha256': '9f2c...', 'terms_version': 1,
            'total_actual': '2870.00', 'total_target': '2646.00'}

    Attributes:
        id (None | str): null for a preview or a recomputation (nothing stored).
        arrangement_id (str):
        revision (int | None): 1, 2, ... per (arrangement, period); null for a preview.
        status (SettlementOutStatus): `draft` until ops finalises it; `final`; `superseded` once a later revision of the
            period is final. `preview` and `recomputed` are never stored.
        period_start (datetime.date):
        period_end (datetime.date):
        claims_cutoff (datetime.date):
        n_episodes (int): Settled (non-excluded) episodes triggered in the period.
        n_excluded (int): Excluded episodes triggered in the period (not settled).
        total_target (str): T: the sum of the episode targets.
        total_actual (str): A: the sum of counted (outlier-capped) spending.
        savings (str): S = T - A; negative is a loss.
        quality_score (str): q in [0, 1].
        measures (list[MeasureScore]):
        shared_before_caps (str): R before stop-gain/stop-loss.
        cap_bound (None | SettlementOutCapBoundType0):
        below_min_episodes (bool): A loss was waived: fewer than min_episodes episodes.
        stop_gain_limit (str):
        stop_loss_limit (str):
        settlement_amount (str): Positive: owed to the provider; negative: owed by it.
        delta (None | str): This amount minus the final revision it compares with (`delta_against`). A draft compares
            with the current final (null when none is); finalising fixes it against the final it supersedes, or zero when it
            is the first, so the deltas of a period's finals add up to its latest final amount.
        delta_against (None | str): The final settlement `delta` compares with.
        terms_version (int): The terms version in force on the period's last day: its quality measures, min_episodes and
            runout_days apply.
        terms_sha256 (str):
        terms_versions (list[TermsVersionFigures] | None): The figures per terms version, in date order: one entry
            unless an amendment took effect during the period. n, T, A, S and the cap limits above are their sums, and
            shared_before_caps the sum of their `shared` unless a loss was waived; null for settlements stored before
            amendments took effect on a date.
        definition (SettlementOutDefinition):
        inputs (SettlementOutInputs): Every input the figures depend on; `inputs_sha256` hashes it.
        inputs_sha256 (str):
        sources (None | SettlementOutSourcesType0): What the run could read, for an exact recompute: `uploads` (id,
            kind, content hash of every upload stored when it ran), `quality_report` (the version used), `terms_versions`
            (each terms version with the days it was in force), `provider_roster` (each NPI with the days it was on the
            practice's roster), `termination_date`, `settled_elsewhere` (the other arrangements' final settlements whose
            episodes were excluded), `risk_scores` (whether HCC scores were computed from claims where none was uploaded).
            null for settlements stored before it was recorded.
        created_at (datetime.datetime | None):
        finalized_at (datetime.datetime | None):
        override_reason (None | str): Why ops finalised before the claims cutoff had passed (null otherwise).
        superseded_by (None | str): The later final revision that superseded this one.
        acceptance (SettlementOutAcceptance): Each party's acceptance of the draft (null: not accepted).
        disputes (list[DisputeOut]): The parties' disputes of this revision, oldest first.
        projection (None | SettlementProjection | Unset): A preview only: the projected final settlement (claims
            completed by the ACO's own history, open episodes run to their end) with its range and the factors used; null
            otherwise. Never stored, never part of `inputs`.
    """

    id: None | str
    arrangement_id: str
    revision: int | None
    status: SettlementOutStatus
    period_start: datetime.date
    period_end: datetime.date
    claims_cutoff: datetime.date
    n_episodes: int
    n_excluded: int
    total_target: str
    total_actual: str
    savings: str
    quality_score: str
    measures: list[MeasureScore]
    shared_before_caps: str
    cap_bound: None | SettlementOutCapBoundType0
    below_min_episodes: bool
    stop_gain_limit: str
    stop_loss_limit: str
    settlement_amount: str
    delta: None | str
    delta_against: None | str
    terms_version: int
    terms_sha256: str
    terms_versions: list[TermsVersionFigures] | None
    definition: SettlementOutDefinition
    inputs: SettlementOutInputs
    inputs_sha256: str
    sources: None | SettlementOutSourcesType0
    created_at: datetime.datetime | None
    finalized_at: datetime.datetime | None
    override_reason: None | str
    superseded_by: None | str
    acceptance: SettlementOutAcceptance
    disputes: list[DisputeOut]
    projection: None | SettlementProjection | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.settlement_out_sources_type_0 import SettlementOutSourcesType0  # noqa: PLC0415
        from ..models.settlement_projection import SettlementProjection  # noqa: PLC0415

        id: None | str
        id = self.id

        arrangement_id = self.arrangement_id

        revision: int | None
        revision = self.revision

        status = self.status.value

        period_start = self.period_start.isoformat()

        period_end = self.period_end.isoformat()

        claims_cutoff = self.claims_cutoff.isoformat()

        n_episodes = self.n_episodes

        n_excluded = self.n_excluded

        total_target = self.total_target

        total_actual = self.total_actual

        savings = self.savings

        quality_score = self.quality_score

        measures = []
        for measures_item_data in self.measures:
            measures_item = measures_item_data.to_dict()
            measures.append(measures_item)

        shared_before_caps = self.shared_before_caps

        cap_bound: None | str
        if isinstance(self.cap_bound, SettlementOutCapBoundType0):
            cap_bound = self.cap_bound.value
        else:
            cap_bound = self.cap_bound

        below_min_episodes = self.below_min_episodes

        stop_gain_limit = self.stop_gain_limit

        stop_loss_limit = self.stop_loss_limit

        settlement_amount = self.settlement_amount

        delta: None | str
        delta = self.delta

        delta_against: None | str
        delta_against = self.delta_against

        terms_version = self.terms_version

        terms_sha256 = self.terms_sha256

        terms_versions: list[dict[str, Any]] | None
        if isinstance(self.terms_versions, list):
            terms_versions = []
            for terms_versions_type_0_item_data in self.terms_versions:
                terms_versions_type_0_item = terms_versions_type_0_item_data.to_dict()
                terms_versions.append(terms_versions_type_0_item)

        else:
            terms_versions = self.terms_versions

        definition = self.definition.to_dict()

        inputs = self.inputs.to_dict()

        inputs_sha256 = self.inputs_sha256

        sources: dict[str, Any] | None
        if isinstance(self.sources, SettlementOutSourcesType0):
            sources = self.sources.to_dict()
        else:
            sources = self.sources

        created_at: None | str
        if isinstance(self.created_at, datetime.datetime):
            created_at = self.created_at.isoformat()
        else:
            created_at = self.created_at

        finalized_at: None | str
        if isinstance(self.finalized_at, datetime.datetime):
            finalized_at = self.finalized_at.isoformat()
        else:
            finalized_at = self.finalized_at

        override_reason: None | str
        override_reason = self.override_reason

        superseded_by: None | str
        superseded_by = self.superseded_by

        acceptance = self.acceptance.to_dict()

        disputes = []
        for disputes_item_data in self.disputes:
            disputes_item = disputes_item_data.to_dict()
            disputes.append(disputes_item)

        projection: dict[str, Any] | None | Unset
        if isinstance(self.projection, Unset):
            projection = UNSET
        elif isinstance(self.projection, SettlementProjection):
            projection = self.projection.to_dict()
        else:
            projection = self.projection

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "arrangement_id": arrangement_id,
                "revision": revision,
                "status": status,
                "period_start": period_start,
                "period_end": period_end,
                "claims_cutoff": claims_cutoff,
                "n_episodes": n_episodes,
                "n_excluded": n_excluded,
                "total_target": total_target,
                "total_actual": total_actual,
                "savings": savings,
                "quality_score": quality_score,
                "measures": measures,
                "shared_before_caps": shared_before_caps,
                "cap_bound": cap_bound,
                "below_min_episodes": below_min_episodes,
                "stop_gain_limit": stop_gain_limit,
                "stop_loss_limit": stop_loss_limit,
                "settlement_amount": settlement_amount,
                "delta": delta,
                "delta_against": delta_against,
                "terms_version": terms_version,
                "terms_sha256": terms_sha256,
                "terms_versions": terms_versions,
                "definition": definition,
                "inputs": inputs,
                "inputs_sha256": inputs_sha256,
                "sources": sources,
                "created_at": created_at,
                "finalized_at": finalized_at,
                "override_reason": override_reason,
                "superseded_by": superseded_by,
                "acceptance": acceptance,
                "disputes": disputes,
            }
        )
        if projection is not UNSET:
            field_dict["projection"] = projection

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dispute_out import DisputeOut  # noqa: PLC0415
        from ..models.measure_score import MeasureScore  # noqa: PLC0415
        from ..models.settlement_out_acceptance import SettlementOutAcceptance  # noqa: PLC0415
        from ..models.settlement_out_definition import SettlementOutDefinition  # noqa: PLC0415
        from ..models.settlement_out_inputs import SettlementOutInputs  # noqa: PLC0415
        from ..models.settlement_out_sources_type_0 import SettlementOutSourcesType0  # noqa: PLC0415
        from ..models.settlement_projection import SettlementProjection  # noqa: PLC0415
        from ..models.terms_version_figures import TermsVersionFigures  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        id = _parse_id(d.pop("id"))

        arrangement_id = d.pop("arrangement_id")

        def _parse_revision(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        revision = _parse_revision(d.pop("revision"))

        status = SettlementOutStatus(d.pop("status"))

        period_start = datetime.date.fromisoformat(d.pop("period_start"))

        period_end = datetime.date.fromisoformat(d.pop("period_end"))

        claims_cutoff = datetime.date.fromisoformat(d.pop("claims_cutoff"))

        n_episodes = d.pop("n_episodes")

        n_excluded = d.pop("n_excluded")

        total_target = d.pop("total_target")

        total_actual = d.pop("total_actual")

        savings = d.pop("savings")

        quality_score = d.pop("quality_score")

        measures = []
        _measures = d.pop("measures")
        for measures_item_data in _measures:
            measures_item = MeasureScore.from_dict(measures_item_data)

            measures.append(measures_item)

        shared_before_caps = d.pop("shared_before_caps")

        def _parse_cap_bound(data: object) -> None | SettlementOutCapBoundType0:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cap_bound_type_0 = SettlementOutCapBoundType0(data)

                return cap_bound_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SettlementOutCapBoundType0, data)

        cap_bound = _parse_cap_bound(d.pop("cap_bound"))

        below_min_episodes = d.pop("below_min_episodes")

        stop_gain_limit = d.pop("stop_gain_limit")

        stop_loss_limit = d.pop("stop_loss_limit")

        settlement_amount = d.pop("settlement_amount")

        def _parse_delta(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        delta = _parse_delta(d.pop("delta"))

        def _parse_delta_against(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        delta_against = _parse_delta_against(d.pop("delta_against"))

        terms_version = d.pop("terms_version")

        terms_sha256 = d.pop("terms_sha256")

        def _parse_terms_versions(data: object) -> list[TermsVersionFigures] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                terms_versions_type_0 = []
                _terms_versions_type_0 = data
                for terms_versions_type_0_item_data in _terms_versions_type_0:
                    terms_versions_type_0_item = TermsVersionFigures.from_dict(terms_versions_type_0_item_data)

                    terms_versions_type_0.append(terms_versions_type_0_item)

                return terms_versions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[TermsVersionFigures] | None, data)

        terms_versions = _parse_terms_versions(d.pop("terms_versions"))

        definition = SettlementOutDefinition.from_dict(d.pop("definition"))

        inputs = SettlementOutInputs.from_dict(d.pop("inputs"))

        inputs_sha256 = d.pop("inputs_sha256")

        def _parse_sources(data: object) -> None | SettlementOutSourcesType0:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                sources_type_0 = SettlementOutSourcesType0.from_dict(data)

                return sources_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SettlementOutSourcesType0, data)

        sources = _parse_sources(d.pop("sources"))

        def _parse_created_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                created_at_type_0 = datetime.datetime.fromisoformat(data)

                return created_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        created_at = _parse_created_at(d.pop("created_at"))

        def _parse_finalized_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finalized_at_type_0 = datetime.datetime.fromisoformat(data)

                return finalized_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finalized_at = _parse_finalized_at(d.pop("finalized_at"))

        def _parse_override_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        override_reason = _parse_override_reason(d.pop("override_reason"))

        def _parse_superseded_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        superseded_by = _parse_superseded_by(d.pop("superseded_by"))

        acceptance = SettlementOutAcceptance.from_dict(d.pop("acceptance"))

        disputes = []
        _disputes = d.pop("disputes")
        for disputes_item_data in _disputes:
            disputes_item = DisputeOut.from_dict(disputes_item_data)

            disputes.append(disputes_item)

        def _parse_projection(data: object) -> None | SettlementProjection | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                projection_type_0 = SettlementProjection.from_dict(data)

                return projection_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SettlementProjection | Unset, data)

        projection = _parse_projection(d.pop("projection", UNSET))

        settlement_out = cls(
            id=id,
            arrangement_id=arrangement_id,
            revision=revision,
            status=status,
            period_start=period_start,
            period_end=period_end,
            claims_cutoff=claims_cutoff,
            n_episodes=n_episodes,
            n_excluded=n_excluded,
            total_target=total_target,
            total_actual=total_actual,
            savings=savings,
            quality_score=quality_score,
            measures=measures,
            shared_before_caps=shared_before_caps,
            cap_bound=cap_bound,
            below_min_episodes=below_min_episodes,
            stop_gain_limit=stop_gain_limit,
            stop_loss_limit=stop_loss_limit,
            settlement_amount=settlement_amount,
            delta=delta,
            delta_against=delta_against,
            terms_version=terms_version,
            terms_sha256=terms_sha256,
            terms_versions=terms_versions,
            definition=definition,
            inputs=inputs,
            inputs_sha256=inputs_sha256,
            sources=sources,
            created_at=created_at,
            finalized_at=finalized_at,
            override_reason=override_reason,
            superseded_by=superseded_by,
            acceptance=acceptance,
            disputes=disputes,
            projection=projection,
        )

        settlement_out.additional_properties = d
        return settlement_out

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
