"""Third-party peers: the façade against Prism's mock of our spec, and the emulator behind Prism's proxy.

`prism mock` answers with the spec's examples and validates every request, so
"passes" means: every request the façade sends is valid for the spec (no
violation), and every example answer (pending, processing, completed, failed,
cancelled, each documented error) becomes the Task or the error it describes.
`prism proxy --errors` checks both directions of every exchange between the
façade and the emulator over a whole create → poll → complete → download →
cancel → error walk; it must report nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from lemondata_video.emulator import Emulator, Faults, ManualClock

from . import _prism
from ._sdk import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TaskCancelledError,
    TaskFailedError,
    TaskStatus,
    VideoClient,
)
from .conftest import SAMPLE_MP4

EXAMPLE_TASK = "video_abc123"
# The first create example (the newest revision's answer) names this task.
CREATED_TASK = "ldtask_0f8e2b7c4d9a41e6b3c5d7f9a1b2c3d4"
EXAMPLE_FILE_HOST = "cdn.lemondata.cc"


@pytest.fixture(scope="module")
def mock_server() -> Iterator[_prism.Prism]:
    with _prism.mock() as server:
        yield server


class Prefer:
    """A request hook that asks Prism for a named example or status code (`Prefer: example=...`)."""

    def __init__(self) -> None:
        self.value: str | None = None

    def __call__(self, request: httpx.Request) -> None:
        if self.value:
            request.headers["Prefer"] = self.value


def file_host(seen: list[httpx.Request]) -> httpx.Client:
    """The example's file host, served in process: the sample MP4 for any path."""

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        assert request.url.host == EXAMPLE_FILE_HOST
        headers = {"Content-Type": "video/mp4", "Content-Length": str(len(SAMPLE_MP4))}
        return httpx.Response(200, stream=httpx.ByteStream(SAMPLE_MP4), headers=headers)

    return httpx.Client(transport=httpx.MockTransport(handler))


class TestPrismMock:
    """The whole flow of the façade against `prism mock openapi/openapi.yaml`."""

    def test_flow_requests_are_valid_and_examples_map(
        self, mock_server: _prism.Prism, tmp_path: Path
    ) -> None:
        """create, get, wait, download, cancel, a failed task and documented errors: no violation."""
        prefer, files_seen = Prefer(), []
        http = mock_server.http_client(on_request=prefer)
        fake_now = [0.0]
        with (
            http,
            VideoClient(
                api_key="sk-prism-mock-key-0001",
                base_url=mock_server.url,
                http_client=http,
                max_retries=0,
                file_http_client=file_host(files_seen),
            ) as client,
        ):
            task = client.create("a cat on a skateboard", model="sora-2", duration=4, aspect_ratio="16:9")
            assert (task.id, task.status) == (CREATED_TASK, TaskStatus.PENDING)
            queued = client.get(task)
            assert (queued.status, queued.model) == (TaskStatus.PENDING, "seedance-1.5-pro")
            prefer.value = "example=processing"
            running = client.get(task)
            assert (running.status, running.progress) == (TaskStatus.PROCESSING, 42.0)

            prefer.value = "example=completed"
            done = client.wait(
                task, clock=lambda: fake_now[0], sleep=lambda s: fake_now.__setitem__(0, fake_now[0] + s)
            )
            assert done.status is TaskStatus.COMPLETED
            assert done.video_url == f"https://{EXAMPLE_FILE_HOST}/videos/{EXAMPLE_TASK}.mp4"
            saved = client.download(done, tmp_path)
            assert saved == tmp_path / f"{EXAMPLE_TASK}.mp4"
            assert saved.read_bytes() == SAMPLE_MP4
            assert "authorization" not in files_seen[0].headers

            prefer.value = None
            cancelled = client.cancel(task)
            assert cancelled.cancelled and cancelled.status is TaskStatus.FAILED

            prefer.value = "example=failed"
            with pytest.raises(TaskFailedError, match="The provider rejected the prompt"):
                client.wait(EXAMPLE_TASK, clock=lambda: 0.0, sleep=lambda s: None)

            for prefer.value, call, error in (
                ("code=404", lambda: client.get(EXAMPLE_TASK), NotFoundError),
                ("code=409", lambda: client.cancel(EXAMPLE_TASK), ConflictError),
                ("code=400", lambda: client.cancel(EXAMPLE_TASK), BadRequestError),
                ("code=401", lambda: client.get(EXAMPLE_TASK), AuthenticationError),
                ("code=429", lambda: client.get(EXAMPLE_TASK), RateLimitError),
            ):
                with pytest.raises(error) as caught:
                    call()
                assert caught.value.code  # type: ignore[attr-defined]
        assert mock_server.violations == []

    @pytest.mark.parametrize(
        ("model", "fields"),
        [
            ("veo3.1", {"image_url": "https://example.com/cat.png", "duration": 8, "output_audio": True}),
            (
                "veo3.1",
                {"start_image": "https://example.com/a.png", "end_image": "https://example.com/b.png"},
            ),
            (
                "viduq2-pro",
                {"reference_images": ["https://example.com/r.png"], "reference_image_type": "style"},
            ),
            ("veo3.1", {"referenceImages": ["https://example.com/r.png"], "referenceImageType": "asset"}),
            (
                "kling-3.0-motion-control",
                {"image_url": "https://example.com/s.png", "video_url": "https://example.com/m.mp4"},
            ),
            ("kling-video-extend", {"task_id": "video_abc123", "extend_at": 5, "extend_times": "1"}),
            (
                "seedance-2.0",
                {
                    "reference_images": ["https://example.com/r.png"],
                    "video_urls": ["https://example.com/v.mp4"],
                    "audio_urls": ["https://example.com/a.mp3"],
                },
            ),
            (
                "topaz-video-upscale",
                {"video_url": "https://example.com/in.mp4", "watermark": False, "seed": 2**40},
            ),
            ("seedance-2-0", {"video_url": "https://example.com/in.mp4", "operation": "video-extension"}),
            ("kling-video", {"image": "data:image/png;base64,iVBORw0KGgo=", "fps": 24, "cfg_scale": 7.5}),
            ("sora-2", {"negative_prompt": "blur", "seed": 7, "motion_strength": 0.5, "user": "u-1"}),
        ],
    )
    def test_every_operation_sends_a_valid_body(
        self, mock_server: _prism.Prism, model: str, fields: dict[str, object]
    ) -> None:
        """Bodies of every input shape the façade builds pass Prism's request validation."""
        before = len(mock_server.violations)
        with (
            mock_server.http_client() as http,
            VideoClient(
                api_key="sk-prism-mock-key-0001", base_url=mock_server.url, http_client=http
            ) as client,
        ):
            assert client.create("a slow pan over a lake", model=model, **fields).id == CREATED_TASK
        assert mock_server.violations[before:] == []

    def test_the_harness_sees_a_violation(self, mock_server: _prism.Prism) -> None:
        """A create with fps out of range, sent around the façade, is reported: the checks can fail."""
        before = len(mock_server.violations)
        with mock_server.http_client(base_url=mock_server.url) as http:
            http.post(
                "/v1/videos/generations",
                json={"model": "sora-2", "prompt": "a cat", "fps": 500},
                headers={"Authorization": "Bearer k"},
            )
        assert any("fps" in v for v in mock_server.violations[before:])


