"""Fuzzing with hypothesis: what users pass in and what servers send back.

1. Random create arguments: either the create is sent (exactly one request, a JSON
   body with the model and prompt) and a Task comes back, or RequestValidationError
   is raised and nothing was sent.
2. Random and mutated answers (status, JSON or bytes, headers) to create, get,
   cancel and wait: a Task or a LemonDataError, never any other exception.
Runs are derandomized so the test command is reproducible.
"""

from __future__ import annotations

import asyncio
import json
import math
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lemondata_api import model_matrix
from lemondata_video import AsyncVideoClient, _capabilities

from ._sdk import LemonDataError, RequestValidationError, Task, VideoClient

KEY = "sk-fuzz-0123456789abcdef"
BASE = "http://127.0.0.1:9"
CREATED = {"task_id": "video_fz1", "poll_url": "/v1/tasks/video_fz1", "status": "pending", "model": "sora-2"}
TASK = {
    "id": "video_fz1",
    "task_id": "video_fz1",
    "poll_url": "/v1/tasks/video_fz1",
    "status": "completed",
    "progress": 100,
    "model": "sora-2",
    "video_url": "https://files.example.com/video_fz1.mp4",
    "video": {"url": "https://files.example.com/video_fz1.mp4", "duration": 4, "width": 1280, "height": 720},
    "created": 1706000000,
    "updated": 1706000095,
}
FUZZ = settings(
    max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)

# --- what users pass -------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "https://example.com/a.png",
            "http://example.com/v.mp4",
            "data:image/png;base64,iVBORw0KGgo=",
            "data:image/png;base64,",
            "ftp://example.com/a.png",
            "16:9",
            "720p",
            "asset",
            "style",
            "",
        ]
    ),
    st.binary(max_size=8),
    st.builds(Path, st.sampled_from(["missing.png", "/etc/hostname", "a.txt", "/"])),
)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=5),
    st.tuples(scalars, scalars),
    st.dictionaries(st.text(max_size=5), scalars, max_size=3),
)
known_names = st.sampled_from(sorted(_capabilities.KNOWN_FIELDS - _capabilities.RESERVED_FIELDS))
other_names = st.one_of(
    st.sampled_from(["outputAudio", "duraton", "aspect-ratio", "imageurl", "mode", "style", "x_custom"]),
    st.text(min_size=1, max_size=12),
)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
)
# Known fields and fields the SDK passes through both get anything, JSON or not.
fields = st.builds(
    lambda known, other: {**other, **known},
    st.dictionaries(known_names, values, max_size=4),
    st.dictionaries(other_names, st.one_of(values, json_scalars), max_size=2),
)
models = st.one_of(
    st.sampled_from([m["id"] for m in model_matrix.MODELS]),
    st.sampled_from(["sora2", "veo-3", "", "SORA-2"]),
    st.text(max_size=12),
)
operations = st.one_of(st.none(), st.sampled_from(model_matrix.OPERATIONS), st.text(max_size=12))
prompts = st.one_of(st.text(max_size=40), st.sampled_from(["a cat", "  ", ""]), st.none(), st.integers())


def recording_client(handler: Any, sent: list[httpx.Request]) -> VideoClient:
    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        response: httpx.Response = handler(request)
        return response

    http = httpx.Client(transport=httpx.MockTransport(record))
    # catalog_ttl=0: the snapshot alone decides here (the live catalog has its own tests).
    return VideoClient(api_key=KEY, base_url=BASE, http_client=http, max_retries=1, catalog_ttl=0)


class TestCreateArguments:
    """Random create arguments: sent once and a Task back, or RequestValidationError and nothing sent."""

    @FUZZ
    @given(
        prompt=prompts,
        model=models,
        operation=operations,
        fields=fields,
        allow_unknown=st.booleans(),
    )
    def test_sent_or_rejected_before_sending(
        self, prompt: Any, model: str, operation: str | None, fields: dict[str, Any], allow_unknown: bool
    ) -> None:
        sent: list[httpx.Request] = []
        client = recording_client(lambda request: httpx.Response(200, json=CREATED), sent)
        with client:
            try:
                task = client.create(
                    prompt, model=model, operation=operation, allow_unknown_model=allow_unknown, **fields
                )
            except RequestValidationError as exc:
                assert sent == [], f"rejected after sending: {exc}"
                assert str(exc)
                return
        assert isinstance(task, Task) and task.id == "video_fz1"
        assert len(sent) == 1
        body = json.loads(sent[0].content)
        assert body["model"] == model and body["prompt"] == prompt
        assert body["operation"] in model_matrix.OPERATIONS


# --- what servers send -----------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.sampled_from([10**400, -(10**400)]),
        st.floats(allow_nan=False),
        st.text(max_size=20),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
TASK_KEYS = sorted({*TASK, *CREATED, "videos", "error", "cancelled", "cancellation_status", "created_at"})


