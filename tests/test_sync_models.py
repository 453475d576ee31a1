"""scripts/sync-models: a catalog that differs from the snapshot brings the spec and generated/ up to date."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from lemondata_api.model_matrix import MODELS
from lemondata_video.emulator import Emulator

ROOT = Path(__file__).resolve().parent.parent
SYNC = ROOT / "scripts" / "sync-models"
GENERATE = ROOT / "scripts" / "generate"
SPEC = ROOT / "openapi" / "openapi.yaml"
BLOCK = "x-lemondata-models:\n"
# Listed by the catalog with operations that are no VideoOperation's: ignored, and said so.
ALIEN_OPERATION = "teleport"
# A line of the spec, and the same entry marked as kept on purpose.
LUMA = (
    "  - {id: luma-video-api, provider: Luma, family: Luma, operations: [text-to-video], revisions: [R1]}\n"
)
LUMA_KEPT = LUMA.replace("[R1]}", "[R1], kept: true}")
NEW_MODEL = {
    "id": "acme-video-1",
    "object": "model",
    "owned_by": "acme",
    "lemondata": {"category": "video", "supported_operations": ["text-to-video", "motion-control"]},
}
# Only public_contract_summary names the operations; owned_by is the snapshot's provider.
NEW_KLING = {
    "id": "kling-v4",
    "owned_by": "kuaishou",
    "lemondata": {
        "category": "video",
        "supported_operations": None,
        "public_contract_summary": {"public_operations": ["text-to-video", "image-to-video"]},
    },
}
CHAT_MODEL = {"id": "gpt-4o", "owned_by": "openai", "lemondata": {"category": "chat"}}
DIFFERENCES = [
    "removed kling-3.0-motion-control: the catalog does not list it",
    "changed veo3: operations [text-to-video, image-to-video]"
    " -> [text-to-video, image-to-video, reference-to-video]",
    "added acme-video-1: Acme / Acme, operations [text-to-video, motion-control]",
    "added kling-v4: Kuaishou / Kling, operations [text-to-video, image-to-video]",
]
NOTICES = [
    f"ignored veo3: {ALIEN_OPERATION!r} is not a VideoOperation",
    "kept luma-video-api: the catalog does not list it (kept: true)",
]
FACADE_PROBE = (
    "import json\n"
    "from lemondata_video._capabilities import build_request\n"
    "body = build_request('x', model='acme-video-1', operation=None, fields={})\n"
    "print(json.dumps(body))\n"
)


def run(
    script: Path, *args: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a script of scripts/ with this interpreter (the venv with the pinned tools)."""
    return subprocess.run(
        [sys.executable, str(script), *map(str, args)], capture_output=True, text=True, check=False, env=env
    )


def emulator_catalog(emu: Emulator) -> dict[str, Any]:
    answer = httpx.get(
        f"{emu.base_url}/v1/models",
        params={"category": "video"},
        headers={"Authorization": f"Bearer {emu.api_key}"},
    )
    answer.raise_for_status()
    body: dict[str, Any] = answer.json()
    return body


def differing_catalog(catalog: dict[str, Any]) -> dict[str, Any]:
    """The emulator's catalog plus two new models and a chat one, minus two, and veo3 with a new operation."""
    data = [m for m in catalog["data"] if m["id"] not in ("kling-3.0-motion-control", "luma-video-api")]
    for model in data:
        if model["id"] == "veo3":
            operations = model["lemondata"]["supported_operations"]
            model["lemondata"]["supported_operations"] = [*operations, "reference-to-video", ALIEN_OPERATION]
    return {"object": "list", "data": [*data, NEW_MODEL, NEW_KLING, CHAT_MODEL]}


def spec_entries(path: Path) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in yaml.safe_load(path.read_text(encoding="utf-8"))["x-lemondata-models"]}


@dataclass
class Synced:
    """One sync of a differing catalog into a copy of the spec, with --check before and after."""

    original: str
    spec: Path
    target: Path
    before: subprocess.CompletedProcess[str]
    unchanged_by_check: bool
    sync: subprocess.CompletedProcess[str]
    after: subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Synced:
    tmp = tmp_path_factory.mktemp("sync")
    with Emulator() as emu:
        catalog = differing_catalog(emulator_catalog(emu))
    saved = tmp / "catalog.json"
    saved.write_text(json.dumps(catalog), encoding="utf-8")
    text = SPEC.read_text(encoding="utf-8")
    assert text.count(LUMA) == 1
    original = text.replace(LUMA, LUMA_KEPT)
    spec = tmp / "openapi.yaml"
    spec.write_text(original, encoding="utf-8")
    target = tmp / "gen" / "lemondata_api"
    before = run(SYNC, "--check", "--from", saved, "--spec", spec)
    unchanged = spec.read_text(encoding="utf-8") == original
    sync = run(SYNC, "--from", saved, "--spec", spec, "--target", target)
    after = run(SYNC, "--check", "--from", saved, "--spec", spec)
    return Synced(original, spec, target, before, unchanged, sync, after)


