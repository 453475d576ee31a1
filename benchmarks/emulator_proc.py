"""The emulator in a process of its own, so a client's CPU and memory can be measured alone.

``python -m benchmarks.emulator_proc '<json options>'`` prints one JSON line with the URLs and
keys once serving, then answers ``stats`` on stdin with a JSON line of counters (requests per
route, tasks created, 429s answered by the rate limiter), and stops at EOF. Options:
``time_scale``, ``rate_limit``, ``keys`` (how many API keys), ``queue_seconds``,
``report_progress``, ``seed``, and ``task_seconds`` as a number or ``[low, high]`` for durations drawn
log-uniformly (seeded).
"""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from typing import IO, Any

from lemondata_video.emulator import Emulator, RealClock

from ._common import ROOT, child_env


def log_uniform(low: float, high: float, *, seed: int) -> Any:
    """A task_seconds callable drawing each task's duration log-uniformly from [low, high]."""
    rng = random.Random(seed)
    return lambda _model: math.exp(rng.uniform(math.log(low), math.log(high)))


def count_refusals(emulator: Emulator) -> list[int]:
    """Count the 429s the emulator's rate limiter answers (its stats do not say)."""
    limiter = emulator.ctx.limiter
    hit = limiter.hit
    refused = [0]

    def counting_hit(key: str) -> Any:
        verdict = hit(key)
        refused[0] += not verdict.allowed
        return verdict

    limiter.hit = counting_hit  # type: ignore[method-assign]
    return refused


def main() -> None:
    options = json.loads(sys.argv[1])
    task_seconds = options.get("task_seconds", 5.0)
    if isinstance(task_seconds, list):
        task_seconds = log_uniform(*task_seconds, seed=options.get("seed", 1))
    emulator = Emulator(
        clock=RealClock(time_scale=options.get("time_scale", 1.0)),
        api_keys=[f"sk-bench-{index}" for index in range(options.get("keys", 2))],
        rate_limit=options.get("rate_limit", 10**9),
        task_seconds=task_seconds,
        queue_seconds=options.get("queue_seconds", 0.0),
        report_progress=options.get("report_progress", True),
    )
    refused = count_refusals(emulator)
    with emulator:
        hello = {"base_url": emulator.base_url, "file_host_url": emulator.file_host_url}
        print(json.dumps({**hello, "api_keys": list(emulator.api_keys)}), flush=True)
        for line in sys.stdin:
            if line.strip() == "stats":
                stats = emulator.stats
                counters = {
                    "tasks_created": stats.tasks_created,
                    "requests": dict(stats.requests),
                    "rate_limited": refused[0],
                }
                print(json.dumps(counters), flush=True)


class EmulatorProcess:
    """A started ``emulator_proc``; ``with EmulatorProcess(rate_limit=1000) as emu: emu.base_url``."""

    def __init__(self, **options: Any) -> None:
        self.options = options
        self.proc: subprocess.Popen[str] | None = None
        self.info: dict[str, Any] = {}

    def __enter__(self) -> EmulatorProcess:
        self.proc = subprocess.Popen(  # noqa: S603  (our own interpreter and module)
            [sys.executable, "-m", "benchmarks.emulator_proc", json.dumps(self.options)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=child_env(),
            cwd=ROOT,
        )
        self.info = json.loads(self._stdout().readline())
        return self

    def _stdout(self) -> IO[str]:
        assert self.proc is not None and self.proc.stdout is not None
        return self.proc.stdout

    @property
    def base_url(self) -> str:
        return str(self.info["base_url"])

    @property
    def file_host_url(self) -> str:
        return str(self.info["file_host_url"])

    @property
    def api_keys(self) -> list[str]:
        return list(self.info["api_keys"])

    def stats(self) -> dict[str, Any]:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.write("stats\n")
        self.proc.stdin.flush()
        return dict(json.loads(self._stdout().readline()))

    def __exit__(self, *exc_info: object) -> None:
        assert self.proc is not None and self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


if __name__ == "__main__":
    main()
