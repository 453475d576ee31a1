"""Temporary files left by a killed download are removed by the next download of the same target.

A temporary file is named `.NAME.<pid>.<8 random characters>.part`. Only such files of the
same target whose process no longer exists are removed; a live process's file, another
target's file and anything not named exactly so are never touched.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from lemondata_video import _output_file
from lemondata_video._async_download import adownload_file
from lemondata_video._download import download_file
from lemondata_video._exceptions import DownloadExistsError
from lemondata_video._output_file import remove_stale_parts
from pytest_httpx import HTTPXMock

URL = "https://files.example.com/out/clip.mp4?X-Signature=s3cr3t"
BODY = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 8


@pytest.fixture(scope="module")
def dead_pid() -> int:
    """The pid of a child process that has exited and been reaped: no process has it now."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    with pytest.raises(ProcessLookupError):
        os.kill(child.pid, 0)
    return child.pid


def _part(directory: Path, target: str, pid: int, tail: str = "k3x_9q2a") -> Path:
    """A temporary file of `target` as process `pid` would have left it."""
    path = directory / f".{target}.{pid}.{tail}.part"
    path.write_bytes(b"half a video")
    return path


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def _download_with(mode: str, dest: Path, **kwargs: Any) -> Path:
    """Run download_file (mode "sync") or adownload_file ("async") of URL to `dest`."""
    if mode == "sync":
        with httpx.Client() as http:
            return download_file(http, URL, dest, sleep=lambda seconds: None, **kwargs)

    async def run() -> Path:
        async def no_sleep(seconds: float) -> None:
            pass

        async with httpx.AsyncClient() as http:
            return await adownload_file(http, URL, dest, sleep=no_sleep, **kwargs)

    return asyncio.run(run())


