"""AsyncVideoClient in a running event loop: concurrency, `async with`, async sleep and downloads.

Behaviour shared with VideoClient is tested for both flavours in test_client.py.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
from conftest import CREATE_URL, KEY, FakeClock, created_json, task_json, task_url
from lemondata_video import AsyncVideoClient, TaskMayExistError, TaskStatus, WaitTimeoutError
from pytest_httpx import HTTPXMock

pytestmark = pytest.mark.anyio
FILE_URL = "https://files.example.com/v.mp4"


async def test_async_with_closes_the_pools() -> None:
    async with AsyncVideoClient(api_key=KEY) as client:
        assert not client._http.is_closed
    assert client._http.is_closed
    assert client._files.is_closed


async def test_given_http_client_is_used_and_left_open(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=task_url("video_abc"), json=task_json())
    async with httpx.AsyncClient() as http:
        async with AsyncVideoClient(api_key=KEY, http_client=http) as client:
            assert (await client.get("video_abc")).id == "video_abc"
        assert not http.is_closed
    assert httpx_mock.get_request().headers["Authorization"] == f"Bearer {KEY}"  # type: ignore[union-attr]


async def test_concurrent_waits_keep_their_responses_apart(httpx_mock: HTTPXMock) -> None:
    """Each call sees its own response even when many run at once (the capture is per task)."""
    for i in range(10):
        httpx_mock.add_response(url=task_url(f"video_{i}"), json=task_json(f"video_{i}", progress=i))
        httpx_mock.add_response(
            url=task_url(f"video_{i}"), json=task_json(f"video_{i}", status="completed", video_url=FILE_URL)
        )

    async with AsyncVideoClient(api_key=KEY) as client:

        async def one(i: int) -> str:
            clock = FakeClock()
            task = await client.wait(f"video_{i}", clock=clock, sleep=clock.asleep)
            return task.id

        ids = await asyncio.gather(*(one(i) for i in range(10)))
    assert ids == [f"video_{i}" for i in range(10)]


async def test_wait_uses_the_async_sleep(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=task_url("video_abc"), json=task_json(), is_reusable=True)
    clock = FakeClock()
    async with AsyncVideoClient(api_key=KEY) as client:
        with pytest.raises(WaitTimeoutError):
            await client.wait("video_abc", timeout=100, clock=clock, sleep=clock.asleep)
    assert sum(clock.sleeps) == pytest.approx(100)


async def test_create_then_download(httpx_mock: HTTPXMock, tmp_path: Path) -> None:
    httpx_mock.add_response(method="POST", url=CREATE_URL, json=created_json())
    httpx_mock.add_response(url=task_url("video_abc"), json=task_json(status="completed", video_url=FILE_URL))
    httpx_mock.add_response(url=FILE_URL, content=b"mp4")
    async with AsyncVideoClient(api_key=KEY) as client:
        task = await client.create("a cat")
        assert task.status is TaskStatus.PENDING
        path = await client.download(task, tmp_path / "cat.mp4")
    assert path.read_bytes() == b"mp4"
    assert "Authorization" not in httpx_mock.get_requests()[-1].headers


async def test_create_read_timeout_is_task_may_exist(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_exception(httpx.ReadTimeout("slow"), method="POST", url=CREATE_URL)
    async with AsyncVideoClient(api_key=KEY) as client:
        with pytest.raises(TaskMayExistError):
            await client.create("a cat")
    assert len(httpx_mock.get_requests()) == 1


async def test_models_of_the_snapshot_send_no_request(httpx_mock: HTTPXMock) -> None:
    """models() is awaited like every method of the async client; without live=True it asks nothing."""
    async with AsyncVideoClient(api_key=KEY) as client:
        assert len(await client.models()) == 60
    assert httpx_mock.get_requests() == []


async def test_requests_in_flight_never_exceed_the_pool(httpx_mock: HTTPXMock) -> None:
    """Thousands of concurrent calls queue in the client, not in httpcore's pool (see _async_client)."""
    from lemondata_video._constants import MAX_CONNECTIONS

    in_flight, peak = 0, 0

    async def slow_answer(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, peak
        in_flight += 1
        peak = max(peak, in_flight)
        await asyncio.sleep(0.01)
        in_flight -= 1
        ident = request.url.path.rsplit("/", 1)[-1]
        return httpx.Response(200, json=task_json(ident))

    httpx_mock.add_callback(slow_answer, is_reusable=True)
    calls = 3 * MAX_CONNECTIONS
    async with AsyncVideoClient(api_key=KEY) as client:
        tasks = await asyncio.gather(*(client.get(f"video_{i}") for i in range(calls)))
    assert [task.id for task in tasks] == [f"video_{i}" for i in range(calls)]
    assert peak == MAX_CONNECTIONS
    assert len(httpx_mock.get_requests()) == calls