class TestPrismProxy:
    """`prism proxy openapi/openapi.yaml <emulator> --errors` over a walk driven by the façade."""

    def test_walk_reports_no_violation(self, tmp_path: Path) -> None:
        """create → poll → complete → download → cancel → errors (4xx, injected 5xx and 429)."""
        clock = ManualClock()
        with Emulator(clock=clock) as emu, _prism.proxy(emu.base_url) as proxy:
            with proxy.http_client() as http, client_for(emu.api_key, proxy, http, retries=4) as video:
                walk_complete(video, clock, tmp_path)
                walk_cancel(video, clock)
                walk_errors(video, emu, clock, proxy)
            assert emu.stats.requests["POST /v1/videos/generations"] >= 4
            assert sum(emu.stats.faults.values()) == 3
        assert proxy.violations == []

    def test_the_harness_sees_a_response_violation(self) -> None:
        """An answer outside the spec (the emulator's HTML 502) is reported: the checks can fail."""
        with Emulator(clock=ManualClock()) as emu, _prism.proxy(emu.base_url) as proxy:
            emu.set_faults(Faults(bad_gateway=1.0))
            with (
                proxy.http_client() as http,
                client_for(emu.api_key, proxy, http) as video,
                pytest.raises(ServerError),
            ):
                video.get("video_missing")
        assert proxy.violations, "prism should flag a text/html 502 the spec does not document"


def client_for(key: str, proxy: _prism.Prism, http: httpx.Client, *, retries: int = 0) -> VideoClient:
    """A client of the emulator through the proxy, on its own httpx client (a client configures it)."""
    return VideoClient(api_key=key, base_url=proxy.url, http_client=http, max_retries=retries)


def walk_complete(video: VideoClient, clock: ManualClock, tmp_path: Path) -> None:
    task = video.create("a lighthouse at dusk", model="sora-2", duration=4)
    assert video.get(task).status is TaskStatus.PENDING
    clock.advance(2)
    assert video.get(task).status is TaskStatus.PROCESSING
    done = video.wait(task, clock=clock.now, sleep=clock.advance)
    assert done.status is TaskStatus.COMPLETED
    legacy = type(done).from_payload({**done.raw, "poll_url": f"/v1/videos/generations/{done.id}"})
    assert video.get(legacy).status is TaskStatus.COMPLETED
    assert video.download(done, tmp_path).read_bytes() == SAMPLE_MP4


def walk_cancel(video: VideoClient, clock: ManualClock) -> None:
    queued = video.create("a queued fox", model="seedance-1.5-pro")
    cancelled = video.cancel(queued)
    assert cancelled.cancelled and cancelled.status is TaskStatus.FAILED
    with pytest.raises(TaskCancelledError):
        video.wait(queued, clock=clock.now, sleep=clock.advance)
    running = video.create("a running fox", model="seedance-1.5-pro")
    clock.advance(3)
    with pytest.raises(ConflictError):
        video.cancel(running)


def walk_errors(video: VideoClient, emu: Emulator, clock: ManualClock, proxy: _prism.Prism) -> None:
    completed = video.create("a finished cat", model="sora-2")
    clock.advance(60)
    with pytest.raises(BadRequestError, match="cannot be cancelled"):
        video.cancel(completed)
    with pytest.raises(NotFoundError):
        video.get("video_does_not_exist")
    with pytest.raises(BadRequestError):
        video.create("an unknown model", model="not-a-model-9", allow_unknown_model=True)
    with (
        proxy.http_client() as http,
        client_for("sk-wrong-key-000000000000", proxy, http) as stranger,
        pytest.raises(AuthenticationError),
    ):
        stranger.get(completed)
    # Documented transient answers, each retried by the façade: 500, 503 with Retry-After, 429.
    for kind in ("server_error", "unavailable", "rate_limit_storm"):
        emu.set_faults(
            Faults(**{kind: 1.0}, max_faults=1, storm_length=1, routes=["GET /v1/tasks/{task_id}"])
        )
        assert video.get(completed).status is TaskStatus.COMPLETED
    emu.set_faults()
