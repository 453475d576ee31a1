"""Several `lemonvideo batch` workers on one PostgreSQL journal, sharing one Redis budget.

Three workers claim from one queue; one is killed with SIGKILL while its jobs run and a fourth
starts later. The emulator's counters then say every job was created once and downloaded once,
and the journal says the dead worker's jobs were finished by the others, after its lease ran out.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import psycopg
from journals import PostgresJournal
from lemondata_video.cli import _journal as jn
from lemondata_video.emulator import Emulator, RealClock
from lemondata_video.emulator._faults import CREATE_ROUTE

from .conftest import assert_playable_mp4, cli_env, command
from .test_batch import write_jobs

JOBS = 12
LEASE = 3.0
STARTUP_LIMIT = 60.0


def query(url: str, sql: str, *params: object) -> list[tuple[object, ...]]:
    with psycopg.connect(url, autocommit=True) as db:
        return list(db.execute(sql, params))  # type: ignore[arg-type]


def held_by(url: str, pid: int) -> list[tuple[str, str | None, str | None]]:
    """The jobs a worker process holds a lease on: (job, state, task id)."""
    rows = query(
        url,
        "SELECT q.job_id, j.state, j.task_id FROM queue q LEFT JOIN jobs j USING (job_id) "
        "WHERE q.lease_owner LIKE %s AND q.lease_until IS NOT NULL",
        f"%:{pid}:%",
    )
    return [(str(job), state, task) for job, state, task in rows]  # type: ignore[misc]


def until(check: object, what: str) -> None:
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def worker(
    jobs: str | None, out_dir: Path, url: str, redis_url: str, env: dict[str, str]
) -> subprocess.Popen[str]:
    """A worker (the first one also queues JOBS.jsonl) with 3 jobs at a time and a 3-second lease."""
    head = ("batch", jobs) if jobs else ("batch", "--worker")
    argv = command(
        *head, "--journal", url, "--out-dir", str(out_dir), "--concurrency", "3", "--lease", str(LEASE),
        "--redis", redis_url, "--rpm", "600", "--json",
    )  # fmt: skip
    return subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def queued(url: str) -> int:
    """How many jobs the queue holds (0 before it exists)."""
    if not query(url, "SELECT to_regclass('queue')")[0][0]:
        return 0
    return int(query(url, "SELECT count(*) FROM queue")[0][0])  # type: ignore[call-overload]


def lease_until(url: str, job_id: str) -> float:
    rows = query(url, "SELECT extract(epoch FROM lease_until) FROM queue WHERE job_id = %s", job_id)
    return float(rows[0][0])  # type: ignore[arg-type]


class TestWorkers:
    """Workers claim jobs from one queue; a dead worker's jobs are finished by the others."""

    def test_a_killed_worker_s_jobs_are_finished_by_the_others_each_created_and_downloaded_once(
        self, tmp_path: Path, postgres_journal: PostgresJournal, redis_url: str
    ) -> None:
        url = postgres_journal.url
        path = write_jobs(
            tmp_path / "jobs.jsonl", [{"id": f"j{n:02d}", "prompt": f"lemon {n}"} for n in range(JOBS)]
        )
        out_dir = tmp_path / "out"
        # Tasks take 3 s at 20x, so a worker holds running jobs for seconds: the kill lands mid-run.
        with Emulator(clock=RealClock(20.0), task_seconds=60.0, queue_seconds=0.0) as emu:
            env = cli_env(emu)
            first = worker(path, out_dir, url, redis_url, env)
            until(lambda: queued(url) == JOBS, "the first worker to queue the jobs")
            victim, third = (
                worker(None, out_dir, url, redis_url, env),
                worker(None, out_dir, url, redis_url, env),
            )

            def victim_runs_only() -> bool:
                held = held_by(url, victim.pid)
                return len(held) >= 2 and all(state == jn.RUNNING and task for _, state, task in held)

            until(victim_runs_only, "the victim's jobs to be running")
            victim.send_signal(signal.SIGKILL)
            assert victim.wait(timeout=10) == -signal.SIGKILL
            killed_at = time.time()
            orphaned = {job: task for job, _, task in held_by(url, victim.pid)}
            expired_at = max(lease_until(url, job) for job in orphaned)
            time.sleep(0.5)
            fourth = worker(None, out_dir, url, redis_url, env)
            results = [p.communicate(timeout=120) for p in (first, third, fourth)]
            for process, (_, stderr) in zip((first, third, fourth), results, strict=True):
                assert process.returncode == 0, stderr
            assert emu.stats.tasks_created == JOBS
            assert emu.stats.requests[CREATE_ROUTE] == JOBS
            task_files = {name: n for name, n in emu.stats.downloads.items() if name != "sample.mp4"}
            assert sorted(task_files.values()) == [1] * JOBS
        final = json.loads(results[0][0])["jobs"]
        assert {job["state"] for job in final} == {"downloaded"}
        for job in final:
            assert_playable_mp4(out_dir / f"{job['id']}.mp4")
        # The dead worker's jobs kept their task ids and were finished by others once its lease ran out.
        by_id = {job["id"]: job for job in final}
        assert {job: by_id[job]["task_id"] for job in orphaned} == orphaned
        events = query(url, "SELECT job_id, state, worker, at FROM events ORDER BY seq")
        for job in orphaned:
            later = [(state, who, at) for name, state, who, at in events if name == job and at > killed_at]
            assert later and all(f":{victim.pid}:" not in str(who) for _, who, _ in later)
            assert all(float(at) >= expired_at for _, _, at in later)  # type: ignore[arg-type]
            assert [state for state, _, _ in later][-2:] == [jn.DOWNLOADING, jn.DOWNLOADED]
        pids = {"first": first.pid, "third": third.pid, "fourth": fourth.pid}
        finished_by = {
            job: next(name for name, pid in pids.items() if f":{pid}:" in str(who))
            for job, state, who, _ in events
            if state == jn.DOWNLOADED
        }
        print(
            f"victim held {sorted(orphaned)}, its lease expired {expired_at - killed_at:.1f} s "
            "after the kill; "
            f"downloads by worker: {dict(sorted(Counter(finished_by.values()).items()))}, "
            f"the victim's jobs by {sorted({finished_by[job] for job in orphaned})}"
        )
