"""The error envelope as the docs show it: `retryable` honoured, sparse bodies parsed, extra fields kept.

The docs' examples often omit `param`, sometimes `code` or `type`; only `message` is reliable.
A body that says `retryable: false` is sent once, whatever the status and the request.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from conftest import CREATE_URL, KEY, Driver, FakeClock, task_json, task_url
from lemondata_video import (
    APIError,
    BadRequestError,
    NotFoundError,
    RateLimitError,
    ServerError,
    TaskMayExistError,
)
from lemondata_video._error_map import api_error
from lemondata_video._retry import should_retry
from pytest_httpx import HTTPXMock

NO_CHANNEL = {
    "error": {
        "message": "No available channel for model sora-2",
        "type": "server_error",
        "code": "all_channels_failed",
        "retryable": False,
    }
}
NOT_FOUND = {
    "error": {
        "message": "Task not found or no longer available.",
        "type": "invalid_request_error",
        "code": "async_task_not_found",
    }
}


def _response(status: int, *, json: object) -> httpx.Response:
    return httpx.Response(status, json=json, request=httpx.Request("GET", task_url("video_abc")))


def _body(envelope: dict[str, Any]) -> bytes:
    return json.dumps(envelope).encode()


def _not_retryable(message: str, code: str) -> dict[str, Any]:
    return {"error": {"message": message, "code": code, "retryable": False}}


class TestNeverResent:
    """`retryable: false` stops every retry, for GET, DELETE and create alike (max_retries=3)."""

    @pytest.mark.parametrize("status", [503, 500, 502, 504, 429])
    def test_get_is_sent_once(self, driver: Driver, httpx_mock: HTTPXMock, status: int) -> None:
        driver.client.max_retries = 3
        httpx_mock.add_response(
            url=task_url("video_abc"), status_code=status, content=_body(_not_retryable("stop", "x"))
        )
        with pytest.raises(RateLimitError if status == 429 else ServerError) as info:
            driver("get", "video_abc")
        assert len(httpx_mock.get_requests()) == 1
        assert driver.sleeps == []
        assert info.value.retryable is False
        assert str(info.value) == f"{status} x: stop"

    def test_the_documented_503_is_sent_once(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        driver.client.max_retries = 3
        httpx_mock.add_response(url=task_url("video_abc"), status_code=503, content=_body(NO_CHANNEL))
        with pytest.raises(ServerError) as info:
            driver("get", "video_abc")
        assert len(httpx_mock.get_requests()) == 1
        assert str(info.value) == "503 all_channels_failed: No available channel for model sora-2"
        assert (info.value.type, info.value.code, info.value.param) == (
            "server_error", "all_channels_failed", None,
        )  # fmt: skip

    def test_cancel_is_sent_once(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        driver.client.max_retries = 3
        httpx_mock.add_response(
            method="DELETE", url=task_url("video_abc"), status_code=503, content=_body(NO_CHANNEL)
        )
        with pytest.raises(ServerError, match=r"^503 all_channels_failed: No available channel"):
            driver("cancel", "video_abc")
        assert len(httpx_mock.get_requests()) == 1

    def test_create_after_429_is_sent_once(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        """A 429 create is normally resent (nothing was created); not when the body forbids it."""
        driver.client.max_retries = 3
        body = _not_retryable("quota of this key exhausted", "quota_exceeded")
        httpx_mock.add_response(method="POST", url=CREATE_URL, status_code=429, content=_body(body))
        with pytest.raises(RateLimitError) as info:
            driver("create", "a cat")
        assert len(httpx_mock.get_requests()) == 1
        assert str(info.value) == "429 quota_exceeded: quota of this key exhausted"
        assert info.value.retryable is False

    def test_create_after_503_is_sent_once(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        driver.client.max_retries = 3
        httpx_mock.add_response(method="POST", url=CREATE_URL, status_code=503, content=_body(NO_CHANNEL))
        with pytest.raises(TaskMayExistError, match="It was not resent") as info:
            driver("create", "a cat")
        assert len(httpx_mock.get_requests()) == 1
        assert isinstance(info.value.__cause__, ServerError)
        assert info.value.__cause__.retryable is False

    def test_a_wait_stops_at_a_poll_that_must_not_be_resent(
        self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock
    ) -> None:
        """A wait outlives a plain 503 (other tests); one that says `retryable: false` ends it."""
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json())
        httpx_mock.add_response(url=task_url("video_abc"), status_code=503, content=_body(NO_CHANNEL))
        with pytest.raises(ServerError, match=r"^503 all_channels_failed: No available channel"):
            driver.wait("video_abc", clock)
        assert len(httpx_mock.get_requests()) == 2

    def test_without_the_flag_a_503_is_retried(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        """The control: the same 503 without `retryable: false` is sent 1 + max_retries times."""
        driver.client.max_retries = 3
        body = {"error": {"message": "busy", "code": "all_channels_failed"}}
        httpx_mock.add_response(
            url=task_url("video_abc"), status_code=503, content=_body(body), is_reusable=True
        )
        with pytest.raises(ServerError) as info:
            driver("get", "video_abc")
        assert len(httpx_mock.get_requests()) == 4
        assert info.value.retryable is None


class TestRetryableTrue:
    """`retryable: true` widens nothing that is unsafe: creates and 4xx stay as they were."""

    def test_an_unlisted_5xx_get_is_retried(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        driver.client.max_retries = 1
        body = {"error": {"message": "try again", "retryable": True}}
        httpx_mock.add_response(url=task_url("video_abc"), status_code=520, content=_body(body))
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json())
        assert driver("get", "video_abc").id == "video_abc"
        assert len(httpx_mock.get_requests()) == 2

    def test_a_4xx_is_not_retried(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        driver.client.max_retries = 3
        body = {"error": {"message": "bad", "code": "invalid_request", "retryable": True}}
        httpx_mock.add_response(url=task_url("video_abc"), status_code=400, content=_body(body))
        with pytest.raises(BadRequestError, match=r"^400 invalid_request: bad$"):
            driver("get", "video_abc")
        assert len(httpx_mock.get_requests()) == 1

    def test_a_create_that_may_have_run_is_not_resent(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        driver.client.max_retries = 3
        body = {"error": {"message": "upstream hiccup", "retryable": True}}
        httpx_mock.add_response(method="POST", url=CREATE_URL, status_code=500, content=_body(body))
        with pytest.raises(TaskMayExistError):
            driver("create", "a cat")
        assert len(httpx_mock.get_requests()) == 1

    @pytest.mark.parametrize("status", [501, 520])
    def test_the_rule(self, status: int) -> None:
        flagged = ServerError("x", status_code=status, retryable=True)
        assert should_retry(flagged, idempotent=True)
        assert not should_retry(flagged, idempotent=False)
        assert not should_retry(ServerError("x", status_code=status), idempotent=True)
        assert not should_retry(NotFoundError("x", status_code=404, retryable=True), idempotent=True)


class TestSparseBodies:
    """Bodies as the docs show them: no `param`, sometimes no `code` or `type`, even no `message`."""

    def test_the_documented_404(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), status_code=404, content=_body(NOT_FOUND))
        with pytest.raises(NotFoundError) as info:
            driver("get", "video_abc")
        error = info.value
        assert str(error) == "404 async_task_not_found: Task not found or no longer available."
        assert (error.type, error.code, error.param, error.retryable) == (
            "invalid_request_error", "async_task_not_found", None, None,
        )  # fmt: skip

    @pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 409, 413, 429, 500, 502, 503, 504])
    def test_only_a_message(self, driver: Driver, httpx_mock: HTTPXMock, status: int) -> None:
        driver.client.max_retries = 0
        httpx_mock.add_response(
            url=task_url("video_abc"), status_code=status, content=b'{"error": {"message": "nope"}}'
        )
        with pytest.raises(APIError) as info:
            driver("get", "video_abc")
        error = info.value
        assert (error.status_code, error.message, str(error)) == (status, "nope", f"{status}: nope")
        assert (error.type, error.code, error.param, error.hint, error.did_you_mean) == (None,) * 5
        assert (error.retryable, error.upstream, error.alternatives, error.validation_errors) == (
            None, None, (), (),
        )  # fmt: skip

    def test_no_message(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        content = b'{"error": {"code": "all_channels_failed", "retryable": false}}'
        httpx_mock.add_response(url=task_url("video_abc"), status_code=503, content=content)
        with pytest.raises(ServerError) as info:
            driver("get", "video_abc")
        assert info.value.message == f"HTTP 503 Service Unavailable; body: {content.decode()!r}"
        assert (info.value.code, info.value.retryable) == ("all_channels_failed", False)
        assert len(httpx_mock.get_requests()) == 1


class TestEnvelopeFields:
    """`alternatives`, `upstream` and the top-level `validation_errors`, redacted like the rest."""

    def test_alternatives_and_upstream(self) -> None:
        alternatives = [{"id": "veo3.1", "status": "available", "tags": ["video"]}, "junk"]
        envelope = {
            "error": {
                "message": "upstream failed",
                "type": "upstream_error",
                "code": "upstream_error",
                "alternatives": alternatives,
                "upstream": {"provider": "google", "status": 503},
            }
        }
        error = api_error(_response(502, json=envelope), secret=KEY)
        assert error.alternatives == ({"id": "veo3.1", "status": "available", "tags": ["video"]},)
        assert error.upstream == {"provider": "google", "status": 503}

    def test_validation_errors_beside_the_envelope(self) -> None:
        issues = [
            {"field": "duration", "message": "must be at most 20", "code": "too_big"},
            {"field": "api_key", "message": f"do not send {KEY} here", "code": "x"},
            7,
        ]
        envelope = {"error": {"message": "invalid request"}, "validation_errors": issues}
        error = api_error(_response(400, json=envelope), secret=KEY)
        assert error.validation_errors == (
            {"field": "duration", "message": "must be at most 20", "code": "too_big"},
            {"field": "api_key", "message": "do not send *** here", "code": "x"},
        )
        assert KEY not in repr(error.validation_errors)

    @pytest.mark.parametrize("value", ["false", 0, None, [], {}])
    def test_retryable_is_read_only_as_a_boolean(self, value: object) -> None:
        envelope = {"error": {"message": "busy", "retryable": value}}
        error = api_error(_response(503, json=envelope), secret=KEY)
        assert error.retryable is None
        assert should_retry(error, idempotent=True)

    def test_validation_errors_without_an_error_object(self) -> None:
        envelope = {"validation_errors": [{"field": "prompt", "message": "required"}]}
        error = api_error(_response(400, json=envelope), secret=KEY)
        assert error.validation_errors == ({"field": "prompt", "message": "required"},)
        assert error.body is None
