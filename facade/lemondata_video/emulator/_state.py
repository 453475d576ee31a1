"""Tasks in memory: each is stored once and its state is computed from timestamps when read."""

from __future__ import annotations

import random
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

from ._clock import Clock

PENDING: Final = "pending"
PROCESSING: Final = "processing"
COMPLETED: Final = "completed"
FAILED: Final = "failed"

DEFAULT_TASK_SECONDS: Final = 5.0
DEFAULT_QUEUE_SECONDS: Final = 1.0

PerModel = float | Mapping[str, float] | Callable[[str], float]
PerModelFlag = bool | Mapping[str, bool] | Callable[[str], bool]
# The `error` of a failed task: None for the default string, a string, or an object such as
# {"code": ..., "message": ..., "retryable": ...} (the older openapi.json's shape).
FailureError = str | Mapping[str, object] | None


def per_model(value: PerModel, model: str, default: float) -> float:
    """Resolve a number given globally, as a mapping model → number, or as a callable."""
    if callable(value):
        return float(value(model))
    if isinstance(value, Mapping):
        return float(value.get(model, default))
    return float(value)


def per_model_flag(value: PerModelFlag, model: str) -> bool:
    """Resolve a flag given globally, as a mapping model → flag (default on), or as a callable."""
    if callable(value):
        return bool(value(model))
    if isinstance(value, Mapping):
        return bool(value.get(model, True))
    return bool(value)


@dataclass(frozen=True)
class TaskTiming:
    """How long tasks wait and run, how often they fail and with what error, whether progress is reported."""

    task_seconds: PerModel = DEFAULT_TASK_SECONDS
    queue_seconds: PerModel = DEFAULT_QUEUE_SECONDS
    failure_rate: float = 0.0
    report_progress: PerModelFlag = True
    seed: int | None = 0
    failure_error: FailureError = None


@dataclass
class Task:
    """One task as created; its status at any time follows from these fields."""

    id: str
    owner: str
    model: str
    operation: str
    created: float
    queue_seconds: float
    run_seconds: float
    will_fail: bool
    reports_progress: bool
    duration: int | None
    width: int
    height: int
    cancelled_at: float | None = None
    prompt: str = ""
    fps: int | None = None
    failure_error: FailureError = None

    @property
    def started(self) -> float:
        """When the task leaves the queue."""
        return self.created + self.queue_seconds

    @property
    def finished(self) -> float:
        """When the task completes or fails, unless cancelled first."""
        return self.started + self.run_seconds

    def status_at(self, now: float) -> str:
        """The task's status at emulated time ``now``."""
        if self.cancelled_at is not None:
            return FAILED
        if now < self.started:
            return PENDING
        if now < self.finished:
            return PROCESSING
        return FAILED if self.will_fail else COMPLETED

    def progress_at(self, now: float) -> int:
        """Percent complete at ``now``: 0 while queued, rising while running, 100 once done."""
        if now < self.started:
            return 0
        if now >= self.finished or self.run_seconds <= 0:
            return 100
        return min(99, int(100 * (now - self.started) / self.run_seconds))


@dataclass
class TaskStore:
    """Every task of the emulator by id; creating and reading are O(1)."""

    clock: Clock
    timing: TaskTiming = field(default_factory=TaskTiming)

    def __post_init__(self) -> None:
        self._tasks: dict[str, Task] = {}
        self._rng = random.Random(self.timing.seed)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._tasks)

    def create(
        self,
        *,
        owner: str,
        model: str,
        operation: str,
        duration: int | None,
        size: tuple[int, int],
        prompt: str = "",
        fps: int | None = None,
    ) -> Task:
        """Store a new pending task created now."""
        timing = self.timing
        with self._lock:
            will_fail = self._rng.random() < timing.failure_rate
        task = Task(
            id=f"video_{secrets.token_hex(12)}",
            owner=owner,
            model=model,
            operation=operation,
            created=self.clock.now(),
            queue_seconds=per_model(timing.queue_seconds, model, DEFAULT_QUEUE_SECONDS),
            run_seconds=per_model(timing.task_seconds, model, DEFAULT_TASK_SECONDS),
            will_fail=will_fail,
            reports_progress=per_model_flag(timing.report_progress, model),
            duration=duration,
            width=size[0],
            height=size[1],
            prompt=prompt,
            fps=fps,
            failure_error=timing.failure_error,
        )
        with self._lock:
            self._tasks[task.id] = task
        return task

    def ids(self) -> list[str]:
        """Every task's id, in the order the tasks were created."""
        with self._lock:
            return list(self._tasks)

    def get(self, task_id: str) -> Task | None:
        """The task with this id, if any."""
        return self._tasks.get(task_id)

    def cancel(self, task: Task) -> None:
        """Mark ``task`` cancelled now; the caller has checked that it may be."""
        task.cancelled_at = self.clock.now()
