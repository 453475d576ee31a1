"""Output safety: a download stays in its directory, never clobbers a file, never leaves a partial one."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lemondata_video import _download, _download_job, _output_file
from lemondata_video.emulator import Emulator, Faults, ManualClock

from ._sdk import DownloadError, DownloadExistsError, Task, VideoClient
from .conftest import SAMPLE_MP4

HOSTILE_IDS = [
    "../../escape",
    "..",
    ".",
    "/etc/passwd",
    "a/../../b",
    "..\\..\\windows",
    "video\x00.mp4",
    "CON",
    ".hidden",
    "%2e%2e%2fescape",
    "~/home",
    "x" * 500,
]
Handler = Callable[[httpx.Request], httpx.Response]


def completed(task_id: str, *urls: str) -> Task:
    videos = [{"url": url} for url in urls]
    return Task.from_payload({"id": task_id, "status": "completed", "videos": videos})


def file_client(handler: Handler) -> VideoClient:
    files = httpx.Client(transport=httpx.MockTransport(handler))
    return VideoClient(api_key="sk-output-safety-0001", base_url="http://127.0.0.1:9", file_http_client=files)


def serve(body: bytes = SAMPLE_MP4, status: int = 200, length: int | None = None) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Content-Length": str(len(body) if length is None else length)}
        return httpx.Response(status, stream=httpx.ByteStream(body), headers=headers)

    return handler


def tree(root: Path) -> set[str]:
    """Every path under `root`, hidden ones included, relative to it."""
    return {str(p.relative_to(root)) for p in root.rglob("*")}


@pytest.fixture
def pauses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The download's backoff, made instant: records the attempt number of each pause."""
    seen: list[int] = []

    def no_wait(attempt: int) -> float:
        seen.append(attempt)
        return 0.0

    monkeypatch.setattr(_download_job, "_delay", no_wait)
    return seen


@pytest.fixture
def box(tmp_path: Path) -> Path:
    """The target directory, inside a parent that must stay empty."""
    target = tmp_path / "parent" / "out"
    target.mkdir(parents=True)
    return target


class TestStaysInTheDirectory:
    """File names come from the task id, sanitised; URLs do not choose them."""

    @pytest.mark.parametrize("task_id", HOSTILE_IDS)
    def test_hostile_task_id(self, box: Path, task_id: str) -> None:
        with file_client(serve()) as client:
            saved = client.download(completed(task_id, "https://files.example/../../x.mp4"), box)
        assert saved.parent == box and saved.read_bytes() == SAMPLE_MP4
        assert tree(box.parent) == {"out", f"out/{saved.name}"}

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(task_id=st.text(min_size=1, max_size=80), index=st.integers(min_value=0, max_value=50))
    def test_any_task_id_names_a_plain_file(self, task_id: str, index: int) -> None:
        name = _output_file.default_filename(completed(task_id), index)
        assert name == os.path.basename(name) and name not in ("", ".", "..")
        assert not name.startswith(".") and name.endswith(".mp4") and "/" not in name and "\\" not in name

    def test_download_all_keeps_every_output_inside(self, box: Path) -> None:
        urls = ["https://files.example/a/../../1.mp4", "https://files.example/%2e%2e/2.mp4"]
        with file_client(serve()) as client:
            saved = client.download_all(completed("../up", *urls), box)
        assert [p.parent for p in saved] == [box, box]
        assert len({p.name for p in saved}) == 2


class TestNeverOverwritesUnasked:
    """An existing file (or link) is refused before any request; overwrite=True replaces it."""

    def test_existing_file_is_kept_and_nothing_is_fetched(self, box: Path) -> None:
        mine = box / "mine.mp4"
        mine.write_bytes(b"my own video")
        requests: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            requests.append(request)
            return serve()(request)

        with file_client(handler) as client, pytest.raises(DownloadExistsError, match="overwrite=True"):
            client.download(completed("t1", "https://files.example/t1.mp4"), mine)
        assert mine.read_bytes() == b"my own video" and requests == []
        assert tree(box) == {"mine.mp4"}

    def test_symlink_target_is_not_followed(self, box: Path, tmp_path: Path) -> None:
        outside = tmp_path / "outside.txt"
        outside.write_bytes(b"precious")
        (box / "t1.mp4").symlink_to(outside)
        with file_client(serve()) as client, pytest.raises(DownloadExistsError):
            client.download(completed("t1", "https://files.example/t1.mp4"), box)
        assert outside.read_bytes() == b"precious"

    def test_file_appearing_during_the_download_wins(self, box: Path) -> None:
        target = box / "t1.mp4"

        def handler(request: httpx.Request) -> httpx.Response:
            target.write_bytes(b"written meanwhile")
            return serve()(request)

        with file_client(handler) as client, pytest.raises(DownloadExistsError):
            client.download(completed("t1", "https://files.example/t1.mp4"), target)
        assert target.read_bytes() == b"written meanwhile"
        assert tree(box) == {"t1.mp4"}

    def test_overwrite_true_replaces(self, box: Path) -> None:
        (box / "t1.mp4").write_bytes(b"old")
        with file_client(serve()) as client:
            saved = client.download(completed("t1", "https://files.example/t1.mp4"), box, overwrite=True)
        assert saved.read_bytes() == SAMPLE_MP4 and tree(box) == {"t1.mp4"}


