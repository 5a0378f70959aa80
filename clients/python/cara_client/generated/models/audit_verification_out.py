from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.chain_verification_out import ChainVerificationOut
    from ..models.finding_out import FindingOut


T = TypeVar("T", bound="AuditVerificationOut")


@_attrs_define
class AuditVerificationOut:
    """The chain, every signed terms version and every final settlement, checked.

    Example:
        {'chain': {'events': 1204, 'ok': True}, 'findings': [{'problem': 'its figures or lines differ from the digest
            recorded in the audit chain when it was finalised: they were changed afterwards', 'resource_id':
            'stl_01JD7Q5Z0000000000000000S1', 'resource_type': 'settlement'}], 'ok': False, 'settlements_checked': 5,
            'settlements_unsealed': 0, 'terms_versions_checked': 12}

    Attributes:
        ok (bool): The chain is intact and nothing was found altered.
        chain (ChainVerificationOut):
        terms_versions_checked (int):
        settlements_checked (int): Final and superseded settlements checked.
        settlements_unsealed (int): Of those, finalised before digests were recorded: nothing to compare them with.
        findings (list[FindingOut]):
    """

    ok: bool
    chain: ChainVerificationOut
    terms_versions_checked: int
    settlements_checked: int
    settlements_unsealed: int
    findings: list[FindingOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ok = self.ok

        chain = self.chain.to_dict()

        terms_versions_checked = self.terms_versions_checked

        settlements_checked = self.settlements_checked

        settlements_unsealed = self.settlements_unsealed

        findings = []
        for findings_item_data in self.findings:
            findings_item = findings_item_data.to_dict()
            findings.append(findings_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ok": ok,
                "chain": chain,
                "terms_versions_checked": terms_versions_checked,
                "settlements_checked": settlements_checked,
                "settlements_unsealed": settlements_unsealed,
                "findings": findings,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.chain_verification_out import ChainVerificationOut  # noqa: PLC0415
        from ..models.finding_out import FindingOut  # noqa: PLC0415

        d = dict(src_dict)
        ok = d.pop("ok")

        chain = ChainVerificationOut.from_dict(d.pop("chain"))

        terms_versions_checked = d.pop("terms_versions_checked")

        settlements_checked = d.pop("settlements_checked")

        settlements_unsealed = d.pop("settlements_unsealed")

        findings = []
        _findings = d.pop("findings")
        for findings_item_data in _findings:
            findings_item = FindingOut.from_dict(findings_item_data)

            findings.append(findings_item)

        audit_verification_out = cls(
            ok=ok,
            chain=chain,
            terms_versions_checked=terms_versions_checked,
            settlements_checked=settlements_checked,
            settlements_unsealed=settlements_unsealed,
            findings=findings,
        )

        audit_verification_out.additional_properties = d
        return audit_verification_out

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
