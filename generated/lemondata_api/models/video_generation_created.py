from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.task_error import TaskError
    from ..models.video import Video


T = TypeVar("T", bound="VideoGenerationCreated")


@_attrs_define
class VideoGenerationCreated:
    """The answer to a create request. The task identity comes as `id`
    (canonical) and/or `task_id`; they are the same. Older revisions send
    `created_at` and may omit `poll_url`. When a result is already
    available the answer may carry it.

    """

    status: str
    """ The task's state. Known values: `pending`, `processing`, `completed`,
    `failed`. The service may add values without notice, so this is an open
    string: treat an unknown value as "not finished yet", except the
    terminal ones the docs name (`expired`, `cancelled`).
     """
    id: str | Unset = UNSET
    """ The task id (canonical name). """
    task_id: str | Unset = UNSET
    """ The same identifier as `id`. """
    poll_url: str | Unset = UNSET
    """ The exact path to poll for this task, for example `/v1/tasks/video_abc123`. """
    model: str | Unset = UNSET
    """ Model used. """
    created: int | None | Unset = UNSET
    """ Creation time, unix seconds. """
    created_at: int | None | Unset = UNSET
    """ Creation time, unix seconds (older revisions). """
    billing_transaction_id: None | str | Unset = UNSET
    """ Set once the cost is settled. """
    video_url: None | str | Unset = UNSET
    """ The result, when already available. """
    video: None | Unset | Video = UNSET
    """ The result with its metadata, when already available. """
    videos: list[Video] | None | Unset = UNSET
    """ Every result, when already available. """
    error: None | str | TaskError | Unset = UNSET
    """ Why the task failed, when it already failed. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.task_error import TaskError  # noqa: PLC0415
        from ..models.video import Video  # noqa: PLC0415

        status = self.status

        id = self.id

        task_id = self.task_id

        poll_url = self.poll_url

        model = self.model

        created: int | None | Unset
        if isinstance(self.created, Unset):
            created = UNSET
        else:
            created = self.created

        created_at: int | None | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        else:
            created_at = self.created_at

        billing_transaction_id: None | str | Unset
        if isinstance(self.billing_transaction_id, Unset):
            billing_transaction_id = UNSET
        else:
            billing_transaction_id = self.billing_transaction_id

        video_url: None | str | Unset
        if isinstance(self.video_url, Unset):
            video_url = UNSET
        else:
            video_url = self.video_url

        video: dict[str, Any] | None | Unset
        if isinstance(self.video, Unset):
            video = UNSET
        elif isinstance(self.video, Video):
            video = self.video.to_dict()
        else:
            video = self.video

        videos: list[dict[str, Any]] | None | Unset
        if isinstance(self.videos, Unset):
            videos = UNSET
        elif isinstance(self.videos, list):
            videos = []
            for videos_type_0_item_data in self.videos:
                videos_type_0_item = videos_type_0_item_data.to_dict()
                videos.append(videos_type_0_item)

        else:
            videos = self.videos

        error: dict[str, Any] | None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, TaskError):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if task_id is not UNSET:
            field_dict["task_id"] = task_id
        if poll_url is not UNSET:
            field_dict["poll_url"] = poll_url
        if model is not UNSET:
            field_dict["model"] = model
        if created is not UNSET:
            field_dict["created"] = created
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if billing_transaction_id is not UNSET:
            field_dict["billing_transaction_id"] = billing_transaction_id
        if video_url is not UNSET:
            field_dict["video_url"] = video_url
        if video is not UNSET:
            field_dict["video"] = video
        if videos is not UNSET:
            field_dict["videos"] = videos
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.task_error import TaskError  # noqa: PLC0415
        from ..models.video import Video  # noqa: PLC0415

        d = dict(src_dict)
        status = d.pop("status")

        id = d.pop("id", UNSET)

        task_id = d.pop("task_id", UNSET)

        poll_url = d.pop("poll_url", UNSET)

        model = d.pop("model", UNSET)

        def _parse_created(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        created = _parse_created(d.pop("created", UNSET))

        def _parse_created_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        created_at = _parse_created_at(d.pop("created_at", UNSET))

        def _parse_billing_transaction_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        billing_transaction_id = _parse_billing_transaction_id(
            d.pop("billing_transaction_id", UNSET)
        )

        def _parse_video_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        video_url = _parse_video_url(d.pop("video_url", UNSET))

        def _parse_video(data: object) -> None | Unset | Video:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                video_type_0 = Video.from_dict(data)

                return video_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | Video, data)

        video = _parse_video(d.pop("video", UNSET))

        def _parse_videos(data: object) -> list[Video] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                videos_type_0 = []
                _videos_type_0 = data
                for videos_type_0_item_data in _videos_type_0:
                    videos_type_0_item = Video.from_dict(videos_type_0_item_data)

                    videos_type_0.append(videos_type_0_item)

                return videos_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Video] | None | Unset, data)

        videos = _parse_videos(d.pop("videos", UNSET))

        def _parse_error(data: object) -> None | str | TaskError | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_1 = TaskError.from_dict(data)

                return error_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | str | TaskError | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        video_generation_created = cls(
            status=status,
            id=id,
            task_id=task_id,
            poll_url=poll_url,
            model=model,
            created=created,
            created_at=created_at,
            billing_transaction_id=billing_transaction_id,
            video_url=video_url,
            video=video,
            videos=videos,
            error=error,
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