class TestNoPartialFile:
    """Every failure leaves the directory as it was: no target, no temporary file."""

    @pytest.mark.parametrize(
        ("handler", "reason", "retries"),
        [
            (serve(status=500), "gave up after 6 attempts; the last answer was HTTP 500", 5),
            (serve(status=404), "HTTP 404", 0),
            (serve(body=SAMPLE_MP4 + b"extra", length=len(SAMPLE_MP4)), "more than", 0),
        ],
    )
    def test_failed_download_leaves_nothing(
        self, box: Path, pauses: list[int], handler: Handler, reason: str, retries: int
    ) -> None:
        with file_client(handler) as client, pytest.raises(DownloadError, match=reason):
            client.download(completed("t1", "https://files.example/t1.mp4"), box)
        assert tree(box) == set()
        assert pauses == list(range(1, retries + 1))

    def test_progress_callback_error_leaves_nothing(self, box: Path) -> None:
        def boom(received: int, total: int | None) -> None:
            raise RuntimeError("disk quota")

        with file_client(serve()) as client, pytest.raises(DownloadError, match="on_progress raised"):
            client.download(completed("t1", "https://files.example/t1.mp4"), box, on_progress=boom)
        assert tree(box) == set()

    def test_always_truncated_body_gives_up_cleanly(self, box: Path) -> None:
        def short(request: httpx.Request) -> httpx.Response:
            return serve(body=SAMPLE_MP4[:1000], length=len(SAMPLE_MP4))(request)

        with httpx.Client(transport=httpx.MockTransport(short)) as http, pytest.raises(DownloadError):
            _download.download_file(
                http, "https://files.example/t1.mp4", box / "t1.mp4", sleep=lambda s: None
            )
        assert tree(box) == set()


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(clock=ManualClock()) as emulator:
        yield emulator


def served(emu: Emulator, task_id: str) -> bytes:
    """The task's MP4 as the file host serves it now (made for this task, the same on every request)."""
    emu.set_faults()
    return httpx.get(f"{emu.file_host_url}/files/{task_id}.mp4").content


class TestAgainstTheEmulator:
    """Over real loopback HTTP: truncated downloads are resumed into a whole file, or nothing."""

    def test_truncated_downloads_resume_to_the_served_bytes(self, emu: Emulator, box: Path) -> None:
        with VideoClient(api_key=emu.api_key, base_url=emu.base_url) as client:
            task = client.create("a cat", model="sora-2")
            emu.clock.advance(60)
            emu.set_faults(Faults(truncated_download=1.0, max_faults=2, routes=["GET /files/{name}"]))
            saved = client.download(task.id, box)
        assert saved.read_bytes() == served(emu, task.id)
        assert emu.stats.faults["truncated_download"] == 2
        assert tree(box) == {saved.name}

    def test_a_file_host_error_leaves_nothing(self, emu: Emulator, box: Path, pauses: list[int]) -> None:
        with VideoClient(api_key=emu.api_key, base_url=emu.base_url) as client:
            task = client.create("a cat", model="sora-2")
            emu.clock.advance(60)
            emu.set_faults(Faults(server_error=1.0, routes=["GET /files/{name}"]))
            with pytest.raises(DownloadError, match="gave up after 6 attempts"):
                client.download(task.id, box)
        assert tree(box) == set()
        assert emu.stats.faults["server_error"] == 6

    def test_a_passing_file_host_error_is_retried(self, emu: Emulator, box: Path, pauses: list[int]) -> None:
        with VideoClient(api_key=emu.api_key, base_url=emu.base_url) as client:
            task = client.create("a cat", model="sora-2")
            emu.clock.advance(60)
            emu.set_faults(Faults(bad_gateway=1.0, max_faults=2, routes=["GET /files/{name}"]))
            saved = client.download(task.id, box)
        assert saved.read_bytes() == served(emu, task.id)
        assert emu.stats.faults["bad_gateway"] == 2
        assert pauses == [1, 2]
        assert tree(box) == {saved.name}
