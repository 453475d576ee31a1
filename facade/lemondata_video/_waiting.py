"""The bookkeeping of one `wait`: deadline, poll schedule, last task seen, updates and outcomes.

Both clients' `wait` loops are a few lines around a WaitState; the schedule itself (every
polling knob) is `_polling`.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from ._config import logger
from ._exceptions import (
    APIConnectionError,
    LemonDataError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
    WaitTimeoutError,
    ended_error,
)
from ._polling import PollSchedule
from ._priors import DurationPriors
from ._task import Task, TaskStatus
from ._task_routes import task_id_of


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
        priors: DurationPriors | None = None,
    ) -> None:
        self.task_id = task_id_of(task)
        self.last: Task | None = task if isinstance(task, Task) else None
        self.ref: Task | str = task
        self.timeout = timeout
        self.clock = clock
        self.start = clock()
        self.on_update = on_update
        # The model's learned durations shape the schedule of a task just created, and learn from it.
        self.priors = priors
        self.fresh = self.last is not None and self.last.status is TaskStatus.PENDING
        prior = priors.prior_for(self.last) if priors is not None and self.last is not None else None
        self.schedule = PollSchedule(rng=rng, prior=prior)
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
        done = task.status is TaskStatus.COMPLETED
        if done and self.priors is not None and before is not None and not before.done:
            self.priors.learn(task, waited=self.clock() - self.start if self.fresh else None)
        return done

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
