"""scripts/generate: the drift check catches a changed spec, and generation is repeatable."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATE = ROOT / "scripts" / "generate"
SPEC = ROOT / "openapi" / "openapi.yaml"
PACKAGE = ROOT / "generated" / "lemondata_api"
# A line that occurs once in the spec: the description of VideoTask.progress.
PROGRESS_DESCRIPTION = "          description: Percent complete, when the provider reports it.\n"


def run_generate(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run scripts/generate with this interpreter (the venv that has the pinned generator)."""
    return subprocess.run(
        [sys.executable, str(GENERATE), *map(str, args)], capture_output=True, text=True, check=False
    )


def tree_bytes(root: Path) -> dict[str, bytes]:
    """Every file under `root` (bytecode caches aside) by relative path, with its contents."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def changed_spec(tmp_path: Path) -> Path:
    """A copy of the spec whose only change is the description of VideoTask.progress."""
    text = SPEC.read_text(encoding="utf-8")
    assert text.count(PROGRESS_DESCRIPTION) == 1
    copy = tmp_path / "openapi.yaml"
    copy.write_text(
        text.replace(PROGRESS_DESCRIPTION, "          description: How far along the task is, in percent.\n"),
        encoding="utf-8",
    )
    return copy


class TestDriftCheck:
    """`scripts/generate --check` compares the committed package with fresh output."""

    def test_check_passes_on_the_repository(self) -> None:
        """The committed generated/ is exactly what the committed spec produces."""
        result = run_generate("--check")
        assert result.returncode == 0, result.stderr
        assert "matches the spec" in result.stdout

    def test_check_fails_and_names_the_file_a_spec_change_touches(self, tmp_path: Path) -> None:
        """A one-field change fails the check and lists only the modules it lands in: its model, and
        the spec the package ships (the emulator's routes)."""
        result = run_generate("--check", "--spec", changed_spec(tmp_path))
        assert result.returncode == 1
        listed = [line.strip() for line in result.stderr.splitlines() if line.startswith("  ")]
        assert listed == [
            "generated/lemondata_api/models/video_task.py  (differs)",
            "generated/lemondata_api/openapi_spec.py  (differs)",
        ]

    def test_regenerating_the_target_makes_the_check_pass(self, tmp_path: Path) -> None:
        """--target writes to a copy of the package; generated/ itself is left alone."""
        spec = changed_spec(tmp_path)
        target = tmp_path / "lemondata_api"
        shutil.copytree(PACKAGE, target, ignore=shutil.ignore_patterns("__pycache__"))
        committed = tree_bytes(PACKAGE)

        written = run_generate("--spec", spec, "--target", target)
        checked = run_generate("--check", "--spec", spec, "--target", target)

        assert written.returncode == 0, written.stderr
        assert checked.returncode == 0, checked.stderr
        fresh = tree_bytes(target)
        assert b"How far along the task is, in percent." in fresh["models/video_task.py"]
        changed = {name for name in fresh if fresh[name] != committed.get(name)}
        assert changed == {"models/video_task.py", "openapi_spec.py"}
        assert tree_bytes(PACKAGE) == committed

    def test_check_fails_when_the_target_is_missing(self, tmp_path: Path) -> None:
        """A target folder that does not exist is a failure, not a pass."""
        result = run_generate("--check", "--target", tmp_path / "absent")
        assert result.returncode == 1
        assert "does not exist" in result.stderr


class TestDeterminism:
    """Generation depends on the spec alone."""

    def test_two_generations_produce_identical_bytes(self, tmp_path: Path) -> None:
        """Two runs from the same spec write the same files with the same bytes."""
        first, second = tmp_path / "first", tmp_path / "second"
        for target in (first, second):
            result = run_generate("--target", target)
            assert result.returncode == 0, result.stderr
        assert tree_bytes(first) == tree_bytes(second)
        assert "model_matrix.py" in tree_bytes(first)
