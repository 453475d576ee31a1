"""The wheel: what it contains, and that it installs and imports in a clean virtualenv."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"lemondata_api", "lemondata_video"}
TYPED_FILES = ("lemondata_api/py.typed", "lemondata_video/py.typed", "lemondata_api/model_matrix.py")
# Run inside the clean venv: both packages import, and the matrix came along.
SMOKE = """
import importlib.metadata, pathlib
import lemondata_api, lemondata_video
from lemondata_api.model_matrix import MODELS
print(importlib.metadata.version("lemondata-video"))
print(len(MODELS))
print(pathlib.Path(lemondata_api.__file__).parent / "py.typed")
print(pathlib.Path(lemondata_video.__file__).parent / "py.typed")
"""


def run(*cmd: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `python -m build --wheel` makes from this checkout."""
    dist = tmp_path_factory.mktemp("dist")
    result = run(sys.executable, "-m", "build", "--wheel", "--outdir", dist, ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = dist.glob("lemondata_video-*-py3-none-any.whl")
    return built


@pytest.fixture(scope="module")
def clean_venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with only the wheel and its declared dependencies installed."""
    venv = tmp_path_factory.mktemp("venv")
    created = run(sys.executable, "-m", "venv", venv)
    assert created.returncode == 0, created.stderr
    python = venv / "bin" / "python"
    installed = run(python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", wheel)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    return python


class TestWheelContents:
    """The wheel ships both packages, typed, with the generated model matrix."""

    def test_wheel_marks_both_packages_typed_and_ships_the_matrix(self, wheel: Path) -> None:
        """py.typed in each package, and model_matrix.py from scripts/generate."""
        names = set(zipfile.ZipFile(wheel).namelist())
        missing = [name for name in TYPED_FILES if name not in names]
        assert missing == []

    def test_wheel_holds_only_the_two_packages(self, wheel: Path) -> None:
        """No tests, scripts or spec files leak into the wheel's top level."""
        tops = {name.split("/", 1)[0] for name in zipfile.ZipFile(wheel).namelist()}
        assert tops - PACKAGES == {f"{wheel.name.split('-py3')[0]}.dist-info"}

    def test_wheel_declares_its_runtime_dependencies_and_command(self, wheel: Path) -> None:
        """httpx and attrs are required; the `lemonvideo` command is an entry point."""
        with zipfile.ZipFile(wheel) as archive:
            info = wheel.name.split("-py3")[0] + ".dist-info"
            metadata = archive.read(f"{info}/METADATA").decode()
            entry_points = archive.read(f"{info}/entry_points.txt").decode()
        requires = [
            Requirement(line.removeprefix("Requires-Dist:").strip())
            for line in metadata.splitlines()
            if line.startswith("Requires-Dist:")
        ]
        runtime = {r.name: r.specifier for r in requires if r.marker is None}
        assert runtime == {"httpx": SpecifierSet(">=0.27,<1"), "attrs": SpecifierSet(">=23.1")}
        assert "lemonvideo = lemondata_video.cli:main" in entry_points


class TestCleanInstall:
    """Installed from the wheel alone, away from the source tree."""

    def test_both_packages_import_in_a_clean_venv(self, clean_venv: Path, tmp_path: Path) -> None:
        """The import works from an unrelated folder, with the installed py.typed markers."""
        result = subprocess.run(
            [str(clean_venv), "-c", SMOKE], capture_output=True, text=True, check=False, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
        version, models, api_typed, video_typed = result.stdout.split()
        assert version == "0.1.0"
        assert models == "60"
        for marker in (api_typed, video_typed):
            assert Path(marker).is_file()
            assert Path(marker).is_relative_to(clean_venv.parent.parent)
