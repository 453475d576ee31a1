"""The file host: a second origin without auth, a real MP4, Range requests and synthetic blobs."""

from __future__ import annotations

import struct
from collections.abc import Iterator

import httpx
import pytest
from lemondata_video.emulator import Emulator

from .conftest import create
from .test_lifecycle import clock_of, poll


def boxes(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """ISO-BMFF boxes of ``data`` as (type, payload), at one nesting level."""
    offset = 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        header = 8
        if size == 1:
            (size,) = struct.unpack(">Q", data[offset + 8 : offset + 16])
            header = 16
        elif size == 0:
            size = len(data) - offset
        assert size >= header, f"corrupt box {kind!r} at {offset}"
        yield kind, data[offset + header : offset + size]
        offset += size
    assert offset == len(data), "trailing bytes after the last box"


def handler_types(moov: bytes) -> list[bytes]:
    """The ``hdlr`` handler_type of every track in a ``moov`` payload."""
    found = []
    for kind, trak in boxes(moov):
        if kind != b"trak":
            continue
        mdia = dict(boxes(trak))[b"mdia"]
        hdlr = dict(boxes(mdia))[b"hdlr"]
        found.append(hdlr[8:12])  # version+flags (4), pre_defined (4), then handler_type
    return found


@pytest.fixture
def video_url(emu: Emulator, api: httpx.Client) -> str:
    """The result URL of a completed task."""
    task_id = str(create(api)["task_id"])
    clock_of(emu).advance(60)
    return str(poll(api, task_id)["video_url"])


class TestVideoFile:
    """What a completed task points at."""

    def test_result_is_a_valid_mp4_with_a_video_track(self, video_url: str) -> None:
        """ftyp first, a moov whose trak has a ``vide`` handler, and an mdat; fast-start order."""
        response = httpx.get(video_url)
        assert response.status_code == 200
        assert response.headers["content-type"] == "video/mp4"
        assert int(response.headers["content-length"]) == len(response.content)
        assert response.headers["accept-ranges"] == "bytes"
        top = [kind for kind, _ in boxes(response.content)]
        assert top[0] == b"ftyp" and b"mdat" in top
        assert top.index(b"moov") < top.index(b"mdat")
        moov = dict(boxes(response.content))[b"moov"]
        assert b"vide" in handler_types(moov)

    def test_file_host_needs_no_auth_and_ignores_it(self, video_url: str) -> None:
        """No key is needed (and sending one changes nothing)."""
        assert httpx.get(video_url, headers={"Authorization": "Bearer sk-x"}).status_code == 200

    @pytest.mark.parametrize(
        ("header", "span"),
        [("bytes=0-99", (0, 100)), ("bytes=100-", (100, None)), ("bytes=-50", (-50, None))],
    )
    def test_range_returns_206_with_the_right_slice(
        self, video_url: str, header: str, span: tuple[int, int | None]
    ) -> None:
        """Content-Range and the bytes match the full file."""
        whole = httpx.get(video_url).content
        response = httpx.get(video_url, headers={"Range": header})
        expected = whole[span[0] : span[1]]
        assert response.status_code == 206
        assert response.content == expected
        start = span[0] % len(whole)
        assert response.headers["content-range"] == f"bytes {start}-{start + len(expected) - 1}/{len(whole)}"
        assert int(response.headers["content-length"]) == len(expected)

    def test_range_past_the_end_is_416(self, video_url: str) -> None:
        """Unsatisfiable ranges name the size."""
        response = httpx.get(video_url, headers={"Range": "bytes=999999-"})
        assert response.status_code == 416
        assert response.headers["content-range"].startswith("bytes */")

    def test_unfinished_or_unknown_task_has_no_file(self, emu: Emulator, api: httpx.Client) -> None:
        """Only completed tasks have a file."""
        task_id = create(api)["task_id"]
        assert httpx.get(f"{emu.file_host_url}/files/{task_id}.mp4").status_code == 404
        assert httpx.get(f"{emu.file_host_url}/files/video_nope.mp4").status_code == 404
        assert httpx.get(f"{emu.file_host_url}/files/sample.mp4").status_code == 200

    def test_downloads_are_counted_per_file(self, emu: Emulator, video_url: str) -> None:
        """A completed body counts once; partial ranges count too, and bytes add up."""
        httpx.get(video_url)
        httpx.get(video_url, headers={"Range": "bytes=0-9"})
        name = video_url.rsplit("/", 1)[1]
        assert emu.stats.downloads[name] == 2
        assert emu.stats.bytes_served[name] == len(httpx.get(video_url).content) + 10


class TestBlob:
    """``/blob/{size}``: deterministic synthetic content for download benchmarks."""

    def test_blob_streams_size_deterministic_bytes(self, emu: Emulator) -> None:
        """Byte i is i % 256, across chunk boundaries."""
        size = 300_000
        with httpx.stream("GET", f"{emu.file_host_url}/blob/{size}") as response:
            assert response.headers["content-length"] == str(size)
            data = b"".join(response.iter_bytes())
        assert data == bytes(i % 256 for i in range(size))
        assert emu.stats.downloads[f"blob-{size}"] == 1

    def test_blob_ranges(self, emu: Emulator) -> None:
        """A range far into a large blob is served without materialising the blob."""
        size = 10 * 1024**3
        response = httpx.get(f"{emu.file_host_url}/blob/{size}", headers={"Range": f"bytes={size - 1000}-"})
        assert response.status_code == 206
        assert response.content == bytes(i % 256 for i in range(size - 1000, size))
