from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="VideoGenerationCreated")


@_attrs_define
class VideoGenerationCreated:
    """The answer to a create request. The task identity may come as `task_id` or `id`; they are the same."""

    status: str
    """ The task's state. Known values: `pending`, `processing`, `completed`,
    `failed`. The service may add values without notice, so this is an open
    string: treat an unknown value as "not finished yet".
     """
    task_id: str | Unset = UNSET
    """ Unique task identifier for polling. """
    id: str | Unset = UNSET
    """ The same identifier as `task_id`, under the name some responses use. """
    poll_url: str | Unset = UNSET
    """ Recommended polling URL for this task. Use this exact path when checking status. """
    model: str | Unset = UNSET
    """ Model used. """
    created_at: int | Unset = UNSET
    """ Creation time, unix seconds. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        task_id = self.task_id

        id = self.id

        poll_url = self.poll_url

        model = self.model

        created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if id is not UNSET:
            field_dict["id"] = id
        if poll_url is not UNSET:
            field_dict["poll_url"] = poll_url
        if model is not UNSET:
            field_dict["model"] = model
        if created_at is not UNSET:
            field_dict["created_at"] = created_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        status = d.pop("status")

        task_id = d.pop("task_id", UNSET)

        id = d.pop("id", UNSET)

        poll_url = d.pop("poll_url", UNSET)

        model = d.pop("model", UNSET)

        created_at = d.pop("created_at", UNSET)

        video_generation_created = cls(
            status=status,
            task_id=task_id,
            id=id,
            poll_url=poll_url,
            model=model,
            created_at=created_at,
        )

        video_generation_created.additional_properties = d
        return video_generation_created

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
