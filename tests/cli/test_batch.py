"""`lemonvideo batch`: concurrency, the request budget, the journal, and resuming after a crash."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

from journals import SqliteJournal
from lemondata_video.cli import _journal as jn
from lemondata_video.emulator import Emulator, Faults, RealClock
from lemondata_video.emulator._faults import CREATE_ROUTE

from .conftest import ANSI, assert_playable_mp4, cli_env, command, fast_emulator, run

POLL_ROUTE = "GET /v1/tasks/{task_id}"


def write_jobs(path: Path, jobs: list[dict[str, Any]]) -> str:
    path.write_text("".join(json.dumps(job) + "\n" for job in jobs))
    return str(path)


def report(out_dir: Path) -> list[dict[str, Any]]:
    lines = (out_dir / "lemonvideo-report.jsonl").read_text().splitlines()
    return [json.loads(line) for line in lines]


def journal_rows(out_dir: Path) -> dict[str, tuple[str, str | None]]:
    db = sqlite3.connect(f"file:{out_dir / jn.JOURNAL_NAME}?mode=ro", uri=True)
    try:
        return {
            job: (state, task) for job, state, task in db.execute("SELECT job_id, state, task_id FROM jobs")
        }
    except sqlite3.OperationalError:  # the table does not exist yet
        return {}
    finally:
        db.close()


class TestBatchRun:
    """A batch from start to finish."""

    def test_every_job_is_created_once_downloaded_once_and_reported(
        self, emu: Emulator, env: dict[str, str], tmp_path: Path
    ) -> None:
        jobs = write_jobs(tmp_path / "jobs.jsonl", [
            {"id": "a", "prompt": "A lemon"},
            {"id": "b", "prompt": "A lime", "model": "veo3.1-fast", "duration": 8},
            {"prompt": "An orange", "out": "sub/orange.mp4"},
        ])  # fmt: skip
        out_dir = tmp_path / "out"
        result = run("batch", jobs, "--out-dir", str(out_dir), "--concurrency", "3", env=env)
        assert result.code == 0, result.stderr
        for name in ("a.mp4", "b.mp4", "sub/orange.mp4"):
            assert_playable_mp4(out_dir / name)
        assert [(r["id"], r["state"]) for r in report(out_dir)] == [
            ("a", "downloaded"), ("b", "downloaded"), ("line-3", "downloaded"),
        ]  # fmt: skip
        assert emu.stats.tasks_created == 3
        assert sorted(emu.stats.downloads.values()) == [1, 1, 1]
        assert result.stdout.splitlines()[0].split() == ["JOB", "STATE", "TASK", "RESULT"]
        assert "3 jobs: 3 downloaded" in result.stdout
        assert ANSI not in result.stderr and "\r" not in result.stderr
        assert "lemonvideo: [3/3] " in result.stderr

        again = run("batch", jobs, "--out-dir", str(out_dir), "--json", env=env)
        assert again.code == 0, again.stderr
        assert emu.stats.tasks_created == 3
        assert sorted(emu.stats.downloads.values()) == [1, 1, 1]
        data = json.loads(again.stdout)
        assert {j["state"] for j in data["jobs"]} == {"downloaded"}
        assert data["journal"].endswith(jn.JOURNAL_NAME)

    def test_requests_stay_within_the_budget(
        self, emu: Emulator, env: dict[str, str], tmp_path: Path
    ) -> None:
        jobs = write_jobs(tmp_path / "jobs.jsonl", [{"prompt": f"lemon {n}"} for n in range(4)])
        started = time.monotonic()
        result = run(
            "batch", jobs, "--out-dir", str(tmp_path / "o"), "--concurrency", "4", "--rpm", "60", env=env
        )
        elapsed = time.monotonic() - started
        assert result.code == 0, result.stderr
        sent = emu.stats.requests[CREATE_ROUTE] + emu.stats.requests[POLL_ROUTE]
        assert sent >= 8  # four creates, at least one poll each
        assert sent <= 1 + elapsed * 1.0  # one request a second, evenly spaced

    def test_failed_and_invalid_jobs_are_reported_with_their_codes(self, tmp_path: Path) -> None:
        jobs = write_jobs(
            tmp_path / "jobs.jsonl",
            [{"id": "bad", "prompt": "x", "model": "sora-3"}, {"id": "ok", "prompt": "y"}],
        )
        with fast_emulator(failure_rate=1.0) as emu:
            result = run("batch", jobs, "--out-dir", str(tmp_path / "o"), env=cli_env(emu))
            assert emu.stats.tasks_created == 1
        assert result.code == 3  # invalid ranks before failed
        states = {r["id"]: (r["state"], r["error"]) for r in report(tmp_path / "o")}
        assert states["bad"][0] == "invalid" and "did you mean 'sora-2'" in states["bad"][1]
        assert states["ok"][0] == "failed"
        db = sqlite3.connect(tmp_path / "o" / jn.JOURNAL_NAME)
        events = db.execute("SELECT state FROM events WHERE job_id = 'bad' ORDER BY seq").fetchall()
        assert events == [("invalid",)]  # refused before it was ever journaled as submitting

    def test_bad_jobs_file_exits_3_and_a_missing_one_2(self, env: dict[str, str], tmp_path: Path) -> None:
        (tmp_path / "jobs.jsonl").write_text('{"prompt": "a"}\n{"prompt": 5}\n')
        bad = run("batch", str(tmp_path / "jobs.jsonl"), "--out-dir", str(tmp_path / "o"), env=env)
        assert (bad.code, bad.stderr) == (
            3,
            f'lemonvideo: error: {tmp_path}/jobs.jsonl:2: "prompt" must be a non-empty string\n',
        )
        missing = run("batch", str(tmp_path / "none.jsonl"), "--out-dir", str(tmp_path / "o"), env=env)
        assert missing.code == 2
        assert "cannot read jobs file" in missing.stderr


class TestUnknownOutcome:
    """A create whose answer was lost is reported, never silently resent (on either journal)."""

    def test_lost_answer_is_unknown_until_resubmit_is_asked(
        self, emu: Emulator, env: dict[str, str], tmp_path: Path, journal_backend: SqliteJournal
    ) -> None:
        jobs = write_jobs(tmp_path / "jobs.jsonl", [{"id": "j", "prompt": "A lemon"}])
        out = str(tmp_path / "o")
        extra = journal_backend.args()
        emu.set_faults(Faults(drop_after_create=1.0, routes=[CREATE_ROUTE], max_faults=1))
        first = run("batch", jobs, "--out-dir", out, "--json", *extra, env=env)
        assert first.code == 7
        job = json.loads(first.stdout)["jobs"][0]
        assert job["state"] == "unknown" and job["request_fingerprint"]
        second = run("batch", jobs, "--out-dir", out, *extra, env=env)
        assert second.code == 7
        assert emu.stats.requests[CREATE_ROUTE] == 1
        third = run("batch", jobs, "--out-dir", out, "--resubmit-unknown", *extra, env=env)
        assert third.code == 0, third.stderr
        assert emu.stats.requests[CREATE_ROUTE] == 2

    def test_a_crash_after_journaling_submitting_is_unknown(
        self, emu: Emulator, env: dict[str, str], tmp_path: Path, journal_backend: SqliteJournal
    ) -> None:
        jobs = write_jobs(tmp_path / "jobs.jsonl", [{"id": "j", "prompt": "A lemon"}])
        out_dir = tmp_path / "o"
        # What a process killed between the journal and the request leaves (with PostgreSQL, its lease too).
        journal_backend.leave_submitting(out_dir, jobs, "j")
        result = run("batch", jobs, "--out-dir", str(out_dir), *journal_backend.args(), env=env)
        assert result.code == 7
        assert report(out_dir)[0]["state"] == "unknown"
        assert "not resent" in report(out_dir)[0]["error"]
        assert emu.stats.requests[CREATE_ROUTE] == 0

    def test_a_changed_job_under_a_submitted_id_is_refused(
        self, env: dict[str, str], tmp_path: Path, journal_backend: SqliteJournal
    ) -> None:
        out, extra = str(tmp_path / "o"), journal_backend.args()
        path = tmp_path / "jobs.jsonl"
        first = run(
            "batch", write_jobs(path, [{"id": "j", "prompt": "A lemon"}]), "--out-dir", out, *extra, env=env
        )
        assert first.code == 0, first.stderr
        changed = run(
            "batch", write_jobs(path, [{"id": "j", "prompt": "A lime"}]), "--out-dir", out, *extra, env=env
        )
        assert changed.code == 3
        other = "--journal" if extra else "--out-dir"
        assert changed.stderr == (
            "lemonvideo: error: job 'j' (line 1) differs from the one already submitted from "
            f"{journal_backend.where(Path(out))}; give the changed job a new id, or use another {other}\n"
        )


class TestCrashAndResume:
    """Killing a batch and running it again neither repeats nor forgets anything (on either journal)."""

    def test_sigkill_mid_run_then_rerun_creates_and_downloads_each_job_once(
        self, tmp_path: Path, journal_backend: SqliteJournal
    ) -> None:
        # Fast jobs finish within a second; slow ones run 5 s (both at 20x), so the kill lands mid-run.
        seconds = {"sora-2": 2.0, "veo3.1-fast": 100.0}
        jobs = [{"id": f"fast-{n}", "prompt": f"lemon {n}"} for n in range(3)]
        jobs += [{"id": f"slow-{n}", "prompt": f"lime {n}", "model": "veo3.1-fast"} for n in range(3)]
        path = write_jobs(tmp_path / "jobs.jsonl", jobs)
        out_dir = tmp_path / "o"
        extra = journal_backend.args()
        argv = command("batch", path, "--out-dir", str(out_dir), "--concurrency", "6", *extra)
        with Emulator(clock=RealClock(20.0), task_seconds=seconds, queue_seconds=0.0) as emu:
            env = cli_env(emu)
            process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                rows = journal_backend.rows(out_dir)
                downloaded = [j for j, (state, _) in rows.items() if state == jn.DOWNLOADED]
                if len(downloaded) == 3 and all(task for _, task in rows.values()) and len(rows) == 6:
                    break
                time.sleep(0.02)
            process.send_signal(signal.SIGKILL)
            assert process.wait(timeout=10) == -signal.SIGKILL
            at_kill = journal_backend.rows(out_dir)
            assert sorted(state for state, _ in at_kill.values()) == ["downloaded"] * 3 + ["running"] * 3
            assert emu.stats.tasks_created == 6
            assert sum(emu.stats.downloads.values()) == 3

            result = run(
                "batch", path, "--out-dir", str(out_dir), "--concurrency", "6", "--json", *extra, env=env
            )
            assert result.code == 0, result.stderr
            assert emu.stats.tasks_created == 6
            assert emu.stats.requests[CREATE_ROUTE] == 6
            assert sorted(emu.stats.downloads.values()) == [1] * 6
        results = json.loads(result.stdout)["jobs"]
        assert {r["state"] for r in results} == {"downloaded"}
        assert {r["task_id"] for r in results} == {task for _, task in at_kill.values()}
        for job in jobs:
            assert_playable_mp4(out_dir / f"{job['id']}.mp4")

    def test_ctrl_c_journals_everything_and_the_rerun_finishes(
        self, tmp_path: Path, journal_backend: SqliteJournal
    ) -> None:
        path = write_jobs(tmp_path / "jobs.jsonl", [{"id": f"j{n}", "prompt": f"lime {n}"} for n in range(3)])
        out_dir = tmp_path / "o"
        extra = journal_backend.args()
        with fast_emulator(task_seconds=60.0) as emu:
            env = cli_env(emu)
            process = subprocess.Popen(
                command("batch", path, "--out-dir", str(out_dir), *extra),
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            deadline = time.monotonic() + 20
            while emu.stats.tasks_created < 3 and time.monotonic() < deadline:
                time.sleep(0.02)
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=30)
            assert process.returncode == 130, stderr
            assert "rerun the same command to resume" in stderr
            assert all(task for _, task in journal_backend.rows(out_dir).values())
            result = run("batch", path, "--out-dir", str(out_dir), *extra, env=env)
            assert result.code == 0, result.stderr
            assert emu.stats.tasks_created == 3
            assert sorted(emu.stats.downloads.values()) == [1, 1, 1]
