"""Raw statuses the docs name as terminal (`expired`, `cancelled`) end a wait; other unknown ones do not."""

from __future__ import annotations

import pytest
from conftest import Driver, FakeClock, task_json, task_url
from lemondata_video import (
    Task,
    TaskCancelledError,
    TaskError,
    TaskExpiredError,
    TaskFailedError,
    TaskStatus,
)
from pytest_httpx import HTTPXMock

FILE_URL = "https://cdn.lemondata.cc/videos/video_abc.mp4"


class TestParsing:
    @pytest.mark.parametrize("raw", ["expired", "Expired", "EXPIRED", "cancelled", "Cancelled"])
    def test_documented_terminal_statuses_are_failed(self, raw: str) -> None:
        task = Task.from_payload({"id": "video_1", "status": raw})
        assert (task.status, task.raw_status, task.done) == (TaskStatus.FAILED, raw, True)
        assert TaskStatus.parse(raw) is TaskStatus.FAILED

    def test_expired(self) -> None:
        task = Task.from_payload({"id": "video_1", "status": "expired"})
        assert (task.expired, task.cancelled) == (True, False)

    def test_cancelled_without_the_flag(self) -> None:
        task = Task.from_payload({"id": "video_1", "status": "cancelled"})
        assert (task.cancelled, task.expired) == (True, False)

    @pytest.mark.parametrize("raw", ["queued_upstream", "canceling", "expiring", ""])
    def test_other_unknown_statuses_stay_unknown(self, raw: str) -> None:
        task = Task.from_payload({"id": "video_1", "status": raw})
        assert task.status is TaskStatus.UNKNOWN
        assert (task.done, task.expired, task.cancelled) == (False, False, False)

    def test_a_failed_task_is_neither(self) -> None:
        task = Task.from_payload({"id": "video_1", "status": "failed", "error": "content policy"})
        assert (task.expired, task.cancelled) == (False, False)

    def test_the_error_tree(self) -> None:
        assert issubclass(TaskExpiredError, TaskFailedError)
        assert issubclass(TaskFailedError, TaskError)
        assert not issubclass(TaskExpiredError, TaskCancelledError)


class TestWait:
    """Both clients: the wait ends at the first poll that shows the status, not at the deadline."""

    def test_expired_ends_the_wait(self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json(status="expired"))
        with pytest.raises(TaskExpiredError) as info:
            driver.wait("video_abc", clock, timeout=600)
        assert type(info.value) is TaskExpiredError
        assert str(info.value) == "task video_abc expired: no reason given"
        assert (info.value.task.id, info.value.task.raw_status) == ("video_abc", "expired")
        assert len(httpx_mock.get_requests()) == 1
        assert clock.now == 0.0

    def test_expired_after_polls_keeps_the_reason(
        self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock
    ) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json(status="pending"))
        body = task_json(status="expired", error="the task expired before it ran")
        httpx_mock.add_response(url=task_url("video_abc"), json=body)
        with pytest.raises(TaskExpiredError) as info:
            driver.wait("video_abc", clock, timeout=600)
        assert str(info.value) == "task video_abc expired: the task expired before it ran"
        assert len(httpx_mock.get_requests()) == 2
        assert clock.now < 60

    def test_cancelled_ends_the_wait(self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock) -> None:
        httpx_mock.add_response(
            url=task_url("video_abc"), json=task_json(status="cancelled", error="cancelled by user")
        )
        with pytest.raises(TaskCancelledError) as info:
            driver.wait("video_abc", clock, timeout=600)
        assert str(info.value) == "task video_abc was cancelled: cancelled by user"
        assert info.value.task.cancelled
        assert len(httpx_mock.get_requests()) == 1

    def test_a_task_already_expired_is_not_polled(self, driver: Driver, clock: FakeClock) -> None:
        with pytest.raises(TaskExpiredError, match=r"^task video_abc expired: no reason given$"):
            driver.wait(Task.from_payload(task_json(status="expired")), clock)
        assert clock.sleeps == []

    def test_an_unknown_status_is_polled_on(
        self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock
    ) -> None:
        for _ in range(3):
            httpx_mock.add_response(url=task_url("video_abc"), json=task_json(status="queued_upstream"))
        httpx_mock.add_response(
            url=task_url("video_abc"), json=task_json(status="completed", video_url=FILE_URL)
        )
        assert driver.wait("video_abc", clock, timeout=600).video_url == FILE_URL
        assert len(httpx_mock.get_requests()) == 4
