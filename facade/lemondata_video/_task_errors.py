"""The errors of a task's outcome: it ended without a video, a callback given it raised, a wait timed out.

Part of the tree drawn in `_exceptions`, which re-exports every name here (import them from there).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._exceptions import LemonDataError
from ._task import error_fields

if TYPE_CHECKING:
    from ._task import Task


class TaskError(LemonDataError):
    """The task ended without a video; `task` is its final state.

    `code`, `message` and `retryable` come from the task's `error` when the service sent an
    object (`{code, message, retryable?, ...}`; each None when the object lacks it); for a
    plain string `message` is the string and `code` and `retryable` are None. `raw_error` is
    the `error` exactly as sent.
    """

    def __init__(self, message: str, *, task: Task) -> None:
        super().__init__(message)
        self.task = task
        self.raw_error: Any = task.raw_error
        self.code, self.message, self.retryable = error_fields(task.raw_error)


class TaskFailedError(TaskError):
    """The task's status is `failed` (or another status the docs name as a failed end)."""


class TaskExpiredError(TaskFailedError):
    """The service reports the task as `expired`: it ended without a video and will not run."""


class TaskCancelledError(TaskError):
    """The task was cancelled (`failed` with `cancelled: true`, or the raw status `cancelled`)."""


def ended_error(task: Task) -> TaskError:
    """The error for a task that ended without a video: cancelled, expired or failed.

    The message gives the reason, then the error object's code and retryable flag when sent.
    """
    code, _, retryable = error_fields(task.raw_error)
    notes = ([f"code {code}"] if code and code != task.error else []) + (
        [] if retryable is None else ["retryable" if retryable else "not retryable"]
    )
    reason = (task.error or "no reason given") + (f" ({', '.join(notes)})" if notes else "")
    if task.cancelled:
        return TaskCancelledError(f"task {task.id} was cancelled: {reason}", task=task)
    if task.expired:
        return TaskExpiredError(f"task {task.id} expired: {reason}", task=task)
    return TaskFailedError(f"task {task.id} failed: {reason}", task=task)


class TaskCallbackError(LemonDataError):
    """A callback given the new task (`on_created`) raised; `task` is that task, which exists.

    The task keeps running on the service: wait on it with `client.wait(error.task)`. The
    callback's own exception is `__cause__`.
    """

    def __init__(self, message: str, *, task: Task) -> None:
        super().__init__(message)
        self.task = task


class WaitTimeoutError(LemonDataError):
    """The wait's deadline passed; `task` is the last state seen, to wait on later.

    `cancelled` is None unless the wait was asked to cancel at the deadline
    (`cancel_on_timeout=True`): then True when the service cancelled the task, False when
    the cancel was not attempted (the model cannot be cancelled) or failed (its error is
    `__cause__`); the message says which.
    """

    def __init__(self, message: str, *, task: Task, cancelled: bool | None = None) -> None:
        super().__init__(message)
        self.task = task
        self.cancelled = cancelled
