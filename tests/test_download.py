"""Tests of the download modules: safe names, atomic publish, resume, limits, no key leaks."""

from __future__ import annotations

import asyncio
import email.utils
import os
import stat
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from lemondata_video import _async_download, _download
from lemondata_video._async_download import adownload_file
from lemondata_video._constants import DOWNLOAD_MAX_RESUMES, MAX_RETRY_AFTER
from lemondata_video._download import download_file
from lemondata_video._exceptions import DownloadError, DownloadExistsError
from lemondata_video._output_file import default_filename, resolve_target
from lemondata_video._task import Task, TaskStatus
from pytest_httpx import HTTPXMock, IteratorStream

URL = "https://files.example.com/out/video_abc123.mp4?X-Signature=s3cr3t"
SHOWN = "https://files.example.com/out/video_abc123.mp4"
BODY = bytes(range(256)) * 40  # 10240 bytes
SIZE = len(BODY)


def _task(ident: str) -> Task:
    return Task(id=ident, status=TaskStatus.COMPLETED, raw_status="completed")


def _exists_message(dest: Path) -> str:
    return f"{dest} already exists; pass overwrite=True to replace it"


class Downloader:
    """Runs download_file or adownload_file with the same arguments; records sleeps and progress."""

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.sleeps: list[float] = []
        self.progress: list[tuple[int, int | None]] = []

    def record(self, done: int, total: int | None) -> None:
        self.progress.append((done, total))

    def __call__(self, url: str, dest: Path, *, client: dict[str, Any] | None = None, **kwargs: Any) -> Path:
        kwargs.setdefault("on_progress", self.record)
        if self.mode == "sync":
            with httpx.Client(**(client or {})) as http:
                return download_file(http, url, dest, sleep=self.sleeps.append, **kwargs)
        return asyncio.run(self._run(url, dest, client or {}, kwargs))

    async def _run(self, url: str, dest: Path, client: dict[str, Any], kwargs: dict[str, Any]) -> Path:
        async def sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        async with httpx.AsyncClient(**client) as http:
            return await adownload_file(http, url, dest, sleep=sleep, **kwargs)


@pytest.fixture(params=["sync", "async"])
def download(request: pytest.FixtureRequest) -> Downloader:
    return Downloader(request.param)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(_download, "DOWNLOAD_CHUNK_SIZE", 4000)
    monkeypatch.setattr(_async_download, "DOWNLOAD_CHUNK_SIZE", 4000)
    return 4000


