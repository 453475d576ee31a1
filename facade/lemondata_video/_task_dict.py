"""A Task as a JSON-serialisable dict and back, so another process can pick the task up.

The dict holds every field of the Task and its raw payload, under a `format` and a
`version` key; `from_dict` checks each key and names the first one that is wrong.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Mapping
from typing import Any, Final

from ._task import Task, TaskStatus, Video

TASK_FORMAT: Final = "lemondata_video.Task"
TASK_FORMAT_VERSION: Final = 1
_STATUSES: Final = tuple(member.value for member in TaskStatus)


def task_to_dict(task: Task) -> dict[str, Any]:
    """Every field of `task`, its raw payload and raw error (copies), with the format and version."""
    return {
        "format": TASK_FORMAT,
        "version": TASK_FORMAT_VERSION,
        "id": task.id,
        "status": task.status.value,
        "raw_status": task.raw_status,
        "progress": task.progress,
        "videos": [
            {"url": v.url, "duration": v.duration, "width": v.width, "height": v.height} for v in task.videos
        ],
        "error": task.error,
        "raw_error": copy.deepcopy(task.raw_error),
        "model": task.model,
        "poll_url": task.poll_url,
        "cancelled": task.cancelled,
        "created": task.created,
        "updated": task.updated,
        "raw": copy.deepcopy(dict(task.raw)),
    }


def _bad(what: str, value: object) -> ValueError:
    return ValueError(f"Task.from_dict: {what}, got {type(value).__name__} {value!r}")


def _text(data: Mapping[str, Any], key: str, *, optional: bool = False) -> Any:
    value = _get(data, key)
    if isinstance(value, str) or (optional and value is None):
        return value
    raise _bad(f"{key!r} must be a string{' or None' if optional else ''}", value)


def _number(value: object, key: str, kind: Callable[[Any], Any]) -> Any:
    allowed = (int,) if kind is int else (int, float)
    if value is None:
        return None
    if isinstance(value, allowed) and not isinstance(value, bool) and math.isfinite(value):
        return kind(value)
    raise _bad(f"{key!r} must be {'an integer' if kind is int else 'a finite number'} or None", value)


def _get(data: Mapping[str, Any], key: str) -> Any:
    if key not in data:
        msg = f"Task.from_dict: the dict has no {key!r}; pass a dict made by Task.to_dict"
        raise ValueError(msg)
    return data[key]


def _video(item: object, index: int) -> Video:
    if not isinstance(item, Mapping) or not isinstance(item.get("url"), str):
        raise _bad(f"'videos[{index}]' must be an object with a string 'url'", item)
    where = f"videos[{index}]."
    return Video(
        url=item["url"],
        duration=_number(item.get("duration"), where + "duration", float),
        width=_number(item.get("width"), where + "width", int),
        height=_number(item.get("height"), where + "height", int),
    )


def _check_format(data: object) -> Mapping[str, Any]:
    if not isinstance(data, Mapping):
        raise _bad("pass the dict Task.to_dict made", data)
    if data.get("format") != TASK_FORMAT:
        raise _bad(f"'format' must be {TASK_FORMAT!r} (a dict made by Task.to_dict)", data.get("format"))
    version = data.get("version")
    if isinstance(version, bool) or version != TASK_FORMAT_VERSION:
        raise _bad(f"'version' must be {TASK_FORMAT_VERSION}, the version this SDK reads", version)
    return data


def task_from_dict(given: object) -> Task:
    """The Task a `task_to_dict` dict describes; ValueError naming the first bad key otherwise."""
    data = _check_format(given)
    status, videos, raw = _get(data, "status"), _get(data, "videos"), _get(data, "raw")
    if status not in _STATUSES:
        raise _bad(f"'status' must be one of {', '.join(map(repr, _STATUSES))}", status)
    if not isinstance(videos, list | tuple):
        raise _bad("'videos' must be a list", videos)
    if not isinstance(_get(data, "cancelled"), bool):
        raise _bad("'cancelled' must be true or false", data["cancelled"])
    if not isinstance(raw, Mapping):
        raise _bad("'raw' must be an object (the task's payload)", raw)
    return Task(
        id=_text(data, "id"),
        status=TaskStatus(status),
        raw_status=_text(data, "raw_status"),
        progress=_number(_get(data, "progress"), "progress", float),
        videos=tuple(_video(item, index) for index, item in enumerate(videos)),
        error=_text(data, "error", optional=True),
        model=_text(data, "model", optional=True),
        poll_url=_text(data, "poll_url", optional=True),
        cancelled=data["cancelled"],
        created=_number(_get(data, "created"), "created", int),
        updated=_number(_get(data, "updated"), "updated", int),
        raw=copy.deepcopy(dict(raw)),
        raw_error=copy.deepcopy(_get(data, "raw_error")),
    )
