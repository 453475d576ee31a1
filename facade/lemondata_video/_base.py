"""What the sync and async clients share: routing a poll, create fingerprints, the wait's state."""

from __future__ import annotations

import json
import logging
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal
from urllib.parse import unquote

import httpx

from ._config import origin
from ._exceptions import (
    APIConnectionError,
    InvalidFieldError,
    LemonDataError,
    RateLimitError,
    ServerError,
    TaskMayExistError,
    UnexpectedResponseError,
    WaitTimeoutError,
    ended_error,
)
from ._polling import PollSchedule
from ._retry import was_not_sent
from ._task import Task, TaskStatus

logger = logging.getLogger("lemondata_video")

FINGERPRINT_HEX: Final = 16
_CANONICAL: Final = re.compile(r"/v1/tasks/([^/?#]+)")
_LEGACY: Final = re.compile(r"/v1/videos/generations/([^/?#]+)")
# The usual poll_url, relative with a plain id: routed without parsing a URL (every poll does this).
_PLAIN_CANONICAL: Final = re.compile(r"/v1/tasks/([A-Za-z0-9._~-]+)")


@dataclass(frozen=True, slots=True)
class Route:
    """Where to poll a task: the generated `get_task` or legacy op by id, or an exact `url`."""

    kind: Literal["task", "legacy", "url"]
    task_id: str
    url: str = ""


def task_id_of(task: Task | str) -> str:
    """The id of a Task or a bare id; InvalidFieldError for an empty one."""
    ident = task.id if isinstance(task, Task) else task
    if not isinstance(ident, str) or not ident.strip():
        msg = f"a task or a non-empty task id is needed, not {task!r}"
        raise InvalidFieldError(msg, param="task")
    return ident


def route_for(task: Task | str, *, base_url: httpx.URL, warned: set[str]) -> Route:
    """Follow `task.poll_url` when it is relative or on the API's origin; never send the key elsewhere."""
    ident = task_id_of(task)
    poll_url = task.poll_url if isinstance(task, Task) else None
    if not poll_url:
        return Route("task", ident)
    plain = _PLAIN_CANONICAL.fullmatch(poll_url)
    if plain:
        return Route("task", plain.group(1))
    try:
        url = httpx.URL(poll_url)
    except httpx.InvalidURL:
        url = None
    if url is None or (url.is_absolute_url and origin(url) != origin(base_url)):
        if ident not in warned:
            warned.add(ident)
            logger.warning(
                "task %s: poll_url %r is not on the API's origin %s; polling /v1/tasks/%s there instead",
                ident,
                poll_url,
                base_url,
                ident,
            )
        return Route("task", ident)
    path = url.path
    prefix = base_url.path.rstrip("/")
    if url.is_absolute_url and prefix and path.startswith(prefix + "/"):
        path = path[len(prefix) :]
    if not url.query and not url.fragment:
        for kind, pattern in (("task", _CANONICAL), ("legacy", _LEGACY)):
            match = pattern.fullmatch(path)
            if match:
                return Route(kind, unquote(match.group(1)))  # type: ignore[arg-type]
    return Route("url", ident, poll_url)


def check_json(body: Mapping[str, Any]) -> None:
    """InvalidFieldError, before anything is sent, for a field whose value JSON cannot carry."""
    for name, value in body.items():
        try:
            json.dumps(value, allow_nan=False)
        except (TypeError, ValueError, RecursionError) as exc:
            msg = f"{name} must be a JSON value (text, number, true/false, list or object), not {value!r:.60}"
            raise InvalidFieldError(msg, param=name) from exc


