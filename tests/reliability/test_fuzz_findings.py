"""What the fuzzing found, pinned as plain examples: each answer gives a Task or a LemonDataError."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from ._sdk import InvalidFieldError, LemonDataError, Task, UnexpectedResponseError, VideoClient

KEY = "sk-findings-0123456789"
HUGE = 10**400  # valid JSON, beyond any float


def client_answering(body: bytes, status: int = 200, sent: list[httpx.Request] | None = None) -> VideoClient:
    def handler(request: httpx.Request) -> httpx.Response:
        if sent is not None:
            sent.append(request)
        return httpx.Response(status, content=body)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    return VideoClient(api_key=KEY, base_url="http://127.0.0.1:9", http_client=http, max_retries=0)


def encoded(payload: Any) -> bytes:
    return json.dumps(payload).encode()


class TestNumbersOutOfRange:
    """Numbers no float holds (or NaN, infinities) are dropped from the Task, not raised as OverflowError."""

    @pytest.mark.parametrize(
        "payload",
        [
            {"id": "v1", "status": "processing", "progress": HUGE},
            {"id": "v1", "status": "processing", "created": HUGE, "updated": -HUGE},
            {"id": "v1", "status": "completed", "video": {"url": "https://f.example/v.mp4", "width": HUGE}},
        ],
    )
    def test_a_huge_integer_reads_as_unknown(self, payload: dict[str, Any]) -> None:
        with client_answering(encoded(payload)) as client:
            task = client.get("v1")
        assert isinstance(task, Task)
        assert task.progress is None and task.created is None and task.updated is None
        assert all(v.width is None for v in task.videos)

    @pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity", b"1e999"])
    def test_non_finite_progress_reads_as_unknown(self, literal: bytes) -> None:
        body = b'{"id": "v1", "status": "processing", "progress": ' + literal + b"}"
        with client_answering(body) as client:
            assert client.get("v1").progress is None

    def test_from_payload_directly(self) -> None:
        task = Task.from_payload({"id": "v1", "status": "pending", "progress": HUGE, "created": float("nan")})
        assert (task.progress, task.created) == (None, None)


class TestFoundInTheClient:
    """Found by the fuzzing while the client was being written; fixed by its author."""

    def test_deeply_nested_json_is_an_unexpected_response(self) -> None:
        with (
            client_answering(b"[" * 100_000 + b"]" * 100_000) as client,
            pytest.raises(UnexpectedResponseError),
        ):
            client.get("v1")

    @pytest.mark.parametrize("value", [[1], {"seconds": 1}])
    def test_a_non_scalar_retry_after_in_the_envelope_is_ignored(self, value: object) -> None:
        body = encoded({"error": {"message": "slow down", "type": "rate_limit_error", "retry_after": value}})
        with client_answering(body, 429) as client, pytest.raises(LemonDataError) as caught:
            client.get("v1")
        assert caught.value.retry_after is None  # type: ignore[attr-defined]

    @pytest.mark.parametrize("value", [HUGE, -HUGE], ids=["huge", "minus-huge"])
    def test_a_retry_after_no_float_holds_is_ignored(self, value: int) -> None:
        body = encoded({"error": {"message": "slow down", "type": "rate_limit_error", "retry_after": value}})
        with client_answering(body, 429) as client, pytest.raises(LemonDataError) as caught:
            client.get("v1")
        assert caught.value.retry_after is None  # type: ignore[attr-defined]

    @pytest.mark.parametrize("value", [b"bytes", {1, 2}, object()])
    def test_a_pass_through_field_that_is_not_json_is_rejected_before_sending(self, value: object) -> None:
        sent: list[httpx.Request] = []
        with client_answering(b"{}", sent=sent) as client, pytest.raises(InvalidFieldError, match="x_custom"):
            client.create("a cat", model="sora-2", x_custom=value)
        assert sent == []