class TestSyncFromFile:
    """A saved catalog that differs from the snapshot, synced into a copy of the spec."""

    def test_prints_one_line_per_difference_then_regenerates(self, synced: Synced) -> None:
        """Notices, removals, changes and additions, one line each, then scripts/generate's line."""
        assert synced.sync.returncode == 0, synced.sync.stderr
        assert synced.sync.stdout.splitlines() == [
            *NOTICES,
            *DIFFERENCES,
            f"updated {synced.spec}: 4 changes",
            f"regenerated {synced.target}",
        ]

    def test_new_models_appear_with_their_operations_and_the_live_revision(self, synced: Synced) -> None:
        """owned_by becomes the provider (the snapshot's spelling when it has one), revisions [live]."""
        entries = spec_entries(synced.spec)
        assert entries["acme-video-1"] == {
            "id": "acme-video-1",
            "provider": "Acme",
            "family": "Acme",
            "operations": ["text-to-video", "motion-control"],
            "revisions": ["live"],
        }
        assert entries["kling-v4"]["provider"] == "Kuaishou"
        assert entries["kling-v4"]["family"] == "Kling"
        assert entries["kling-v4"]["operations"] == ["text-to-video", "image-to-video"]
        assert "gpt-4o" not in entries

    def test_new_entries_are_flow_lines_in_their_provider_group(self, synced: Synced) -> None:
        """A known provider's model goes after its group (before the next group's comment); others last."""
        lines = synced.spec.read_text(encoding="utf-8").splitlines()
        kling = lines.index(
            "  - {id: kling-v4, provider: Kuaishou, family: Kling, "
            "operations: [text-to-video, image-to-video], revisions: [live]}"
        )
        assert lines[kling - 1].startswith("  - {id: kling-effects,")
        assert lines[kling + 1] == "  # Google"
        assert lines[-1] == (
            "  - {id: acme-video-1, provider: Acme, family: Acme, "
            "operations: [text-to-video, motion-control], revisions: [live]}"
        )

    def test_removed_model_is_gone_and_a_kept_one_stays(self, synced: Synced) -> None:
        entries = spec_entries(synced.spec)
        assert "kling-3.0-motion-control" not in entries
        assert entries["luma-video-api"]["kept"] is True
        assert entries["veo3"]["operations"] == ["text-to-video", "image-to-video", "reference-to-video"]

    def test_comments_and_the_rest_of_the_spec_survive(self, synced: Synced) -> None:
        """Every comment stays, in order (a removed group head passes on); outside the list nothing moves."""
        text = synced.spec.read_text(encoding="utf-8")

        def comments(source: str) -> list[str]:
            return [line for line in source.splitlines() if line.lstrip().startswith("#")]

        assert comments(text) == comments(synced.original)
        assert text.split(BLOCK)[0] == synced.original.split(BLOCK)[0]
        lines = text.splitlines()
        assert lines[lines.index("  # Kuaishou") + 1].startswith("  - {id: kling-3.0-video,")

    def test_untouched_entries_keep_their_content(self, synced: Synced) -> None:
        before, after = spec_entries(SPEC), spec_entries(synced.spec)
        touched = {"veo3", "luma-video-api", "kling-3.0-motion-control", "acme-video-1", "kling-v4"}
        assert {k: v for k, v in after.items() if k not in touched} == {
            k: v for k, v in before.items() if k not in touched
        }

    def test_generated_package_matches_the_synced_spec(self, synced: Synced) -> None:
        result = run(GENERATE, "--check", "--spec", synced.spec, "--target", synced.target)
        assert result.returncode == 0, result.stderr
        assert "matches the spec" in result.stdout

    def test_facade_then_validates_the_new_model_offline(self, synced: Synced) -> None:
        """With the synced package first on the path, build_request accepts acme-video-1 without a catalog."""
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(synced.target.parent), str(ROOT / "facade")])}
        result = subprocess.run(
            [sys.executable, "-c", FACADE_PROBE], capture_output=True, text=True, check=False, env=env
        )
        assert result.returncode == 0, result.stderr
        body = {"model": "acme-video-1", "prompt": "x", "operation": "text-to-video"}
        assert json.loads(result.stdout) == body

    def test_check_fails_before_the_sync_and_passes_after(self, synced: Synced) -> None:
        """--check prints the differences and exits 1 without touching the spec; after the sync it exits 0."""
        assert synced.before.returncode == 1
        assert synced.before.stdout.splitlines() == [*NOTICES, *DIFFERENCES]
        assert synced.before.stderr == f"{synced.spec} is behind the catalog: 4 differences\n"
        assert synced.unchanged_by_check
        assert synced.after.returncode == 0, synced.after.stderr
        assert synced.after.stdout.splitlines() == [
            *NOTICES,
            f"{synced.spec} matches the catalog ({len(MODELS)} video models)",
        ]


