"""`--help`, usage errors and `models`, through the real entry point; `models --live` asks an emulator."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lemondata_video.emulator import Emulator, ManualClock

from .conftest import ANSI, cli_env, run

COMMANDS = ("generate", "status", "wait", "cancel", "download", "models", "batch", "emulator", "api")


class TestHelp:
    """Every command explains itself, with an example and the exit codes."""

    @pytest.mark.parametrize("name", COMMANDS)
    def test_every_command_has_help_with_an_example(self, name: str) -> None:
        result = run(name, "--help")
        assert result.code == 0
        assert f"usage: lemonvideo {name}" in result.stdout
        assert "example:\n  lemonvideo " + name in result.stdout
        assert "130  interrupted" in result.stdout
        assert "7    a create was sent but its answer was lost" in result.stdout

    def test_top_level_help_lists_every_command(self) -> None:
        result = run("--help")
        assert result.code == 0
        for name in COMMANDS:
            assert f"    {name}" in result.stdout

    def test_json_is_an_option_of_every_command(self) -> None:
        for name in COMMANDS:
            assert "--json" in run(name, "--help").stdout, name


class TestUsageErrors:
    """Mistakes on the command line exit 2 with argparse's one-line reason, and no traceback."""

    @pytest.mark.parametrize(
        ("argv", "message"),
        [
            ((), "the following arguments are required: COMMAND"),
            (("frobnicate",), "invalid choice: 'frobnicate'"),
            (("generate", "a cat", "--duration", "five"), "argument --duration: invalid int value: 'five'"),
            (("generate", "a cat", "--operation", "dance"), "argument --operation: invalid choice: 'dance'"),
            (("download", "video_x"), "the following arguments are required: --out"),
            (("batch", "jobs.jsonl"), "the following arguments are required: --out-dir"),
            (("status",), "the following arguments are required: ID"),
        ],
    )
    def test_usage_error_exits_2(self, argv: tuple[str, ...], message: str) -> None:
        result = run(*argv)
        assert result.code == 2
        assert message in result.stderr
        assert "Traceback" not in result.stderr


class TestModels:
    """`models` prints the local matrix (no key, no emulator, no request); `--live` the service's catalog."""

    def test_table_lists_models_with_their_operations(self) -> None:
        result = run("models", env=cli_env())
        assert result.code == 0
        header = result.stdout.splitlines()[0].split()
        assert header == ["MODEL", "PROVIDER", "OPERATIONS", "DURATIONS", "CANCEL", "NOTES"]
        assert "sora-2 (default)" in result.stdout
        assert result.stderr == ""  # no emulator notice: models sends no request

    def test_filters_by_operation_and_provider(self) -> None:
        result = run("models", "--operation", "start-end-to-video", "--provider", "google", "--json")
        assert result.code == 0
        models = json.loads(result.stdout)
        assert models
        assert all("start-end-to-video" in m["operations"] and m["provider"] == "Google" for m in models)

    def test_json_lists_every_model(self) -> None:
        from lemondata_api.model_matrix import MODELS

        models = json.loads(run("models", "--json").stdout)
        assert [m["id"] for m in models] == [m["id"] for m in MODELS]
        assert set(models[0]) >= {"id", "provider", "operations", "durations", "cancellable"}

    def test_unknown_operation_is_a_validation_error(self) -> None:
        result = run("models", "--operation", "dance", "--json")
        assert result.code == 3
        assert result.stderr.startswith("lemonvideo: error: operation must be one of text-to-video")
        assert json.loads(result.stdout)["error"]["exit_code"] == 3

    def test_no_match_says_so(self) -> None:
        result = run("models", "--provider", "nobody")
        assert (result.code, result.stdout) == (0, "no models match\n")

    def test_piped_output_has_no_ansi_codes(self) -> None:
        result = run("models", env=cli_env(TERM="xterm-256color"))
        assert ANSI not in result.stdout + result.stderr

    def test_live_with_the_emulator_shows_a_model_only_its_catalog_has(self, tmp_path: Path) -> None:
        """`models --live --emulator` asks the built-in emulator, here given a catalog with a new model."""
        answer = {
            "object": "list",
            "data": [
                {"id": "acme-video-1", "object": "model", "owned_by": "acme",
                 "lemondata": {"category": "video", "supported_operations": ["text-to-video"]}},
            ],
        }  # fmt: skip
        path = tmp_path / "catalog.json"
        path.write_text(json.dumps(answer), encoding="utf-8")
        result = run("models", "--live", "--emulator", "--emulator-catalog", str(path))
        assert result.code == 0, result.stderr
        assert result.stdout.splitlines()[1].split() == ["acme-video-1", "acme", "text-to-video", "any", "no"]
        listed = json.loads(
            run("models", "--live", "--emulator", "--emulator-catalog", str(path), "--json").stdout
        )
        assert [m["id"] for m in listed] == ["acme-video-1"]

    def test_live_against_the_service_lists_its_catalog(self) -> None:
        """With a key and base URL, `--live` asks that service: the emulator's own (snapshot) catalog here."""
        from lemondata_api.model_matrix import MODELS

        with Emulator(clock=ManualClock()) as emu:
            listed = json.loads(run("models", "--live", "--json", env=cli_env(emu)).stdout)
            assert emu.stats.requests["GET /v1/models"] == 1
        assert [m["id"] for m in listed] == [m["id"] for m in MODELS]

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (None, "cannot read the catalog {path}: No such file or directory"),
            (
                "{",
                "the catalog {path} is not JSON: Expecting property name enclosed in double quotes: "
                "line 1 column 2 (char 1)",
            ),
            ("[]", "the catalog {path} is not a GET /v1/models answer (an object with a 'data' list)"),
        ],
    )
    def test_a_bad_emulator_catalog_is_a_usage_error(
        self, tmp_path: Path, content: str | None, message: str
    ) -> None:
        path = tmp_path / "catalog.json"
        if content is not None:
            path.write_text(content, encoding="utf-8")
        result = run("models", "--live", "--emulator", "--emulator-catalog", str(path))
        assert result.code == 2
        assert result.stderr.splitlines()[-1] == "lemonvideo: error: " + message.format(path=path)
