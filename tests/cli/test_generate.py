"""`lemonvideo generate` end to end against the emulator, one test per outcome and exit code."""

from __future__ import annotations

import json
import re
import shlex
import signal
import socket
import subprocess
from pathlib import Path

from lemondata_video.emulator import Emulator, Faults
from lemondata_video.emulator._faults import CREATE_ROUTE

from .conftest import ANSI, ROOT, assert_playable_mp4, cli_env, command, fast_emulator, run

PROMPT = "A lemon rolling across a marble table"


def _sent(emu: Emulator) -> int:
    """Requests other than the live catalog's (which a refusal may ask first)."""
    return sum(n for route, n in emu.stats.requests.items() if route != "GET /v1/models")


class TestSuccess:
    """Validate, submit, wait, download, print the path."""

    def test_downloads_a_playable_mp4_and_prints_its_path(
        self, emu: Emulator, env: dict[str, str], tmp_path: Path
    ) -> None:
        out = tmp_path / "lemon.mp4"
        result = run("generate", PROMPT, "--out", str(out), env=env)
        assert result.code == 0, result.stderr
        assert result.stdout == f"{out.resolve()}\n"
        assert_playable_mp4(out)
        assert emu.stats.tasks_created == 1
        assert re.search(r"^lemonvideo: submitted task video_\w+ \(sora-2\)$", result.stderr, re.M)
        assert re.search(r"^video_\w+ completed 100%$", result.stderr, re.M)
        assert ANSI not in result.stderr and "\r" not in result.stderr  # piped: no bar, no colour
        assert emu.api_key not in result.stdout + result.stderr

    def test_json_describes_the_task_and_the_file(
        self, emu: Emulator, env: dict[str, str], tmp_path: Path
    ) -> None:
        out = tmp_path / "lemon.mp4"
        result = run(
            "generate",
            PROMPT,
            "--model",
            "veo3.1-fast",
            "--duration",
            "8",
            "--out",
            str(out),
            "--json",
            env=env,
        )
        assert result.code == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["status"] == "completed"
        assert data["model"] == "veo3.1-fast"
        assert data["path"] == str(out.resolve())
        assert data["task_id"].startswith("video_")
        assert data["video_url"].startswith(emu.file_host_url)

    def test_no_wait_prints_the_task_id_and_poll_url(self, emu: Emulator, env: dict[str, str]) -> None:
        result = run("generate", PROMPT, "--no-wait", env=env)
        assert result.code == 0, result.stderr
        task_id, poll_url = result.stdout.splitlines()
        assert poll_url == f"/v1/tasks/{task_id}"
        assert emu.stats.tasks_created == 1
        assert emu.stats.requests["GET /v1/tasks/{task_id}"] == 0
        data = json.loads(run("generate", PROMPT, "--no-wait", "--json", env=env).stdout)
        assert data["status"] == "pending"
        assert data["poll_url"] == f"/v1/tasks/{data['task_id']}"

    def test_overwrite_replaces_an_existing_file(self, env: dict[str, str], tmp_path: Path) -> None:
        out = tmp_path / "lemon.mp4"
        out.write_text("old")
        assert run("generate", PROMPT, "--out", str(out), "--overwrite", env=env).code == 0
        assert_playable_mp4(out)