@st.composite
def mutated_task(draw: st.DrawFn) -> object:
    """A real task or create payload with keys dropped, retyped or added."""
    body: dict[str, Any] = dict(draw(st.sampled_from([TASK, CREATED])))
    for key in draw(st.lists(st.sampled_from(TASK_KEYS), max_size=4)):
        action = draw(st.sampled_from(["drop", "retype", "keep"]))
        if action == "drop":
            body.pop(key, None)
        elif action == "retype":
            body[key] = draw(json_values)
    return body


@st.composite
def error_envelope(draw: st.DrawFn) -> object:
    fields = ["message", "type", "code", "param", "hint", "did_you_mean", "suggestions", "retry_after"]
    error = draw(st.dictionaries(st.sampled_from(fields), json_values, max_size=6))
    return draw(st.sampled_from([{"error": error}, {"error": draw(json_values)}, error]))


bodies = st.one_of(
    mutated_task().map(lambda b: json.dumps(b).encode()),
    error_envelope().map(lambda b: json.dumps(b).encode()),
    json_values.map(lambda b: json.dumps(b).encode()),
    st.binary(max_size=60),
    st.sampled_from([b"", b"<html><body>502 Bad Gateway</body></html>", b'{"id": "video_fz1"', b"null"]),
)
statuses = st.one_of(
    st.sampled_from([200, 201, 202, 204, 206, 301, 304, 400, 401, 402, 403, 404, 409, 413, 422, 429]),
    st.sampled_from([500, 502, 503, 504, 520, 599]),
    st.integers(min_value=200, max_value=599),
)
headers = st.dictionaries(
    st.sampled_from(["Retry-After", "Content-Type", "X-Request-Id", "X-RateLimit-Reset"]),
    st.one_of(
        st.sampled_from(["1", "0", "-1", "nan", "inf", "1e308", "Wed, 21 Oct 2015 07:28:00 GMT", "soon"]),
        st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20),
    ),
    max_size=3,
)
answers = st.lists(st.tuples(statuses, bodies, headers), min_size=1, max_size=4)


def replay(script: list[tuple[int, bytes, dict[str, str]]]) -> Any:
    """A handler answering with the scripted responses in turn, then the last one forever."""
    position = [0]

    def handler(request: httpx.Request) -> httpx.Response:
        status, body, extra = script[min(position[0], len(script) - 1)]
        position[0] += 1
        return httpx.Response(status, content=body, headers=extra)

    return handler


class TestServerAnswers:
    """Whatever the server answers, the caller gets a Task or a LemonDataError."""

    @FUZZ
    @given(script=answers, call=st.sampled_from(["create", "get", "cancel", "wait"]))
    def test_task_or_lemondata_error(
        self, script: list[tuple[int, bytes, dict[str, str]]], call: str
    ) -> None:
        sent: list[httpx.Request] = []
        now = [0.0]
        with recording_client(replay(script), sent) as client:
            assert callable(client._sleep)  # the retry loop's sleep, replaced so retries do not wait
            client._sleep = lambda seconds: None
            calls = {
                "create": lambda: client.create("a cat", model="sora-2"),
                "get": lambda: client.get("video_fz1"),
                "cancel": lambda: client.cancel("video_fz1"),
                "wait": lambda: client.wait(
                    "video_fz1",
                    timeout=120,
                    clock=lambda: now[0],
                    sleep=lambda s: now.__setitem__(0, now[0] + s),
                ),
            }
            try:
                result = calls[call]()
            except LemonDataError as exc:
                assert str(exc)
                assert KEY not in str(exc) and KEY not in repr(exc)
                return
        assert isinstance(result, Task)
        assert result.id
        assert math.isfinite(result.progress) if result.progress is not None else True

    @settings(FUZZ, max_examples=150)
    @given(script=answers, call=st.sampled_from(["create", "get", "cancel", "wait"]))
    def test_async_client_task_or_lemondata_error(
        self, script: list[tuple[int, bytes, dict[str, str]]], call: str
    ) -> None:
        """The same property for AsyncVideoClient (its own retry loop, the shared error mapping)."""
        handler = replay(script)

        async def nap(seconds: float) -> None:
            now[0] += seconds

        async def run() -> object:
            http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
            async with AsyncVideoClient(
                api_key=KEY, base_url=BASE, http_client=http, max_retries=1
            ) as client:
                assert callable(client._sleep)
                client._sleep = nap
                calls = {
                    "create": lambda: client.create("a cat", model="sora-2"),
                    "get": lambda: client.get("video_fz1"),
                    "cancel": lambda: client.cancel("video_fz1"),
                    "wait": lambda: client.wait("video_fz1", timeout=120, clock=lambda: now[0], sleep=nap),
                }
                try:
                    return await calls[call]()
                except LemonDataError as exc:
                    assert str(exc) and KEY not in str(exc) + repr(exc)
                    return exc
                finally:
                    await http.aclose()

        now = [0.0]
        result = asyncio.run(run())
        assert isinstance(result, Task | LemonDataError)
        if isinstance(result, Task):
            assert result.id
