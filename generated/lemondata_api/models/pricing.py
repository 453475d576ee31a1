from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Pricing")


@_attrs_define
class Pricing:
    """Structured prices of a model; any of them may be null."""

    input_per_1m: float | None | str | Unset = UNSET
    """ Price per million input tokens. """
    output_per_1m: float | None | str | Unset = UNSET
    """ Price per million output tokens. """
    per_request: float | None | str | Unset = UNSET
    """ Price per request. """
    is_lock_price: bool | None | Unset = UNSET
    """ Whether the price is locked. """
    currency: None | str | Unset = UNSET
    """ Always `USD` today. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        input_per_1m: float | None | str | Unset
        if isinstance(self.input_per_1m, Unset):
            input_per_1m = UNSET
        else:
            input_per_1m = self.input_per_1m

        output_per_1m: float | None | str | Unset
        if isinstance(self.output_per_1m, Unset):
            output_per_1m = UNSET
        else:
            output_per_1m = self.output_per_1m

        per_request: float | None | str | Unset
        if isinstance(self.per_request, Unset):
            per_request = UNSET
        else:
            per_request = self.per_request

        is_lock_price: bool | None | Unset
        if isinstance(self.is_lock_price, Unset):
            is_lock_price = UNSET
        else:
            is_lock_price = self.is_lock_price

        currency: None | str | Unset
        if isinstance(self.currency, Unset):
            currency = UNSET
        else:
            currency = self.currency

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if input_per_1m is not UNSET:
            field_dict["input_per_1m"] = input_per_1m
        if output_per_1m is not UNSET:
            field_dict["output_per_1m"] = output_per_1m
        if per_request is not UNSET:
            field_dict["per_request"] = per_request
        if is_lock_price is not UNSET:
            field_dict["is_lock_price"] = is_lock_price
        if currency is not UNSET:
            field_dict["currency"] = currency

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_input_per_1m(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        input_per_1m = _parse_input_per_1m(d.pop("input_per_1m", UNSET))

        def _parse_output_per_1m(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        output_per_1m = _parse_output_per_1m(d.pop("output_per_1m", UNSET))

        def _parse_per_request(data: object) -> float | None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | str | Unset, data)

        per_request = _parse_per_request(d.pop("per_request", UNSET))

        def _parse_is_lock_price(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        is_lock_price = _parse_is_lock_price(d.pop("is_lock_price", UNSET))

        def _parse_currency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        currency = _parse_currency(d.pop("currency", UNSET))

        pricing = cls(
            input_per_1m=input_per_1m,
            output_per_1m=output_per_1m,
            per_request=per_request,
            is_lock_price=is_lock_price,
            currency=currency,
        )

        pricing.additional_properties = d
        return pricing

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
