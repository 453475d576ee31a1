"""Result links that expire: download, download_all and generate(out=) fetch the task once more for a
fresh link and resume; a second refusal is a DownloadError saying the link expired.

Against the emulator with `link_ttl` (signed links, re-signed by every task GET, 403 once expired)
on a ManualClock: a link expires when a test moves the emulated clock past it.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from lemondata_video import (
    DownloadError,
    DownloadExistsError,
    Task,
    TaskStatus,
    _async_download,
    _download,
    _download_job,
)
from lemondata_video.emulator import Emulator, Faults, ManualClock

sys.path.insert(0, str(Path(__file__).parent))
from emulated import Flavour, sample_bytes

LINK_TTL = 60.0
CUT_AFTER = 1000  # bytes of the sample clip that arrive before the test breaks the connection
TASKS = "GET /v1/tasks/{task_id}"
FILES = "GET /files/{name}"


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(clock=ManualClock(), link_ttl=LINK_TTL, videos="sample") as emulator:
        yield emulator


@pytest.fixture
def client(flavour: str, emu: Emulator) -> Iterator[Flavour]:
    drv = Flavour(flavour, emu, max_retries=0)
    yield drv
    drv.close()


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    """The download's resume backoff, made instant (it is tested in test_download.py)."""
    monkeypatch.setattr(_download_job, "_delay", lambda attempt: 0.0)


def completed(client: Flavour) -> Task:
    """A completed task, as seen now: its link is fresh for LINK_TTL emulated seconds."""
    task = client("create", "a cat", model="sora-2")
    client.emu.clock.advance(60)
    done = client("get", task)
    assert done.status is TaskStatus.COMPLETED
    return done  # type: ignore[no-any-return]


def expire_each_file_request(client: Flavour, *, times: int) -> Any:
    """A file_http_client that moves the emulated clock past the link before `times` file requests."""
    left = [times]

    def expire(request: httpx.Request) -> None:
        if left[0] > 0:
            left[0] -= 1
            client.emu.clock.advance(LINK_TTL)

    return client.http(on_request=[expire])


class _CutStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that ends with a ReadError after `after` bytes, calling `on_cut` first."""

    def __init__(self, stream: Any, after: int, on_cut: Callable[[], None]) -> None:
        self.stream, self.after, self.on_cut = stream, after, on_cut

    def _part(self, chunk: bytes, sent: int) -> bytes:
        return chunk[: self.after - sent]

    def __iter__(self) -> Iterator[bytes]:
        sent = 0
        for chunk in self.stream:
            part = self._part(chunk, sent)
            sent += len(part)
            yield part
            if sent >= self.after:
                break
        self.on_cut()
        raise httpx.ReadError("connection broken by the test")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        sent = 0
        async for chunk in self.stream:
            part = self._part(chunk, sent)
            sent += len(part)
            yield part
            if sent >= self.after:
                break
        self.on_cut()
        raise httpx.ReadError("connection broken by the test")

    def close(self) -> None:
        self.stream.close()

    async def aclose(self) -> None:
        await self.stream.aclose()


class CutOnce(httpx.BaseTransport):
    """The real transport, except that the first 200 answer's body breaks after `after` bytes."""

    def __init__(self, after: int, on_cut: Callable[[], None]) -> None:
        self.inner, self.after, self.on_cut, self.cut = httpx.HTTPTransport(), after, on_cut, False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        if self.cut or response.status_code != 200:
            return response
        self.cut = True
        stream = _CutStream(response.stream, self.after, self.on_cut)
        return httpx.Response(200, headers=response.headers, stream=stream, extensions=response.extensions)

    def close(self) -> None:
        self.inner.close()


class AsyncCutOnce(httpx.AsyncBaseTransport):
    """CutOnce for the async client."""

    def __init__(self, after: int, on_cut: Callable[[], None]) -> None:
        self.inner, self.after, self.on_cut, self.cut = httpx.AsyncHTTPTransport(), after, on_cut, False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if self.cut or response.status_code != 200:
            return response
        self.cut = True
        stream = _CutStream(response.stream, self.after, self.on_cut)
        return httpx.Response(200, headers=response.headers, stream=stream, extensions=response.extensions)

    async def aclose(self) -> None:
        await self.inner.aclose()


def refresh_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name == "lemondata_video" and r.levelno == logging.INFO
    ]


