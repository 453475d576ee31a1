"""`status`, `wait`, `cancel` and `download` on task ids, against the emulator."""

from __future__ import annotations

import json
from pathlib import Path

from lemondata_video.emulator import Emulator

from .conftest import assert_playable_mp4, cli_env, fast_emulator, run


def _create(env: dict[str, str], *argv: str) -> str:
    result = run("generate", "A lemon", "--no-wait", "--json", *argv, env=env)
    assert result.code == 0, result.stderr
    task_id: str = json.loads(result.stdout)["task_id"]
    return task_id


class TestStatus:
    """`status ID`."""

    def test_text_and_json(self, env: dict[str, str]) -> None:
        task_id = _create(env)
        text = run("status", task_id, env=env)
        assert text.code == 0
        assert f"task_id: {task_id}\n" in text.stdout
        assert "status: " in text.stdout
        data = json.loads(run("status", task_id, "--json", env=env).stdout)
        assert data["task_id"] == task_id
        assert data["status"] in ("pending", "processing", "completed")

    def test_unknown_task_exits_4_with_the_server_code(self, env: dict[str, str]) -> None:
        result = run("status", "video_nope", "--json", env=env)
        assert result.code == 4
        message = "404 async_task_not_found: Task not found or no longer available."
        assert result.stderr == f"lemonvideo: error: {message}\n"
        assert json.loads(result.stdout)["error"]["status_code"] == 404


class TestWait:
    """`wait ID [--out FILE]`."""

    def test_waits_and_downloads(self, env: dict[str, str], tmp_path: Path) -> None:
        task_id = _create(env)
        out = tmp_path / "w.mp4"
        result = run("wait", task_id, "--out", str(out), env=env)
        assert result.code == 0, result.stderr
        assert result.stdout == f"{out.resolve()}\n"
        assert_playable_mp4(out)

    def test_without_out_prints_the_final_task(self, env: dict[str, str]) -> None:
        task_id = _create(env)
        data = json.loads(run("wait", task_id, "--json", env=env).stdout)
        assert data["status"] == "completed"
        assert data["video_url"]
        assert "path" not in data

    def test_timeout_exits_6(self) -> None:
        with fast_emulator(task_seconds=3600) as emu:
            env = cli_env(emu)
            task_id = _create(env)
            result = run("wait", task_id, "--timeout", "0.3", env=env)
        assert result.code == 6
        assert f"resume with: lemonvideo wait {task_id}" in result.stderr


class TestCancel:
    """`cancel ID`."""

    def test_cancels_a_queued_task(self) -> None:
        with fast_emulator(queue_seconds=3600) as emu:
            env = cli_env(emu)
            task_id = _create(env, "--model", "seedance-1.5-pro")
            result = run("cancel", task_id, "--json", env=env)
            assert result.code == 0, result.stderr
            assert json.loads(result.stdout)["cancelled"] is True
            assert run("cancel", task_id, env=env).code == 4  # already cancelled: 409
            waited = run("wait", task_id, "--json", env=env)
        assert waited.code == 5
        assert json.loads(waited.stdout)["error"]["type"] == "TaskCancelledError"

    def test_a_model_that_cannot_cancel_exits_4(self, env: dict[str, str]) -> None:
        task_id = _create(env)
        result = run("cancel", task_id, env=env)
        assert result.code == 4
        assert result.stderr.startswith("lemonvideo: error: 400 unsupported_task_cancel:")


class TestDownload:
    """`download ID --out FILE`."""

    def test_downloads_a_completed_task(self, emu: Emulator, env: dict[str, str], tmp_path: Path) -> None:
        task_id = _create(env)
        assert run("wait", task_id, env=env).code == 0
        out = tmp_path / "d.mp4"
        result = run("download", task_id, "--out", str(out), "--json", env=env)
        assert result.code == 0, result.stderr
        assert json.loads(result.stdout)["path"] == str(out.resolve())
        assert_playable_mp4(out)
        again = run("download", task_id, "--out", str(out), env=env)
        assert again.code == 3
        assert sum(emu.stats.downloads.values()) == 1

    def test_an_unfinished_task_exits_6(self, tmp_path: Path) -> None:
        with fast_emulator(task_seconds=3600) as emu:
            env = cli_env(emu)
            task_id = _create(env)
            result = run("download", task_id, "--out", str(tmp_path / "d.mp4"), env=env)
        assert result.code == 6
        assert result.stderr.startswith(f"lemonvideo: error: task {task_id} is not finished")
        assert not (tmp_path / "d.mp4").exists()

    def test_a_failed_task_exits_5(self, tmp_path: Path) -> None:
        with fast_emulator(failure_rate=1.0, task_seconds=0.0, queue_seconds=0.0) as emu:
            env = cli_env(emu)
            task_id = _create(env)
            result = run("download", task_id, "--out", str(tmp_path / "d.mp4"), env=env)
        assert result.code == 5
        assert result.stderr.startswith(f"lemonvideo: error: task {task_id} failed:")