class TestCatalogGaps:
    """Models the catalog lists without an operation the spec knows change nothing, and say so."""

    def test_no_operations_leave_a_model_and_skip_a_new_one(self, tmp_path: Path) -> None:
        with Emulator() as emu:
            catalog = emulator_catalog(emu)
        for model in catalog["data"]:
            if model["id"] == "veo2":
                model["lemondata"] = None
        catalog["data"].append({"id": "odd-video", "lemondata": {"supported_operations": [ALIEN_OPERATION]}})
        saved = tmp_path / "catalog.json"
        saved.write_text(json.dumps(catalog), encoding="utf-8")
        result = run(SYNC, "--check", "--from", saved)
        assert result.returncode == 0, result.stderr
        assert result.stdout.splitlines() == [
            f"ignored odd-video: {ALIEN_OPERATION!r} is not a VideoOperation",
            "left veo2 as it is: the catalog names no VideoOperation for it",
            "skipped odd-video: the catalog names no VideoOperation for it",
            f"openapi/openapi.yaml matches the catalog ({len(MODELS) + 1} video models)",
        ]


class TestSyncFromUrl:
    """--from-url against a running emulator."""

    def test_committed_spec_is_current_against_the_emulator(self) -> None:
        """The emulator serves the snapshot, so the committed spec is current; the key is never printed."""
        with Emulator() as emu:
            env = {**os.environ, "LEMONDATA_API_KEY": emu.api_key}
            result = run(SYNC, "--check", "--from-url", emu.base_url, env=env)
            assert emu.api_key not in result.stdout + result.stderr
        assert result.returncode == 0, result.stderr
        assert result.stdout == f"openapi/openapi.yaml matches the catalog ({len(MODELS)} video models)\n"

    def test_a_refused_key_is_reported_without_the_key(self) -> None:
        wrong = "sk-wrong-0123456789abcdef"
        with Emulator() as emu:
            url = f"{emu.base_url}/v1/models?category=video"
            result = run(SYNC, "--check", "--from-url", url, env={**os.environ, "LEMONDATA_API_KEY": wrong})
        assert result.returncode == 1
        assert result.stderr == f"scripts/sync-models: {url} answered 401 Unauthorized\n"
        assert wrong not in result.stdout + result.stderr

    def test_no_key_in_the_environment(self) -> None:
        env = {k: v for k, v in os.environ.items() if k != "LEMONDATA_API_KEY"}
        result = run(SYNC, "--check", "--from-url", "http://127.0.0.1:9", env=env)
        assert result.returncode == 1
        assert result.stderr == "scripts/sync-models: --from-url needs the API key in LEMONDATA_API_KEY\n"


class TestBadCatalogs:
    """A catalog the script cannot read stops it with one line naming the file; the spec is untouched."""

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (None, "--from {path}: no such file"),
            ("<html>502 Bad Gateway</html>", "{path} is not JSON: Expecting value (line 1, column 1)"),
            (
                '{"object": "list"}',
                '{path} has no "data" list; expected a GET /v1/models?category=video answer',
            ),
            ("[1, 2]", '{path} has no "data" list; expected a GET /v1/models?category=video answer'),
            ('{"data": [{"id": "sora-2"}, {"object": "model"}]}', '{path}: data[1] has no "id"'),
        ],
        ids=["missing", "not-json", "no-data", "a-list", "no-id"],
    )
    def test_message(self, tmp_path: Path, content: str | None, message: str) -> None:
        path = tmp_path / "catalog.json"
        if content is not None:
            path.write_text(content, encoding="utf-8")
        spec = tmp_path / "openapi.yaml"
        spec.write_bytes(SPEC.read_bytes())
        result = run(SYNC, "--from", path, "--spec", spec)
        assert result.returncode == 1
        assert result.stderr == f"scripts/sync-models: {message.format(path=path)}\n"
        assert spec.read_bytes() == SPEC.read_bytes()