class TestValidation:
    """Bad input exits 3 before any request is sent."""

    def _refused(self, emu: Emulator, env: dict[str, str], *argv: str) -> str:
        result = run("generate", PROMPT, *argv, "--json", env=env)
        assert result.code == 3, result.stderr
        assert _sent(emu) == 0
        assert len(result.stderr.splitlines()) == 1
        assert json.loads(result.stdout)["error"]["exit_code"] == 3
        return result.stderr

    def test_unknown_model_suggests_the_closest(self, emu: Emulator, env: dict[str, str]) -> None:
        error = self._refused(emu, env, "--model", "sora-3")
        assert error == (
            "lemonvideo: error: unknown model 'sora-3'; did you mean 'sora-2'? The service's live catalog "
            "does not list it; `lemonvideo models --live` lists what it offers. "
            "Pass --allow-unknown-model to send it anyway.\n"
        )
        assert emu.stats.requests["GET /v1/models"] == 1

    def test_out_of_range_field(self, emu: Emulator, env: dict[str, str]) -> None:
        error = self._refused(emu, env, "--fps", "500")
        assert error == "lemonvideo: error: fps must be an integer from 1 to 120, not 500\n"

    def test_capability_mismatch(self, emu: Emulator, env: dict[str, str]) -> None:
        error = self._refused(
            emu,
            env,
            "--model",
            "hailuo-2.3-fast",
            "--operation",
            "text-to-video",
        )
        assert error.startswith(
            "lemonvideo: error: model 'hailuo-2.3-fast' cannot do text-to-video; it does image-to-video."
        )

    def test_missing_image_file(self, emu: Emulator, env: dict[str, str], tmp_path: Path) -> None:
        error = self._refused(emu, env, "--model", "veo3.1-fast", "--image", str(tmp_path / "nope.png"))
        assert "nope.png" in error

    def test_existing_out_is_never_overwritten(
        self, emu: Emulator, env: dict[str, str], tmp_path: Path
    ) -> None:
        out = tmp_path / "mine.mp4"
        out.write_text("my own file")
        error = self._refused(emu, env, "--out", str(out))
        assert (
            error
            == f"lemonvideo: error: {out} exists; pass --overwrite to replace it, or choose another --out\n"
        )
        assert out.read_text() == "my own file"

    def test_out_in_a_missing_folder_is_refused(
        self, emu: Emulator, env: dict[str, str], tmp_path: Path
    ) -> None:
        out = tmp_path / "nope" / "x.mp4"
        error = self._refused(emu, env, "--out", str(out))
        assert error == f"lemonvideo: error: cannot save to {out}: the folder '{out.parent}' does not exist\n"


class TestFailures:
    """API errors, failed tasks, timeouts and lost answers each have their exit code."""

    def test_failed_task_exits_5(self, tmp_path: Path) -> None:
        with fast_emulator(failure_rate=1.0) as emu:
            result = run("generate", PROMPT, "--out", str(tmp_path / "x.mp4"), "--json", env=cli_env(emu))
        assert result.code == 5
        last = result.stderr.splitlines()[-1]
        assert last.startswith("lemonvideo: error: ")
        assert "The provider failed to generate the video" in last
        assert json.loads(result.stdout)["error"]["type"] == "TaskFailedError"
        assert not (tmp_path / "x.mp4").exists()

    def test_timeout_exits_6_with_the_command_that_resumes(self, tmp_path: Path) -> None:
        out = str(tmp_path / "x.mp4")
        with fast_emulator(task_seconds=3600) as emu:
            result = run("generate", PROMPT, "--out", out, "--timeout", "0.5", "--json", env=cli_env(emu))
        assert result.code == 6
        error = json.loads(result.stdout)["error"]
        assert error["resume"] == f"lemonvideo wait {error['task_id']} --out {out}"
        assert f"resume with: lemonvideo wait {error['task_id']} --out {out}" in result.stderr

    def test_bad_key_exits_4_without_printing_it(self, emu: Emulator) -> None:
        result = run("generate", PROMPT, env=cli_env(emu, LEMONDATA_API_KEY="sk-wrong-secret"))
        assert result.code == 4
        assert result.stderr == "lemonvideo: error: 401 invalid_api_key: Invalid API key provided.\n"
        assert "sk-wrong-secret" not in result.stdout + result.stderr

    def test_unreachable_service_exits_4(self) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]  # bound, never listening: connections are refused
            env = cli_env(LEMONDATA_API_KEY="sk-test", LEMONDATA_BASE_URL=f"http://127.0.0.1:{port}")
            result = run("status", "video_1", "--json", env=env)
        assert result.code == 4
        assert json.loads(result.stdout)["error"]["type"] in ("APIConnectionError", "APITimeoutError")
        assert len(result.stderr.splitlines()) == 1

    def test_lost_create_answer_exits_7_and_is_not_resent(self, emu: Emulator, env: dict[str, str]) -> None:
        emu.set_faults(Faults(drop_after_create=1.0, routes=[CREATE_ROUTE], max_faults=1))
        result = run("generate", PROMPT, "--json", env=env)
        assert result.code == 7
        error = json.loads(result.stdout)["error"]
        assert error["type"] == "TaskMayExistError"
        assert len(error["fingerprint"]) >= 16
        assert emu.stats.tasks_created == 1
        assert emu.stats.requests[CREATE_ROUTE] == 1


