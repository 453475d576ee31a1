"""Task, Video and TaskStatus: the immutable view of a task that users hold."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class TaskStatus(enum.Enum):
    """A task's state; `UNKNOWN` stands for any value the SDK does not know yet.

    The raw statuses the docs name as terminal besides these, `cancelled` and `expired`,
    parse as `FAILED` (the task's `cancelled` or `expired` then says which); any other
    unknown value is `UNKNOWN`, which a wait keeps polling.
    """

    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, raw: object) -> TaskStatus:
        """Map a raw status string to a member; anything unknown is `UNKNOWN`."""
        if isinstance(raw, str):
            return _STATUS_BY_VALUE.get(raw) or _STATUS_BY_VALUE.get(raw.lower(), cls.UNKNOWN)
        return cls.UNKNOWN

    @property
    def is_terminal(self) -> bool:
        """True for `completed` and `failed`: the task will not change again."""
        return self in (TaskStatus.COMPLETED, TaskStatus.FAILED)


# Every poll parses a status: a dict lookup instead of the Enum call and its ValueError.
_STATUS_BY_VALUE: dict[str, TaskStatus] = {member.value: member for member in TaskStatus}
_STATUS_BY_VALUE.update({"cancelled": TaskStatus.FAILED, "expired": TaskStatus.FAILED})


@dataclass(frozen=True, slots=True)
class Video:
    """One output video."""

    url: str
    duration: float | None = None
    width: int | None = None
    height: int | None = None


def _num(value: object) -> float | None:
    """A finite number, or None (also for NaN, infinities and integers no float holds)."""
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _int(value: object) -> int | None:
    number = _num(value)
    return int(number) if number is not None else None


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _video(value: object) -> Video | None:
    if isinstance(value, str) and value:
        return Video(url=value)
    if isinstance(value, Mapping) and _str(value.get("url")):
        return Video(
            url=str(value["url"]),
            duration=_num(value.get("duration")),
            width=_int(value.get("width")),
            height=_int(value.get("height")),
        )
    return None


def _videos(payload: Mapping[str, Any]) -> tuple[Video, ...]:
    """Every output, from `videos[]`, `video` and `video_url`, without duplicates."""
    many, one, plain = payload.get("videos"), payload.get("video"), payload.get("video_url")
    if not (many or one or plain):
        return ()  # no output yet: what almost every poll sees
    found: list[Video] = []
    if isinstance(many, list):
        found.extend(v for v in map(_video, many) if v is not None)
    found.extend(v for v in (_video(one), _video(plain)) if v is not None)
    by_url: dict[str, Video] = {}
    for video in found:
        # The richest record of a URL wins (`video` carries metadata, `video_url` none).
        known = by_url.get(video.url)
        if known is None or (known.duration is None and video.duration is not None):
            by_url[video.url] = video
    return tuple(by_url.values())


def _is_raw(raw: object, name: str) -> bool:
    """True when the raw status `raw` is `name`, in any case."""
    return isinstance(raw, str) and raw.lower() == name


def _error(value: object) -> str | None:
    if isinstance(value, Mapping):
        return _str(value.get("message")) or _str(value.get("code")) or str(dict(value))
    return _str(value)


def error_fields(raw_error: object) -> tuple[str | None, str | None, bool | None]:
    """`(code, message, retryable)` of a task's raw `error`: an object's fields; a string is the message."""
    if not isinstance(raw_error, Mapping):
        return None, _str(raw_error), None
    retryable = raw_error.get("retryable")
    retry = retryable if isinstance(retryable, bool) else None
    return _str(raw_error.get("code")), _str(raw_error.get("message")), retry


@dataclass(frozen=True, slots=True)
class Task:
    """An asynchronous generation task as last seen; immutable.

    `raw` is the payload exactly as the service sent it, unknown fields included; `error` is
    the reason as text and `raw_error` the `error` as sent (a string, or an object such as
    `{code, message, retryable}`). `path` is where
    `generate(..., out=...)` saved its video (None otherwise). `to_dict()` and `from_dict()`
    carry a task between processes.
    """

    id: str
    status: TaskStatus
    raw_status: str
    progress: float | None = None
    videos: tuple[Video, ...] = ()
    error: str | None = None
    model: str | None = None
    poll_url: str | None = None
    cancelled: bool = False
    created: int | None = None
    updated: int | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)
    raw_error: Any = field(default=None, repr=False)
    path: Path | None = None

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any], *, task_id: str | None = None) -> Task:
        """Build a Task from a create, status or legacy-status payload.

        `task_id` is used when the payload names no id (the caller knows it).
        """
        get = payload.get  # every poll builds a Task: one lookup of `get`, each key read once
        ident = _str(get("id")) or _str(get("task_id")) or task_id or ""
        raw_status = get("status")
        status = TaskStatus.parse(raw_status)
        created, updated, error = get("created"), get("updated"), get("error")
        return cls(
            id=ident,
            status=status,
            raw_status=raw_status if isinstance(raw_status, str) else str(raw_status),
            progress=_num(get("progress")),
            videos=_videos(payload),
            error=None if error is None else _error(error),
            model=_str(get("model")),
            poll_url=_str(get("poll_url")),
            cancelled=get("cancelled") is True
            or get("cancellation_status") == "cancelled"
            or (status is TaskStatus.FAILED and _is_raw(raw_status, "cancelled")),
            created=_int(created if created is not None else get("created_at")),
            updated=_int(updated if updated is not None else get("completed_at")),
            raw=dict(payload),
            raw_error=error,
        )

    def to_dict(self) -> dict[str, Any]:
        """Every field and the raw payload as a JSON-serialisable dict, with a format and version key."""
        from ._task_dict import task_to_dict  # noqa: PLC0415

        return task_to_dict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Task:
        """The Task a `to_dict()` dict describes (made in this or another process); ValueError otherwise."""
        from ._task_dict import task_from_dict  # noqa: PLC0415

        return task_from_dict(data)

    @property
    def video_url(self) -> str | None:
        """The first output's URL, or None until the task has completed."""
        return self.videos[0].url if self.videos else None

    @property
    def expired(self) -> bool:
        """True when the service reports the raw status `expired` (then `status` is `FAILED`)."""
        return _is_raw(self.raw_status, "expired")

    @property
    def error_code(self) -> str | None:
        """The `code` of an error object (None for a plain string error or none at all)."""
        return error_fields(self.raw_error)[0]

    @property
    def error_retryable(self) -> bool | None:
        """The `retryable` flag of an error object; None when the service did not say."""
        return error_fields(self.raw_error)[2]

    @property
    def done(self) -> bool:
        """True once the task is completed or failed."""
        return self.status.is_terminal
