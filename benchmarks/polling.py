"""Polling efficiency on simulated time: polls per task and detection lag of ``wait`` against fixed loops.

One in-process emulator on a ``ManualClock`` per run; tasks are created and waited on one at
a time over real HTTP. The façade's real ``wait`` gets ``clock=emu.clock.now`` and
``sleep=emu.clock.advance``, so hours of waiting take seconds. Task durations are drawn
log-uniformly from 20-600 s (seeded; every run sees the same durations in the same order)
with no queueing. A task's lag is the emulated time from its completion to the moment the
client holds the completed task; its polls are the GETs the emulator saw while it ran.

The baselines are what a user writes with httpx alone: sleep a fixed interval, GET the
task, repeat until it is terminal (every 5 s, as the service's documentation advises, and
every 1 s). Progress reports change nothing for them, so they run once.

The mixed run (`mixed`, issue 16) interleaves models whose durations are log-normal with
medians MIXED_MEDIANS (sigma MIXED_SIGMA, seeded per model), one task of each model in
turn, on one client: the façade learns each model's durations (`_priors`) as the run goes.
Its figures are after a warm-up of WARM_UP tasks per model (the whole run in the note),
each against the fixed loops on the same tasks.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx
from lemondata_video import Task, VideoClient
from lemondata_video.emulator import Emulator, ManualClock

from ._common import Figure

POLL_ROUTE = "GET /v1/tasks/{task_id}"
LOW, HIGH = 20.0, 600.0
SEED = 6
WITH_PROGRESS_POLL_TARGET = 0.25
WITH_PROGRESS_LAG_TARGET = 1.0
WITHOUT_PROGRESS_POLL_TARGET = 0.60
WITHOUT_PROGRESS_LAG_TARGET = 1.5


@dataclass(frozen=True)
class Outcome:
    """Mean polls per task and mean detection lag (emulated seconds) of one way of waiting."""

    polls: float
    lag: float
    max_lag: float


def durations(count: int) -> list[float]:
    rng = random.Random(SEED)
    return [math.exp(rng.uniform(math.log(LOW), math.log(HIGH))) for _ in range(count)]


Waiter = Callable[[Emulator, dict[str, Any]], None]  # waits for the created task until it is terminal


def measure(waiter_factory: Callable[[Emulator], Waiter], *, count: int, progress: bool) -> Outcome:
    """Create `count` tasks one after another and wait for each with the waiter; average the cost."""
    return outcome(run_tasks(waiter_factory, [("sora-2", d) for d in durations(count)], progress=progress))


def outcome(costs: list[tuple[int, float]]) -> Outcome:
    """Mean polls, mean and max lag of (polls, lag) per task."""
    lags = [lag for _, lag in costs]
    return Outcome(sum(p for p, _ in costs) / len(costs), sum(lags) / len(lags), max(lags))


def run_tasks(
    waiter_factory: Callable[[Emulator], Waiter], jobs: list[tuple[str, float]], *, progress: bool
) -> list[tuple[int, float]]:
    """Create a task per (model, duration), one after another, and wait for each; (polls, lag) of each."""
    pending = iter([seconds for _, seconds in jobs])
    emu = Emulator(
        clock=ManualClock(),
        task_seconds=lambda _model: next(pending),
        queue_seconds=0.0,
        report_progress=progress,
        rate_limit=10**9,
    )
    costs: list[tuple[int, float]] = []
    with emu, httpx.Client(base_url=emu.base_url, headers=auth(emu)) as api:
        wait = waiter_factory(emu)
        for model, _ in jobs:
            created = api.post("/v1/videos/generations", json={"prompt": "bench", "model": model}).json()
            before = emu.stats.requests[POLL_ROUTE]
            wait(emu, created)
            stored = emu.ctx.store.get(created["task_id"])
            assert stored is not None
            costs.append((emu.stats.requests[POLL_ROUTE] - before, emu.clock.now() - stored.finished))
    if min(lag for _, lag in costs) < 0:
        msg = f"a waiter returned {-min(lag for _, lag in costs):.1f} s before its task finished"
        raise RuntimeError(msg)
    return costs


def auth(emu: Emulator) -> dict[str, str]:
    return {"Authorization": f"Bearer {emu.api_key}"}


def fixed_loop(interval: float) -> Callable[[Emulator], Waiter]:
    """The baseline: sleep `interval`, GET the task, until it is completed or failed."""

    def factory(emu: Emulator) -> Waiter:
        api = httpx.Client(base_url=emu.base_url, headers=auth(emu))
        clock = emu.clock
        assert isinstance(clock, ManualClock)

        def wait(_emu: Emulator, created: dict[str, Any]) -> None:
            while True:
                clock.advance(interval)
                if api.get(f"/v1/tasks/{created['task_id']}").json()["status"] in ("completed", "failed"):
                    return

        return wait

    return factory


def facade_wait(emu: Emulator) -> Waiter:
    """The façade's real `wait`, on the emulator's clock."""
    client = VideoClient(api_key=emu.api_key, base_url=emu.base_url)
    clock = emu.clock
    assert isinstance(clock, ManualClock)

    def wait(_emu: Emulator, created: dict[str, Any]) -> None:
        # The Task that create() returns, as a user holds it: the schedule starts from it.
        task = Task.from_payload(created)
        task = client.wait(task, clock=clock.now, sleep=clock.advance, timeout=4 * HIGH)
        if task.status.value != "completed":
            msg = f"task {task.id} ended {task.status.value}"
            raise RuntimeError(msg)

    return wait


def run(*, count: int) -> list[Figure]:
    from . import polling_mixed  # noqa: PLC0415  (it builds on this module)

    five = measure(fixed_loop(5.0), count=count, progress=True)
    one = measure(fixed_loop(1.0), count=count, progress=True)
    figures = []
    for progress in (True, False):
        ours = measure(facade_wait, count=count, progress=progress)
        mode = "with_progress" if progress else "without_progress"
        poll_target = WITH_PROGRESS_POLL_TARGET if progress else WITHOUT_PROGRESS_POLL_TARGET
        lag_target = WITH_PROGRESS_LAG_TARGET if progress else WITHOUT_PROGRESS_LAG_TARGET
        note = f"{count} tasks, 20-600 s log-uniform; 1 s loop: {one.polls:.1f} polls, lag {one.lag:.2f} s"
        figures += [
            Figure(
                key=f"polling.{mode}.polls",
                label=f"wait ({mode.replace('_', ' ')}) polls/task",
                value=ours.polls,
                baseline=five.polls,
                baseline_label="fixed 5 s loop",
                unit="polls",
                target=poll_target,
                note=note,
            ),
            Figure(
                key=f"polling.{mode}.lag",
                label=f"wait ({mode.replace('_', ' ')}) mean lag",
                value=ours.lag,
                baseline=five.lag,
                baseline_label="fixed 5 s loop",
                unit="s",
                target=lag_target,
                note=f"max lag {ours.max_lag:.1f} s (5 s loop: {five.max_lag:.1f} s)",
            ),
        ]
    return figures + polling_mixed.run(count=count)