class TestRemoveStaleParts:
    """remove_stale_parts on its own."""

    def test_a_dead_process_part_is_removed(self, tmp_path: Path, dead_pid: int) -> None:
        """The part of a process that is gone is deleted and reported."""
        stale = _part(tmp_path, "clip.mp4", dead_pid)
        assert remove_stale_parts(tmp_path / "clip.mp4") == [stale]
        assert _files(tmp_path) == []

    def test_every_stale_part_of_the_target_is_removed(self, tmp_path: Path, dead_pid: int) -> None:
        """Several killed runs: all their parts go, whatever the random part of the name."""
        first = _part(tmp_path, "clip.mp4", dead_pid, "aaaaaaaa")
        second = _part(tmp_path, "clip.mp4", dead_pid, "0_z9y8x7")
        assert sorted(remove_stale_parts(tmp_path / "clip.mp4")) == sorted([first, second])
        assert _files(tmp_path) == []

    def test_a_live_process_part_is_kept(self, tmp_path: Path) -> None:
        """This process's part (another download in progress) and its parent's are not touched."""
        mine = _part(tmp_path, "clip.mp4", os.getpid())
        parent = _part(tmp_path, "clip.mp4", os.getppid(), "abcdefgh")
        assert remove_stale_parts(tmp_path / "clip.mp4") == []
        assert mine.read_bytes() == parent.read_bytes() == b"half a video"

    def test_a_process_of_another_user_counts_as_running(
        self, tmp_path: Path, dead_pid: int, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """os.kill(pid, 0) refused (PermissionError): the process exists, its part stays."""

        def refuse(pid: int, signal: int) -> None:
            raise PermissionError(1, "Operation not permitted")

        monkeypatch.setattr(os, "kill", refuse)
        part = _part(tmp_path, "clip.mp4", dead_pid)
        assert remove_stale_parts(tmp_path / "clip.mp4") == []
        assert part.exists()

    @pytest.mark.parametrize(
        "name",
        [
            ".other.mp4.123.x.part",  # another target, and not the exact pattern
            ".other.mp4.{dead}.k3x_9q2a.part",  # another target's stale part
            ".clip.mp4.1.{dead}.k3x_9q2a.part",  # the part of target `clip.mp4.1`
            "..clip.mp4.{dead}.k3x_9q2a.part",  # the part of target `.clip.mp4`
            "clip.mp4.part",
            "clip.mp4",
            "notes.txt",
            ".clip.mp4.part",
            ".clip.mp4.k3x_9q2a.part",  # no pid
            ".clip.mp4.0.k3x_9q2a.part",  # pid 0 names no process
            ".clip.mp4.-5.k3x_9q2a.part",
            ".clip.mp4.{dead}.k3x_9q2.part",  # 7 random characters
            ".clip.mp4.{dead}.k3x_9q2ab.part",  # 9
            ".clip.mp4.{dead}.K3X_9Q2A.part",  # mkstemp's names are lower case
            ".clip.mp4.{dead}.k3x-9q2a.part",
            ".clip.mp4.{dead}.k3x_9q2a.part.bak",
            ".clip.mp4.{dead}.k3x_9q2a.partial",
            ".clip.mp4.{dead}.extra.k3x_9q2a.part",
            ".clip.mp4.{dead}x.k3x_9q2a.part",
            "x.clip.mp4.{dead}.k3x_9q2a.part",
            ".clip.mp4.99999999999.k3x_9q2a.part",  # too long for a pid
        ],
    )
    def test_files_not_named_exactly_so_are_untouched(self, tmp_path: Path, dead_pid: int, name: str) -> None:
        """User files, other targets' parts and near misses of the pattern are never removed."""
        path = tmp_path / name.format(dead=dead_pid)
        path.write_bytes(b"not yours")
        assert remove_stale_parts(tmp_path / "clip.mp4") == []
        assert path.read_bytes() == b"not yours"

    def test_only_regular_files_are_removed(self, tmp_path: Path, dead_pid: int) -> None:
        """A directory or a symlink with a stale part's name is left, and so is the link's target."""
        folder = tmp_path / f".clip.mp4.{dead_pid}.dddddddd.part"
        folder.mkdir()
        (folder / "inside").write_bytes(b"keep")
        precious = tmp_path / "precious.mp4"
        precious.write_bytes(b"my video")
        link = tmp_path / f".clip.mp4.{dead_pid}.llllllll.part"
        link.symlink_to(precious)
        assert remove_stale_parts(tmp_path / "clip.mp4") == []
        assert (folder / "inside").read_bytes() == b"keep"
        assert link.is_symlink() and precious.read_bytes() == b"my video"

    def test_a_name_with_pattern_characters(self, tmp_path: Path, dead_pid: int) -> None:
        """The target's name is matched literally, never as a pattern."""
        stale = _part(tmp_path, "a+b (1).mp4", dead_pid)
        lookalike = _part(tmp_path, "aab (1).mp4", dead_pid)
        assert remove_stale_parts(tmp_path / "a+b (1).mp4") == [stale]
        assert _files(tmp_path) == [lookalike.name]

    def test_a_missing_directory_is_not_an_error(self, tmp_path: Path) -> None:
        """Nothing to clean: no error (the download reports the missing directory itself)."""
        assert remove_stale_parts(tmp_path / "nope" / "clip.mp4") == []

    def test_liveness_is_not_probed_off_posix(self, monkeypatch: pytest.MonkeyPatch, dead_pid: int) -> None:
        """On Windows os.kill(pid, 0) would end the process: every pid counts as running there."""
        calls: list[int] = []
        monkeypatch.setattr(os, "kill", lambda pid, signal: calls.append(pid))
        monkeypatch.setattr(os, "name", "nt")
        assert _output_file._is_running(dead_pid) is True
        assert calls == []


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class TestDownloadCleansUp:
    """download_file and adownload_file remove their target's stale parts, and name theirs by pid."""

    def test_a_download_removes_a_killed_run_part(
        self, mode: str, httpx_mock: HTTPXMock, tmp_path: Path, dead_pid: int
    ) -> None:
        """Resumed after a kill: the video is saved, the dead run's part is gone, the rest stays."""
        httpx_mock.add_response(url=URL, content=BODY)
        _part(tmp_path, "clip.mp4", dead_pid)
        live = _part(tmp_path, "clip.mp4", os.getpid())
        other = _part(tmp_path, "other.mp4", dead_pid)
        dest = tmp_path / "clip.mp4"
        assert _download_with(mode, dest) == dest
        assert dest.read_bytes() == BODY
        assert _files(tmp_path) == sorted([live.name, other.name, "clip.mp4"])

    def test_an_existing_target_still_gets_its_stale_part_removed(
        self, mode: str, httpx_mock: HTTPXMock, tmp_path: Path, dead_pid: int
    ) -> None:
        """Killed after the file was placed but before its part was unlinked: the next try cleans up."""
        dest = tmp_path / "clip.mp4"
        dest.write_bytes(BODY)
        _part(tmp_path, "clip.mp4", dead_pid)
        with pytest.raises(DownloadExistsError):
            _download_with(mode, dest)
        assert _files(tmp_path) == ["clip.mp4"]
        assert dest.read_bytes() == BODY
        assert httpx_mock.get_requests() == []

    def test_the_temporary_name_carries_the_pid(
        self, mode: str, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """While it downloads, the only other file is `.clip.mp4.<this pid>.<8 characters>.part`."""
        httpx_mock.add_response(url=URL, content=BODY)
        seen: list[list[str]] = []
        _download_with(
            mode, tmp_path / "clip.mp4", on_progress=lambda done, total: seen.append(_files(tmp_path))
        )
        pattern = re.compile(rf"\.clip\.mp4\.{os.getpid()}\.[a-z0-9_]{{8}}\.part")
        assert len(seen) == 1
        (names,) = seen
        assert len(names) == 1 and pattern.fullmatch(names[0]), names
        assert _files(tmp_path) == ["clip.mp4"]
