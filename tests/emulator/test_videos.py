"""Task videos read back with PyAV: each follows its request, is made once, and never blocks the server."""

from __future__ import annotations

import asyncio
import io
import threading
import uuid
from dataclasses import dataclass
from importlib import resources

import av
import httpx
import pytest
from lemondata_video.emulator import Emulator, Faults, ManualClock
from lemondata_video.emulator._clip import MAX_PIXEL_FRAMES
from lemondata_video.emulator._videos import LIBRARY, RenderCounts, VideoLibrary

from .conftest import create
from .test_clip import task as clip_task
from .test_lifecycle import clock_of, poll

FILE_TIMEOUT = httpx.Timeout(10, read=120)  # a cold render at the cap takes seconds on a busy machine
SAMPLE = resources.files("lemondata_video.emulator").joinpath("assets", "sample.mp4").read_bytes()


@dataclass(frozen=True)
class Probe:
    """What a player reads from an MP4."""

    codec: str
    width: int
    height: int
    fps: float
    frames: int
    keyframes: list[int]
    corrupt: int
    seconds: float
    title: str
    comment: str


def probe(data: bytes) -> Probe:
    """Decode every frame of ``data`` with PyAV and report its stream and container fields."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.video[0]
        frames = list(container.decode(stream))
        assert stream.average_rate is not None and container.duration is not None
        return Probe(
            codec=stream.codec_context.name,
            width=stream.width,
            height=stream.height,
            fps=float(stream.average_rate),
            frames=len(frames),
            keyframes=[index for index, frame in enumerate(frames) if frame.key_frame],
            corrupt=sum(frame.is_corrupt for frame in frames),
            seconds=container.duration / av.time_base,
            title=container.metadata.get("title", ""),
            comment=container.metadata.get("comment", ""),
        )


def completed(emu: Emulator, api: httpx.Client, **body: object) -> dict[str, object]:
    """Create a task with ``body``, let it complete, and return the task answer."""
    task_id = str(create(api, **body)["task_id"])
    clock_of(emu).advance(3600)
    return poll(api, task_id)


def download(task: dict[str, object], **headers: str) -> httpx.Response:
    response = httpx.get(str(task["video_url"]), headers=headers, timeout=FILE_TIMEOUT)
    assert response.status_code in (200, 206), response.text
    return response


class TestTheFileFollowsTheRequest:
    """Duration, size and frame rate are those the task reports; the text names the task."""

    @pytest.mark.parametrize(
        ("body", "fps"),
        [
            ({}, 30),  # sora-2, 720p 16:9, 5 s: the default path of the other tests
            ({"model": "veo3.1-fast", "aspect_ratio": "9:16", "resolution": "480p", "duration": 3}, 24),
            (
                {
                    "model": "kling-v2.6-std",
                    "aspect_ratio": "1:1",
                    "resolution": "360p",
                    "fps": 12,
                    "duration": 2,
                },
                12,
            ),
            ({"model": "wan-2.6", "aspect_ratio": "4:3", "resolution": "240p", "duration": 2}, 16),
            ({"model": "hailuo-2.3", "aspect_ratio": "21:9", "resolution": "240p", "duration": 1}, 25),
        ],
    )
    def test_duration_size_and_fps(
        self, emu: Emulator, api: httpx.Client, body: dict[str, object], fps: int
    ) -> None:
        task = completed(emu, api, **body)
        video = task["video"]
        assert isinstance(video, dict)
        seen = probe(download(task).content)
        assert (seen.codec, seen.width, seen.height) == ("h264", video["width"], video["height"])
        assert seen.fps == fps
        assert seen.frames == fps * video["duration"]
        assert (seen.keyframes, seen.corrupt) == (list(range(0, seen.frames, fps)), 0)  # a clean splice
        assert abs(seen.seconds - video["duration"]) <= 1 / fps
        assert seen.title == "a cat walking through a garden"
        assert f"task {task['id']}, {task['model']}," in seen.comment

    def test_a_4k_request_is_rendered_under_the_cap_and_says_so(
        self, emu: Emulator, api: httpx.Client
    ) -> None:
        """The task reports 3840x2160; the file keeps its aspect ratio, fps and duration at a smaller size."""
        task = completed(emu, api, resolution="4k", prompt="a lemon in 4k")
        assert task["video"] == {"url": task["video_url"], "duration": 5, "width": 3840, "height": 2160}
        seen = probe(download(task).content)
        assert seen.width * seen.height * seen.frames <= MAX_PIXEL_FRAMES
        assert seen.width < 3840 and abs(seen.width / seen.height - 16 / 9) < 0.01
        assert (seen.fps, seen.frames, seen.seconds) == (30, 150, 5)
        assert f"rendered at {seen.width}x{seen.height}, not 3840x2160" in seen.comment
        assert "emulator limits: 622,080,000 pixels x frames" in seen.comment


class TestMadeOnce:
    """A clip is encoded once for every task that shows it; a task's file once for every request."""

    def test_identical_requests_share_one_clip(self, emu: Emulator, api: httpx.Client) -> None:
        prompt = f"shared {uuid.uuid4()}"
        before = (LIBRARY.counts.clips, LIBRARY.counts.files)
        tasks = [completed(emu, api, prompt=prompt, resolution="240p", duration=1) for _ in range(3)]
        files = [download(task).content for task in tasks]
        assert (LIBRARY.counts.clips, LIBRARY.counts.files) == (before[0] + 1, before[1] + 3)
        assert len(set(files)) == 3  # each shows its own task id in its first second
        download(tasks[0])
        assert LIBRARY.counts.files == before[1] + 3

    def test_concurrent_first_downloads_make_the_file_once(self, emu: Emulator, api: httpx.Client) -> None:
        task = completed(emu, api, prompt=f"at once {uuid.uuid4()}", resolution="240p", duration=1)
        before = LIBRARY.counts.files
        bodies: list[bytes] = []
        threads = [threading.Thread(target=lambda: bodies.append(download(task).content)) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(bodies) == 4 and len(set(bodies)) == 1
        assert LIBRARY.counts.files == before + 1

    def test_a_file_made_again_is_the_same_bytes(self, emu: Emulator, api: httpx.Client) -> None:
        """After the cache forgets it, a resumed download still gets the bytes it started with."""
        task = completed(emu, api, prompt=f"again {uuid.uuid4()}", resolution="240p", duration=2)
        whole = download(task).content
        LIBRARY.clear()
        tail = download(task, Range="bytes=1000-")
        assert tail.status_code == 206 and tail.content == whole[1000:]

    def test_a_fault_on_the_file_host_makes_no_video(self, emu: Emulator, api: httpx.Client) -> None:
        task = completed(emu, api, prompt=f"faulty {uuid.uuid4()}", resolution="240p", duration=1)
        emu.set_faults(Faults(server_error=1.0, max_faults=1, routes=["GET /files/{name}"]))
        before = LIBRARY.counts.files
        assert httpx.get(str(task["video_url"]), timeout=FILE_TIMEOUT).status_code == 500
        assert LIBRARY.counts.files == before

    def test_a_truncated_download_sends_half_of_the_rendered_file(
        self, emu: Emulator, api: httpx.Client
    ) -> None:
        task = completed(emu, api)
        name = str(task["video_url"]).rsplit("/", 1)[1]
        length = len(download(task).content)
        emu.stats.reset()
        emu.set_faults(Faults(truncated_download=1.0, max_faults=1, routes=["GET /files/{name}"]))
        with pytest.raises(httpx.RemoteProtocolError):
            download(task)
        assert (emu.stats.downloads[name], emu.stats.bytes_served[name]) == (0, length // 2)


class TestLibrary:
    """The cache on its own: bounded, and shared by every waiter of a render."""

    def test_a_cancelled_wait_does_not_cancel_the_render_for_others(self) -> None:
        library = VideoLibrary()
        task = clip_task(id="video_cancelled", prompt=f"cancelled {uuid.uuid4()}", width=320, height=180)

        async def scenario() -> bytes:
            first = asyncio.ensure_future(library.file_for(task))
            await asyncio.sleep(0.01)
            first.cancel()
            return await library.file_for(task)

        data = asyncio.run(scenario())
        assert probe(data).frames == 150 and library.counts == RenderCounts(clips=1, files=1)

    def test_past_its_budget_the_cache_forgets_and_makes_the_same_bytes_again(self) -> None:
        """With room for one entry, a, b, a makes everything three times; a comes out the same."""
        library = VideoLibrary(budget_bytes=1)
        prompt = f"budget {uuid.uuid4()}"
        a, b = (
            clip_task(id=name, prompt=prompt, width=320, height=180, duration=1)
            for name in ("video_a", "video_b")
        )
        first, _, again = (asyncio.run(library.file_for(task)) for task in (a, b, a))
        assert first == again and library.counts == RenderCounts(clips=3, files=3)


class TestOffTheEventLoop:
    """While a video is being made, the API and the file host keep answering."""

    def test_requests_are_answered_during_a_render(self, emu: Emulator, api: httpx.Client) -> None:
        task = completed(emu, api, prompt=f"slow {uuid.uuid4()}", resolution="720p", duration=5)
        rendering = threading.Thread(target=download, args=(task,))
        rendering.start()
        try:
            for _ in range(2000):
                if LIBRARY.in_progress:
                    break
                threading.Event().wait(0.005)
            assert LIBRARY.in_progress
            answers = [api.get("/v1/models").status_code for _ in range(5)]
            answers.append(httpx.get(f"{emu.file_host_url}/blob/1000").status_code)
            assert LIBRARY.in_progress, "the render ended before the other requests were answered"
        finally:
            rendering.join()
        assert answers == [200] * 6


class TestSampleClip:
    """The bundled 2-second clip: at /files/sample.mp4 always, and for every task with videos='sample'."""

    def test_sample_route_serves_the_bundled_clip(self, emu: Emulator) -> None:
        assert httpx.get(f"{emu.file_host_url}/files/sample.mp4").content == SAMPLE

    def test_videos_sample_points_every_task_at_it(self) -> None:
        with Emulator(clock=ManualClock(), videos="sample") as emu:
            headers = {"Authorization": f"Bearer {emu.api_key}"}
            with httpx.Client(base_url=emu.base_url, headers=headers) as api:
                task = completed(emu, api, resolution="1080p")
                assert download(task).content == SAMPLE

    def test_an_unknown_videos_mode_is_refused(self) -> None:
        with pytest.raises(ValueError, match=r"^videos='real' is not one of 'rendered', 'sample'$"):
            Emulator(videos="real")
