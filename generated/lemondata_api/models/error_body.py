from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_suggestion import ErrorSuggestion


T = TypeVar("T", bound="ErrorBody")


@_attrs_define
class ErrorBody:
    """What went wrong, with optional hints to fix it."""

    message: str
    """ Human-readable explanation. """
    type_: str
    """ Error family, for example `invalid_request_error`. """
    code: None | str
    """ Machine-readable code, for example `model_not_found`. """
    param: None | str
    """ The request field at fault, if any. """
    did_you_mean: None | str | Unset = UNSET
    """ The closest valid value, for a misspelt model id. """
    suggestions: list[ErrorSuggestion] | None | Unset = UNSET
    """ Alternatives to try. """
    hint: None | str | Unset = UNSET
    """ How to fix the request. """
    retryable: bool | None | Unset = UNSET
    """ Whether the same request may succeed later. """
    retry_after: float | None | Unset = UNSET
    """ Seconds to wait before retrying. """
    balance_usd: float | None | Unset = UNSET
    """ The account balance, on 402. """
    estimated_cost_usd: float | None | Unset = UNSET
    """ What the request would have cost, on 402. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        type_ = self.type_

        code: None | str
        code = self.code

        param: None | str
        param = self.param

        did_you_mean: None | str | Unset
        if isinstance(self.did_you_mean, Unset):
            did_you_mean = UNSET
        else:
            did_you_mean = self.did_you_mean

        suggestions: list[dict[str, Any]] | None | Unset
        if isinstance(self.suggestions, Unset):
            suggestions = UNSET
        elif isinstance(self.suggestions, list):
            suggestions = []
            for suggestions_type_0_item_data in self.suggestions:
                suggestions_type_0_item = suggestions_type_0_item_data.to_dict()
                suggestions.append(suggestions_type_0_item)

        else:
            suggestions = self.suggestions

        hint: None | str | Unset
        if isinstance(self.hint, Unset):
            hint = UNSET
        else:
            hint = self.hint

        retryable: bool | None | Unset
        if isinstance(self.retryable, Unset):
            retryable = UNSET
        else:
            retryable = self.retryable

        retry_after: float | None | Unset
        if isinstance(self.retry_after, Unset):
            retry_after = UNSET
        else:
            retry_after = self.retry_after

        balance_usd: float | None | Unset
        if isinstance(self.balance_usd, Unset):
            balance_usd = UNSET
        else:
            balance_usd = self.balance_usd

        estimated_cost_usd: float | None | Unset
        if isinstance(self.estimated_cost_usd, Unset):
            estimated_cost_usd = UNSET
        else:
            estimated_cost_usd = self.estimated_cost_usd

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
                "type": type_,
                "code": code,
                "param": param,
            }
        )
        if did_you_mean is not UNSET:
            field_dict["did_you_mean"] = did_you_mean
        if suggestions is not UNSET:
            field_dict["suggestions"] = suggestions
        if hint is not UNSET:
            field_dict["hint"] = hint
        if retryable is not UNSET:
            field_dict["retryable"] = retryable
        if retry_after is not UNSET:
            field_dict["retry_after"] = retry_after
        if balance_usd is not UNSET:
            field_dict["balance_usd"] = balance_usd
        if estimated_cost_usd is not UNSET:
            field_dict["estimated_cost_usd"] = estimated_cost_usd

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_suggestion import ErrorSuggestion  # noqa: PLC0415

        d = dict(src_dict)
        message = d.pop("message")

        type_ = d.pop("type")

        def _parse_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        code = _parse_code(d.pop("code"))

        def _parse_param(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        param = _parse_param(d.pop("param"))

        def _parse_did_you_mean(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        did_you_mean = _parse_did_you_mean(d.pop("did_you_mean", UNSET))

        def _parse_suggestions(data: object) -> list[ErrorSuggestion] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                suggestions_type_0 = []
                _suggestions_type_0 = data
                for suggestions_type_0_item_data in _suggestions_type_0:
                    suggestions_type_0_item = ErrorSuggestion.from_dict(
                        suggestions_type_0_item_data
                    )

                    suggestions_type_0.append(suggestions_type_0_item)

                return suggestions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ErrorSuggestion] | None | Unset, data)

        suggestions = _parse_suggestions(d.pop("suggestions", UNSET))

        def _parse_hint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        hint = _parse_hint(d.pop("hint", UNSET))

        def _parse_retryable(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        retryable = _parse_retryable(d.pop("retryable", UNSET))

        def _parse_retry_after(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        retry_after = _parse_retry_after(d.pop("retry_after", UNSET))

        def _parse_balance_usd(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        balance_usd = _parse_balance_usd(d.pop("balance_usd", UNSET))

        def _parse_estimated_cost_usd(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        estimated_cost_usd = _parse_estimated_cost_usd(
            d.pop("estimated_cost_usd", UNSET)
        )

        error_body = cls(
            message=message,
            type_=type_,
            code=code,
            param=param,
            did_you_mean=did_you_mean,
            suggestions=suggestions,
            hint=hint,
            retryable=retryable,
            retry_after=retry_after,
            balance_usd=balance_usd,
            estimated_cost_usd=estimated_cost_usd,
        )

        error_body.additional_properties = d
        return error_body

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
