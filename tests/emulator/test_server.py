"""The Emulator object, the clocks, the command line, the pytest plugin and behaviour at scale."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import httpx
import lemondata_video.emulator as emulator_package
import pytest
from lemondata_video.emulator import Emulator, ManualClock, RealClock, serve

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class TestEmulatorObject:
    """Starting, stopping and addressing the servers."""

    def test_start_and_stop_without_a_with_block(self) -> None:
        """``start()`` returns once both origins answer; ``stop()`` closes them."""
        emu = Emulator().start()
        try:
            assert emu.base_url.startswith("http://127.0.0.1:") and emu.file_host_url != emu.base_url
            assert httpx.get(f"{emu.file_host_url}/files/sample.mp4").status_code == 200
        finally:
            emu.stop()
        with pytest.raises(httpx.ConnectError):
            httpx.get(emu.base_url + "/v1/models")
        emu.stop()  # twice is fine

    def test_given_ports_are_used(self) -> None:
        """``port`` and ``file_port`` pin the origins."""
        port, file_port = free_port(), free_port()
        with Emulator(port=port, file_port=file_port) as emu:
            assert (emu.base_url, emu.file_host_url) == (
                f"http://127.0.0.1:{port}",
                f"http://127.0.0.1:{file_port}",
            )

    def test_starting_twice_is_refused(self) -> None:
        """One server per Emulator."""
        with Emulator() as emu, pytest.raises(RuntimeError, match="already running"):
            emu.start()

    def test_public_names_are_sorted_and_exported(self) -> None:
        """``__all__`` lists what the package offers, sorted."""
        assert emulator_package.__all__ == sorted(emulator_package.__all__)
        assert all(hasattr(emulator_package, name) for name in emulator_package.__all__)


class TestClocks:
    """ManualClock for tests, RealClock with a time scale for runs and benchmarks."""

    def test_manual_clock_moves_only_forward_when_told(self) -> None:
        """``advance`` returns the new time; negative steps are refused."""
        clock = ManualClock(start=100.0)
        assert clock.now() == 100.0 and clock.advance(2.5) == 102.5
        with pytest.raises(ValueError, match="advance"):
            clock.advance(-1)

    def test_real_clock_time_scale_runs_ten_minutes_in_a_fraction_of_a_second(self) -> None:
        """A 600-second task completes within about half a second at 2000x."""
        with Emulator(clock=RealClock(time_scale=2000), task_seconds=600, queue_seconds=0) as emu:
            headers = {"Authorization": f"Bearer {emu.api_key}"}
            with httpx.Client(base_url=emu.base_url, headers=headers) as api:
                task_id = api.post("/v1/videos/generations", json={"prompt": "x"}).json()["task_id"]
                assert api.get(f"/v1/tasks/{task_id}").json()["status"] == "processing"
                time.sleep(0.4)
                assert api.get(f"/v1/tasks/{task_id}").json()["status"] == "completed"


class TestForeground:
    """``python -m lemondata_video.emulator`` and ``serve()``."""

    def test_serve_prints_url_and_key_and_stops_on_event(self) -> None:
        """The function a CLI wires to."""
        stop, lines = threading.Event(), []

        class Out:
            def write(self, text: str) -> int:
                lines.append(text)
                return len(text)

            def flush(self) -> None:
                stop.set()

        port = free_port()
        serve(port=port, api_key="sk-cli", out=Out(), stop=stop)  # type: ignore[arg-type]
        printed = "".join(lines)
        assert f"http://127.0.0.1:{port}" in printed and "sk-cli" in printed

    def test_module_runs_in_the_foreground(self) -> None:
        """The module prints its URL and key and serves until killed."""
        port = free_port()
        command = [sys.executable, "-m", "lemondata_video.emulator", "--port", str(port), "--api-key", "sk-m"]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        try:
            assert process.stdout is not None
            first = process.stdout.readline()
            assert f"http://127.0.0.1:{port}" in first
            headers = {"Authorization": "Bearer sk-m"}
            assert httpx.get(f"http://127.0.0.1:{port}/v1/models", headers=headers).status_code == 200
        finally:
            process.terminate()
            process.wait(10)


README_EXAMPLE = """
import httpx

pytest_plugins = ["lemondata_video.emulator.pytest_plugin"]


def test_a_video_is_made(lemondata_emulator):
    emu = lemondata_emulator
    api = httpx.Client(base_url=emu.base_url, headers={"Authorization": f"Bearer {emu.api_key}"})
    task = api.post("/v1/videos/generations", json={"prompt": "a cat"}).json()
    emu.clock.advance(60)
    done = api.get(task["poll_url"]).json()
    assert done["status"] == "completed"
    assert httpx.get(done["video_url"]).content[4:8] == b"ftyp"
"""


class TestPytestPlugin:
    """The plugin as a user enables it."""

    def test_plugin_works_from_a_users_test_file(self, tmp_path: Path) -> None:
        """A test module with ``pytest_plugins`` gets a running emulator on a ManualClock."""
        (tmp_path / "test_user.py").write_text(textwrap.dedent(README_EXAMPLE))
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
            capture_output=True, text=True, cwd=tmp_path, timeout=120, check=False,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        assert "1 passed" in result.stdout


class TestScale:
    """State stays O(1) per request."""

    def test_ten_thousand_tasks_do_not_slow_polling(self, emu: Emulator) -> None:
        """Polling with 10,000 live tasks costs about what it costs with one."""
        headers = {"Authorization": f"Bearer {emu.api_key}"}
        with httpx.Client(base_url=emu.base_url, headers=headers) as api:
            first = api.post("/v1/videos/generations", json={"prompt": "x"}).json()["task_id"]

            def time_polls() -> float:
                started = time.perf_counter()
                for _ in range(200):
                    assert api.get(f"/v1/tasks/{first}").status_code == 200
                return time.perf_counter() - started

            alone = time_polls()
            for _ in range(10_000):
                emu.ctx.store.create(owner=emu.api_key, model="sora-2", operation="text-to-video",
                                     duration=None, size=(1280, 720))  # fmt: skip
            assert len(emu.ctx.store) == 10_001
            crowded = time_polls()
        assert crowded < alone * 3 + 0.2


class TestReadme:
    """The README's emulator examples run as written."""

    def test_context_manager_example_runs(self) -> None:
        """The first Python block of the section is executed as is."""
        readme = (ROOT / "README.md").read_text()
        section = readme.split("## The emulator", 1)[1]
        block = section.split("```python\n", 1)[1].split("```", 1)[0]
        exec(compile(block, "README.md", "exec"), {})  # noqa: S102 - our own documentation

    def test_fixture_example_is_the_one_this_suite_runs(self) -> None:
        """The pytest example in the README is README_EXAMPLE, which a test above runs."""
        readme = (ROOT / "README.md").read_text()
        assert README_EXAMPLE.strip() in readme
