"""What both engines of `generate_many` share: the result, one request's arguments, the ledger.

`_async_many.py` runs the requests as asyncio tasks, `_many.py` on a thread pool; both take a
request's arguments from `arguments`, turn a wait's failure into a result with `failed`, and
keep a `Ledger` of every task created and not yet handed to the caller, which they log (and
attach as a note to the exception) when the run is interrupted, so no task id is lost.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from ._config import logger
from ._exceptions import (
    LemonDataError,
    RequestValidationError,
    TaskError,
    TaskMayExistError,
    WaitTimeoutError,
)
from ._task import Task
from ._waiting import announce

# After an interrupt, how long a create already under way may take to answer, so its id is kept.
CREATE_GRACE_SECONDS: Final = 30.0
# The keys of a request that are not create's: the wait's own deadline.
WAIT_KEYS: Final = ("timeout",)

TaskHook = Callable[[int, Task], None]


@dataclass(frozen=True, slots=True)
class GenerateResult:
    """One request of `generate_many`, finished: its completed task or the error that ended it.

    `index` is the request's position in `requests`, `request` the mapping itself. `task` is the
    completed task when `ok`; after an error it is the last state seen of the task created for
    the request (so its id is never lost), or None when no task was created or its create's
    answer was lost (`error` is then a TaskMayExistError, which is never resent).
    """

    index: int
    request: Mapping[str, Any]
    task: Task | None = None
    error: LemonDataError | None = None

    @property
    def ok(self) -> bool:
        """True when the request ended with a completed task."""
        return self.error is None


def check_concurrency(concurrency: int) -> None:
    """Raise ValueError unless `concurrency` is a whole number of at least 1."""
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        msg = f"concurrency must be a whole number of requests, 1 or more, not {concurrency!r}"
        raise ValueError(msg)


def arguments(index: int, request: object) -> tuple[str | None, dict[str, Any], dict[str, Any]]:
    """`(prompt, create keyword arguments, wait keyword arguments)` of one request.

    Raises RequestValidationError when `request` is not a mapping with string keys.
    """
    if not isinstance(request, Mapping):
        msg = (
            f"request {index} is of type {type(request).__name__}, not a mapping of generate's "
            f'keyword arguments (for example {{"prompt": "...", "model": "sora-2"}})'
        )
        raise RequestValidationError(msg)
    bad = [key for key in request if not isinstance(key, str)]
    if bad:
        msg = f"request {index} has keys that are not strings: {bad!r}; use generate's keyword names"
        raise RequestValidationError(msg)
    fields = dict(request)
    prompt = fields.pop("prompt", None)
    waits = {key: fields.pop(key) for key in WAIT_KEYS if key in fields}
    timeout = waits.get("timeout")
    if timeout is not None and (isinstance(timeout, bool) or not isinstance(timeout, int | float)):
        msg = f"request {index} has timeout={timeout!r}; give the wait's deadline in seconds, as a number"
        raise RequestValidationError(msg, param="timeout")
    return prompt, fields, waits


def failed(index: int, request: Mapping[str, Any], task: Task, error: LemonDataError) -> GenerateResult:
    """The result of a request whose task was created and whose wait ended with `error`."""
    last = error.task if isinstance(error, TaskError | WaitTimeoutError) else task
    return GenerateResult(index, request, last, error)


def hooked(hook: TaskHook | None, index: int) -> Callable[[Task], None] | None:
    """`hook` with the request's index bound, for `wait`'s `on_update`."""
    if hook is None:
        return None

    def update(task: Task) -> None:
        hook(index, task)

    return update


class Ledger:
    """The tasks created and not yet handed to the caller, by request index (thread-safe)."""

    def __init__(self) -> None:
        self._open: dict[int, Task] = {}
        self._unknown: list[int] = []
        self._lock = threading.Lock()

    def created(self, index: int, task: Task, hook: TaskHook | None) -> None:
        """Record a new task, then tell the caller's `on_created` hook.

        Raises TaskCallbackError, carrying the task, when the hook raises (as `generate` does).
        """
        with self._lock:
            self._open[index] = task
        announce(task, hooked(hook, index))

    def unknown(self, index: int) -> None:
        """A create interrupted after it was sent, whose answer never came: a task may exist."""
        with self._lock:
            self._unknown.append(index)

    def leftover(self, outcomes: Iterable[object]) -> None:
        """The results a stopped run never handed over: a lost create answer among them is reported."""
        for outcome in outcomes:
            if isinstance(outcome, GenerateResult) and isinstance(outcome.error, TaskMayExistError):
                self.unknown(outcome.index)

    def collected(self, result: GenerateResult) -> None:
        """The caller has `result`: its task is no longer the ledger's to report."""
        with self._lock:
            self._open.pop(result.index, None)

    def uncollected(self) -> list[Task]:
        """The tasks created and not handed over, in request order."""
        with self._lock:
            return [self._open[index] for index in sorted(self._open)]

    def report(self, exc: BaseException) -> None:
        """Log what an interrupted run leaves behind and attach it to `exc` as a note."""
        tasks = self.uncollected()
        if not tasks and not self._unknown:
            return
        ids = ", ".join(task.id for task in tasks) or "none"
        note = (
            f"generate_many stopped before the end: {len(tasks)} created task(s) not yet collected: {ids}; "
            "wait for them with client.wait(task_id)"
        )
        if self._unknown:
            note += f"; requests {self._unknown} were sent and their answers lost (a task may exist)"
        logger.warning("%s", note, extra={"uncollected": tasks})
        exc.add_note(note)
