from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.arrangement_out_status import ArrangementOutStatus

if TYPE_CHECKING:
    from ..models.episode_ref import EpisodeRef
    from ..models.period import Period
    from ..models.signature import Signature
    from ..models.terms import Terms
    from ..models.terms_days import TermsDays


T = TypeVar("T", bound="ArrangementOut")


@_attrs_define
class ArrangementOut:
    """An arrangement: its latest version's terms and signatures, and the version in force.

    Example:
        {'id': 'arr_01', 'status': 'draft', 'version': 1}

    Attributes:
        id (str):
        status (ArrangementOutStatus):
        active (bool): Executed (or terminated after today) and today within the period.
        version (int): The latest version (the one signatures are collected for).
        version_in_force (int | None): The executed version in force, if any.
        aco_id (str):
        provider_id (str):
        proposer_id (str):
        episode (EpisodeRef):  Example: {'code': 'FALLS-PREV', 'version': 1}.
        period (Period): The performance period, within 2027-01-01 .. 2036-12-31. Example: {'end': '2027-12-31',
            'start': '2027-01-01'}.
        terms (Terms): The negotiated terms of an arrangement (docs/method.md section 2). Percentages: `"12.5"` is
            12.5%. Example: {'loss_quality_relief_pct': '10', 'loss_share_pct': '25', 'min_episodes': 11,
            'performance_adjustment_pct': '20', 'price_adjustment_pct': '-2', 'quality_measures': [{'measure_id': 'Q155',
            'weight': '1'}, {'measure_id': 'Q318', 'weight': '1'}], 'runout_days': 90, 'savings_share_pct': '50',
            'stop_gain_pct': '20', 'stop_loss_pct': '20', 'target_price': '1200.00'}.
        terms_sha256 (str):
        effective_from (datetime.date): The first day the latest version's terms apply to once executed (the period's
            start unless an amendment names a later day).
        signatures (list[Signature]):
        terms_in_force (list[TermsDays]): The executed versions and the days of the period on which an episode
            triggering settles under each (several once an amendment takes effect part way through); empty until a version
            is executed.
        termination_date (datetime.date | None):
        termination_reason (None | str):
        decline_reason (None | str):
        renewal_of (None | str): The arrangement this one renews, if it is a renewal.
        renewed_by (None | str): The latest renewal proposed of this arrangement (follow it for its status), if any.
        allowed_actions (list[str]): What the caller may do now.
        created_at (datetime.datetime):
        updated_at (datetime.datetime):
    """

    id: str
    status: ArrangementOutStatus
    active: bool
    version: int
    version_in_force: int | None
    aco_id: str
    provider_id: str
    proposer_id: str
    episode: EpisodeRef
    period: Period
    terms: Terms
    terms_sha256: str
    effective_from: datetime.date
    signatures: list[Signature]
    terms_in_force: list[TermsDays]
    termination_date: datetime.date | None
    termination_reason: None | str
    decline_reason: None | str
    renewal_of: None | str
    renewed_by: None | str
    allowed_actions: list[str]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        status = self.status.value

        active = self.active

        version = self.version

        version_in_force: int | None
        version_in_force = self.version_in_force

        aco_id = self.aco_id

        provider_id = self.provider_id

        proposer_id = self.proposer_id

        episode = self.episode.to_dict()

        period = self.period.to_dict()

        terms = self.terms.to_dict()

        terms_sha256 = self.terms_sha256

        effective_from = self.effective_from.isoformat()

        signatures = []
        for signatures_item_data in self.signatures:
            signatures_item = signatures_item_data.to_dict()
            signatures.append(signatures_item)

        terms_in_force = []
        for terms_in_force_item_data in self.terms_in_force:
            terms_in_force_item = terms_in_force_item_data.to_dict()
            terms_in_force.append(terms_in_force_item)

        termination_date: None | str
        if isinstance(self.termination_date, datetime.date):
            termination_date = self.termination_date.isoformat()
        else:
            termination_date = self.termination_date

        termination_reason: None | str
        termination_reason = self.termination_reason

        decline_reason: None | str
        decline_reason = self.decline_reason

        renewal_of: None | str
        renewal_of = self.renewal_of

        renewed_by: None | str
        renewed_by = self.renewed_by

        allowed_actions = self.allowed_actions

        created_at = self.created_at.isoformat()

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "active": active,
                "version": version,
                "version_in_force": version_in_force,
                "aco_id": aco_id,
                "provider_id": provider_id,
                "proposer_id": proposer_id,
                "episode": episode,
                "period": period,
                "terms": terms,
                "terms_sha256": terms_sha256,
                "effective_from": effective_from,
                "signatures": signatures,
                "terms_in_force": terms_in_force,
                "termination_date": termination_date,
                "termination_reason": termination_reason,
                "decline_reason": decline_reason,
                "renewal_of": renewal_of,
                "renewed_by": renewed_by,
                "allowed_actions": allowed_actions,
                "created_at": created_at,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.episode_ref import EpisodeRef  # noqa: PLC0415
        from ..models.period import Period  # noqa: PLC0415
        from ..models.signature import Signature  # noqa: PLC0415
        from ..models.terms import Terms  # noqa: PLC0415
        from ..models.terms_days import TermsDays  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = ArrangementOutStatus(d.pop("status"))

        active = d.pop("active")

        version = d.pop("version")

        def _parse_version_in_force(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        version_in_force = _parse_version_in_force(d.pop("version_in_force"))

        aco_id = d.pop("aco_id")

        provider_id = d.pop("provider_id")

        proposer_id = d.pop("proposer_id")

        episode = EpisodeRef.from_dict(d.pop("episode"))

        period = Period.from_dict(d.pop("period"))

        terms = Terms.from_dict(d.pop("terms"))

        terms_sha256 = d.pop("terms_sha256")

        effective_from = datetime.date.fromisoformat(d.pop("effective_from"))

        signatures = []
        _signatures = d.pop("signatures")
        for signatures_item_data in _signatures:
            signatures_item = Signature.from_dict(signatures_item_data)

            signatures.append(signatures_item)

        terms_in_force = []
        _terms_in_force = d.pop("terms_in_force")
        for terms_in_force_item_data in _terms_in_force:
            terms_in_force_item = TermsDays.from_dict(terms_in_force_item_data)

            terms_in_force.append(terms_in_force_item)

        def _parse_termination_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                termination_date_type_0 = datetime.date.fromisoformat(data)

                return termination_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        termination_date = _parse_termination_date(d.pop("termination_date"))

        def _parse_termination_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        termination_reason = _parse_termination_reason(d.pop("termination_reason"))

        def _parse_decline_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        decline_reason = _parse_decline_reason(d.pop("decline_reason"))

        def _parse_renewal_of(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        renewal_of = _parse_renewal_of(d.pop("renewal_of"))

        def _parse_renewed_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        renewed_by = _parse_renewed_by(d.pop("renewed_by"))

        allowed_actions = cast(list[str], d.pop("allowed_actions"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        arrangement_out = cls(
            id=id,
            status=status,
            active=active,
            version=version,
            version_in_force=version_in_force,
            aco_id=aco_id,
            provider_id=provider_id,
            proposer_id=proposer_id,
            episode=episode,
            period=period,
            terms=terms,
            terms_sha256=terms_sha256,
            effective_from=effective_from,
            signatures=signatures,
            terms_in_force=terms_in_force,
            termination_date=termination_date,
            termination_reason=termination_reason,
            decline_reason=decline_reason,
            renewal_of=renewal_of,
            renewed_by=renewed_by,
            allowed_actions=allowed_actions,
            created_at=created_at,
            updated_at=updated_at,
        )

        arrangement_out.additional_properties = d
        return arrangement_out

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
