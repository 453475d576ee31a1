from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="PublicContractSummary")


@_attrs_define
class PublicContractSummary:
    """A model's public operations and request endpoint."""

    public_operations: list[str] | None | Unset = UNSET
    """ The operations the model exposes publicly. """
    request_endpoint: None | str | Unset = UNSET
    """ The path to send requests to, for example `/v1/videos/generations`. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        public_operations: list[str] | None | Unset
        if isinstance(self.public_operations, Unset):
            public_operations = UNSET
        elif isinstance(self.public_operations, list):
            public_operations = self.public_operations

        else:
            public_operations = self.public_operations

        request_endpoint: None | str | Unset
        if isinstance(self.request_endpoint, Unset):
            request_endpoint = UNSET
        else:
            request_endpoint = self.request_endpoint

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if public_operations is not UNSET:
            field_dict["public_operations"] = public_operations
        if request_endpoint is not UNSET:
            field_dict["request_endpoint"] = request_endpoint

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_public_operations(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                public_operations_type_0 = cast(list[str], data)

                return public_operations_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        public_operations = _parse_public_operations(d.pop("public_operations", UNSET))

        def _parse_request_endpoint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_endpoint = _parse_request_endpoint(d.pop("request_endpoint", UNSET))

        public_contract_summary = cls(
            public_operations=public_operations,
            request_endpoint=request_endpoint,
        )

        public_contract_summary.additional_properties = d
        return public_contract_summary

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
