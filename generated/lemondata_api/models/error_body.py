from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_alternative import ErrorAlternative
    from ..models.error_suggestion import ErrorSuggestion


T = TypeVar("T", bound="ErrorBody")


@_attrs_define
class ErrorBody:
    """What went wrong, with optional hints to fix it. The docs call `type`,
    `code` and `param` always present, but their own examples often omit
    `param`, sometimes `code` and once `type`: only `message` can be relied
    on. Switch on the HTTP status and `code`; honour `retryable: false`.

    """

    message: str
    """ Human-readable explanation. """
    type_: None | str | Unset = UNSET
    """ Error family, for example `invalid_request_error`. """
    code: None | str | Unset = UNSET
    """ Machine-readable code, for example `model_not_found`. """
    param: None | str | Unset = UNSET
    """ The request field at fault, if any. """
    did_you_mean: None | str | Unset = UNSET
    """ The closest valid value, for a misspelt model id. """
    suggestions: list[ErrorSuggestion] | None | Unset = UNSET
    """ Alternatives to try. """
    alternatives: list[ErrorAlternative] | None | Unset = UNSET
    """ Currently available alternative models. """
    hint: None | str | Unset = UNSET
    """ How to fix the request. """
    retryable: bool | None | Unset = UNSET
    """ Whether the same request may succeed later; `false` means do not retry. """
    retry_after: float | None | Unset = UNSET
    """ Seconds to wait before retrying. """
    balance_usd: float | None | Unset = UNSET
    """ The account balance, on 402. """
    estimated_cost_usd: float | None | Unset = UNSET
    """ What the request would have cost, on 402. """
    upstream: Any | Unset = UNSET
    """ What the upstream provider answered, on 502 (its shape is not documented). """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message = self.message

        type_: None | str | Unset
        if isinstance(self.type_, Unset):
            type_ = UNSET
        else:
            type_ = self.type_

        code: None | str | Unset
        if isinstance(self.code, Unset):
            code = UNSET
        else:
            code = self.code

        param: None | str | Unset
        if isinstance(self.param, Unset):
            param = UNSET
        else:
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

        alternatives: list[dict[str, Any]] | None | Unset
        if isinstance(self.alternatives, Unset):
            alternatives = UNSET
        elif isinstance(self.alternatives, list):
            alternatives = []
            for alternatives_type_0_item_data in self.alternatives:
                alternatives_type_0_item = alternatives_type_0_item_data.to_dict()
                alternatives.append(alternatives_type_0_item)

        else:
            alternatives = self.alternatives

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

        upstream = self.upstream

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "message": message,
            }
        )
        if type_ is not UNSET:
            field_dict["type"] = type_
        if code is not UNSET:
            field_dict["code"] = code
        if param is not UNSET:
            field_dict["param"] = param
        if did_you_mean is not UNSET:
            field_dict["did_you_mean"] = did_you_mean
        if suggestions is not UNSET:
            field_dict["suggestions"] = suggestions
        if alternatives is not UNSET:
            field_dict["alternatives"] = alternatives
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
        if upstream is not UNSET:
            field_dict["upstream"] = upstream

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_alternative import ErrorAlternative  # noqa: PLC0415
        from ..models.error_suggestion import ErrorSuggestion  # noqa: PLC0415

        d = dict(src_dict)
        message = d.pop("message")

        def _parse_type_(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        type_ = _parse_type_(d.pop("type", UNSET))

        def _parse_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        code = _parse_code(d.pop("code", UNSET))

        def _parse_param(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        param = _parse_param(d.pop("param", UNSET))

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

        def _parse_alternatives(data: object) -> list[ErrorAlternative] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                alternatives_type_0 = []
                _alternatives_type_0 = data
                for alternatives_type_0_item_data in _alternatives_type_0:
                    alternatives_type_0_item = ErrorAlternative.from_dict(
                        alternatives_type_0_item_data
                    )

                    alternatives_type_0.append(alternatives_type_0_item)

                return alternatives_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ErrorAlternative] | None | Unset, data)

        alternatives = _parse_alternatives(d.pop("alternatives", UNSET))

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

        upstream = d.pop("upstream", UNSET)

        error_body = cls(
            message=message,
            type_=type_,
            code=code,
            param=param,
            did_you_mean=did_you_mean,
            suggestions=suggestions,
            alternatives=alternatives,
            hint=hint,
            retryable=retryable,
            retry_after=retry_after,
            balance_usd=balance_usd,
            estimated_cost_usd=estimated_cost_usd,
            upstream=upstream,
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