class TestInterrupt:
    """Ctrl-C while waiting never loses the task."""

    def _interrupt(self, env: dict[str, str], *argv: str) -> tuple[int, str]:
        process = subprocess.Popen(
            command("generate", PROMPT, *argv),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stderr is not None
        line = process.stderr.readline()
        assert "submitted task" in line, line
        process.send_signal(signal.SIGINT)
        _, rest = process.communicate(timeout=30)
        return process.returncode, line + rest

    def test_prints_the_resume_command_and_exits_130(self, tmp_path: Path) -> None:
        out = str(tmp_path / "later.mp4")
        with fast_emulator(task_seconds=40) as emu:
            code, stderr = self._interrupt(cli_env(emu), "--out", out)
            assert code == 130
            found = re.search(r"resume with: (lemonvideo wait (video_\w+) --out \S+)$", stderr, re.M)
            assert found, stderr
            resumed = run(*found.group(1).split()[1:], env=cli_env(emu))
            assert resumed.code == 0, resumed.stderr
            assert emu.stats.tasks_created == 1
        assert_playable_mp4(Path(out))

    def test_cancel_on_interrupt_cancels_the_task(self) -> None:
        with fast_emulator(queue_seconds=3600) as emu:
            code, stderr = self._interrupt(
                cli_env(emu), "--model", "seedance-1.5-pro", "--cancel-on-interrupt"
            )
            assert code == 130
            assert re.search(r"^lemonvideo: cancelled task video_\w+$", stderr, re.M), stderr
            assert emu.stats.requests["DELETE /v1/tasks/{task_id}"] == 1


class TestEmbeddedEmulator:
    """Without a key, or with --emulator, the command runs against an in-process emulator."""

    def test_the_command_of_scripts_demo_makes_a_playable_mp4(self, tmp_path: Path) -> None:
        script = (ROOT / "scripts" / "demo").read_text().replace("\\\n", " ")
        line = next(text for text in script.splitlines() if '"$venv/bin/lemonvideo"' in text)
        argv = shlex.split(line)[1:]
        assert argv[:2] == ["generate", "A lemon rolling across a marble table, cinematic lighting"]
        result = run(*argv, env=cli_env(), cwd=tmp_path)
        assert result.code == 0, result.stderr
        assert result.stdout == f"{tmp_path / 'lemon.mp4'}\n"
        assert_playable_mp4(tmp_path / "lemon.mp4")

    def test_no_key_uses_the_emulator_with_a_notice(self, tmp_path: Path) -> None:
        result = run("generate", PROMPT, "--out", "lemon.mp4", env=cli_env(), cwd=tmp_path)
        assert result.code == 0, result.stderr
        notice = "LEMONDATA_API_KEY is not set; using the built-in emulator (simulated tasks, no billing)"
        assert result.stderr.splitlines()[0] == f"lemonvideo: {notice}"
        assert_playable_mp4(tmp_path / "lemon.mp4")

    def test_emulator_flag_wins_over_a_key(self, tmp_path: Path) -> None:
        env = cli_env(LEMONDATA_API_KEY="sk-real-key-never-used", LEMONDATA_BASE_URL="http://127.0.0.1:9")
        result = run("generate", PROMPT, "--emulator", "--out", "a.mp4", env=env, cwd=tmp_path)
        assert result.code == 0, result.stderr
        assert "using the built-in emulator (--emulator)" in result.stderr
        assert_playable_mp4(tmp_path / "a.mp4")
