"""SIGTERM (docker stop, Kubernetes, systemd) ends `generate`, `wait` and `batch` as Ctrl-C does.

Each test runs the real entry point (`python -m lemondata_video.cli`) in a process against an
emulator of the test, waits until the task exists (its line on stderr, the emulator's counters or
the journal), sends SIGTERM, and checks the exit code 143, the exact last line on stderr (the task
id and the command that resumes it), and that resuming finishes the work without a second create.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Final

from journals import SqliteJournal
from lemondata_video import VideoClient
from lemondata_video.cli import _journal as jn
from lemondata_video.cli import main
from lemondata_video.emulator import Faults
from lemondata_video.emulator._faults import CREATE_ROUTE

from .conftest import assert_playable_mp4, cli_env, command, fast_emulator, run
from .test_batch import write_jobs

PROMPT: Final = "A lemon rolling across a marble table"
STARTUP_LIMIT: Final = 30.0
TERMINATED: Final = 143


def start(env: dict[str, str], *argv: str) -> subprocess.Popen[str]:
    """The CLI running `argv` with stdin, stdout and stderr not terminals."""
    return subprocess.Popen(
        command(*argv),
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def terminate(process: subprocess.Popen[str], before: str = "") -> str:
    """Send SIGTERM, wait for the process to end; all it wrote on stderr (after `before`)."""
    process.send_signal(signal.SIGTERM)
    _, rest = process.communicate(timeout=60)
    return before + rest


def wait_until(done: object, process: subprocess.Popen[str], what: str) -> None:
    """Return once `done()` is true; fail if the process exits or STARTUP_LIMIT passes first."""
    deadline = time.monotonic() + STARTUP_LIMIT
    while time.monotonic() < deadline and process.poll() is None:
        if done():  # type: ignore[operator]
            return
        time.sleep(0.02)
    msg = f"{what} did not happen (exit code {process.poll()})"
    raise AssertionError(msg)


class TestGenerate:
    """SIGTERM while `generate` waits, or while its create is on the wire."""

    def test_sigterm_while_waiting_prints_the_resume_command_and_exits_143(self, tmp_path: Path) -> None:
        out = tmp_path / "later.mp4"
        with fast_emulator(task_seconds=40) as emu:
            process = start(cli_env(emu), "generate", PROMPT, "--out", str(out))
            assert process.stderr is not None
            line = process.stderr.readline()
            found = re.fullmatch(r"lemonvideo: submitted task (video_\w+) \(sora-2\)\n", line)
            assert found, line
            task_id = found.group(1)
            stderr = terminate(process, line)
            assert process.returncode == TERMINATED, stderr
            resume = f"lemonvideo wait {task_id} --out {out}"
            assert stderr.endswith(
                f"lemonvideo: error: terminated by SIGTERM; task {task_id} goes on; resume with: {resume}\n"
            ), stderr
            resumed = run(*resume.split()[1:], env=cli_env(emu))
            assert resumed.code == 0, resumed.stderr
            assert emu.stats.tasks_created == 1
            assert emu.stats.requests[CREATE_ROUTE] == 1
        assert_playable_mp4(out)

    def test_sigterm_with_cancel_on_interrupt_cancels_the_task_and_exits_143(self) -> None:
        with fast_emulator(queue_seconds=3600) as emu:
            process = start(
                cli_env(emu), "generate", PROMPT, "--model", "seedance-1.5-pro", "--cancel-on-interrupt"
            )
            assert process.stderr is not None
            line = process.stderr.readline()
            found = re.fullmatch(r"lemonvideo: submitted task (video_\w+) \(seedance-1.5-pro\)\n", line)
            assert found, line
            stderr = terminate(process, line)
            assert process.returncode == TERMINATED, stderr
            assert stderr.endswith(f"lemonvideo: cancelled task {found.group(1)}\n"), stderr
            assert emu.stats.requests["DELETE /v1/tasks/{task_id}"] == 1

    def test_sigterm_during_the_create_waits_for_its_task_id(self) -> None:
        # The service holds the create 2 s before answering: SIGTERM lands while it is on the wire.
        slow_create = Faults(latency=1.0, latency_seconds=2.0, routes=[CREATE_ROUTE])
        with fast_emulator(faults=slow_create, task_seconds=40) as emu:
            process = start(cli_env(emu), "generate", PROMPT)
            wait_until(lambda: emu.stats.requests[CREATE_ROUTE] == 1, process, "the create")
            assert emu.stats.tasks_created == 0  # sent, not answered yet
            stderr = terminate(process)
            assert process.returncode == TERMINATED, stderr
            assert emu.stats.tasks_created == 1
            found = re.search(r"task (video_\w+) goes on", stderr)
            assert found, stderr
            task_id = found.group(1)
            assert stderr == (
                f"lemonvideo: error: terminated by SIGTERM after submitting; task {task_id} goes on; "
                f"resume with: lemonvideo wait {task_id}\n"
            )
            with VideoClient(api_key=emu.api_key, base_url=emu.base_url) as client:
                assert client.get(task_id).id == task_id


class TestWait:
    """SIGTERM while `wait` polls a task."""

    def test_sigterm_prints_the_resume_command_and_the_rerun_downloads(self, tmp_path: Path) -> None:
        out = tmp_path / "waited.mp4"
        with fast_emulator(task_seconds=40) as emu:
            with VideoClient(api_key=emu.api_key, base_url=emu.base_url) as client:
                task_id = client.create(PROMPT, model="sora-2").id
            process = start(cli_env(emu), "wait", task_id, "--out", str(out))
            assert process.stderr is not None
            line = process.stderr.readline()  # the first status line: it has polled the task
            assert line.startswith(f"{task_id} "), line
            stderr = terminate(process, line)
            assert process.returncode == TERMINATED, stderr
            resume = f"lemonvideo wait {task_id} --out {out}"
            assert stderr.endswith(
                f"lemonvideo: error: terminated by SIGTERM; task {task_id} goes on; resume with: {resume}\n"
            ), stderr
            assert not out.exists()
            resumed = run(*resume.split()[1:], env=cli_env(emu))
            assert resumed.code == 0, resumed.stderr
            assert emu.stats.tasks_created == 1
        assert_playable_mp4(out)

    def test_json_mode_reports_the_task_id_and_resume_command(self) -> None:
        with fast_emulator(task_seconds=40) as emu:
            with VideoClient(api_key=emu.api_key, base_url=emu.base_url) as client:
                task_id = client.create(PROMPT, model="sora-2").id
            process = start(cli_env(emu), "wait", task_id, "--json")
            assert process.stderr is not None
            line = process.stderr.readline()
            assert line.startswith(f"{task_id} "), line
            process.send_signal(signal.SIGTERM)
            stdout, _ = process.communicate(timeout=60)
            assert process.returncode == TERMINATED
            error = json.loads(stdout)["error"]
            assert (error["exit_code"], error["task_id"], error["resume"]) == (
                TERMINATED, task_id, f"lemonvideo wait {task_id}",
            )  # fmt: skip


def terminated(interrupted: str) -> str:
    """The last line of a batch stopped with SIGTERM, from that of one stopped with Ctrl-C."""
    prefix = "lemonvideo: error: interrupted; "
    assert interrupted.startswith(prefix)
    return "lemonvideo: error: terminated by SIGTERM; " + interrupted[len(prefix) :]


class TestBatch:
    """SIGTERM mid-batch leaves every task id journaled; the rerun finishes with no second create."""

    def test_sigterm_journals_everything_and_the_rerun_finishes(
        self, tmp_path: Path, journal_backend: SqliteJournal
    ) -> None:
        jb = journal_backend
        path = write_jobs(tmp_path / "jobs.jsonl", [{"id": f"j{n}", "prompt": f"lime {n}"} for n in range(3)])
        out_dir = tmp_path / "o"
        with fast_emulator(task_seconds=60.0) as emu:
            env = cli_env(emu)
            process = start(env, "batch", path, "--out-dir", str(out_dir), *jb.args())
            rows = lambda: jb.rows(out_dir)  # noqa: E731
            wait_until(lambda: len(rows()) == 3 and all(t for _, t in rows().values()), process, "3 task ids")
            stderr = terminate(process)
            assert process.returncode == TERMINATED, stderr
            assert stderr.endswith(terminated(jb.interrupted(out_dir))), stderr
            at_term = rows()
            assert len(at_term) == 3 and all(task for _, task in at_term.values())
            assert emu.stats.tasks_created == 3

            result = run("batch", path, "--out-dir", str(out_dir), "--json", *jb.args(), env=env)
            assert result.code == 0, result.stderr
            assert emu.stats.tasks_created == 3
            assert emu.stats.requests[CREATE_ROUTE] == 3
            assert sorted(emu.stats.downloads.values()) == [1, 1, 1]
        results = json.loads(result.stdout)["jobs"]
        assert {r["state"] for r in results} == {"downloaded"}
        assert {r["task_id"] for r in results} == {task for _, task in at_term.values()}

    def test_sigterm_while_a_create_is_on_the_wire_journals_its_task_id(self, tmp_path: Path) -> None:
        path = write_jobs(
            tmp_path / "jobs.jsonl", [{"id": "j0", "prompt": "lemon"}, {"id": "j1", "prompt": "lime"}]
        )
        out_dir = tmp_path / "o"
        jb = SqliteJournal()
        slow_create = Faults(latency=1.0, latency_seconds=2.0, routes=[CREATE_ROUTE])
        with fast_emulator(faults=slow_create) as emu:
            env = cli_env(emu)
            process = start(env, "batch", path, "--out-dir", str(out_dir), "--concurrency", "1")
            wait_until(lambda: jb.rows(out_dir).get("j0") == (jn.SUBMITTING, None), process, "j0 submitting")
            assert emu.stats.tasks_created == 0  # sent, not answered yet
            stderr = terminate(process)
            assert process.returncode == TERMINATED, stderr
            assert stderr.endswith(terminated(jb.interrupted(out_dir))), stderr
            at_term = jb.rows(out_dir)
            assert list(at_term) == ["j0"]  # j1 waited for its turn: never sent, never journaled
            state, task_id = at_term["j0"]
            assert (state, task_id is not None) == (jn.RUNNING, True)
            assert jb.events(out_dir) == [("j0", jn.SUBMITTING), ("j0", jn.RUNNING)]
            assert emu.stats.tasks_created == 1

            emu.set_faults()
            result = run("batch", path, "--out-dir", str(out_dir), "--json", env=env)
            assert result.code == 0, result.stderr
            assert emu.stats.tasks_created == 2
            assert emu.stats.requests[CREATE_ROUTE] == 2
        results = {job["id"]: job for job in json.loads(result.stdout)["jobs"]}
        assert results["j0"]["task_id"] == task_id  # resumed, not created again
        for job in ("j0", "j1"):
            assert_playable_mp4(out_dir / f"{job}.mp4")


class TestHandlerScope:
    """Only the CLI entry point handles SIGTERM, and only while a command runs."""

    def test_importing_the_library_and_the_cli_leaves_sigterm_alone_and_asyncio_unloaded(self) -> None:
        code = (
            "import signal, lemondata_video, lemondata_video.cli;"
            "from lemondata_video import VideoClient;"
            "import sys;"
            "print(signal.getsignal(signal.SIGTERM) is signal.SIG_DFL, 'asyncio' in sys.modules)"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], env=cli_env(), capture_output=True, text=True, check=False
        )
        assert (done.returncode, done.stdout) == (0, "True False\n"), done.stderr

    def test_main_restores_the_previous_handler(self, capsys: object) -> None:
        def mine(signum: int, frame: object) -> None:
            raise AssertionError

        previous = signal.signal(signal.SIGTERM, mine)
        try:
            assert main(["models"]) == 0
            assert signal.getsignal(signal.SIGTERM) is mine
        finally:
            signal.signal(signal.SIGTERM, previous)

    def test_the_exit_codes_in_help_name_143(self) -> None:
        result = run("--help")
        assert result.code == 0
        assert (
            "  143  terminated (SIGTERM, as docker stop and Kubernetes send); the same as Ctrl-C\n"
            in result.stdout
        )
