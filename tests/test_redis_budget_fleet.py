"""4 processes x 2 clients on one account: one Redis budget keeps them all under the service's limit.

The emulator runs 20x faster than real time, so its one-minute rate-limit windows last 3 s and
allow LIMIT requests each. The budget is a little under that (BUDGET per emulated minute, in real
requests per minute). Eight clients in four processes (two with sync clients in threads, two with
async clients) poll one task as fast as their budget lets them for RUN_SECONDS: with one
RedisBudget shared by all they draw no 429 and together send at the budget's rate (within 2%);
with a local budget each, each believing it owns the account, they draw 429s: many when the
budgets only pace, far fewer when they also heed the answers (429s, X-RateLimit-Remaining and
-Reset slow each of them down), though then they no longer use the whole rate.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from lemondata_video.emulator import Emulator, RealClock

ROOT = Path(__file__).resolve().parents[1]
SCALE = 20.0  # emulated seconds per real second
LIMIT = 90  # the emulator's requests per emulated minute (3 s of real time)
BUDGET = 75  # requests per emulated minute: 1,500 a real minute, one every 40 ms
PER_REAL_MINUTE = BUDGET * SCALE
PROCESSES = ("sync", "async", "sync", "async")
STARTUP_SECONDS = 6.0  # every process has imported and built its clients by then
RUN_SECONDS = 8.0


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(clock=RealClock(SCALE), rate_limit=LIMIT, task_seconds=1e9) as emulator:
        yield emulator


def fleet(emu: Emulator, redis_url: str | None, *, deaf: bool = False) -> tuple[list[float], int]:
    """Run the four processes together; every send time and the number of 429s."""
    headers = {"Authorization": f"Bearer {emu.api_key}"}
    created = httpx.post(f"{emu.base_url}/v1/videos/generations", json={"prompt": "a"}, headers=headers)
    start_at = time.time() + STARTUP_SECONDS
    config: dict[str, Any] = {
        "api_key": emu.api_key, "base_url": emu.base_url, "task_id": created.json()["task_id"],
        "redis_url": redis_url, "key": f"fleet:{uuid.uuid4().hex}", "per_minute": PER_REAL_MINUTE,
        "start_at": start_at, "end_at": start_at + RUN_SECONDS, "deaf": deaf,
    }  # fmt: skip
    env = {"PYTHONPATH": f"{ROOT / 'facade'}:{ROOT / 'generated'}", "PATH": "/usr/bin:/bin"}
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "tests" / "budget_load.py"),
                json.dumps(config | {"flavour": flavour}),
            ],
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )
        for flavour in PROCESSES
    ]
    results = []
    for process in processes:
        stdout, _ = process.communicate(timeout=STARTUP_SECONDS + RUN_SECONDS + 60)
        assert process.returncode == 0
        results.append(json.loads(stdout))
    sent = sorted(t for result in results for t in result["sent"])
    assert sent[0] >= start_at  # every process was ready before the start
    return sent, sum(result["limited"] for result in results)


def per_minute(sent: list[float]) -> float:
    return (len(sent) - 1) / (sent[-1] - sent[0]) * 60


def test_one_shared_redis_budget_draws_no_429_and_sends_at_the_budget(emu: Emulator, redis_url: str) -> None:
    sent, limited = fleet(emu, redis_url)
    rate = per_minute(sent)
    print(
        f"shared: {len(sent)} requests, {limited} 429s, {rate:.0f}/min for a budget of {PER_REAL_MINUTE:.0f}"
    )
    assert limited == 0
    assert abs(rate - PER_REAL_MINUTE) <= 0.02 * PER_REAL_MINUTE


def test_separate_local_budgets_draw_429s_and_heeding_the_answers_draws_far_fewer(emu: Emulator) -> None:
    deaf_sent, deaf_limited = fleet(emu, None, deaf=True)
    deaf_rate = per_minute(deaf_sent)
    print(f"local, pacing only: {len(deaf_sent)} requests, {deaf_limited} 429s, {deaf_rate:.0f}/min")
    # A fresh emulator: the run above left its account's window spent.
    with Emulator(clock=RealClock(SCALE), rate_limit=LIMIT, task_seconds=1e9) as fresh:
        sent, limited = fleet(fresh, None)
    print(f"local, heeding the answers: {len(sent)} requests, {limited} 429s, {per_minute(sent):.0f}/min")
    assert deaf_limited > 0
    assert limited * 10 < deaf_limited