class TestDownload:
    """`download` and `download_all` renew an expired link once."""

    def test_an_expired_link_is_renewed_from_the_task(
        self, client: Flavour, emu: Emulator, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        task = completed(client)
        emu.clock.advance(LINK_TTL)
        polls = emu.stats.requests[TASKS]
        with caplog.at_level(logging.INFO, logger="lemondata_video"):
            saved = client("download", task, tmp_path / "cat.mp4")
        assert saved == tmp_path / "cat.mp4"
        assert saved.read_bytes() == sample_bytes(emu)
        assert emu.stats.refused_links[f"{task.id}.mp4"] == 1
        assert emu.stats.requests[TASKS] == polls + 1
        shown = f"{emu.file_host_url}/files/{task.id}.mp4"
        assert refresh_lines(caplog) == [
            f"download of {shown}: the file host answered HTTP 403 Forbidden (an expired link?); "
            "resuming from byte 0 with a fresh link from the task"
        ]

    def test_the_download_resumes_from_the_bytes_it_has(
        self,
        client: Flavour,
        emu: Emulator,
        tmp_path: Path,
        caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        for module in (_download, _async_download):  # chunks that arrive before the break
            monkeypatch.setattr(module, "DOWNLOAD_CHUNK_SIZE", CUT_AFTER // 2)
        task = completed(client)
        ranges: list[str | None] = []

        def expire() -> None:  # the connection breaks and, meanwhile, the link expires
            emu.clock.advance(LINK_TTL)

        transport = CutOnce(CUT_AFTER, expire) if client.name == "sync" else AsyncCutOnce(CUT_AFTER, expire)
        files = client.http(transport=transport, on_request=[lambda r: ranges.append(r.headers.get("Range"))])
        other = Flavour(client.name, emu, file_http_client=files)
        try:
            with caplog.at_level(logging.INFO, logger="lemondata_video"):
                saved = other("download", task, tmp_path)
        finally:
            other.close()
        assert saved == tmp_path / f"{task.id}.mp4"
        assert saved.read_bytes() == sample_bytes(emu)
        # The first bytes, then a Range request refused, then the same Range with the fresh link.
        assert ranges == [None, f"bytes={CUT_AFTER}-", f"bytes={CUT_AFTER}-"]
        assert emu.stats.refused_links[f"{task.id}.mp4"] == 1
        assert [line.split("; ")[1] for line in refresh_lines(caplog)] == [
            f"resuming from byte {CUT_AFTER} with a fresh link from the task"
        ]

    def test_download_all_renews_each_link(self, client: Flavour, emu: Emulator, tmp_path: Path) -> None:
        task = completed(client)
        emu.clock.advance(LINK_TTL)
        assert client("download_all", task, tmp_path) == [tmp_path / f"{task.id}.mp4"]
        assert (tmp_path / f"{task.id}.mp4").read_bytes() == sample_bytes(emu)
        assert emu.stats.refused_links[f"{task.id}.mp4"] == 1

    def test_a_task_given_by_id_is_fetched_once_and_then_again_for_a_fresh_link(
        self, client: Flavour, emu: Emulator, tmp_path: Path
    ) -> None:
        task = completed(client)
        polls = emu.stats.requests[TASKS]
        files = expire_each_file_request(client, times=1)
        other = Flavour(client.name, emu, file_http_client=files)
        try:
            saved = other("download", task.id, tmp_path)
        finally:
            other.close()
        assert saved.read_bytes() == sample_bytes(emu)
        assert emu.stats.requests[TASKS] == polls + 2

    def test_a_second_refusal_says_the_link_expired(
        self, client: Flavour, emu: Emulator, tmp_path: Path
    ) -> None:
        task = completed(client)
        files = expire_each_file_request(client, times=2)
        other = Flavour(client.name, emu, file_http_client=files)
        try:
            with pytest.raises(DownloadError) as raised:
                other("download", task, tmp_path / "cat.mp4")
        finally:
            other.close()
        shown = f"{emu.file_host_url}/files/{task.id}.mp4"
        assert str(raised.value) == (
            f"cannot download {shown}: the link expired: the file host answered HTTP 403 Forbidden, "
            "for the task's fresh link too"
        )
        assert emu.stats.refused_links[f"{task.id}.mp4"] == 2
        assert list(tmp_path.iterdir()) == []

    def test_a_refused_link_whose_task_cannot_be_fetched_again(
        self, client: Flavour, emu: Emulator, tmp_path: Path
    ) -> None:
        task = completed(client)
        emu.clock.advance(LINK_TTL)
        emu.set_faults(Faults(timeout=1.0, routes=[TASKS]))
        with pytest.raises(DownloadError) as raised:
            client("download", task, tmp_path / "cat.mp4")
        refresh = raised.value.__cause__
        assert isinstance(refresh, DownloadError)
        assert type(refresh.__cause__).__name__ == "ServerError"
        shown = f"{emu.file_host_url}/files/{task.id}.mp4"
        assert str(raised.value) == (
            f"cannot download {shown}: the file host answered HTTP 403 Forbidden "
            f"(the link may have expired), and task {task.id} could not be fetched again for a fresh link: "
            f"{refresh.__cause__}"
        )
        assert list(tmp_path.iterdir()) == []


class TestGenerateOut:
    """`generate(..., out=)` downloads as soon as the task completes and returns the saved path."""

    def test_out_a_directory_saves_the_task_id_file(
        self, client: Flavour, emu: Emulator, tmp_path: Path
    ) -> None:
        task = client("generate", "a cat", model="sora-2", out=tmp_path)
        assert task.status is TaskStatus.COMPLETED
        assert task.path == tmp_path / f"{task.id}.mp4"
        assert task.path.read_bytes() == sample_bytes(emu)

    def test_out_a_file_and_an_expired_link_on_the_way(
        self, client: Flavour, emu: Emulator, tmp_path: Path
    ) -> None:
        files = expire_each_file_request(client, times=1)
        other = Flavour(client.name, emu, file_http_client=files)
        try:
            task = other("generate", "a cat", model="sora-2", out=tmp_path / "cat.mp4")
        finally:
            other.close()
        assert task.path == tmp_path / "cat.mp4"
        assert task.path.read_bytes() == sample_bytes(emu)
        assert emu.stats.refused_links[f"{task.id}.mp4"] == 1

    def test_an_existing_file_is_refused_before_anything_is_sent(
        self, client: Flavour, emu: Emulator, tmp_path: Path
    ) -> None:
        mine = tmp_path / "cat.mp4"
        mine.write_bytes(b"my own video")
        with pytest.raises(DownloadExistsError) as raised:
            client("generate", "a cat", model="sora-2", out=mine)
        assert str(raised.value) == f"{mine} already exists; pass overwrite=True to replace it"
        assert mine.read_bytes() == b"my own video"
        assert emu.stats.tasks_created == 0

    def test_overwrite_replaces_the_file(self, client: Flavour, emu: Emulator, tmp_path: Path) -> None:
        mine = tmp_path / "cat.mp4"
        mine.write_bytes(b"an older render")
        task = client("generate", "a cat", model="sora-2", out=mine, overwrite=True)
        assert task.path == mine
        assert mine.read_bytes() == sample_bytes(emu)

    def test_a_missing_directory_is_refused_before_anything_is_sent(
        self, client: Flavour, emu: Emulator, tmp_path: Path
    ) -> None:
        out = tmp_path / "missing" / "cat.mp4"
        with pytest.raises(DownloadError) as raised:
            client("generate", "a cat", model="sora-2", out=out)
        assert str(raised.value) == f"cannot save to {out}: the directory {out.parent} does not exist"
        assert emu.stats.tasks_created == 0

    def test_a_failed_download_keeps_the_completed_task(
        self, client: Flavour, emu: Emulator, tmp_path: Path
    ) -> None:
        emu.set_faults(Faults(server_error=1.0, routes=[FILES]))
        with pytest.raises(DownloadError) as raised:
            client("generate", "a cat", model="sora-2", out=tmp_path)
        task = raised.value.task
        assert task is not None and task.status is TaskStatus.COMPLETED
        assert emu.ctx.store.get(task.id) is not None
        assert str(raised.value).endswith("the last answer was HTTP 500 Internal Server Error")
        assert list(tmp_path.iterdir()) == []

    def test_without_out_nothing_is_downloaded(self, client: Flavour, emu: Emulator) -> None:
        task = client("generate", "a cat", model="sora-2")
        assert task.path is None
        assert emu.stats.requests[FILES] == 0
