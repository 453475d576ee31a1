"""VideoClient and AsyncVideoClient behaviour, each test run on both flavours (see conftest.Driver)."""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import time
from pathlib import Path

import httpx
import pytest
from conftest import BASE, CREATE_URL, KEY, Driver, FakeClock, created_json, task_json, task_url
from lemondata_video import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    InvalidFieldError,
    LemonDataError,
    NotFoundError,
    RequestValidationError,
    ServerError,
    Task,
    TaskCancelledError,
    TaskFailedError,
    TaskMayExistError,
    TaskStatus,
    UnexpectedResponseError,
    UnknownModelError,
    VideoClient,
    WaitTimeoutError,
)
from pytest_httpx import HTTPXMock

FILE_URL = "https://files.example.com/out/video_abc.mp4?sig=s3cret"


def _fingerprint(body: dict[str, object]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


class TestConfiguration:
    """Key, base URL, headers, repr."""

    def test_key_from_environment(
        self, flavour: str, monkeypatch: pytest.MonkeyPatch, httpx_mock: HTTPXMock
    ) -> None:
        monkeypatch.setenv("LEMONDATA_API_KEY", "sk-from-env-0000000000wxyz")
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json())
        drv = Driver(flavour, api_key=None)
        drv("get", "video_abc")
        assert httpx_mock.get_request().headers["Authorization"] == "Bearer sk-from-env-0000000000wxyz"  # type: ignore[union-attr]
        drv.close()

    def test_missing_key_is_a_clear_error(self) -> None:
        with pytest.raises(LemonDataError) as info:
            VideoClient()
        assert type(info.value) is LemonDataError
        assert str(info.value) == "no API key: pass api_key=... or set LEMONDATA_API_KEY"

    @pytest.mark.parametrize(
        "url", ["http://api.lemondata.cc", "http://10.0.0.1:8000", "http://127.example.com"]
    )
    def test_plain_http_to_a_remote_host_is_refused(self, url: str) -> None:
        with pytest.raises(ValueError, match="plain http to a non-loopback host") as info:
            VideoClient(api_key=KEY, base_url=url)
        assert isinstance(info.value, RequestValidationError)
        assert KEY not in str(info.value)

    @pytest.mark.parametrize("url", ["http://localhost:8000", "http://127.0.0.9:1", "http://[::1]:8080/"])
    def test_plain_http_to_loopback_is_allowed(self, url: str) -> None:
        with VideoClient(api_key=KEY, base_url=url) as client:
            assert client.base_url.scheme == "http"

    @pytest.mark.parametrize("url", ["ftp://x.example", "not a url", "https://", "https://a.example/?q=1"])
    def test_unusable_base_url(self, url: str) -> None:
        with pytest.raises(RequestValidationError, match="base_url"):
            VideoClient(api_key=KEY, base_url=url)

    @pytest.mark.parametrize("suffix", ["/v1", "/v1/", "/", ""])
    def test_trailing_v1_is_accepted(self, flavour: str, httpx_mock: HTTPXMock, suffix: str) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json())
        drv = Driver(flavour, base_url=BASE + suffix)
        drv("get", "video_abc")
        assert str(httpx_mock.get_request().url) == task_url("video_abc")  # type: ignore[union-attr]
        drv.close()

    def test_base_url_from_environment(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("LEMONDATA_BASE_URL", "http://127.0.0.1:9000/v1")
        with VideoClient(api_key=KEY) as client:
            assert str(client.base_url) == "http://127.0.0.1:9000"

    def test_user_agent(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json())
        driver("get", "video_abc")
        assert httpx_mock.get_request().headers["User-Agent"] == "lemondata-video/0.1.0"  # type: ignore[union-attr]

    def test_repr_masks_the_key(self, driver: Driver) -> None:
        text = repr(driver.client)
        assert KEY not in text
        assert "sk-...cdef" in text

    def test_context_manager_closes_the_pool(self) -> None:
        with VideoClient(api_key=KEY) as client:
            pass
        assert client._http.is_closed
        assert client._files.is_closed

    def test_given_http_client_is_left_open(self) -> None:
        http = httpx.Client()
        with VideoClient(api_key=KEY, http_client=http):
            pass
        assert not http.is_closed
        http.close()


class TestCreate:
    """Validation first; retried only when provably nothing was created."""

    def test_create_returns_the_task(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(method="POST", url=CREATE_URL, json=created_json())
        task = driver("create", "a cat on a skateboard", duration=8)
        assert (task.id, task.status, task.poll_url) == (
            "video_abc",
            TaskStatus.PENDING,
            "/v1/tasks/video_abc",
        )
        sent = json.loads(httpx_mock.get_request().content)  # type: ignore[union-attr]
        assert sent == {
            "model": "sora-2",
            "prompt": "a cat on a skateboard",
            "operation": "text-to-video",
            "duration": 8,
        }

    @pytest.mark.parametrize(
        ("kwargs", "error"),
        [
            ({"fps": 500}, InvalidFieldError),
            ({"prompt": ""}, InvalidFieldError),
        ],
    )
    def test_invalid_input_sends_nothing(
        self, driver: Driver, httpx_mock: HTTPXMock, kwargs: dict[str, object], error: type[Exception]
    ) -> None:
        fields = dict(kwargs)
        prompt = fields.pop("prompt", "a cat")
        with pytest.raises(error):
            driver("create", prompt, **fields)
        assert httpx_mock.get_requests() == []

    def test_an_unknown_model_asks_only_the_live_catalog(self, flavour: str, httpx_mock: HTTPXMock) -> None:
        """The snapshot refuses, so the catalog is asked once; it does not list the model: no create."""
        httpx_mock.add_response(url=f"{BASE}/v1/models?category=video", json={"object": "list", "data": []})
        drv = Driver(flavour)
        with pytest.raises(UnknownModelError):
            drv("create", "a cat", model="sora-3")
        assert [r.url.path for r in httpx_mock.get_requests()] == ["/v1/models"]
        drv.close()

    def test_an_unknown_model_sends_nothing_with_live_checks_off(
        self, flavour: str, httpx_mock: HTTPXMock
    ) -> None:
        """catalog_ttl=0: the snapshot alone decides, and no request at all is made."""
        drv = Driver(flavour, catalog_ttl=0)
        with pytest.raises(UnknownModelError) as info:
            drv("create", "a cat", model="sora-3")
        assert "live catalog" not in str(info.value)
        assert httpx_mock.get_requests() == []
        drv.close()

    @pytest.mark.parametrize("value", [b"bytes", {1, 2}, object(), float("nan")])
    def test_a_field_json_cannot_carry_sends_nothing(
        self, driver: Driver, httpx_mock: HTTPXMock, value: object
    ) -> None:
        with pytest.raises(InvalidFieldError, match=r"^x_custom must be a JSON value"):
            driver("create", "a cat", x_custom=value)
        assert httpx_mock.get_requests() == []

    def test_unknown_model_allowed_by_the_client_option(self, flavour: str, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(method="POST", url=CREATE_URL, json=created_json())
        drv = Driver(flavour, allow_unknown_models=True)
        assert drv("create", "a cat", model="brand-new-model").id == "video_abc"
        drv.close()

    def test_not_retried_after_500(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        """A 500 may hide a created task: exactly one request, TaskMayExistError with the fingerprint."""
        httpx_mock.add_response(
            method="POST", url=CREATE_URL, status_code=500, json={"error": {"message": "boom"}}
        )
        with pytest.raises(TaskMayExistError) as info:
            driver("create", "a cat")
        fingerprint = _fingerprint({"model": "sora-2", "prompt": "a cat", "operation": "text-to-video"})
        assert len(httpx_mock.get_requests()) == 1
        assert info.value.fingerprint == fingerprint
        assert str(info.value) == (
            "the create request was sent but its outcome is unknown (500: boom); a task may exist and be "
            f"billed. It was not resent. Request fingerprint: {fingerprint}"
        )
        assert isinstance(info.value.__cause__, ServerError)

    @pytest.mark.parametrize(
        "outcome",
        [
            httpx.ReadTimeout("slow"),
            httpx.RemoteProtocolError("dropped"),
            httpx.ReadError("reset"),
            httpx.Response(200, text="<html>ok</html>"),
            httpx.Response(200, json={"status": "pending"}),
            httpx.Response(502, text="<html>Bad gateway</html>"),
            httpx.Response(520, content=b""),
        ],
        ids=["read-timeout", "protocol", "read", "html-200", "no-id-200", "502-html", "520-empty"],
    )
    def test_outcome_unknown_is_task_may_exist(
        self, driver: Driver, httpx_mock: HTTPXMock, outcome: httpx.Response | Exception
    ) -> None:
        if isinstance(outcome, Exception):
            httpx_mock.add_exception(outcome, method="POST", url=CREATE_URL)
        else:
            httpx_mock.add_response(
                method="POST", url=CREATE_URL, status_code=outcome.status_code, content=outcome.content
            )
        with pytest.raises(TaskMayExistError, match="It was not resent") as info:
            driver("create", "a cat")
        assert len(httpx_mock.get_requests()) == 1
        assert isinstance(info.value.__cause__, APIConnectionError | ServerError | UnexpectedResponseError)
        assert driver.sleeps == []

    def test_garbled_success_names_the_cause(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(method="POST", url=CREATE_URL, text="not json")
        with pytest.raises(TaskMayExistError) as info:
            driver("create", "a cat")
        assert isinstance(info.value.__cause__, UnexpectedResponseError)

    @pytest.mark.parametrize("retry_after", ["3", "date"])
    def test_retried_after_429_honouring_retry_after(
        self, driver: Driver, httpx_mock: HTTPXMock, retry_after: str, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(time, "time", lambda: 1_700_000_000.0)
        header = retry_after if retry_after != "date" else email.utils.formatdate(1_700_000_003, usegmt=True)
        httpx_mock.add_response(
            method="POST", url=CREATE_URL, status_code=429, headers={"Retry-After": header}
        )
        httpx_mock.add_response(method="POST", url=CREATE_URL, json=created_json())
        assert driver("create", "a cat").id == "video_abc"
        assert len(httpx_mock.get_requests()) == 2
        assert driver.sleeps == [3.0]

    @pytest.mark.parametrize(
        "error",
        [httpx.ConnectError("refused"), httpx.ConnectTimeout("no answer"), httpx.PoolTimeout("pool full")],
    )
    def test_retried_after_a_connect_failure(
        self, driver: Driver, httpx_mock: HTTPXMock, error: Exception
    ) -> None:
        httpx_mock.add_exception(error, method="POST", url=CREATE_URL)
        httpx_mock.add_response(method="POST", url=CREATE_URL, json=created_json())
        assert driver("create", "a cat").id == "video_abc"
        assert len(httpx_mock.get_requests()) == 2
        assert len(driver.sleeps) == 1

    def test_connect_failures_exhausting_retries_are_connection_errors(
        self, driver: Driver, httpx_mock: HTTPXMock
    ) -> None:
        """Never connected: nothing was created, so no TaskMayExistError."""
        driver.client.max_retries = 2
        for _ in range(3):
            httpx_mock.add_exception(httpx.ConnectError("refused"), method="POST", url=CREATE_URL)
        with pytest.raises(APIConnectionError):
            driver("create", "a cat")
        assert len(httpx_mock.get_requests()) == 3

    def test_a_pool_that_stays_full_is_a_timeout_not_a_task_that_may_exist(
        self, driver: Driver, httpx_mock: HTTPXMock
    ) -> None:
        """Many concurrent calls: no connection became free, so the create never left the client."""
        driver.client.max_retries = 1
        for _ in range(2):
            httpx_mock.add_exception(httpx.PoolTimeout("pool full"), method="POST", url=CREATE_URL)
        with pytest.raises(APITimeoutError) as caught:
            driver("create", "a cat")
        assert str(caught.value) == f"POST {CREATE_URL} timed out (PoolTimeout)"
        assert not isinstance(caught.value, TaskMayExistError)
        assert len(httpx_mock.get_requests()) == 2

    def test_4xx_is_the_mapped_error(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        body = {"error": {"message": "bad", "type": "invalid_request_error", "code": "x", "param": "prompt"}}
        httpx_mock.add_response(method="POST", url=CREATE_URL, status_code=400, json=body)
        with pytest.raises(BadRequestError, match="bad"):
            driver("create", "a cat")
        assert len(httpx_mock.get_requests()) == 1


class TestGetAndCancel:
    """Where a poll goes, and retries of GET and DELETE."""

    def test_bare_id(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json(progress=40))
        task = driver("get", "video_abc")
        assert (task.status, task.progress) == (TaskStatus.PROCESSING, 40.0)

    @pytest.mark.parametrize(
        ("poll_url", "requested"),
        [
            ("/v1/tasks/video_abc?region=eu", f"{BASE}/v1/tasks/video_abc?region=eu"),
            (f"{BASE}/v1/tasks/video_abc?token=1", f"{BASE}/v1/tasks/video_abc?token=1"),
            ("/v2/jobs/video_abc", f"{BASE}/v2/jobs/video_abc"),
            ("https://API.lemondata.cc:443/v1/tasks/other_id", f"{BASE}/v1/tasks/other_id"),
            ("/v1/videos/generations/video_abc", f"{BASE}/v1/videos/generations/video_abc"),
        ],
    )
    def test_same_origin_poll_url_is_followed_exactly(
        self, driver: Driver, httpx_mock: HTTPXMock, poll_url: str, requested: str
    ) -> None:
        httpx_mock.add_response(url=requested, json={"task_id": "video_abc", "status": "processing"})
        task = Task.from_payload({"id": "video_abc", "status": "pending", "poll_url": poll_url})
        assert driver("get", task).id == "video_abc"
        request = httpx_mock.get_request()
        assert str(request.url) == requested  # type: ignore[union-attr]
        assert request.headers["Authorization"] == f"Bearer {KEY}"  # type: ignore[union-attr]

    @pytest.mark.parametrize(
        "poll_url", ["https://evil.example/v1/tasks/video_abc", "http://api.lemondata.cc/v1/tasks/video_abc"]
    )
    def test_foreign_origin_is_not_followed(
        self, driver: Driver, httpx_mock: HTTPXMock, caplog: pytest.LogCaptureFixture, poll_url: str
    ) -> None:
        """The key never goes to another origin: the canonical path is polled, with one warning per task."""
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json(), is_reusable=True)
        task = Task.from_payload({"id": "video_abc", "status": "pending", "poll_url": poll_url})
        with caplog.at_level(logging.WARNING, logger="lemondata_video"):
            driver("get", task)
            driver("get", task)
        assert {str(r.url) for r in httpx_mock.get_requests()} == {task_url("video_abc")}
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
        assert len(warnings) == 1
        assert "is not on the API's origin" in warnings[0].getMessage()

    def test_get_retries_transient_errors_honouring_retry_after(
        self, driver: Driver, httpx_mock: HTTPXMock
    ) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), status_code=503, headers={"Retry-After": "2"})
        httpx_mock.add_exception(httpx.ReadTimeout("slow"), url=task_url("video_abc"))
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json())
        assert driver("get", "video_abc").status is TaskStatus.PROCESSING
        assert driver.sleeps[0] == 2.0
        assert len(driver.sleeps) == 2

    def test_get_gives_up_after_max_retries(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        driver.client.max_retries = 1
        httpx_mock.add_response(url=task_url("video_abc"), status_code=502, is_reusable=True)
        with pytest.raises(ServerError):
            driver("get", "video_abc")
        assert len(httpx_mock.get_requests()) == 2

    def test_get_does_not_retry_404(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(
            url=task_url("video_abc"),
            status_code=404,
            json={"error": {"code": "async_task_not_found", "message": "no"}},
        )
        with pytest.raises(NotFoundError):
            driver("get", "video_abc")
        assert driver.sleeps == []

    def test_empty_id_is_refused(self, driver: Driver) -> None:
        with pytest.raises(InvalidFieldError, match="a task or a non-empty task id is needed"):
            driver("get", "")

    def test_cancel_sends_delete(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        body = task_json(
            status="failed", cancelled=True, cancellation_status="cancelled", error="cancelled by user"
        )
        httpx_mock.add_response(method="DELETE", url=task_url("video_abc"), json=body)
        task = driver("cancel", "video_abc")
        assert task.cancelled
        assert httpx_mock.get_request().method == "DELETE"  # type: ignore[union-attr]


class TestWait:
    """Polling until done, on simulated time."""

    def test_returns_the_completed_task_and_reports_changes(
        self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock
    ) -> None:
        for body in (task_json(progress=10), task_json(progress=10), task_json(progress=60)):
            httpx_mock.add_response(url=task_url("video_abc"), json=body)
        httpx_mock.add_response(
            url=task_url("video_abc"), json=task_json(status="completed", video_url=FILE_URL)
        )
        seen: list[tuple[str, float | None]] = []
        task = driver.wait("video_abc", clock, on_update=lambda t: seen.append((t.raw_status, t.progress)))
        assert task.video_url == FILE_URL
        assert seen == [("processing", 10.0), ("processing", 60.0), ("completed", None)]

    def test_a_completed_task_returns_without_polling(self, driver: Driver, clock: FakeClock) -> None:
        done = Task.from_payload(task_json(status="completed", video_url=FILE_URL))
        assert driver.wait(done, clock) is done
        assert clock.sleeps == []

    def test_a_bare_id_is_polled_at_once(
        self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock
    ) -> None:
        """Resuming a wait by id: a task that finished long ago is known after one poll, not 25 s."""
        httpx_mock.add_response(
            url=task_url("video_abc"), json=task_json(status="completed", video_url=FILE_URL)
        )
        assert driver.wait("video_abc", clock).status is TaskStatus.COMPLETED
        assert clock.sleeps == [0.0]

    def test_a_fresh_task_is_first_polled_on_the_schedule(
        self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock
    ) -> None:
        """A Task just created is not polled at once: no model finishes in under 20 s."""
        httpx_mock.add_response(
            url=task_url("video_abc"), json=task_json(status="completed", video_url=FILE_URL)
        )
        driver.wait(Task.from_payload(created_json()), clock)
        assert len(clock.sleeps) == 1
        assert clock.sleeps[0] >= 20.0

    def test_unknown_status_keeps_waiting(
        self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock
    ) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json(status="queued_upstream"))
        httpx_mock.add_response(
            url=task_url("video_abc"), json=task_json(status="completed", video_url=FILE_URL)
        )
        assert driver.wait("video_abc", clock).status is TaskStatus.COMPLETED

    def test_failed(self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock) -> None:
        httpx_mock.add_response(
            url=task_url("video_abc"), json=task_json(status="failed", error="content policy")
        )
        with pytest.raises(TaskFailedError) as info:
            driver.wait("video_abc", clock)
        assert type(info.value) is TaskFailedError
        assert str(info.value) == "task video_abc failed: content policy"
        assert info.value.task.error == "content policy"

    def test_cancelled(self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock) -> None:
        body = task_json(status="failed", cancelled=True, error="cancelled by user")
        httpx_mock.add_response(url=task_url("video_abc"), json=body)
        with pytest.raises(TaskCancelledError) as info:
            driver.wait("video_abc", clock)
        assert str(info.value) == "task video_abc was cancelled: cancelled by user"

    def test_timeout_carries_the_last_task_and_never_oversleeps(
        self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock
    ) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json(progress=5), is_reusable=True)
        with pytest.raises(WaitTimeoutError) as info:
            driver.wait("video_abc", clock, timeout=3600)
        assert clock.now == pytest.approx(3600)
        assert sum(clock.sleeps) <= 3600
        assert info.value.task.progress == 5.0
        assert str(info.value) == (
            "task video_abc is still processing, 5% after waiting 3600 s; it keeps running on the service. "
            "Resume with client.wait('video_abc') or check it with client.get('video_abc')"
        )

    def test_timeout_before_any_answer_still_names_the_task(
        self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock
    ) -> None:
        httpx_mock.add_exception(httpx.ConnectError("down"), url=task_url("video_abc"), is_reusable=True)
        with pytest.raises(WaitTimeoutError, match=r"client.wait\('video_abc'\)") as info:
            driver.wait("video_abc", clock, timeout=120)
        assert info.value.task.id == "video_abc"
        assert clock.now <= 120

    def test_transient_errors_do_not_end_the_wait(
        self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock
    ) -> None:
        url = task_url("video_abc")
        httpx_mock.add_exception(httpx.ConnectError("refused"), url=url)
        httpx_mock.add_exception(httpx.ReadTimeout("slow"), url=url)
        httpx_mock.add_response(url=url, status_code=429, headers={"Retry-After": "45"})
        httpx_mock.add_response(url=url, status_code=502, text="<html>bad gateway</html>")
        httpx_mock.add_response(url=url, status_code=520)
        httpx_mock.add_response(url=url, text="garbled")
        httpx_mock.add_response(url=url, json=task_json(status="completed", video_url=FILE_URL))
        assert driver.wait("video_abc", clock).status is TaskStatus.COMPLETED
        assert 45.0 in clock.sleeps
        assert driver.sleeps == []  # the wait's own sleep does the waiting

    @pytest.mark.parametrize(("status", "error"), [(404, NotFoundError), (401, AuthenticationError)])
    def test_fatal_errors_end_the_wait(
        self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock, status: int, error: type[Exception]
    ) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json())
        httpx_mock.add_response(
            url=task_url("video_abc"), status_code=status, json={"error": {"message": "no"}}
        )
        with pytest.raises(error):
            driver.wait("video_abc", clock)

    def test_follows_the_latest_poll_url(
        self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock
    ) -> None:
        httpx_mock.add_response(
            url=task_url("video_abc"), json=task_json(poll_url="/v1/tasks/video_abc?shard=2")
        )
        httpx_mock.add_response(
            url=f"{BASE}/v1/tasks/video_abc?shard=2", json=task_json(status="completed", video_url=FILE_URL)
        )
        assert driver.wait("video_abc", clock).done

    def test_one_debug_line_per_poll(
        self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock, caplog: pytest.LogCaptureFixture
    ) -> None:
        for _ in range(3):
            httpx_mock.add_response(url=task_url("video_abc"), json=task_json(progress=20))
        httpx_mock.add_response(
            url=task_url("video_abc"), json=task_json(status="completed", video_url=FILE_URL)
        )
        with caplog.at_level(logging.DEBUG, logger="lemondata_video"):
            driver.wait("video_abc", clock)
        lines = [r.getMessage() for r in caplog.records if r.name == "lemondata_video"]
        assert len(lines) == 3
        assert lines[0].startswith("task video_abc: status processing, progress 20.0, next poll in ")

    def test_generate_is_create_then_wait(self, flavour: str, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(method="POST", url=CREATE_URL, json=created_json())
        httpx_mock.add_response(
            url=task_url("video_abc"), json=task_json(status="completed", video_url=FILE_URL)
        )
        drv = Driver(flavour)
        # generate() waits with the real clock; give its wait simulated time instead.
        drv.client.wait = _with_fake_time(drv.client.wait, FakeClock(), is_async=flavour == "async")
        assert drv("generate", "a cat").video_url == FILE_URL
        drv.close()


def _with_fake_time(wait, fake: FakeClock, *, is_async: bool):  # type: ignore[no-untyped-def]
    def patched(task, **kwargs):  # type: ignore[no-untyped-def]
        return wait(task, clock=fake, sleep=fake.asleep if is_async else fake.sleep, **kwargs)

    return patched


class TestSecrets:
    """The key never shows up in repr, logs or messages."""

    def test_key_absent_from_logs_and_errors(
        self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock, caplog: pytest.LogCaptureFixture
    ) -> None:
        httpx_mock.add_response(method="POST", url=CREATE_URL, status_code=500, text=f"echo Bearer {KEY}")
        httpx_mock.add_response(url=task_url("video_abc"), status_code=503, text=KEY)
        httpx_mock.add_response(
            url=task_url("video_abc"), status_code=401, json={"error": {"message": f"bad {KEY}"}}
        )
        errors: list[BaseException] = []
        with caplog.at_level(logging.DEBUG):
            with pytest.raises(TaskMayExistError) as created:
                driver("create", "a cat")
            errors += [created.value, created.value.__cause__]  # type: ignore[list-item]
            with pytest.raises(AuthenticationError) as waited:
                driver.wait("video_abc", clock)
            errors.append(waited.value)
        texts = [str(e) for e in errors] + [repr(e) for e in errors] + [repr(driver.client)]
        texts += [r.getMessage() for r in caplog.records]
        assert texts
        assert not [t for t in texts if KEY in t]


class TestDownload:
    """Downloads go to the file host without the key."""

    def test_download_completed_task(self, driver: Driver, httpx_mock: HTTPXMock, tmp_path: Path) -> None:
        httpx_mock.add_response(url=FILE_URL, content=b"mp4 bytes")
        task = Task.from_payload(task_json(status="completed", video_url=FILE_URL))
        path = driver("download", task, tmp_path)
        assert path == tmp_path / "video_abc.mp4"
        assert path.read_bytes() == b"mp4 bytes"
        assert "Authorization" not in httpx_mock.get_request().headers  # type: ignore[union-attr]

    def test_download_fetches_the_task_first(
        self, driver: Driver, httpx_mock: HTTPXMock, tmp_path: Path
    ) -> None:
        httpx_mock.add_response(
            url=task_url("video_abc"), json=task_json(status="completed", video_url=FILE_URL)
        )
        httpx_mock.add_response(url=FILE_URL, content=b"mp4 bytes")
        assert driver("download", "video_abc", tmp_path / "out.mp4").read_bytes() == b"mp4 bytes"

    def test_download_all(self, driver: Driver, httpx_mock: HTTPXMock, tmp_path: Path) -> None:
        second = "https://files.example.com/out/two.mp4"
        videos = [{"url": FILE_URL}, {"url": second}]
        httpx_mock.add_response(url=FILE_URL, content=b"one")
        httpx_mock.add_response(url=second, content=b"two")
        task = Task.from_payload(task_json(status="completed", videos=videos))
        paths = driver("download_all", task, tmp_path)
        assert [p.name for p in paths] == ["video_abc.mp4", "video_abc-2.mp4"]
        assert [p.read_bytes() for p in paths] == [b"one", b"two"]

    def test_unfinished_task_cannot_be_downloaded(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json(progress=30))
        with pytest.raises(LemonDataError) as info:
            driver("download", "video_abc")
        assert str(info.value) == (
            "task video_abc has no video to download: it is processing. "
            "Wait for it with client.wait('video_abc')"
        )


def test_models_come_from_the_local_matrix(driver: Driver, httpx_mock: HTTPXMock) -> None:
    models = driver("models", operation="image-to-video")
    assert models
    assert all("image-to-video" in m.operations for m in models)
    assert httpx_mock.get_requests() == []


def test_negative_max_retries_is_refused() -> None:
    with pytest.raises(ValueError, match="max_retries must be 0 or more, not -1"):
        VideoClient(api_key=KEY, max_retries=-1)


class TestGivenHttpClient:
    """A caller's httpx.Client sends the requests but is never changed, so it can be shared."""

    def test_it_is_left_as_it_was_given(self) -> None:
        with httpx.Client(base_url="https://other.example", headers={"X-Team": "a"}) as http:
            VideoClient(api_key=KEY, http_client=http)
            assert http.base_url == httpx.URL("https://other.example")
            assert http.auth is None
            assert http.event_hooks == {"request": [], "response": []}
            assert "Authorization" not in http.headers

    def test_two_clients_sharing_it_each_send_their_own_key(self, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json(), is_reusable=True)
        with httpx.Client() as http:
            first = VideoClient(api_key=KEY, http_client=http)
            second = VideoClient(api_key="sk-second-account-key-0000", http_client=http)
            first.get("video_abc")
            second.get("video_abc")
            first.get("video_abc")
        keys = [request.headers["Authorization"] for request in httpx_mock.get_requests()]
        assert keys == [f"Bearer {KEY}", "Bearer sk-second-account-key-0000", f"Bearer {KEY}"]

    def test_its_headers_hooks_and_timeout_apply(self, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json())
        seen: list[tuple[str, str]] = []
        hooks = {"response": [lambda r: seen.append((r.request.method, str(r.request.url)))]}
        with httpx.Client(headers={"X-Team": "a"}, event_hooks=hooks, timeout=7.0) as http:
            VideoClient(api_key=KEY, http_client=http).get("video_abc")
        request = httpx_mock.get_request()
        assert request is not None
        assert request.headers["X-Team"] == "a"
        assert request.headers["User-Agent"].startswith("lemondata-video/")
        assert request.extensions["timeout"]["read"] == 7.0
        assert seen == [("GET", task_url("video_abc"))]

    def test_its_own_user_agent_is_kept(self, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json())
        with httpx.Client(headers={"User-Agent": "acme-app/2"}) as http:
            VideoClient(api_key=KEY, http_client=http).get("video_abc")
        request = httpx_mock.get_request()
        assert request is not None
        assert request.headers["User-Agent"] == "acme-app/2"


def test_own_client_sends_our_user_agent(httpx_mock: HTTPXMock) -> None:
    httpx_mock.add_response(url=task_url("video_abc"), json=task_json())
    with VideoClient(api_key=KEY) as client:
        client.get("video_abc")
    request = httpx_mock.get_request()
    assert request is not None
    assert request.headers["User-Agent"] == "lemondata-video/0.1.0"
