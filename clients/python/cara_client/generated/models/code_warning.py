from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CodeWarning")


@_attrs_define
class CodeWarning:
    """A diagnosis code stored without a code set to check it: dated after the newest one here.

    Attributes:
        code (str): The code, without its dot.
        code_set (str): The newest code set the service has, which lacks the code.
        rows (int): How many stored rows carry it.
        first_row (int): The first of them (1 = first data row).
        message (str):
    """

    code: str
    code_set: str
    rows: int
    first_row: int
    message: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        code_set = self.code_set

        rows = self.rows

        first_row = self.first_row

        message = self.message

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "code_set": code_set,
                "rows": rows,
                "first_row": first_row,
                "message": message,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        code_set = d.pop("code_set")

        rows = d.pop("rows")

        first_row = d.pop("first_row")

        message = d.pop("message")

        code_warning = cls(
            code=code,
            code_set=code_set,
            rows=rows,
            first_row=first_row,
            message=message,
        )

        code_warning.additional_properties = d
        return code_warning

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
