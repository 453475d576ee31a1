"""The emulator's video latency: time to the first byte of a task's MP4, cold and cached.

The emulator runs in its own process (tasks complete at once: ``task_seconds`` and
``queue_seconds`` 0), so the figures are its own, not the client's. For each repetition a
request with a new prompt (a clip nobody rendered: the whole file is encoded, ``cold``), then
a second task with the same request (the clip is cached, only the task's first second is
encoded, ``cached``), then that task's file again (served from memory, ``repeat``). Each
figure is the time from sending the GET to reading the first body byte, median of the
repetitions; ``/files/sample.mp4``, the fixed clip every task used to point at, is the
reference in the notes. At full size the request is 1080p for 10 s (sora-2: 30 fps, 300
frames, the emulator's render cap).
"""

from __future__ import annotations

import time
from typing import Any

import httpx

from ._common import Figure, median
from .emulator_proc import EmulatorProcess

COLD_TARGET_SECONDS = 10.0
CACHED_TARGET_SECONDS = 2.0
REPEAT_TARGET_SECONDS = 0.1
SAMPLE_ROUNDS = 5


def first_byte(http: httpx.Client, url: str) -> tuple[float, int]:
    """Seconds from sending a GET of ``url`` to its first body byte, and its Content-Length."""
    start = time.perf_counter()
    with http.stream("GET", url) as response:
        response.raise_for_status()
        chunks = response.iter_raw()
        next(chunks)
        elapsed = time.perf_counter() - start
        for _ in chunks:  # read to the end: a connection closed mid-body makes the server log
            pass
        return elapsed, int(response.headers["content-length"])


def completed_url(api: httpx.Client, body: dict[str, Any]) -> str:
    """Create a task and poll until it is completed; its ``video_url``."""
    task = api.post("/v1/videos/generations", json=body).json()
    while True:
        done = api.get(f"/v1/tasks/{task['task_id']}").json()
        if done["status"] == "completed":
            return str(done["video_url"])
        time.sleep(0.01)


def run(*, resolution: str, duration: int, repetitions: int) -> list[Figure]:
    times: dict[str, list[float]] = {"cold": [], "cached": [], "repeat": []}
    size = 0
    with EmulatorProcess(task_seconds=0.0, queue_seconds=0.0) as emu, httpx.Client(timeout=600) as http:
        headers = {"Authorization": f"Bearer {emu.api_keys[0]}"}
        with httpx.Client(base_url=emu.base_url, headers=headers, timeout=60) as api:
            for index in range(repetitions):
                body = {"prompt": f"benchmark {index}: a lemon rolling", "model": "sora-2"}
                body.update(resolution=resolution, duration=duration)
                cold, size = first_byte(http, completed_url(api, body))
                second = completed_url(api, body)
                times["cold"].append(cold)
                times["cached"].append(first_byte(http, second)[0])
                times["repeat"].append(first_byte(http, second)[0])
        sample = median(
            [first_byte(http, f"{emu.file_host_url}/files/sample.mp4")[0] for _ in range(SAMPLE_ROUNDS)]
        )
    what = f"{resolution}, {duration} s, sora-2 (30 fps), {size / 1e6:.2f} MB"
    note = f"{what}; /files/sample.mp4 {sample * 1000:.2f} ms"
    labels = {
        "cold": ("first byte of a new request's file (whole clip encoded)", COLD_TARGET_SECONDS),
        "cached": (
            "first byte of another task of a cached clip (its first second encoded)",
            CACHED_TARGET_SECONDS,
        ),
        "repeat": ("first byte of a file already made (from memory)", REPEAT_TARGET_SECONDS),
    }
    return [
        Figure(f"video.ttfb.{kind}", label, median(times[kind]), None, "s", target, note=note)
        for kind, (label, target) in labels.items()
    ]
