"""The bookkeeping of one `wait`: deadline, poll schedule, last task seen, updates and outcomes.

Both clients' `wait` loops are a few lines around a WaitState; the schedule itself (every
polling knob) is `_polling`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING

from ._config import logger
from ._exceptions import (
    APIConnectionError,
    LemonDataError,
    RateLimitError,
    ServerError,
    TaskCallbackError,
    UnexpectedResponseError,
    WaitTimeoutError,
    ended_error,
)
from ._polling import PollSchedule
from ._task import Task, TaskStatus
from ._task_routes import task_id_of

if TYPE_CHECKING:
    from ._priors import DurationPriors


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
        self.failure: LemonDataError | None = None  # the last poll's transient error, logged with the delay
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
        self.failure = error

    def log_poll(self, delay: float) -> None:
        """One DEBUG line per poll; INFO after a failed poll (a 429's Retry-After, or the error)."""
        error, self.failure = self.failure, None
        if isinstance(error, RateLimitError) and error.retry_after is not None:
            logger.info(
                "task %s: poll rate limited (429, Retry-After %g s); next poll in %.1f s",
                self.task_id, error.retry_after, delay,
            )  # fmt: skip
            return
        if error is not None:
            reason = " ".join(str(error).split()) or type(error).__name__
            logger.info(
                "task %s: poll failed (%s: %s); next poll in %.1f s",
                self.task_id,
                type(error).__name__,
                reason,
                delay,
            )
            return
        task = self.last
        status = task.raw_status if task else "unknown"
        progress = task.progress if task else None
        logger.debug(
            "task %s: status %s, progress %s, next poll in %.1f s", self.task_id, status, progress, delay
        )

    def _ended(self, task: Task) -> LemonDataError:
        return ended_error(task)

    def _timed_out(self, cancel: str | None = None, *, cancelled: Task | None = None) -> WaitTimeoutError:
        """The deadline's error; `cancel` says what `cancel_on_timeout` did (None: it was not asked)."""
        task = self.last or Task.from_payload({"id": self.task_id, "status": "unknown"})
        progress = f", {task.progress:g}%" if task.progress is not None else ""
        head = f"task {self.task_id} is still {task.raw_status}{progress} after waiting {self.timeout:g} s; "
        if cancelled is not None:  # the cancel's answer is the task's last state
            return WaitTimeoutError(head + "cancel_on_timeout cancelled it", task=cancelled, cancelled=True)
        msg = (
            head + (f"{cancel}; " if cancel else "") + "it keeps running on the service. "
            f"Resume with client.wait({self.task_id!r}) or check it with client.get({self.task_id!r})"
        )
        return WaitTimeoutError(msg, task=task, cancelled=None if cancel is None else False)

    def cancel_outcome(self, outcome: Task | LemonDataError | str) -> WaitTimeoutError:
        """The deadline's error once `cancel_on_timeout` acted: `outcome` is the cancel's answer, its
        error (then the `__cause__`), or why none was sent (`cancel_refusal`)."""
        if isinstance(outcome, str):
            return self._timed_out(f"not cancelled: {outcome}")
        if isinstance(outcome, LemonDataError):
            error = self._timed_out(f"the cancel failed ({outcome})")
            error.__cause__ = outcome
            return error
        if not outcome.cancelled:
            return self._timed_out(f"the cancel was answered with status {outcome.raw_status}, not cancelled")
        return self._timed_out(cancelled=outcome)


def cancel_refusal(task: Task | None) -> str | None:
    """Why the capability matrix says `task` cannot be cancelled; None to try (unknown models too)."""
    from ._capabilities import MODELS  # noqa: PLC0415  (the matrix loads on first use)

    info = MODELS.get(task.model) if task is not None and task.model else None
    if info is None or info.cancellable:
        return None
    able = ", ".join(m.id for m in MODELS.values() if m.cancellable)
    return f"model {info.id!r} cannot be cancelled (only {able} can)"


def announce(task: Task, on_created: Callable[[Task], None] | None) -> Task:
    """Give the new task to `on_created`; TaskCallbackError carrying the task when the callback raises."""
    if on_created is not None:
        try:
            on_created(task)
        except Exception as exc:
            msg = (
                f"on_created raised {type(exc).__name__}: {exc}; task {task.id} was created and keeps "
                f"running on the service. Resume with client.wait({task.id!r})"
            )
            raise TaskCallbackError(msg, task=task) from exc
    return task
