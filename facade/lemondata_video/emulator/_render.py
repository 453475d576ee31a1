"""Tasks as the API shows them: the create answer, the canonical task and the legacy shape."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from ._errors import MSG_CANCELLED_REASON, MSG_TASK_FAILED
from ._state import COMPLETED, FAILED, PENDING, Task

DEFAULT_DURATION: Final = 5
DEFAULT_HEIGHT: Final = 720
RESOLUTION_PATTERN: Final = re.compile(r"^(\d{3,4})p$", re.IGNORECASE)
RESOLUTION_ALIASES: Final = {"4k": 2160, "2k": 1440}
RATIO_PATTERN: Final = re.compile(r"^(\d{1,2}):(\d{1,2})$")


def frame_size(resolution: str | None, aspect_ratio: str | None) -> tuple[int, int]:
    """Width and height the provider would report for a resolution and an aspect ratio (16:9 by default)."""
    short = DEFAULT_HEIGHT
    if resolution:
        match = RESOLUTION_PATTERN.match(resolution)
        short = int(match.group(1)) if match else RESOLUTION_ALIASES.get(resolution.lower(), DEFAULT_HEIGHT)
    ratio = RATIO_PATTERN.match(aspect_ratio or "")
    across, down = (int(ratio.group(1)), int(ratio.group(2))) if ratio else (16, 9)
    if across <= 0 or down <= 0:
        across, down = 16, 9
    if across >= down:
        return round(short * across / down / 2) * 2, short
    return short, round(short * down / across / 2) * 2


def created_payload(task: Task, poll_url: str) -> dict[str, Any]:
    """The answer to a create request, as the newest revision documents it (``id`` and ``created``)."""
    return {
        "id": task.id,
        "task_id": task.id,
        "poll_url": poll_url,
        "status": PENDING,
        "model": task.model,
        "created": int(task.created),
    }


def cancelled_payload(task: Task, poll_url: str) -> dict[str, Any]:
    """The answer to a cancel: the identity, the failed status and the reason; no model or timestamps."""
    return {
        "id": task.id,
        "task_id": task.id,
        "poll_url": poll_url,
        "status": FAILED,
        "cancelled": True,
        "cancellation_status": "cancelled",
        "error": MSG_CANCELLED_REASON,
    }


def _changed_at(task: Task, status: str, now: float) -> float:
    if task.cancelled_at is not None:
        return task.cancelled_at
    if status == PENDING:
        return task.created
    if status in (COMPLETED, FAILED):
        return task.finished
    return now


def _outcome(task: Task, status: str, file_url: str) -> dict[str, Any]:
    """The fields a finished task adds: the reason of a failure, or the video and the settlement."""
    if task.cancelled_at is not None:
        return {"cancelled": True, "cancellation_status": "cancelled", "error": MSG_CANCELLED_REASON}
    if status == FAILED:
        error = task.failure_error
        return {"error": dict(error) if isinstance(error, Mapping) else error or MSG_TASK_FAILED}
    if status != COMPLETED:
        return {}
    video = {
        "url": file_url,
        "duration": task.duration or DEFAULT_DURATION,
        "width": task.width,
        "height": task.height,
    }
    return {"video_url": file_url, "video": video, "billing_transaction_id": f"txn_{task.id[6:18]}"}


def task_payload(task: Task, *, now: float, poll_url: str, file_url: str) -> dict[str, Any]:
    """The task on the canonical path at emulated time ``now``; ``progress`` only when reported."""
    status = task.status_at(now)
    body: dict[str, Any] = {"id": task.id, "task_id": task.id, "poll_url": poll_url, "status": status}
    if task.reports_progress:
        body["progress"] = 0 if task.cancelled_at is not None else task.progress_at(now)
    body.update(model=task.model, created=int(task.created), updated=int(_changed_at(task, status, now)))
    body.update(_outcome(task, status, file_url))
    return body


def legacy_payload(task: Task, *, now: float, file_url: str) -> dict[str, Any]:
    """The task on the legacy path, as its first revision shows it: ``task_id``, ``created_at``,
    ``completed_at`` (once finished) and ``video_url``; no ``id``, ``poll_url`` or ``updated``."""
    status = task.status_at(now)
    body: dict[str, Any] = {"task_id": task.id, "status": status, "model": task.model}
    if task.reports_progress:
        body["progress"] = 0 if task.cancelled_at is not None else task.progress_at(now)
    outcome = _outcome(task, status, file_url)
    outcome.pop("video", None)
    outcome.pop("billing_transaction_id", None)
    body.update(outcome)
    body["created_at"] = int(task.created)
    if status in (COMPLETED, FAILED):
        body["completed_at"] = int(_changed_at(task, status, now))
    return body
