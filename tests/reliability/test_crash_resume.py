"""Crash and resume: `lemonvideo batch` killed with SIGKILL at 10 random points, then run to the end.

One batch of jobs, one emulator in this process (it outlives every CLI process),
one journal. Ten runs are each killed at a random moment (seeded), each resuming
from the journal the previous one left; an eleventh runs to completion. The
emulator's counters then say how many tasks were created and which files were
downloaded. A kill can land between the create reaching the service and its
task id reaching the journal: the job is then reported `unknown` and never
resent; the test counts those separately (they are the only way a task can be
created and not collected), and resubmits them only when no such task exists.

The CLI runs as a real process through its real `main`, with one change: the
SDK's first poll comes after FIRST_POLL_AFTER_S instead of 25 s, as the CLI's
own embedded emulator does with its poll cap, so a run lasts seconds.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from lemondata_video.emulator import Emulator, RealClock
from lemondata_video.emulator._faults import CREATE_ROUTE

from .conftest import ROOT, SAMPLE_MP4, SECRET_KEY

JOBS = 24
KILLS = 10
SEED = 20261125
# Each run is killed this many seconds after it starts (the CLI needs ~0.5 s to import).
KILL_AFTER = (0.5, 1.7)
FIRST_POLL_AFTER_S = 0.3
CLI = (
    "import sys; from lemondata_video import _polling; "
    f"_polling.FIRST_POLL_AFTER = {FIRST_POLL_AFTER_S}; "
    "from lemondata_video.cli import main; sys.exit(main())"
)
FINAL_TIMEOUT = 120


def cli_env(emu: Emulator) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEMONDATA_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "facade"), str(ROOT / "generated")])
    env["LEMONDATA_API_KEY"] = emu.api_key
    env["LEMONDATA_BASE_URL"] = emu.base_url
    return env


def batch_argv(jobs: Path, out_dir: Path, *extra: str) -> list[str]:
    # --rpm spreads the requests over a couple of seconds so kills land in every phase.
    return [
        sys.executable, "-c", CLI, "batch", str(jobs), "--out-dir", str(out_dir),
        "--concurrency", "4", "--rpm", "300", "--json", *extra,
    ]  # fmt: skip


def journal_states(out_dir: Path) -> dict[str, int]:
    """How many jobs the journal holds in each state (read-only; empty before the first run)."""
    path = out_dir / ".lemonvideo-journal.sqlite"
    if not path.exists():
        return {}
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return dict(Counter(state for (state,) in db.execute("SELECT state FROM jobs")))
    except sqlite3.OperationalError:  # killed before the table was made
        return {}
    finally:
        db.close()


def states(result: dict[str, Any]) -> dict[str, str]:
    return {job["id"]: job["state"] for job in result["jobs"]}


def test_ten_sigkills_then_every_job_created_once_and_downloaded(tmp_path: Path) -> None:
    """After 10 SIGKILLs and a resume: tasks created == jobs, every video downloaded, none twice."""
    rng = random.Random(SEED)
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(
        "".join(json.dumps({"id": f"j{n:02d}", "prompt": f"lemon {n}"}) + "\n" for n in range(JOBS))
    )
    out_dir = tmp_path / "out"
    # Tasks finish the moment they are created: the first poll sees them completed.
    with Emulator(clock=RealClock(), task_seconds=0.0, queue_seconds=0.0, api_keys=[SECRET_KEY]) as emu:
        env = cli_env(emu)
        kills: list[tuple[float, int]] = []
        at_kill: list[dict[str, int]] = []
        for _ in range(KILLS):
            delay = rng.uniform(*KILL_AFTER)
            process = subprocess.Popen(
                batch_argv(jobs, out_dir), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            time.sleep(delay)
            process.send_signal(signal.SIGKILL)
            kills.append((round(delay, 2), process.wait(timeout=10)))
            at_kill.append(journal_states(out_dir))
        final = subprocess.run(
            batch_argv(jobs, out_dir),
            env=env,
            capture_output=True,
            text=True,
            timeout=FINAL_TIMEOUT,
            check=False,
        )
        result = json.loads(final.stdout)
        ended = states(result)
        unknown = sorted(job for job, state in ended.items() if state == "unknown")
        orphans = emu.stats.tasks_created - sum(state == "downloaded" for state in ended.values())
        print(f"kills (s, exit): {kills}\njournal at each kill: {at_kill}")
        print(f"unknown after resume: {unknown}; orphan tasks: {orphans}; downloads: {emu.stats.downloads}")
        if unknown and orphans == 0:  # each unknown create never reached the service: safe to resend
            final = subprocess.run(
                batch_argv(jobs, out_dir, "--resubmit-unknown"),
                env=env, capture_output=True, text=True, timeout=FINAL_TIMEOUT, check=False,
            )  # fmt: skip
            ended = states(json.loads(final.stdout))
        assert final.returncode == 0, final.stderr
        assert ended == {f"j{n:02d}": "downloaded" for n in range(JOBS)}
        assert emu.stats.tasks_created == JOBS
        assert emu.stats.requests[CREATE_ROUTE] == JOBS
        task_files = [name for name in emu.stats.downloads if name != "sample.mp4"]
        assert len(task_files) == JOBS  # every task's video was fetched (a kill mid-body may refetch one)
    assert all(code == -signal.SIGKILL for _, code in kills)
    assert any(
        counts.get("running") or counts.get("submitting") for counts in at_kill
    )  # kills hit mid-flight
    # The key (a recognisable one) is in no file of the output directory and no output of the CLI.
    for path in out_dir.rglob("*"):
        assert SECRET_KEY.encode() not in path.read_bytes(), path
    assert SECRET_KEY not in final.stdout + final.stderr
    for n in range(JOBS):
        assert (out_dir / f"j{n:02d}.mp4").read_bytes() == SAMPLE_MP4
    leftovers = [p.name for p in out_dir.iterdir() if p.name.endswith(".part")]
    assert leftovers == []
