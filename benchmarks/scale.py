"""Scale: thousands of concurrent ``wait``s on one AsyncVideoClient under a requests-per-minute budget.

The emulator runs in its own process on ``RealClock(time_scale=S)``, with the service's
budget (1,000 requests per emulated minute per key) and task durations log-uniform in
20-600 emulated seconds. The client runs in another process: one ``AsyncVideoClient``
creates every task and waits on all of them at once, its ``wait`` on a clock and sleep
scaled by the same S, and so is its budget: a ``RequestBudget`` of 950 requests per emulated
minute (95% of the service's 1,000, see CLIENT_RPM) on the scaled clock, so the Retry-After and
X-RateLimit-Reset seconds the emulator answers mean the same to both. Figures: the 429s the
emulator answered, requests per completed task (the floor is 2: one create, one poll), the
client's peak RSS, and its CPU per request against raw httpx sending the same mix of requests
(the creates, then polls round-robin) at the same pace, in a second client process against the
same emulator with another key.

``scale.contended`` (``hogs=2``) runs the same with two CPU-bound processes (busy loops, started
before the emulator and killed after the run) competing for the cores, so the client's event
loop falls behind its booked slots: the case a budget must survive without bunching late
requests into the service's next window. Its figures are the 429s and requests per task
(no raw httpx baseline: CPU and memory under the hogs say nothing of the client).
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx

from ._common import Figure, cpu_seconds, peak_rss_mb, run_worker

BUDGET_RPM = 1000.0
# The client paces itself at 95% of the service's budget. The service counts fixed one-minute
# windows, and a request sent a little late (event-loop jitter) lands in the next window with
# its punctual successors: at exactly 100% that window gets one request too many (a 429 seen
# in a 2,000-task run at time scale 10). The CLI's default --rpm keeps 50% headroom.
CLIENT_RPM = 0.95 * BUDGET_RPM
RSS_TARGET_MB = 250.0
CPU_TARGET = 1.2
CREATE_ROUTE = "POST /v1/videos/generations"
POLL_ROUTE = "GET /v1/tasks/{task_id}"
WAIT_TIMEOUT_EMULATED = 24 * 3600.0
CONNECTIONS = 100
# One create and one poll: what a task costs when its first poll finds it done.
REQUESTS_PER_TASK_FLOOR = 2.0
REQUESTS_PER_TASK_TARGET = 3.0
HOG_CODE = "while True: pass"


async def facade_run(opts: dict[str, Any]) -> dict[str, float]:
    from lemondata_video import AsyncVideoClient  # noqa: PLC0415  (the raw worker does without)

    scale = float(opts["time_scale"])

    def clock() -> float:
        return time.monotonic() * scale

    async def sleep(seconds: float) -> None:
        await asyncio.sleep(seconds / scale)

    from lemondata_video import RequestBudget  # noqa: PLC0415

    budget = RequestBudget(CLIENT_RPM, clock=clock, asleep=sleep)
    client = AsyncVideoClient(api_key=opts["api_key"], base_url=opts["base_url"], rate_limit=budget)

    async def one() -> str:
        task = await client.create("a lemon, rolling", model="sora-2")
        done = await client.wait(task, clock=clock, sleep=sleep, timeout=WAIT_TIMEOUT_EMULATED)
        return done.status.value

    cpu, start = cpu_seconds(), time.perf_counter()
    async with client:
        statuses = await asyncio.gather(*(one() for _ in range(int(opts["tasks"]))))
    completed = sum(status == "completed" for status in statuses)
    return {"cpu": cpu_seconds() - cpu, "seconds": time.perf_counter() - start, "completed": completed}


async def raw_run(opts: dict[str, Any]) -> dict[str, float]:
    """The same creates and polls with httpx alone, paced evenly at the same budget."""
    interval = 60.0 / (CLIENT_RPM * float(opts["time_scale"]))
    polls_left = int(opts["polls"])
    next_slot = time.monotonic()

    async def turn() -> None:
        nonlocal next_slot
        now = time.monotonic()
        slot = max(next_slot, now)
        next_slot = slot + interval
        await asyncio.sleep(slot - now)

    headers = {"Authorization": f"Bearer {opts['api_key']}"}
    limits = httpx.Limits(max_connections=CONNECTIONS)
    async with httpx.AsyncClient(base_url=opts["base_url"], headers=headers, limits=limits) as http:

        async def one() -> None:
            nonlocal polls_left
            await turn()
            body = {"prompt": "a lemon, rolling", "model": "sora-2"}
            poll_url = (await http.post("/v1/videos/generations", json=body)).json()["poll_url"]
            while polls_left > 0:
                polls_left -= 1
                await turn()
                (await http.get(poll_url)).json()

        cpu, start = cpu_seconds(), time.perf_counter()
        await asyncio.gather(*(one() for _ in range(int(opts["tasks"]))))
    return {"cpu": cpu_seconds() - cpu, "seconds": time.perf_counter() - start}


class GCTimer:
    """Seconds spent in the cyclic garbage collector, from gc.callbacks."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._began = 0.0

    def __call__(self, phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            self._began = time.process_time()
        else:
            self.seconds += time.process_time() - self._began


def worker(how: str, opts: dict[str, Any]) -> dict[str, float]:
    timer = GCTimer()
    gc.callbacks.append(timer)
    result = asyncio.run(facade_run(opts) if how == "facade" else raw_run(opts))
    gc.callbacks.remove(timer)
    return {**result, "gc": timer.seconds, "peak_rss_mb": peak_rss_mb()}


@contextlib.contextmanager
def cpu_hogs(count: int) -> Iterator[None]:
    """`count` busy-loop processes competing for the cores while the block runs; killed after it."""
    hogs = [subprocess.Popen([sys.executable, "-c", HOG_CODE]) for _ in range(count)]  # noqa: S603
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
        for hog in hogs:
            hog.wait()


def measure(*, tasks: int, time_scale: float, baseline: bool = True) -> dict[str, Any]:
    """Run the façade client, then (with `baseline`) raw httpx, against one emulator; results and stats."""
    # Not at the top: the client worker imports this module, and its RSS must not include the emulator's.
    from .emulator_proc import EmulatorProcess  # noqa: PLC0415

    emulator_options = {
        "time_scale": time_scale,
        "rate_limit": int(BUDGET_RPM),
        "task_seconds": [20.0, 600.0],
        "queue_seconds": 0.0,
    }
    with EmulatorProcess(**emulator_options) as emu:
        common = {"base_url": emu.base_url, "time_scale": time_scale, "tasks": tasks}
        ours = run_worker("scale", "facade", json.dumps({**common, "api_key": emu.api_keys[0]}))
        seen = emu.stats()
        if not baseline:
            return {"ours": ours, "seen": seen}
        raw_options = {**common, "api_key": emu.api_keys[1], "polls": seen["requests"].get(POLL_ROUTE, 0)}
        theirs = run_worker("scale", "raw", json.dumps(raw_options))
        after = emu.stats()
    return {"ours": ours, "theirs": theirs, "seen": seen, "after": after}


def run(*, tasks: int, time_scale: float, hogs: int = 0) -> list[Figure]:
    # Under the hogs the raw httpx baseline is skipped: CPU per request means nothing there (and the
    # starved raw client outlived the worker timeout in a 10,000-task run); its figures are the 429s.
    with cpu_hogs(hogs):
        measured = measure(tasks=tasks, time_scale=time_scale, baseline=not hogs)
    ours, seen = measured["ours"], measured["seen"]
    prefix = "scale.contended" if hogs else "scale"
    creates, polls = seen["requests"].get(CREATE_ROUTE, 0), seen["requests"].get(POLL_ROUTE, 0)
    requests = sum(seen["requests"].values())
    refused = seen["rate_limited"]
    minutes = ours["seconds"] * time_scale / 60
    completed = int(ours["completed"])
    hogged = f", {hogs} CPU hogs" if hogs else ""
    note = (
        f"{tasks} tasks, time scale {time_scale:g}{hogged}: {creates} creates + {polls} polls in "
        f"{ours['seconds']:.0f} s ({minutes:.1f} emulated min, {requests / minutes:.0f}/min); "
        f"{completed} completed"
    )
    figures = [
        Figure(
            key=f"{prefix}.429s",
            label="429 answers",
            value=refused,
            baseline=None,
            unit="",
            target=0,
            note=note,
        ),
        Figure(
            key=f"{prefix}.requests_per_task",
            label="requests per completed task",
            value=requests / max(completed, 1),
            baseline=None,
            unit="",
            target=REQUESTS_PER_TASK_TARGET,
            note=f"floor {REQUESTS_PER_TASK_FLOOR:g} (one create, one poll); {requests} requests",
        ),
    ]
    if hogs:
        return figures
    theirs, after = measured["theirs"], measured["after"]
    raw_requests = sum(after["requests"].values()) - requests
    return [
        *figures,
        Figure(
            key=f"{prefix}.rss",
            label="client peak RSS",
            value=ours["peak_rss_mb"],
            baseline=None,
            unit="MB",
            target=RSS_TARGET_MB,
            note=f"raw httpx client: {theirs['peak_rss_mb']:.0f} MB",
        ),
        Figure(
            key=f"{prefix}.cpu",
            label="client CPU per request",
            value=1e6 * ours["cpu"] / requests,
            baseline=1e6 * theirs["cpu"] / raw_requests,
            baseline_label="raw httpx",
            unit="us",
            target=CPU_TARGET,
            note=(
                f"raw httpx sent {raw_requests} requests, {after['rate_limited'] - refused} 429s; "
                f"cyclic GC {1e6 * ours['gc'] / requests:.0f} vs "
                f"{1e6 * theirs['gc'] / raw_requests:.0f} us/request"
            ),
        ),
    ]


if __name__ == "__main__":
    print(json.dumps(worker(sys.argv[1], json.loads(sys.argv[2]))))
