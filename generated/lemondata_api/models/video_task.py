from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_result import ImageResult
    from ..models.task_error import TaskError
    from ..models.video import Video


T = TypeVar("T", bound="VideoTask")


@_attrs_define
class VideoTask:
    """An asynchronous task. Every field is "when available". The canonical
    path answers with `id` and `created`; the legacy path answered with
    `task_id`, `created_at` and `completed_at`. Unknown properties may
    appear at any level.

    """

    status: str
    """ The task's state. Known values: `pending`, `processing`, `completed`,
    `failed`. The service may add values without notice, so this is an open
    string: treat an unknown value as "not finished yet", except the
    terminal ones the docs name (`expired`, `cancelled`).
     """
    id: str | Unset = UNSET
    """ The task id. """
    task_id: str | Unset = UNSET
    """ The task id, under its other name. """
    poll_url: str | Unset = UNSET
    """ The exact URL to poll for this task. """
    progress: float | None | Unset = UNSET
    """ Percent complete, when the provider reports it. """
    video_url: None | str | Unset = UNSET
    """ The result, once completed. """
    video: None | Unset | Video = UNSET
    """ The result with its metadata, when available. """
    videos: list[Video] | None | Unset = UNSET
    """ Every result, when the task has more than one. """
    data: list[ImageResult] | None | Unset = UNSET
    """ Image tasks put their results here. """
    error: None | str | TaskError | Unset = UNSET
    """ Why the task failed, when it failed (a string; an object `{code, message}` in an older openapi.json). """
    model: None | str | Unset = UNSET
    """ The model the task runs on. """
    created: int | None | Unset = UNSET
    """ Creation time, unix seconds. """
    updated: int | None | Unset = UNSET
    """ Time of the last change, unix seconds. """
    created_at: int | None | Unset = UNSET
    """ Creation time, unix seconds (legacy path). """
    completed_at: int | None | Unset = UNSET
    """ Completion time, unix seconds (legacy path). """
    billing_transaction_id: None | str | Unset = UNSET
    """ Set once the cost is settled. """
    cancelled: bool | None | Unset = UNSET
    """ True when the task was cancelled (its status is then `failed`). """
    cancellation_status: None | str | Unset = UNSET
    """ `cancelled` once a cancel took effect. """
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.task_error import TaskError  # noqa: PLC0415
        from ..models.video import Video  # noqa: PLC0415

        status = self.status

        id = self.id

        task_id = self.task_id

        poll_url = self.poll_url

        progress: float | None | Unset
        if isinstance(self.progress, Unset):
            progress = UNSET
        else:
            progress = self.progress

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

        data: list[dict[str, Any]] | None | Unset
        if isinstance(self.data, Unset):
            data = UNSET
        elif isinstance(self.data, list):
            data = []
            for data_type_0_item_data in self.data:
                data_type_0_item = data_type_0_item_data.to_dict()
                data.append(data_type_0_item)

        else:
            data = self.data

        error: dict[str, Any] | None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, TaskError):
            error = self.error.to_dict()
        else:
            error = self.error

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        created: int | None | Unset
        if isinstance(self.created, Unset):
            created = UNSET
        else:
            created = self.created

        updated: int | None | Unset
        if isinstance(self.updated, Unset):
            updated = UNSET
        else:
            updated = self.updated

        created_at: int | None | Unset
        if isinstance(self.created_at, Unset):
            created_at = UNSET
        else:
            created_at = self.created_at

        completed_at: int | None | Unset
        if isinstance(self.completed_at, Unset):
            completed_at = UNSET
        else:
            completed_at = self.completed_at

        billing_transaction_id: None | str | Unset
        if isinstance(self.billing_transaction_id, Unset):
            billing_transaction_id = UNSET
        else:
            billing_transaction_id = self.billing_transaction_id

        cancelled: bool | None | Unset
        if isinstance(self.cancelled, Unset):
            cancelled = UNSET
        else:
            cancelled = self.cancelled

        cancellation_status: None | str | Unset
        if isinstance(self.cancellation_status, Unset):
            cancellation_status = UNSET
        else:
            cancellation_status = self.cancellation_status

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
        if progress is not UNSET:
            field_dict["progress"] = progress
        if video_url is not UNSET:
            field_dict["video_url"] = video_url
        if video is not UNSET:
            field_dict["video"] = video
        if videos is not UNSET:
            field_dict["videos"] = videos
        if data is not UNSET:
            field_dict["data"] = data
        if error is not UNSET:
            field_dict["error"] = error
        if model is not UNSET:
            field_dict["model"] = model
        if created is not UNSET:
            field_dict["created"] = created
        if updated is not UNSET:
            field_dict["updated"] = updated
        if created_at is not UNSET:
            field_dict["created_at"] = created_at
        if completed_at is not UNSET:
            field_dict["completed_at"] = completed_at
        if billing_transaction_id is not UNSET:
            field_dict["billing_transaction_id"] = billing_transaction_id
        if cancelled is not UNSET:
            field_dict["cancelled"] = cancelled
        if cancellation_status is not UNSET:
            field_dict["cancellation_status"] = cancellation_status

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_result import ImageResult  # noqa: PLC0415
        from ..models.task_error import TaskError  # noqa: PLC0415
        from ..models.video import Video  # noqa: PLC0415

        d = dict(src_dict)
        status = d.pop("status")

        id = d.pop("id", UNSET)

        task_id = d.pop("task_id", UNSET)

        poll_url = d.pop("poll_url", UNSET)

        def _parse_progress(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        progress = _parse_progress(d.pop("progress", UNSET))

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

        def _parse_data(data: object) -> list[ImageResult] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                data_type_0 = []
                _data_type_0 = data
                for data_type_0_item_data in _data_type_0:
                    data_type_0_item = ImageResult.from_dict(data_type_0_item_data)

                    data_type_0.append(data_type_0_item)

                return data_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ImageResult] | None | Unset, data)

        data = _parse_data(d.pop("data", UNSET))

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

        def _parse_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        def _parse_created(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        created = _parse_created(d.pop("created", UNSET))

        def _parse_updated(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        updated = _parse_updated(d.pop("updated", UNSET))

        def _parse_created_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        created_at = _parse_created_at(d.pop("created_at", UNSET))

        def _parse_completed_at(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        completed_at = _parse_completed_at(d.pop("completed_at", UNSET))

        def _parse_billing_transaction_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        billing_transaction_id = _parse_billing_transaction_id(
            d.pop("billing_transaction_id", UNSET)
        )

        def _parse_cancelled(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        cancelled = _parse_cancelled(d.pop("cancelled", UNSET))

        def _parse_cancellation_status(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        cancellation_status = _parse_cancellation_status(
            d.pop("cancellation_status", UNSET)
        )

        video_task = cls(
            status=status,
            id=id,
            task_id=task_id,
            poll_url=poll_url,
            progress=progress,
            video_url=video_url,
            video=video,
            videos=videos,
            data=data,
            error=error,
            model=model,
            created=created,
            updated=updated,
            created_at=created_at,
            completed_at=completed_at,
            billing_transaction_id=billing_transaction_id,
            cancelled=cancelled,
            cancellation_status=cancellation_status,
        )

        video_task.additional_properties = d
        return video_task

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
