"""`lemonvideo batch` under a request budget: a create is journaled as it goes out, not while it waits.

With `--rpm 2` a slot comes every 30 s, so of three creates started together the first goes at once
and the other two wait for their slots; a batch killed then must not have journaled them as
`submitting` (a resumed batch would report them `unknown` and never send them). Ctrl-C while a
create is on the wire waits for its answer, so its task id is journaled, while a create still
waiting for its slot is dropped. And a create that ends without a task is journaled with its error
whether or not it ever went out. Each test runs on both journals, SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from pathlib import Path

import pytest
from journals import SqliteJournal
from lemondata_video.cli import _journal as jn
from lemondata_video.emulator import Emulator, Faults
from lemondata_video.emulator._faults import CREATE_ROUTE

from .conftest import assert_playable_mp4, cli_env, command, fast_emulator, run
from .test_batch import report, write_jobs

STARTUP_LIMIT = 30.0
JOBS = [{"id": f"j{n}", "prompt": f"lemon {n}"} for n in range(3)]


@pytest.fixture
def jb(journal_backend: SqliteJournal) -> SqliteJournal:
    """The journal of this run of a test: every test here runs on SQLite, then on PostgreSQL."""
    return journal_backend


def wait_for_a_task_id(out_dir: Path, process: subprocess.Popen[bytes], jb: SqliteJournal) -> None:
    """Return once the journal holds a task id; fail if the batch exits or STARTUP_LIMIT passes first."""
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline and process.poll() is None:
        if any(task for _, task in jb.rows(out_dir).values()):
            return
        time.sleep(0.02)
    msg = f"no task id journaled (batch exit code {process.poll()}, journal {jb.rows(out_dir)})"
    raise AssertionError(msg)


def start_slow_batch(
    jobs: str, out_dir: Path, env: dict[str, str], jb: SqliteJournal, *, pipe: int
) -> subprocess.Popen[bytes]:
    """A batch of three jobs at two requests a minute: the first create goes, two wait for a slot."""
    argv = command("batch", jobs, "--out-dir", str(out_dir), "--concurrency", "3", "--rpm", "2", *jb.args())
    return subprocess.Popen(argv, env=env, stdout=pipe, stderr=pipe)


class TestCreatesWaitingForTheBudget:
    """A create waiting for its slot has not been sent, and the journal says so."""

    def test_sigkill_while_creates_wait_then_the_rerun_sends_them_and_nothing_is_unknown(
        self, tmp_path: Path, jb: SqliteJournal
    ) -> None:
        jobs = write_jobs(tmp_path / "jobs.jsonl", JOBS)
        out_dir = tmp_path / "o"
        with fast_emulator() as emu:
            env = cli_env(emu)
            process = start_slow_batch(jobs, out_dir, env, jb, pipe=subprocess.DEVNULL)
            try:
                wait_for_a_task_id(out_dir, process, jb)
            finally:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)
            assert process.returncode == -signal.SIGKILL
            at_kill = jb.rows(out_dir)
            assert list(at_kill) == ["j0"]  # j1 and j2 wait for their slots: no `submitting` row
            assert at_kill["j0"][0] == jn.RUNNING
            assert jb.events(out_dir) == [("j0", jn.SUBMITTING), ("j0", jn.RUNNING)]
            assert emu.stats.requests[CREATE_ROUTE] == 1

            result = run(
                "batch", jobs, "--out-dir", str(out_dir), "--concurrency", "3", "--rpm", "600", "--json",
                *jb.args(), env=env,
            )  # fmt: skip
            assert result.code == 0, result.stderr
            assert emu.stats.tasks_created == 3
            assert emu.stats.requests[CREATE_ROUTE] == 3
            assert sorted(emu.stats.downloads.values()) == [1, 1, 1]
        results = {job["id"]: job for job in json.loads(result.stdout)["jobs"]}
        assert {job: r["state"] for job, r in results.items()} == {
            "j0": "downloaded", "j1": "downloaded", "j2": "downloaded",
        }  # fmt: skip
        assert results["j0"]["task_id"] == at_kill["j0"][1]  # resumed, not created again
        for job in JOBS:
            assert_playable_mp4(out_dir / f"{job['id']}.mp4")
        for job in ("j1", "j2"):
            assert [state for name, state in jb.events(out_dir) if name == job] == [
                jn.SUBMITTING, jn.RUNNING, jn.COMPLETED, jn.DOWNLOADING, jn.DOWNLOADED,
            ]  # fmt: skip

    def test_ctrl_c_while_creates_wait_sends_none_of_them(self, tmp_path: Path, jb: SqliteJournal) -> None:
        jobs = write_jobs(tmp_path / "jobs.jsonl", JOBS)
        out_dir = tmp_path / "o"
        with fast_emulator() as emu:
            process = start_slow_batch(jobs, out_dir, cli_env(emu), jb, pipe=subprocess.PIPE)
            try:
                wait_for_a_task_id(out_dir, process, jb)
            finally:
                process.send_signal(signal.SIGINT)
                _, stderr = process.communicate(timeout=120)
            assert process.returncode == 130, stderr
            assert emu.stats.requests[CREATE_ROUTE] == 1  # the creates waiting for a slot were never sent
        assert jb.interrupted(out_dir) in stderr.decode()
        assert [(r["id"], r["state"]) for r in report(out_dir)] == [
            ("j0", "running"), ("j1", "not started"), ("j2", "not started"),
        ]  # fmt: skip
        assert list(jb.rows(out_dir)) == ["j0"]


def wait_for_submitting(out_dir: Path, job: str, process: subprocess.Popen[bytes], jb: SqliteJournal) -> None:
    """Return once `job` is journaled `submitting`; fail if the batch exits or STARTUP_LIMIT passes first."""
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline and process.poll() is None:
        if jb.rows(out_dir).get(job) == (jn.SUBMITTING, None):
            return
        time.sleep(0.02)
    msg = f"{job} not journaled submitting (exit code {process.poll()}, journal {jb.rows(out_dir)})"
    raise AssertionError(msg)


class TestCtrlCWhileACreateIsOnTheWire:
    """Ctrl-C waits for a create already sent, so its task id is journaled; one not sent is dropped."""

    @pytest.mark.parametrize(
        ("concurrency", "rpm"),
        [("2", "2"), ("1", "600")],
        ids=["other-job-waits-for-the-budget", "other-job-waits-for-concurrency"],
    )
    def test_ctrl_c_journals_the_task_id_of_the_create_on_the_wire_and_the_rerun_finishes(
        self, tmp_path: Path, concurrency: str, rpm: str, jb: SqliteJournal
    ) -> None:
        jobs = write_jobs(tmp_path / "jobs.jsonl", JOBS[:2])
        out_dir = tmp_path / "o"
        # The service holds each create 2 s before making its task: Ctrl-C lands while j0's is on the wire.
        slow_create = Faults(latency=1.0, latency_seconds=2.0, routes=[CREATE_ROUTE])
        argv = command(
            "batch", jobs, "--out-dir", str(out_dir), "--concurrency", concurrency, "--rpm", rpm, *jb.args()
        )
        with fast_emulator(faults=slow_create) as emu:
            env = cli_env(emu)
            process = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                wait_for_submitting(out_dir, "j0", process, jb)
                assert emu.stats.tasks_created == 0  # sent, not answered yet
            finally:
                process.send_signal(signal.SIGINT)
                _, stderr = process.communicate(timeout=60)
            assert process.returncode == 130, stderr
            at_interrupt = jb.rows(out_dir)
            assert list(at_interrupt) == ["j0"]  # j1 waited for its slot: never sent, never journaled
            state, task_id = at_interrupt["j0"]
            assert (state, task_id is not None) == (jn.RUNNING, True)
            assert jb.events(out_dir) == [("j0", jn.SUBMITTING), ("j0", jn.RUNNING)]
            assert emu.stats.requests[CREATE_ROUTE] == 1
            assert emu.stats.tasks_created == 1 == sum(task is not None for _, task in at_interrupt.values())

            emu.set_faults()
            result = run(
                "batch", jobs, "--out-dir", str(out_dir), "--rpm", "600", "--json", *jb.args(), env=env
            )
            assert result.code == 0, result.stderr
            assert emu.stats.tasks_created == 2
            assert emu.stats.requests[CREATE_ROUTE] == 2
            assert sorted(emu.stats.downloads.values()) == [1, 1]
        assert stderr.decode().endswith(jb.interrupted(out_dir))
        results = {job["id"]: job for job in json.loads(result.stdout)["jobs"]}
        assert {job: r["state"] for job, r in results.items()} == {"j0": "downloaded", "j1": "downloaded"}
        assert results["j0"]["task_id"] == task_id  # resumed, not created again
        for job in ("j0", "j1"):
            assert_playable_mp4(out_dir / f"{job}.mp4")


class TestCreatesThatEndWithoutATask:
    """A refused create is journaled with its error, whether or not it was journaled as sent."""

    def test_a_create_the_service_refuses_is_journaled_as_error_with_its_message(
        self, emu: Emulator, env: dict[str, str], tmp_path: Path, jb: SqliteJournal
    ) -> None:
        # The client lets an unknown model through when asked to; the service answers 400.
        jobs = write_jobs(tmp_path / "jobs.jsonl", [
            {"id": "typo", "prompt": "A lemon", "model": "sora-3", "allow_unknown_model": True},
            {"id": "ok", "prompt": "A lime"},
        ])  # fmt: skip
        out_dir = tmp_path / "o"
        result = run("batch", jobs, "--out-dir", str(out_dir), "--json", *jb.args(), env=env)
        assert result.code == 4  # API or connection error
        message = (
            "400 model_not_found: Model 'sora-3' not found (did you mean 'sora-2'?) "
            "Hint: Did you mean 'sora-2'? Use GET /v1/models to list all available models."
        )
        assert [(r["id"], r["state"], r["error"]) for r in json.loads(result.stdout)["jobs"]] == [
            ("typo", "error", message), ("ok", "downloaded", None),
        ]  # fmt: skip
        assert report(out_dir)[0] == {
            "id": "typo", "line": 1, "state": "error", "task_id": None, "status": None, "path": None,
            "error": message, "request_fingerprint": None,
        }  # fmt: skip
        assert jb.rows(out_dir)["typo"] == (jn.ERROR, None)
        assert [state for job, state in jb.events(out_dir) if job == "typo"] == [jn.SUBMITTING, jn.ERROR]
        assert emu.stats.requests[CREATE_ROUTE] == 2
        assert emu.stats.tasks_created == 1

        again = run(
            "batch", jobs, "--out-dir", str(out_dir), *jb.args(), env=env
        )  # refused, not unknown: sent again
        assert again.code == 4
        assert emu.stats.requests[CREATE_ROUTE] == 3
        assert emu.stats.tasks_created == 1

    def test_a_create_the_client_refuses_after_the_checks_is_journaled_though_never_sent(
        self, emu: Emulator, env: dict[str, str], tmp_path: Path, jb: SqliteJournal
    ) -> None:
        # A NaN deep in a field passes the batch's own check; the client refuses it before sending.
        path = tmp_path / "jobs.jsonl"
        path.write_text('{"id": "nan", "prompt": "A lemon", "metadata": {"a": NaN}}\n')
        out_dir = tmp_path / "o"
        result = run("batch", str(path), "--out-dir", str(out_dir), *jb.args(), env=env)
        assert result.code == 3  # validation: nothing was sent
        message = "metadata must be a JSON value (text, number, true/false, list or object), not {'a': nan}"
        assert [(r["id"], r["state"], r["error"]) for r in report(out_dir)] == [("nan", "invalid", message)]
        assert f"nan  invalid  -     {message}" in result.stdout
        assert jb.events(out_dir) == [("nan", jn.INVALID)]  # never journaled as submitting
        assert emu.stats.requests[CREATE_ROUTE] == 0
