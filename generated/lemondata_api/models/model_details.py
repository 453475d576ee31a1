from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_details_capability_flags import ModelDetailsCapabilityFlags


T = TypeVar("T", bound="ModelDetails")


@_attrs_define
class ModelDetails:
    """LemonData's description of a model; more properties may appear."""

    category: str | Unset = UNSET
    """ For example `video` or `image`. """
    supported_operations: list[str] | Unset = UNSET
    """ The operations the model accepts (open strings; see `VideoOperation`). """
    capability_flags: ModelDetailsCapabilityFlags | Unset = UNSET
    """ Named capability switches. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        category = self.category

        supported_operations: list[str] | Unset = UNSET
        if not isinstance(self.supported_operations, Unset):
            supported_operations = self.supported_operations

        capability_flags: dict[str, Any] | Unset = UNSET
        if not isinstance(self.capability_flags, Unset):
            capability_flags = self.capability_flags.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if category is not UNSET:
            field_dict["category"] = category
        if supported_operations is not UNSET:
            field_dict["supported_operations"] = supported_operations
        if capability_flags is not UNSET:
            field_dict["capability_flags"] = capability_flags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_details_capability_flags import ModelDetailsCapabilityFlags  # noqa: PLC0415

        d = dict(src_dict)
        category = d.pop("category", UNSET)

        supported_operations = cast(list[str], d.pop("supported_operations", UNSET))

        _capability_flags = d.pop("capability_flags", UNSET)
        capability_flags: ModelDetailsCapabilityFlags | Unset
        if isinstance(_capability_flags, Unset):
            capability_flags = UNSET
        else:
            capability_flags = ModelDetailsCapabilityFlags.from_dict(_capability_flags)

        model_details = cls(
            category=category,
            supported_operations=supported_operations,
            capability_flags=capability_flags,
        )

        model_details.additional_properties = d
        return model_details

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
