"""The progress bar in a real terminal: under tmux (capture-pane) when installed, else on a pty."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import shlex
import shutil
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from lemondata_video.emulator import Emulator

from .conftest import assert_playable_mp4, cli_env, command, fast_emulator

PROMPT = "A lemon rolling across a marble table"
LINE = re.compile(r"(pending|processing|completed)\s+[█░]{24}\s+(\d+)%\s+elapsed \d+:\d\d\s+ETA (\S+)")


@pytest.fixture
def slow_emu() -> Iterator[Emulator]:
    """Tasks of about three real seconds, so several polls show different progress."""
    with fast_emulator(task_seconds=60.0, queue_seconds=4.0) as emulator:
        yield emulator


def _terminal_env(emu: Emulator, **extra: str) -> dict[str, str]:
    env = cli_env(emu, TERM="xterm-256color", LANG="C.UTF-8", LC_ALL="C.UTF-8", **extra)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_in_tmux(env: dict[str, str], argv: list[str], out: Path) -> list[str]:
    """Run `argv` in a detached tmux pane and return every distinct screen seen until `out` exists."""
    server = f"lemonvideo-test-{uuid.uuid4().hex[:8]}"
    tmux = ["tmux", "-L", server]
    keep = {
        k: v
        for k, v in env.items()
        if k in ("PATH", "HOME", "PYTHONPATH", "PYTHONIOENCODING", "LANG", "LC_ALL")
        or k.startswith("LEMONDATA_")
    }
    shell = shlex.join(["env", *(f"{k}={v}" for k, v in keep.items()), *argv]) + "; sleep 60"
    subprocess.run(
        [*tmux, "new-session", "-d", "-s", "t", "-x", "150", "-y", "12", shell], check=True, env=env
    )
    screens: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            screen = subprocess.run(
                [*tmux, "capture-pane", "-p", "-t", "t"], capture_output=True, text=True, check=True
            ).stdout
            if not screens or screens[-1] != screen:
                screens.append(screen)
            if str(out) in screen:
                break
            time.sleep(0.05)
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, capture_output=True)
    return screens


def run_on_pty(env: dict[str, str], argv: list[str]) -> list[str]:
    """Run `argv` with stderr on a pseudo-terminal and return each redraw of the line (split on `\\r`)."""
    master, slave = pty.openpty()
    process = subprocess.Popen(argv, env=env, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    process.wait(timeout=30)
    return re.split(r"[\r\n]", b"".join(chunks).decode("utf-8", "replace"))


def progress_of(frames: list[str]) -> list[tuple[str, int, str]]:
    """(status, percent, ETA) of every progress line in the frames, in order, without repeats."""
    seen: list[tuple[str, int, str]] = []
    for frame in frames:
        for found in LINE.finditer(frame):
            item = (found.group(1), int(found.group(2)), found.group(3))
            if not seen or seen[-1] != item:
                seen.append(item)
    return seen


class TestTerminal:
    """What a person at a terminal sees."""

    def test_progress_bar_updates_in_place(self, slow_emu: Emulator, tmp_path: Path) -> None:
        out = tmp_path / "lemon.mp4"
        argv = command("generate", PROMPT, "--out", str(out))
        env = _terminal_env(slow_emu)
        # tmux when it is installed; otherwise a pty shows the same redraws (nothing is skipped).
        frames = run_in_tmux(env, argv, out) if shutil.which("tmux") else run_on_pty(env, argv)
        updates = progress_of(frames)
        percents = [percent for _, percent, _ in updates]
        assert percents == sorted(percents), updates
        assert len(set(percents)) >= 3, updates  # the bar moved at least twice
        assert updates[-1][:2] == ("completed", 100)
        assert any(status == "processing" and eta != "--:--" for status, _, eta in updates), updates
        assert any(str(out.resolve()) in frame for frame in frames)
        assert_playable_mp4(out)

    def test_colour_on_a_terminal_and_none_with_no_color(self, slow_emu: Emulator, tmp_path: Path) -> None:
        coloured = run_on_pty(
            _terminal_env(slow_emu), command("generate", PROMPT, "--out", str(tmp_path / "a.mp4"))
        )
        plain = run_on_pty(
            _terminal_env(slow_emu, NO_COLOR="1"),
            command("generate", PROMPT, "--out", str(tmp_path / "b.mp4")),
        )
        assert any("\x1b[36mprocessing" in frame for frame in coloured)
        assert not any("\x1b[" in frame for frame in plain)
        assert len(progress_of(plain)) >= 3  # still a live bar, just without colour


class TestInterruptOnATerminal:
    """Ctrl-C at a terminal asks whether to cancel the task."""

    def _interrupt_and_answer(self, emu: Emulator, answer: str) -> tuple[int, str]:
        master, slave = pty.openpty()
        argv = command("generate", PROMPT, "--model", "seedance-1.5-pro")
        process = subprocess.Popen(
            argv, env=_terminal_env(emu), stdin=slave, stdout=subprocess.PIPE, stderr=slave
        )
        os.close(slave)
        seen = b""
        try:
            while b"submitted task" not in seen:
                seen += os.read(master, 4096)
            process.send_signal(signal.SIGINT)
            while b"[y/N] " not in seen:
                seen += os.read(master, 4096)
            os.write(master, answer.encode() + b"\n")
            process.wait(timeout=30)
            with contextlib.suppress(OSError):
                while chunk := os.read(master, 4096):
                    seen += chunk
        finally:
            os.close(master)
        return process.returncode, seen.decode("utf-8", "replace")

    def test_yes_cancels_the_task(self) -> None:
        with fast_emulator(queue_seconds=3600) as emu:
            code, screen = self._interrupt_and_answer(emu, "y")
            assert emu.stats.requests["DELETE /v1/tasks/{task_id}"] == 1
        assert code == 130
        assert re.search(r"Cancel task (video_\w+)\? Otherwise it goes on running\. \[y/N\] ", screen)
        assert re.search(r"lemonvideo: cancelled task video_\w+", screen)

    def test_no_leaves_it_running_and_prints_the_resume_command(self) -> None:
        with fast_emulator(queue_seconds=3600) as emu:
            code, screen = self._interrupt_and_answer(emu, "n")
            assert emu.stats.requests["DELETE /v1/tasks/{task_id}"] == 0
        assert code == 130
        assert re.search(r"interrupted; task (video_\w+) goes on; resume with: lemonvideo wait \1", screen)
