"""`lemonvideo api`: any request with the configured key, its JSON on stdout, the usual exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from lemondata_video.emulator import Emulator, Faults

from .conftest import cli_env, run


class TestApiCommand:
    """Requests through the real entry point against a running emulator."""

    def test_get_prints_the_json_answer(self, emu: Emulator, env: dict[str, str]) -> None:
        result = run("api", "GET", "/v1/models", "-f", "category=video", env=env)
        assert result.code == 0, result.stderr
        answer = json.loads(result.stdout)
        assert answer["object"] == "list"
        assert answer["data"][0]["id"] == "sora-2"
        assert result.stdout.startswith("{\n  ")
        assert emu.stats.requests["GET /v1/models"] == 1

    def test_fields_of_a_post_are_its_json_body(self, emu: Emulator, env: dict[str, str]) -> None:
        result = run(
            "api", "POST", "v1/videos/generations", "-f", "prompt=a cat", "-F", "duration=4", env=env
        )
        assert result.code == 0, result.stderr
        created = json.loads(result.stdout)
        assert created["status"] == "pending"
        task = emu.ctx.store.get(created["task_id"])
        assert task is not None
        assert task.duration == 4

    def test_input_file_is_the_body(self, emu: Emulator, env: dict[str, str], tmp_path: Path) -> None:
        body = tmp_path / "body.json"
        body.write_text(json.dumps({"prompt": "a lemon", "model": "sora-2"}), encoding="utf-8")
        result = run("api", "POST", "/v1/videos/generations", "--input", str(body), "--json", env=env)
        assert result.code == 0, result.stderr
        assert len(result.stdout.splitlines()) == 1
        assert json.loads(result.stdout)["model"] == "sora-2"
        assert emu.stats.tasks_created == 1

    def test_an_error_answer_exits_4_with_the_json_error(self, env: dict[str, str]) -> None:
        result = run("api", "GET", "/v1/tasks/video_nope", "--json", env=env)
        assert result.code == 4
        error = json.loads(result.stdout)["error"]
        assert error["type"] == "NotFoundError"
        assert error["status_code"] == 404
        assert error["code"] == "async_task_not_found"
        assert result.stderr.startswith("lemonvideo: error: 404 async_task_not_found: ")

    def test_a_429_on_a_get_is_retried(self, emu: Emulator, env: dict[str, str]) -> None:
        emu.set_faults(Faults(rate_limit_storm=1.0, storm_length=1, max_faults=1, routes=["GET /v1/models"]))
        result = run("api", "GET", "/v1/models", env=env)
        assert result.code == 0, result.stderr
        assert emu.stats.faults["rate_limit_storm"] == 1
        assert emu.stats.requests["GET /v1/models"] == 2

    def test_a_wrong_key_exits_4(self, emu: Emulator) -> None:
        result = run("api", "GET", "/v1/models", env=cli_env(emu, LEMONDATA_API_KEY="sk-wrong-key-000000"))
        assert result.code == 4
        assert "401" in result.stderr
        assert "sk-wrong-key-000000" not in result.stderr + result.stdout


class TestApiUsage:
    """Mistakes the command refuses before sending anything."""

    def test_a_field_without_equals_is_a_usage_error(self) -> None:
        result = run("api", "GET", "/v1/models", "-f", "category", "--emulator")
        assert result.code == 2
        assert result.stderr == "lemonvideo: error: a field is key=value, not 'category'\n"

    def test_a_url_is_not_a_path(self) -> None:
        result = run("api", "GET", "https://example.com/v1/models", "--emulator")
        assert result.code == 2
        assert result.stderr.endswith(
            "error: PATH is a path of the API such as /v1/models, not a URL: 'https://example.com/v1/models'\n"
        )

    def test_input_that_is_not_json_is_a_validation_error(self, tmp_path: Path) -> None:
        body = tmp_path / "body.json"
        body.write_text("{not json", encoding="utf-8")
        result = run("api", "POST", "/v1/videos/generations", "--input", str(body), "--emulator")
        assert result.code == 3
        assert f"--input {str(body)!r} is not JSON: " in result.stderr

    def test_unreadable_input_is_a_usage_error(self, tmp_path: Path) -> None:
        missing = tmp_path / "missing.json"
        result = run("api", "POST", "/v1/videos/generations", "--input", str(missing), "--emulator")
        assert result.code == 2
        assert result.stderr.endswith(
            f"error: cannot read --input {str(missing)!r}: No such file or directory\n"
        )