class _BreakingStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that sends `first` and then loses the connection."""

    def __init__(self, first: bytes) -> None:
        self.first = first

    def __iter__(self) -> Iterator[bytes]:
        yield self.first
        raise httpx.ReadError("connection reset by peer")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.first
        raise httpx.ReadError("connection reset by peer")


def _files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


class TestDefaultFilename:
    """default_filename: derived from the task id, safe on every file system."""

    def test_first_output_is_task_id_mp4(self) -> None:
        """The first output is `<id>.mp4`."""
        assert default_filename(_task("video_abc123")) == "video_abc123.mp4"

    def test_later_outputs_are_numbered_from_two(self) -> None:
        """Output index 1 is `-2`, index 2 is `-3`."""
        assert default_filename(_task("video_abc123"), 1) == "video_abc123-2.mp4"
        assert default_filename(_task("video_abc123"), 2) == "video_abc123-3.mp4"

    @pytest.mark.parametrize(
        ("ident", "expected"),
        [
            ("../../etc/passwd", "_.._etc_passwd.mp4"),
            ("..\\x", "_x.mp4"),
            ("/abs/olute", "_abs_olute.mp4"),
            (".hidden", "hidden.mp4"),
            ("vidéo 1", "vid_o_1.mp4"),
            ("", "video.mp4"),
            ("...", "video.mp4"),
            ("CON", "video_CON.mp4"),
            ("nul", "video_nul.mp4"),
        ],
    )
    def test_hostile_ids_are_sanitised(self, ident: str, expected: str) -> None:
        """Separators and other characters become `_`; no leading dot; never empty."""
        assert default_filename(_task(ident)) == expected

    def test_long_ids_are_cut_to_100_characters(self) -> None:
        """The stem is at most 100 characters; `.mp4` is kept."""
        assert default_filename(_task("a" * 300)) == "a" * 100 + ".mp4"

    def test_negative_index_is_rejected(self) -> None:
        """An output index cannot be negative."""
        with pytest.raises(ValueError, match=r"^index must be 0 or more, not -1$"):
            default_filename(_task("x"), -1)


class TestResolveTarget:
    """resolve_target: a file path, a directory, or the current directory."""

    def test_none_is_the_current_directory(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """No path: `<cwd>/<default name>`."""
        monkeypatch.chdir(tmp_path)
        assert resolve_target(None, _task("video_1")) == tmp_path / "video_1.mp4"

    def test_directory_gets_the_default_name(self, tmp_path: Path) -> None:
        """An existing directory: the default name inside it, numbered by index."""
        assert resolve_target(tmp_path, _task("video_1"), 1) == tmp_path / "video_1-2.mp4"

    def test_trailing_separator_means_directory(self, tmp_path: Path) -> None:
        """A path ending in `/` is a directory even before it exists."""
        assert resolve_target(f"{tmp_path}/new/", _task("v")) == tmp_path / "new" / "v.mp4"

    def test_file_path_is_kept(self, tmp_path: Path) -> None:
        """Any other path is the file to write, as given."""
        assert resolve_target(str(tmp_path / "clip.mov"), _task("v")) == tmp_path / "clip.mov"

    def test_hostile_id_stays_inside_the_directory(self, tmp_path: Path) -> None:
        """`../../etc/passwd` as a task id cannot leave the target directory."""
        for ident in ("../../etc/passwd", "..\\..\\x", "..", "a/../../b"):
            target = resolve_target(tmp_path, _task(ident))
            assert target.parent == tmp_path
            assert target.resolve().parent == tmp_path.resolve()


class TestAtomicPublish:
    """The target appears only when complete, and nothing a user wrote is overwritten."""

    def test_saves_the_body(self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path) -> None:
        """The file holds exactly the body; only the target is left in the directory."""
        httpx_mock.add_response(url=URL, content=BODY)
        dest = tmp_path / "out.mp4"
        assert download(URL, dest) == dest
        assert dest.read_bytes() == BODY
        assert _files(tmp_path) == ["out.mp4"]
        assert download.sleeps == []

    def test_saved_file_follows_the_umask(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """The temporary file's 0600 mode does not leak into the saved video."""
        httpx_mock.add_response(url=URL, content=BODY)
        old = os.umask(0o027)
        try:
            dest = download(URL, tmp_path / "out.mp4")
        finally:
            os.umask(old)
        assert stat.S_IMODE(dest.stat().st_mode) == 0o640

    def test_target_is_absent_until_complete(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path, small_chunks: int
    ) -> None:
        """While chunks arrive only a hidden `.part` file beside the target exists."""
        httpx_mock.add_response(url=URL, content=BODY)
        dest = tmp_path / "out.mp4"
        seen: list[list[str]] = []
        download(URL, dest, on_progress=lambda done, total: seen.append(_files(tmp_path)))
        assert len(seen) == 3
        for names in seen:
            assert len(names) == 1
            assert names[0].startswith(".out.mp4.")
            assert names[0].endswith(".part")
        assert _files(tmp_path) == ["out.mp4"]

    def test_data_is_synced_before_publishing(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The temporary file is fsynced while the target does not exist yet."""
        httpx_mock.add_response(url=URL, content=BODY)
        dest = tmp_path / "out.mp4"
        synced: list[tuple[bool, bytes]] = []
        real_fsync = os.fsync

        def spy(fd: int) -> None:
            real_fsync(fd)
            synced.append((dest.exists(), os.pread(fd, SIZE + 1, 0)))

        monkeypatch.setattr(os, "fsync", spy)
        download(URL, dest)
        assert synced == [(False, BODY)]

    def test_refuses_an_existing_target_before_any_request(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """An existing file is left alone and nothing is requested."""
        dest = tmp_path / "mine.mp4"
        dest.write_bytes(b"mine")
        with pytest.raises(DownloadExistsError) as caught:
            download(URL, dest)
        assert str(caught.value) == _exists_message(dest)
        assert isinstance(caught.value, FileExistsError)
        assert dest.read_bytes() == b"mine"
        assert httpx_mock.get_requests() == []
        assert _files(tmp_path) == ["mine.mp4"]

    def test_refuses_a_dangling_symlink(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """A symlink at the target counts as existing even if it points nowhere."""
        dest = tmp_path / "link.mp4"
        dest.symlink_to(tmp_path / "nowhere")
        with pytest.raises(DownloadExistsError, match=r"pass overwrite=True"):
            download(URL, dest)
        assert dest.is_symlink()

    def test_file_created_meanwhile_is_not_overwritten(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """A file that appears during the download survives; the download's temp file is removed."""
        httpx_mock.add_response(url=URL, content=BODY)
        dest = tmp_path / "out.mp4"
        with pytest.raises(DownloadExistsError) as caught:
            download(URL, dest, on_progress=lambda done, total: dest.write_bytes(b"theirs"))
        assert str(caught.value) == _exists_message(dest)
        assert dest.read_bytes() == b"theirs"
        assert _files(tmp_path) == ["out.mp4"]

    @pytest.mark.parametrize("meanwhile", [False, True])
    def test_without_hard_links_checks_then_replaces(
        self,
        download: Downloader,
        httpx_mock: HTTPXMock,
        tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch,
        meanwhile: bool,
    ) -> None:
        """Where os.link is unsupported the download still publishes, and still refuses to clobber."""

        def no_link(src: object, dst: object) -> None:
            raise PermissionError(1, "Operation not permitted")

        monkeypatch.setattr(os, "link", no_link)
        httpx_mock.add_response(url=URL, content=BODY)
        dest = tmp_path / "out.mp4"
        if not meanwhile:
            download(URL, dest)
            assert dest.read_bytes() == BODY
        else:
            with pytest.raises(DownloadExistsError, match=r"pass overwrite=True"):
                download(URL, dest, on_progress=lambda done, total: dest.write_bytes(b"theirs"))
            assert dest.read_bytes() == b"theirs"
        assert _files(tmp_path) == ["out.mp4"]

    def test_overwrite_replaces(self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path) -> None:
        """overwrite=True replaces an existing file with the new body."""
        httpx_mock.add_response(url=URL, content=BODY)
        dest = tmp_path / "out.mp4"
        dest.write_bytes(b"old")
        download(URL, dest, overwrite=True)
        assert dest.read_bytes() == BODY
        assert _files(tmp_path) == ["out.mp4"]

    def test_target_that_is_a_directory(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """A directory as the file target is refused, even with overwrite."""
        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path, overwrite=True)
        assert str(caught.value) == f"cannot save {SHOWN} to {tmp_path}: it is a directory"

    def test_missing_directory(self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path) -> None:
        """A target in a directory that does not exist fails before any request."""
        dest = tmp_path / "nope" / "out.mp4"
        with pytest.raises(DownloadError) as caught:
            download(URL, dest)
        assert str(caught.value) == (
            f"cannot download {SHOWN}: cannot create a temporary file in {dest.parent}: "
            "No such file or directory"
        )
        assert isinstance(caught.value.__cause__, FileNotFoundError)
        assert httpx_mock.get_requests() == []


class TestFailures:
    """Every failure is a DownloadError naming the URL without its query, and leaves no file."""

    @pytest.mark.parametrize(
        ("status", "reason"),
        [
            (403, "HTTP 403 Forbidden (the link may have expired)"),
            (404, "HTTP 404 Not Found (the link may have expired)"),
            (410, "HTTP 410 Gone (the link may have expired)"),
            (400, "HTTP 400 Bad Request"),
            (416, "HTTP 416 Requested Range Not Satisfiable"),
            (499, "HTTP 499"),
        ],
    )
    def test_error_status(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path, status: int, reason: str
    ) -> None:
        """A 4xx other than 429 fails at once, not retried, with the status; the signed query is not shown."""
        httpx_mock.add_response(url=URL, status_code=status, content=b"expired", headers={"Retry-After": "1"})
        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path / "out.mp4")
        assert type(caught.value) is DownloadError
        assert str(caught.value) == f"cannot download {SHOWN}: the file host answered {reason}"
        assert "s3cr3t" not in str(caught.value)
        assert len(httpx_mock.get_requests()) == 1
        assert download.sleeps == []
        assert _files(tmp_path) == []

    def test_more_bytes_than_announced(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """A body longer than its Content-Length is rejected."""
        httpx_mock.add_response(url=URL, content=BODY, headers={"Content-Length": "10"})
        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path / "out.mp4")
        assert (
            str(caught.value) == f"cannot download {SHOWN}: the host sent more than the 10 bytes it announced"
        )
        assert _files(tmp_path) == []

    def test_announced_size_over_the_cap(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """A Content-Length over max_bytes fails before the body is read."""
        httpx_mock.add_response(url=URL, content=BODY)
        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path / "out.mp4", max_bytes=100)
        assert str(caught.value) == (
            f"cannot download {SHOWN}: the file is {SIZE} bytes, more than the limit of 100"
        )
        assert download.progress == []
        assert _files(tmp_path) == []

    def test_unannounced_size_over_the_cap(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path, small_chunks: int
    ) -> None:
        """Without Content-Length the cap is enforced while reading."""
        httpx_mock.add_response(url=URL, stream=IteratorStream([BODY[:5000], BODY[5000:]]))
        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path / "out.mp4", max_bytes=6000)
        assert (
            str(caught.value) == f"cannot download {SHOWN}: the file is larger than the limit of 6000 bytes"
        )
        assert download.progress == [(4000, None)]
        assert _files(tmp_path) == []

    def test_encoded_body_is_refused(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """identity is asked for; a compressed body (whose size cannot be checked) is refused."""
        httpx_mock.add_response(url=URL, content=b"x", headers={"Content-Encoding": "gzip"})
        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path / "out.mp4")
        assert str(caught.value) == (
            f"cannot download {SHOWN}: the file host sent a 'gzip'-encoded body; its size cannot be checked"
        )
        assert httpx_mock.get_requests()[0].headers["Accept-Encoding"] == "identity"
        assert _files(tmp_path) == []

    def test_progress_callback_error(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """An exception from on_progress becomes a DownloadError caused by it."""
        httpx_mock.add_response(url=URL, content=BODY)
        problem = ValueError("stop here")

        def fail(done: int, total: int | None) -> None:
            raise problem

        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path / "out.mp4", on_progress=fail)
        assert str(caught.value) == f"cannot download {SHOWN}: on_progress raised ValueError: stop here"
        assert caught.value.__cause__ is problem
        assert _files(tmp_path) == []

    def test_keyboard_interrupt_leaves_nothing(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """Ctrl-C propagates unchanged and the temporary file is removed."""
        httpx_mock.add_response(url=URL, content=BODY)

        def interrupt(done: int, total: int | None) -> None:
            raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            download(URL, tmp_path / "out.mp4", on_progress=interrupt)
        assert _files(tmp_path) == []

    @pytest.mark.parametrize(
        ("url", "scheme"),
        [
            ("file:///etc/passwd", "'file'"),
            ("data:video/mp4;base64,AAAA", "'data'"),
            ("ftp://files.example.com/v.mp4", "'ftp'"),
            ("/relative/v.mp4", "'relative'"),
        ],
    )
    def test_only_http_urls(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path, url: str, scheme: str
    ) -> None:
        """Other schemes are refused before any request."""
        with pytest.raises(DownloadError) as caught:
            download(url, tmp_path / "out.mp4")
        assert str(caught.value) == (
            f"cannot download a {scheme} URL: only http and https URLs are supported"
        )
        assert httpx_mock.get_requests() == []
        assert _files(tmp_path) == []

    def test_malformed_url(self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path) -> None:
        """A URL that cannot be parsed is refused before any request."""
        with pytest.raises(DownloadError) as caught:
            download("https://[::1/v.mp4", tmp_path / "out.mp4")
        assert str(caught.value) == "cannot download: not a valid URL (ValueError)"
        assert httpx_mock.get_requests() == []
        assert _files(tmp_path) == []

    def test_connection_never_works(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """Connection errors are retried max_resumes times with growing pauses, then reported."""
        refused = httpx.ConnectError("connection refused")
        for _ in range(3):
            httpx_mock.add_exception(refused, url=URL)
        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path / "out.mp4", max_resumes=2)
        assert str(caught.value) == (
            f"cannot download {SHOWN}: got 0 of ? bytes after 2 resume(s); last error: ConnectError"
        )
        assert caught.value.__cause__ is refused
        assert download.sleeps == [0.5, 1.0]
        assert _files(tmp_path) == []

    def test_non_resumable_transport_error(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """Other httpx errors (here too many redirects) fail at once."""
        httpx_mock.add_response(url=URL, status_code=302, headers={"Location": URL}, is_reusable=True)
        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path / "out.mp4")
        assert (
            str(caught.value)
            == f"cannot download {SHOWN}: TooManyRedirects: Exceeded maximum allowed redirects."
        )
        assert download.sleeps == []
        assert _files(tmp_path) == []


class TestResume:
    """A short or broken body is resumed with Range; a host without Range support restarts."""

    def test_short_body_resumes_with_range(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """Fewer bytes than Content-Length: ask for the rest with Range (and If-Range on the ETag)."""
        headers = {"Content-Length": str(SIZE), "ETag": '"v1"'}
        httpx_mock.add_response(url=URL, content=BODY[:4000], headers=headers)
        httpx_mock.add_response(
            url=URL,
            status_code=206,
            content=BODY[4000:],
            headers={"Content-Range": f"bytes 4000-{SIZE - 1}/{SIZE}"},
        )
        dest = tmp_path / "out.mp4"
        download(URL, dest)
        assert dest.read_bytes() == BODY
        first, second = httpx_mock.get_requests()
        assert "Range" not in first.headers
        assert second.headers["Range"] == "bytes=4000-"
        assert second.headers["If-Range"] == '"v1"'
        assert download.sleeps == [0.5]
        assert download.progress == [(4000, SIZE), (SIZE, SIZE)]
        assert _files(tmp_path) == ["out.mp4"]

    def test_dropped_connection_resumes(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path, small_chunks: int
    ) -> None:
        """A ReadError mid-body resumes from the bytes written (whole chunks), not from what was buffered."""
        httpx_mock.add_response(
            url=URL, stream=_BreakingStream(BODY[:5000]), headers={"Content-Length": str(SIZE)}
        )
        httpx_mock.add_response(
            url=URL,
            status_code=206,
            content=BODY[4000:],
            headers={"Content-Range": f"bytes 4000-{SIZE - 1}/*"},
        )
        dest = tmp_path / "out.mp4"
        download(URL, dest)
        assert dest.read_bytes() == BODY
        assert httpx_mock.get_requests()[1].headers["Range"] == "bytes=4000-"
        assert download.progress == [(4000, SIZE), (8000, SIZE), (SIZE, SIZE)]
        assert download.sleeps == [0.5]

    def test_dropped_connection_without_length_resumes(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path, small_chunks: int
    ) -> None:
        """With no Content-Length a broken body is still resumed; Content-Range then gives the size."""
        httpx_mock.add_response(url=URL, stream=_BreakingStream(BODY[:4000]))
        httpx_mock.add_response(
            url=URL,
            status_code=206,
            content=BODY[4000:],
            headers={"Content-Range": f"bytes 4000-{SIZE - 1}/{SIZE}"},
        )
        dest = tmp_path / "out.mp4"
        download(URL, dest)
        assert dest.read_bytes() == BODY
        assert download.progress == [(4000, None), (8000, SIZE), (SIZE, SIZE)]

    def test_dropped_connection_before_a_whole_chunk_restarts(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """Nothing written yet: the retry asks for the whole file, and a 206 for another offset is refused."""
        httpx_mock.add_response(
            url=URL, stream=_BreakingStream(BODY[:3000]), headers={"Content-Length": str(SIZE)}
        )
        httpx_mock.add_response(
            url=URL,
            status_code=206,
            content=BODY[3000:],
            headers={"Content-Range": f"bytes 3000-{SIZE - 1}/*"},
        )
        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path / "out.mp4")
        assert str(caught.value) == (
            f"cannot download {SHOWN}: asked for bytes from 0, got Content-Range 'bytes 3000-{SIZE - 1}/*'"
        )
        assert "Range" not in httpx_mock.get_requests()[1].headers
        assert _files(tmp_path) == []

    def test_host_without_range_support_restarts(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """A 200 to a Range request is a full body: the file starts over, not appended to."""
        httpx_mock.add_response(url=URL, content=BODY[:4000], headers={"Content-Length": str(SIZE)})
        httpx_mock.add_response(url=URL, content=BODY)
        dest = tmp_path / "out.mp4"
        download(URL, dest)
        assert dest.read_bytes() == BODY
        assert httpx_mock.get_requests()[1].headers["Range"] == "bytes=4000-"
        assert download.progress == [(4000, SIZE), (SIZE, SIZE)]

    def test_restart_discards_earlier_bytes(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """A full body shorter than what was kept (the file was replaced) leaves no stale tail."""
        httpx_mock.add_response(url=URL, content=BODY[:4000], headers={"Content-Length": str(SIZE)})
        httpx_mock.add_response(url=URL, content=b"new" * 1000)
        dest = tmp_path / "out.mp4"
        download(URL, dest)
        assert dest.read_bytes() == b"new" * 1000

    def test_wrong_content_range(self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path) -> None:
        """A 206 that does not start where we asked is refused."""
        httpx_mock.add_response(url=URL, content=BODY[:4000], headers={"Content-Length": str(SIZE)})
        httpx_mock.add_response(
            url=URL, status_code=206, content=BODY, headers={"Content-Range": f"bytes 0-{SIZE - 1}/{SIZE}"}
        )
        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path / "out.mp4")
        assert str(caught.value) == (
            f"cannot download {SHOWN}: asked for bytes from 4000, "
            f"got Content-Range 'bytes 0-{SIZE - 1}/{SIZE}'"
        )
        assert _files(tmp_path) == []

    def test_file_changed_on_the_host(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """A resumed part of a file of another size is refused rather than spliced."""
        httpx_mock.add_response(url=URL, content=BODY[:4000], headers={"Content-Length": str(SIZE)})
        httpx_mock.add_response(
            url=URL, status_code=206, content=BODY[4000:], headers={"Content-Range": "bytes 4000-10239/20000"}
        )
        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path / "out.mp4")
        assert str(caught.value) == (
            f"cannot download {SHOWN}: the file changed on the host (was {SIZE} bytes, now 20000)"
        )
        assert _files(tmp_path) == []

    def test_gives_up_after_max_resumes(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """A body that keeps arriving short fails after max_resumes resumes, with backoff between."""
        httpx_mock.add_response(url=URL, content=BODY[:1000], headers={"Content-Length": str(SIZE)})
        for start in (1000, 2000):
            httpx_mock.add_response(
                url=URL,
                status_code=206,
                content=BODY[start : start + 1000],
                headers={
                    "Content-Range": f"bytes {start}-{SIZE - 1}/{SIZE}",
                    "Content-Length": str(SIZE - start),
                },
            )
        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path / "out.mp4", max_resumes=2)
        assert str(caught.value) == f"cannot download {SHOWN}: got 3000 of {SIZE} bytes after 2 resume(s)"
        assert [r.headers["Range"] for r in httpx_mock.get_requests()[1:]] == ["bytes=1000-", "bytes=2000-"]
        assert download.sleeps == [0.5, 1.0]
        assert _files(tmp_path) == []


class TestStatusRetries:
    """A 5xx or 429 from the file host is retried (Retry-After honoured, capped); it resumes where it can."""

    @pytest.mark.parametrize("status", [500, 502, 503, 504, 520])
    def test_server_error_then_success(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path, status: int
    ) -> None:
        """One 5xx, then the file: saved whole after one backoff pause, nothing else left."""
        httpx_mock.add_response(url=URL, status_code=status, content=b"<html>oops</html>")
        httpx_mock.add_response(url=URL, content=BODY)
        dest = tmp_path / "out.mp4"
        assert download(URL, dest) == dest
        assert dest.read_bytes() == BODY
        assert len(httpx_mock.get_requests()) == 2
        assert download.sleeps == [0.5]
        assert download.progress == [(SIZE, SIZE)]
        assert _files(tmp_path) == ["out.mp4"]

    def test_server_error_with_an_empty_body_is_not_saved(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """A 503 without a body or Content-Length is not mistaken for an empty video."""
        httpx_mock.add_response(url=URL, status_code=503, content=b"")
        httpx_mock.add_response(url=URL, content=BODY)
        dest = tmp_path / "out.mp4"
        download(URL, dest)
        assert dest.read_bytes() == BODY

    def test_rate_limit_waits_for_retry_after(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """A 429 with `Retry-After: 7` waits 7 seconds (not the backoff), then downloads."""
        httpx_mock.add_response(url=URL, status_code=429, headers={"Retry-After": "7"})
        httpx_mock.add_response(url=URL, content=BODY)
        dest = tmp_path / "out.mp4"
        download(URL, dest)
        assert dest.read_bytes() == BODY
        assert download.sleeps == [7.0]

    def test_service_unavailable_waits_for_retry_after(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """Retry-After on a 503 is honoured too; an answer without one falls back to the backoff."""
        httpx_mock.add_response(url=URL, status_code=503, headers={"Retry-After": "3"})
        httpx_mock.add_response(url=URL, status_code=503)
        httpx_mock.add_response(url=URL, content=BODY)
        download(URL, tmp_path / "out.mp4")
        assert download.sleeps == [3.0, 1.0]

    @pytest.mark.parametrize(
        "retry_after",
        ["3600", "1e308", email.utils.formatdate(time.time() + 86_400, usegmt=True)],
    )
    def test_retry_after_is_capped(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path, retry_after: str
    ) -> None:
        """A Retry-After of an hour, absurdly large or a date tomorrow waits MAX_RETRY_AFTER (120 s)."""
        httpx_mock.add_response(url=URL, status_code=429, headers={"Retry-After": retry_after})
        httpx_mock.add_response(url=URL, content=BODY)
        download(URL, tmp_path / "out.mp4")
        assert download.sleeps == [MAX_RETRY_AFTER] == [120.0]

    @pytest.mark.parametrize("retry_after", ["soon", "-5", "nan"])
    def test_unreadable_retry_after_uses_the_backoff(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path, retry_after: str
    ) -> None:
        """A Retry-After that is not a number of seconds or a date is ignored."""
        httpx_mock.add_response(url=URL, status_code=429, headers={"Retry-After": retry_after})
        httpx_mock.add_response(url=URL, content=BODY)
        download(URL, tmp_path / "out.mp4")
        assert download.sleeps == [0.5]

    def test_server_error_mid_download_resumes_with_range(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """After a short body, a 503 does not lose the bytes written: the retry asks for the rest."""
        httpx_mock.add_response(
            url=URL, content=BODY[:4000], headers={"Content-Length": str(SIZE), "ETag": '"v1"'}
        )
        httpx_mock.add_response(url=URL, status_code=503, headers={"Retry-After": "2"})
        httpx_mock.add_response(
            url=URL,
            status_code=206,
            content=BODY[4000:],
            headers={"Content-Range": f"bytes 4000-{SIZE - 1}/{SIZE}"},
        )
        dest = tmp_path / "out.mp4"
        download(URL, dest)
        assert dest.read_bytes() == BODY
        first, second, third = httpx_mock.get_requests()
        assert "Range" not in first.headers
        assert second.headers["Range"] == third.headers["Range"] == "bytes=4000-"
        assert third.headers["If-Range"] == '"v1"'
        assert download.sleeps == [0.5, 2.0]
        assert download.progress == [(4000, SIZE), (SIZE, SIZE)]
        assert _files(tmp_path) == ["out.mp4"]

    @pytest.mark.parametrize(
        ("status", "shown"),
        [(502, "HTTP 502 Bad Gateway"), (429, "HTTP 429 Too Many Requests"), (520, "HTTP 520")],
    )
    def test_persistent_error_gives_up(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path, status: int, shown: str
    ) -> None:
        """The same error every time: max_resumes retries, then a DownloadError with the count and status."""
        for _ in range(3):
            httpx_mock.add_response(url=URL, status_code=status, content=b"bad gateway")
        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path / "out.mp4", max_resumes=2)
        assert type(caught.value) is DownloadError
        assert (
            str(caught.value)
            == f"cannot download {SHOWN}: gave up after 3 attempts; the last answer was {shown}"
        )
        assert len(httpx_mock.get_requests()) == 3
        assert download.sleeps == [0.5, 1.0]
        assert _files(tmp_path) == []

    def test_default_number_of_attempts(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """By default a download is tried DOWNLOAD_MAX_RESUMES + 1 (6) times, the pauses capped at 8 s."""
        httpx_mock.add_response(url=URL, status_code=502, is_reusable=True)
        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path / "out.mp4")
        assert str(caught.value) == (
            f"cannot download {SHOWN}: gave up after 6 attempts; the last answer was HTTP 502 Bad Gateway"
        )
        assert len(httpx_mock.get_requests()) == DOWNLOAD_MAX_RESUMES + 1 == 6
        assert download.sleeps == [0.5, 1.0, 2.0, 4.0, 8.0]
        assert _files(tmp_path) == []

    def test_last_failure_decides_the_message(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """A 503 and then a short body: the message tells of the bytes, not of the earlier status."""
        httpx_mock.add_response(url=URL, status_code=503)
        httpx_mock.add_response(url=URL, content=BODY[:1000], headers={"Content-Length": str(SIZE)})
        with pytest.raises(DownloadError) as caught:
            download(URL, tmp_path / "out.mp4", max_resumes=1)
        assert str(caught.value) == f"cannot download {SHOWN}: got 1000 of {SIZE} bytes after 1 resume(s)"
        assert _files(tmp_path) == []


class TestRequests:
    """What is sent to the file host."""

    def test_no_authorization_header(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """Neither a client's Authorization header nor its auth reaches the file host."""
        httpx_mock.add_response(url=URL, content=BODY)
        client = {"headers": {"Authorization": "Bearer sk-live-secret"}, "auth": ("user", "pass")}
        download(URL, tmp_path / "out.mp4", client=client)
        (request,) = httpx_mock.get_requests()
        assert "Authorization" not in request.headers

    def test_follows_redirects_without_authorization(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        """A redirect to the real storage is followed, still without credentials."""
        storage = "https://storage.example.net/blob/1"
        httpx_mock.add_response(url=URL, status_code=302, headers={"Location": storage})
        httpx_mock.add_response(url=storage, content=BODY)
        dest = tmp_path / "out.mp4"
        download(URL, dest, client={"headers": {"Authorization": "Bearer sk-live-secret"}})
        assert dest.read_bytes() == BODY
        assert all("Authorization" not in r.headers for r in httpx_mock.get_requests())

    def test_progress_values(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path, small_chunks: int
    ) -> None:
        """on_progress gets the running byte count and the total, chunk by chunk."""
        httpx_mock.add_response(url=URL, content=BODY)
        download(URL, tmp_path / "out.mp4")
        assert download.progress == [(4000, SIZE), (8000, SIZE), (SIZE, SIZE)]

    def test_progress_without_total(
        self, download: Downloader, httpx_mock: HTTPXMock, tmp_path: Path, small_chunks: int
    ) -> None:
        """Without Content-Length the total is None."""
        httpx_mock.add_response(url=URL, stream=IteratorStream([BODY[:5000], BODY[5000:]]))
        dest = tmp_path / "out.mp4"
        download(URL, dest)
        assert dest.read_bytes() == BODY
        assert download.progress == [(4000, None), (8000, None), (SIZE, None)]


class _FileHost:
    """A real HTTP file host in a thread: optionally cuts the first body short, optionally honours Range."""

    def __init__(self, *, cut_first: bool, ranges: bool) -> None:
        self.cut_first, self.ranges = cut_first, ranges
        self.seen: list[dict[str, str]] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_port}/v.mp4?sig=s3cr3t"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                host.seen.append(dict(self.headers))
                wanted = self.headers.get("Range")
                start = int(wanted.removeprefix("bytes=").rstrip("-")) if wanted and host.ranges else 0
                self.send_response(206 if start else 200)
                if start:
                    self.send_header("Content-Range", f"bytes {start}-{SIZE - 1}/{SIZE}")
                self.send_header("Content-Length", str(SIZE - start))
                self.end_headers()
                part = BODY[start:]
                if len(host.seen) == 1 and host.cut_first:
                    part = part[:6000]  # then the connection closes mid-body
                self.wfile.write(part)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler

    def __enter__(self) -> _FileHost:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


class TestRealServer:
    """Against a real HTTP server: a truncated body is a protocol error, resumed or restarted."""

    @pytest.mark.parametrize("ranges", [True, False])
    def test_cut_connection_is_recovered(
        self, download: Downloader, tmp_path: Path, small_chunks: int, ranges: bool
    ) -> None:
        """The first body stops after 6000 of 10240 bytes; whole chunks are kept and the rest fetched."""
        dest = tmp_path / "out.mp4"
        with _FileHost(cut_first=True, ranges=ranges) as host:
            download(host.url, dest, client={"headers": {"Authorization": "Bearer sk-live-secret"}})
        assert dest.read_bytes() == BODY
        assert _files(tmp_path) == ["out.mp4"]
        assert len(host.seen) == 2
        assert all("Authorization" not in headers for headers in host.seen)
        assert host.seen[1]["Range"] == "bytes=4000-"
        assert download.sleeps == [0.5]
        expected_tail = [(8000, SIZE), (SIZE, SIZE)] if ranges else [(4000, SIZE), (8000, SIZE), (SIZE, SIZE)]
        assert download.progress == [(4000, SIZE), *expected_tail]

    def test_whole_body(self, download: Downloader, tmp_path: Path) -> None:
        """An uneventful download: one plain GET, the exact bytes."""
        dest = tmp_path / "out.mp4"
        with _FileHost(cut_first=False, ranges=True) as host:
            download(host.url, dest)
        assert dest.read_bytes() == BODY
        assert len(host.seen) == 1
        assert "Range" not in host.seen[0]
