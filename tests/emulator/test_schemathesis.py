"""The emulator against its contract: `schemathesis run` with openapi/openapi.yaml, positive and negative."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from lemondata_video.emulator import Emulator, ManualClock

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "openapi.yaml"
CONFIG = Path(__file__).with_name("schemathesis.toml")
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
SEED = 20260101
MAX_EXAMPLES = 100


def seeded_task_ids(emu: Emulator) -> list[str]:
    """Tasks in every state, so task paths answer 200/400/409 and not only 404."""
    headers = {"Authorization": f"Bearer {emu.api_key}"}
    ids = []
    with httpx.Client(base_url=emu.base_url, headers=headers) as api:
        for model in ("sora-2", "seedance-1.5-pro", "sora-2", "seedance-2.0", "seedance-2.0-fast"):
            ids.append(
                api.post("/v1/videos/generations", json={"model": model, "prompt": "x"}).json()["task_id"]
            )
            if len(ids) == 2:
                assert isinstance(emu.clock, ManualClock)
                emu.clock.advance(60)  # the first two are finished, the rest stay pending
    return ids


def run_schemathesis(emu: Emulator, tmp_path: Path, *, key: str, extra: list[str]) -> dict[str, Any]:
    """Run the CLI against ``emu`` with the committed config plus a dictionary of real task ids."""
    ids = seeded_task_ids(emu)
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        CONFIG.read_text()
        + f"\n[dictionaries.tasks]\nvalues = {json.dumps(ids)}\n"
        + '\n[parameters]\n"path.task_id" = { dictionary = "tasks", probability = 0.5 }\n'
    )
    report = tmp_path / "report.json"
    command = [
        sys.executable, "-m", "schemathesis.cli", "--no-color", "--config-file", str(config),
        "run", str(SPEC), "--url", emu.base_url, "-H", f"Authorization: Bearer {key}",
        "--checks", ",".join(CHECKS), "--seed", str(SEED), "--workers", "1",
        "--report", "json", "--report-json-path", str(report), *extra,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=300, check=False)
    assert report.exists(), result.stdout + result.stderr
    data: dict[str, Any] = json.loads(report.read_text())
    data["output"] = result.stdout + result.stderr
    data["returncode"] = result.returncode
    return data


@pytest.mark.lemondata_emulator(rate_limit=1_000_000)
def test_emulator_conforms_to_the_spec_in_positive_and_negative_modes(emu: Emulator, tmp_path: Path) -> None:
    """Every operation, examples + coverage + fuzzing phases, no failure and no error."""
    extra = ["--mode", "all", "--max-examples", str(MAX_EXAMPLES), "--phases", "examples,coverage,fuzzing"]
    report = run_schemathesis(emu, tmp_path, key=emu.api_key, extra=extra)
    summary = (report["operations"], report["test_cases"], report["failures"], report["errors"])
    print("schemathesis:", json.dumps(summary))
    assert report["returncode"] == 0, report["output"]
    assert report["operations"]["tested"] == report["operations"]["total"] == 8
    assert report["test_cases"]["generated"] >= 300
    assert report["test_cases"]["with_failures"] == 0 and not report["failures"] and not report["errors"]
    assert not report["warnings"]["missing_auth"]
    assert emu.stats.tasks_created > 10  # positive cases reached the handler, not just validation


def test_a_wrong_key_fails_the_run(emu: Emulator, tmp_path: Path) -> None:
    """With ``fail-on = ["missing_auth"]`` a run that only sees 401s exits non-zero."""
    extra = ["--mode", "positive", "--max-examples", "5", "--phases", "examples"]
    report = run_schemathesis(emu, tmp_path, key="sk-wrong", extra=extra)
    assert report["returncode"] != 0, report["output"]
    assert report["warnings"]["missing_auth"]
