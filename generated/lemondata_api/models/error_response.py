from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.error_body import ErrorBody
    from ..models.validation_error import ValidationError


T = TypeVar("T", bound="ErrorResponse")


@_attrs_define
class ErrorResponse:
    """The envelope every error response uses; a 400 may also carry top-level `validation_errors`."""

    error: ErrorBody
    """ What went wrong, with optional hints to fix it. The docs call `type`,
    `code` and `param` always present, but their own examples often omit
    `param`, sometimes `code` and once `type`: only `message` can be relied
    on. Switch on the HTTP status and `code`; honour `retryable: false`.
     """
    validation_errors: list[ValidationError] | None | Unset = UNSET
    """ One entry per invalid field, on some 400 answers. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        error = self.error.to_dict()

        validation_errors: list[dict[str, Any]] | None | Unset
        if isinstance(self.validation_errors, Unset):
            validation_errors = UNSET
        elif isinstance(self.validation_errors, list):
            validation_errors = []
            for validation_errors_type_0_item_data in self.validation_errors:
                validation_errors_type_0_item = (
                    validation_errors_type_0_item_data.to_dict()
                )
                validation_errors.append(validation_errors_type_0_item)

        else:
            validation_errors = self.validation_errors

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "error": error,
            }
        )
        if validation_errors is not UNSET:
            field_dict["validation_errors"] = validation_errors

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.error_body import ErrorBody  # noqa: PLC0415
        from ..models.validation_error import ValidationError  # noqa: PLC0415

        d = dict(src_dict)
        error = ErrorBody.from_dict(d.pop("error"))

        def _parse_validation_errors(
            data: object,
        ) -> list[ValidationError] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                validation_errors_type_0 = []
                _validation_errors_type_0 = data
                for validation_errors_type_0_item_data in _validation_errors_type_0:
                    validation_errors_type_0_item = ValidationError.from_dict(
                        validation_errors_type_0_item_data
                    )

                    validation_errors_type_0.append(validation_errors_type_0_item)

                return validation_errors_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ValidationError] | None | Unset, data)

        validation_errors = _parse_validation_errors(d.pop("validation_errors", UNSET))

        error_response = cls(
            error=error,
            validation_errors=validation_errors,
        )

        error_response.additional_properties = d
        return error_response

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
