"""`lemonvideo emulator`: serves in the foreground, prints its URL and key, stops on Ctrl-C."""

from __future__ import annotations

import json
import signal
import socket
import subprocess

import httpx

from .conftest import cli_env, command, run


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command("emulator", "--port", "0", *args),
        env=cli_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGINT)
    return process.wait(timeout=20)


class TestEmulatorCommand:
    """The foreground emulator."""

    def test_json_line_gives_a_working_url_and_key(self) -> None:
        process = _start("--json")
        try:
            assert process.stdout is not None
            info = json.loads(process.stdout.readline())
            answer = httpx.get(
                f"{info['base_url']}/v1/models", headers={"Authorization": f"Bearer {info['api_key']}"}
            )
            assert answer.status_code == 200
            assert info["api_key"].startswith("sk-emulator-")
        finally:
            assert _stop(process) == 0

    def test_text_output_prints_the_url_key_and_exports(self) -> None:
        process = _start()
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline() for _ in range(4)]
            assert lines[0].startswith("LemonData emulator at http://127.0.0.1:")
            assert lines[2].strip().startswith("API key:   sk-emulator-")
            assert lines[3].strip().startswith("export LEMONDATA_BASE_URL=http://127.0.0.1:")
        finally:
            assert _stop(process) == 0

    def test_a_busy_port_is_a_usage_error(self) -> None:
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            port = busy.getsockname()[1]
            result = run("emulator", "--port", str(port))
        assert result.code == 2
        assert f"lemonvideo: error: cannot serve on 127.0.0.1:{port}:" in result.stderr
        assert "choose another --port" in result.stderr

    def test_link_ttl_signs_the_links_it_serves(self) -> None:
        process = _start("--json", "--link-ttl", "3600", "--time-scale", "100")
        try:
            assert process.stdout is not None
            info = json.loads(process.stdout.readline())
            headers = {"Authorization": f"Bearer {info['api_key']}"}
            with httpx.Client(base_url=info["base_url"], headers=headers) as api:
                task = api.post("/v1/videos/generations", json={"prompt": "a cat", "model": "sora-2"}).json()
                body: dict[str, str] = {}
                while "video_url" not in body:  # 6 emulated seconds: 60 ms at --time-scale 100
                    body = api.get(f"/v1/tasks/{task['id']}").json()
            assert "?expires=" in body["video_url"]
            assert httpx.get(body["video_url"]).status_code == 200
        finally:
            assert _stop(process) == 0

    def test_a_link_ttl_that_is_not_positive_is_a_usage_error(self) -> None:
        result = run("emulator", "--link-ttl", "0")
        assert result.code == 2
        assert result.stderr.strip() == (
            "lemonvideo: error: --link-ttl must be a finite number of seconds > 0, not 0.0"
        )
