from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.alignment_row_out_status_on_as_of import AlignmentRowOutStatusOnAsOf

T = TypeVar("T", bound="AlignmentRowOut")


@_attrs_define
class AlignmentRowOut:
    """One alignment row as uploaded, with what it says about the day asked about.

    Example:
        {'aco_id': 'org_01JD7Q5Z0000000000000001', 'aligned_from': '2027-01-01', 'aligned_through': '2027-06-30',
            'as_of': '2027-08-15', 'birth_date': '1948-05-17', 'current': True, 'dual_status': False, 'entitlement_reason':
            '0', 'esrd': False, 'hcc_score': '1.137', 'mbi': '1EG4TE5MK73', 'sex': 'F', 'status_on_as_of':
            'alignment_ended', 'upload_id': 'upl_01JD7Q5Z0000000000000005', 'uploaded_at': '2027-04-02T09:00:00Z'}

    Attributes:
        aco_id (str):
        mbi (str):
        upload_id (str):
        uploaded_at (datetime.datetime):
        current (bool): The row that counts now: the latest uploaded by this ACO for this MBI (episodes and settlements
            read it; the earlier rows are history).
        birth_date (datetime.date):
        sex (str):
        dual_status (bool):
        hcc_score (None | str): Null: 1.0.
        aligned_from (datetime.date):
        aligned_through (datetime.date | None):
        esrd (bool):
        hospice_start (datetime.date | None):
        death_date (datetime.date | None):
        entitlement_reason (None | str): Original reason for Medicare entitlement (OREC): `0` age, `1` disability, `2`
            ESRD, `3` disability and ESRD; null when not sent.
        as_of (datetime.date):
        status_on_as_of (AlignmentRowOutStatusOnAsOf): What this row says about `as_of`: `aligned` (a service that day
            may open an episode), else the first reason it may not: `not_yet_aligned` (before `aligned_from`),
            `alignment_ended` (after `aligned_through`), `esrd`, `in_hospice` (on or after `hospice_start`), `deceased` (on
            or after `death_date`). An episode is excluded as not aligned when the current row's status on the episode's end
            date is `alignment_ended`.
    """

    aco_id: str
    mbi: str
    upload_id: str
    uploaded_at: datetime.datetime
    current: bool
    birth_date: datetime.date
    sex: str
    dual_status: bool
    hcc_score: None | str
    aligned_from: datetime.date
    aligned_through: datetime.date | None
    esrd: bool
    hospice_start: datetime.date | None
    death_date: datetime.date | None
    entitlement_reason: None | str
    as_of: datetime.date
    status_on_as_of: AlignmentRowOutStatusOnAsOf
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        aco_id = self.aco_id

        mbi = self.mbi

        upload_id = self.upload_id

        uploaded_at = self.uploaded_at.isoformat()

        current = self.current

        birth_date = self.birth_date.isoformat()

        sex = self.sex

        dual_status = self.dual_status

        hcc_score: None | str
        hcc_score = self.hcc_score

        aligned_from = self.aligned_from.isoformat()

        aligned_through: None | str
        if isinstance(self.aligned_through, datetime.date):
            aligned_through = self.aligned_through.isoformat()
        else:
            aligned_through = self.aligned_through

        esrd = self.esrd

        hospice_start: None | str
        if isinstance(self.hospice_start, datetime.date):
            hospice_start = self.hospice_start.isoformat()
        else:
            hospice_start = self.hospice_start

        death_date: None | str
        if isinstance(self.death_date, datetime.date):
            death_date = self.death_date.isoformat()
        else:
            death_date = self.death_date

        entitlement_reason: None | str
        entitlement_reason = self.entitlement_reason

        as_of = self.as_of.isoformat()

        status_on_as_of = self.status_on_as_of.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "aco_id": aco_id,
                "mbi": mbi,
                "upload_id": upload_id,
                "uploaded_at": uploaded_at,
                "current": current,
                "birth_date": birth_date,
                "sex": sex,
                "dual_status": dual_status,
                "hcc_score": hcc_score,
                "aligned_from": aligned_from,
                "aligned_through": aligned_through,
                "esrd": esrd,
                "hospice_start": hospice_start,
                "death_date": death_date,
                "entitlement_reason": entitlement_reason,
                "as_of": as_of,
                "status_on_as_of": status_on_as_of,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        aco_id = d.pop("aco_id")

        mbi = d.pop("mbi")

        upload_id = d.pop("upload_id")

        uploaded_at = datetime.datetime.fromisoformat(d.pop("uploaded_at"))

        current = d.pop("current")

        birth_date = datetime.date.fromisoformat(d.pop("birth_date"))

        sex = d.pop("sex")

        dual_status = d.pop("dual_status")

        def _parse_hcc_score(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        hcc_score = _parse_hcc_score(d.pop("hcc_score"))

        aligned_from = datetime.date.fromisoformat(d.pop("aligned_from"))

        def _parse_aligned_through(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                aligned_through_type_0 = datetime.date.fromisoformat(data)

                return aligned_through_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        aligned_through = _parse_aligned_through(d.pop("aligned_through"))

        esrd = d.pop("esrd")

        def _parse_hospice_start(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                hospice_start_type_0 = datetime.date.fromisoformat(data)

                return hospice_start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        hospice_start = _parse_hospice_start(d.pop("hospice_start"))

        def _parse_death_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                death_date_type_0 = datetime.date.fromisoformat(data)

                return death_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        death_date = _parse_death_date(d.pop("death_date"))

        def _parse_entitlement_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        entitlement_reason = _parse_entitlement_reason(d.pop("entitlement_reason"))

        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        status_on_as_of = AlignmentRowOutStatusOnAsOf(d.pop("status_on_as_of"))

        alignment_row_out = cls(
            aco_id=aco_id,
            mbi=mbi,
            upload_id=upload_id,
            uploaded_at=uploaded_at,
            current=current,
            birth_date=birth_date,
            sex=sex,
            dual_status=dual_status,
            hcc_score=hcc_score,
            aligned_from=aligned_from,
            aligned_through=aligned_through,
            esrd=esrd,
            hospice_start=hospice_start,
            death_date=death_date,
            entitlement_reason=entitlement_reason,
            as_of=as_of,
            status_on_as_of=status_on_as_of,
        )

        alignment_row_out.additional_properties = d
        return alignment_row_out

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
