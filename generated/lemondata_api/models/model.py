from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_details import ModelDetails


T = TypeVar("T", bound="Model")


@_attrs_define
class Model:
    """A model and what it can do."""

    id: str
    """ The model id to send as `model`. """
    object_: str | Unset = UNSET
    """ Always `model`. """
    created: int | None | Unset = UNSET
    """ When the model was added, unix seconds. """
    owned_by: None | str | Unset = UNSET
    """ The provider. """
    lemondata: ModelDetails | None | Unset = UNSET
    """ LemonData's description of the model. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.model_details import ModelDetails  # noqa: PLC0415

        id = self.id

        object_ = self.object_

        created: int | None | Unset
        if isinstance(self.created, Unset):
            created = UNSET
        else:
            created = self.created

        owned_by: None | str | Unset
        if isinstance(self.owned_by, Unset):
            owned_by = UNSET
        else:
            owned_by = self.owned_by

        lemondata: dict[str, Any] | None | Unset
        if isinstance(self.lemondata, Unset):
            lemondata = UNSET
        elif isinstance(self.lemondata, ModelDetails):
            lemondata = self.lemondata.to_dict()
        else:
            lemondata = self.lemondata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
            }
        )
        if object_ is not UNSET:
            field_dict["object"] = object_
        if created is not UNSET:
            field_dict["created"] = created
        if owned_by is not UNSET:
            field_dict["owned_by"] = owned_by
        if lemondata is not UNSET:
            field_dict["lemondata"] = lemondata

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_details import ModelDetails  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        object_ = d.pop("object", UNSET)

        def _parse_created(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        created = _parse_created(d.pop("created", UNSET))

        def _parse_owned_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        owned_by = _parse_owned_by(d.pop("owned_by", UNSET))

        def _parse_lemondata(data: object) -> ModelDetails | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                lemondata_type_0 = ModelDetails.from_dict(data)

                return lemondata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelDetails | None | Unset, data)

        lemondata = _parse_lemondata(d.pop("lemondata", UNSET))

        model = cls(
            id=id,
            object_=object_,
            created=created,
            owned_by=owned_by,
            lemondata=lemondata,
        )

        model.additional_properties = d
        return model

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