def fingerprint(body: Mapping[str, Any]) -> str:
    """The first hex digits of the SHA-256 of the body's canonical JSON."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    import hashlib  # noqa: PLC0415  (only a failed create needs it; 2 ms to import)

    return hashlib.sha256(canonical.encode()).hexdigest()[:FINGERPRINT_HEX]


def create_failure(error: LemonDataError, *, fingerprint: str) -> LemonDataError:
    """The error to raise for a failed create: TaskMayExistError unless it provably created nothing."""
    sent = isinstance(error, APIConnectionError) and not was_not_sent(error)
    if not (sent or isinstance(error, ServerError | UnexpectedResponseError)):
        return error
    msg = (
        f"the create request was sent but its outcome is unknown ({error}); a task may exist and be "
        f"billed. It was not resent. Request fingerprint: {fingerprint}"
    )
    return TaskMayExistError(msg, fingerprint=fingerprint)


def is_transient(error: LemonDataError) -> bool:
    """Errors a wait outlives: connection trouble, timeouts, 429, 5xx, garbled answers."""
    transient = isinstance(error, APIConnectionError | RateLimitError | ServerError | UnexpectedResponseError)
    return transient and getattr(error, "retryable", None) is not False  # the service said: do not resend


class WaitState:
    """The bookkeeping of one `wait`: deadline, schedule, last task seen, updates and outcomes."""

    def __init__(
        self,
        task: Task | str,
        *,
        timeout: float,
        clock: Callable[[], float],
        on_update: Callable[[Task], None] | None,
        rng: random.Random,
    ) -> None:
        self.task_id = task_id_of(task)
        self.last: Task | None = task if isinstance(task, Task) else None
        self.ref: Task | str = task
        self.timeout = timeout
        self.clock = clock
        self.start = clock()
        self.on_update = on_update
        self.schedule = PollSchedule(rng=rng)
        self.retry_after: float | None = None
        if self.last is not None:
            self.schedule.observe(0.0, self.last.progress)

    def first_sleep(self) -> float:
        """0 for a bare id, whose task may be long finished; else the schedule's next delay."""
        return 0.0 if self.last is None else self.next_sleep()

    def next_sleep(self) -> float:
        """Seconds to sleep before the next poll, never past the deadline; WaitTimeoutError after it."""
        elapsed = self.clock() - self.start
        left = self.timeout - elapsed
        if left <= 0:
            raise self._timed_out()
        delay = self.schedule.next_delay(elapsed, retry_after=self.retry_after)
        self.retry_after = None
        return min(delay, left)

    def seen(self, task: Task) -> bool:
        """Record a polled task; True when it completed, TaskError when it ended without a video."""
        before = self.last
        self.last, self.ref = task, task
        self.schedule.observe(self.clock() - self.start, task.progress)
        changed = before is None or (before.raw_status, before.progress) != (task.raw_status, task.progress)
        if changed and self.on_update is not None:
            self.on_update(task)
        if task.status is TaskStatus.FAILED:
            raise self._ended(task)
        return task.status is TaskStatus.COMPLETED

    def failed(self, error: LemonDataError) -> None:
        """A poll failed: keep waiting on transient errors, re-raise the rest."""
        if not is_transient(error):
            raise error
        self.retry_after = getattr(error, "retry_after", None)
        logger.debug("task %s: poll failed (%s); retrying", self.task_id, error)

    def log_poll(self, delay: float) -> None:
        """One DEBUG line per poll."""
        task = self.last
        status = task.raw_status if task else "unknown"
        progress = task.progress if task else None
        logger.debug(
            "task %s: status %s, progress %s, next poll in %.1f s", self.task_id, status, progress, delay
        )

    def _ended(self, task: Task) -> LemonDataError:
        return ended_error(task)

    def _timed_out(self) -> WaitTimeoutError:
        task = self.last or Task.from_payload({"id": self.task_id, "status": "unknown"})
        progress = f", {task.progress:g}%" if task.progress is not None else ""
        msg = (
            f"task {self.task_id} is still {task.raw_status}{progress} after waiting {self.timeout:g} s; "
            f"it keeps running on the service. Resume with client.wait({self.task_id!r}) "
            f"or check it with client.get({self.task_id!r})"
        )
        return WaitTimeoutError(msg, task=task)
