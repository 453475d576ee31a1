"""What production code needs around a task, on both clients against the emulator.

`generate(on_created=...)` hands over the task id before the first poll; `Task.to_dict()` and
`Task.from_dict()` carry a task to another process; `TaskFailedError` exposes the error
object's `code`, `message` and `retryable`; `wait(cancel_on_timeout=True)` cancels at the
deadline where the model can be cancelled and says how that went.

Each client waits with a simulated clock whose sleeps also move the emulator's ManualClock,
so tasks advance exactly as far as the wait has slept; request counts are the emulator's.
"""

from __future__ import annotations

import asyncio
import functools
import json
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import Driver, FakeClock, task_json, task_url
from lemondata_video import (
    AsyncVideoClient,
    ConflictError,
    Task,
    TaskCallbackError,
    TaskFailedError,
    TaskStatus,
    VideoClient,
    WaitTimeoutError,
)
from lemondata_video.emulator import Emulator, Faults, ManualClock
from pytest_httpx import HTTPXMock

POLL = "GET /v1/tasks/{task_id}"
CANCEL = "DELETE /v1/tasks/{task_id}"
CREATE = "POST /v1/videos/generations"
QUICK = "veo3.1-fast"  # queued 1 s, runs 5 s: done at the first poll
QUEUED = "seedance-1.5-pro"  # cancellable, queued for hours: cancelling works
RUNNING = "seedance-2.0"  # cancellable, but running at the first poll: the cancel is refused
SLOW = "sora-2"  # not cancellable, runs for hours
HOURS = 10_000.0
TEXT_ERROR = "The provider failed to generate the video (emulated failure)."
ERROR_OBJECT = {
    "code": "content_policy_violation",
    "message": "The provider rejected the prompt.",
    "retryable": False,
    "provider": "acme",
}


class Flavour:
    """One client, sync or async (one event loop for its life), waiting on a simulated clock."""

    def __init__(self, name: str, emu: Emulator) -> None:
        self.name, self.emu, self.now = name, emu, 0.0
        kwargs = {"api_key": emu.api_key, "base_url": emu.base_url, "max_retries": 0}
        if name == "sync":
            self.client: Any = VideoClient(**kwargs)
        else:
            self.loop = asyncio.new_event_loop()
            self.client = self.loop.run_until_complete(self._make(kwargs))
        sleep = self.sleep if name == "sync" else self.asleep
        self.client.wait = functools.partial(self.client.wait, clock=lambda: self.now, sleep=sleep)

    @staticmethod
    async def _make(kwargs: dict[str, Any]) -> AsyncVideoClient:
        return AsyncVideoClient(**kwargs)

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        clock = self.emu.clock
        assert isinstance(clock, ManualClock)
        clock.advance(seconds)

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, method)(*args, **kwargs)
        return result if self.name == "sync" else self.loop.run_until_complete(result)

    def close(self) -> None:
        if self.name == "sync":
            self.client.close()
        else:
            self.loop.run_until_complete(self.client.aclose())
            self.loop.close()


def started(**options: Any) -> Iterator[Emulator]:
    with Emulator(clock=ManualClock(), **options) as emulator:
        yield emulator


@pytest.fixture(scope="module")
def emu() -> Iterator[Emulator]:
    yield from started(queue_seconds={QUEUED: HOURS}, task_seconds={RUNNING: HOURS, SLOW: HOURS})


@pytest.fixture(scope="module")
def failing() -> Iterator[Emulator]:
    """Every task fails with an error object."""
    yield from started(failure_rate=1.0, failure_error=ERROR_OBJECT)


@pytest.fixture(scope="module")
def failing_text() -> Iterator[Emulator]:
    """Every task fails with the emulator's plain-string error."""
    yield from started(failure_rate=1.0)


def flavours(request: pytest.FixtureRequest, emulator: Emulator) -> Iterator[Flavour]:
    emulator.stats.reset()
    emulator.set_faults()
    made = Flavour(request.param, emulator)
    yield made
    made.close()


@pytest.fixture(params=["sync", "async"])
def client(request: pytest.FixtureRequest, emu: Emulator) -> Iterator[Flavour]:
    yield from flavours(request, emu)


@pytest.fixture(params=["sync", "async"])
def on_failing(request: pytest.FixtureRequest, failing: Emulator) -> Iterator[Flavour]:
    yield from flavours(request, failing)


@pytest.fixture(params=["sync", "async"])
def on_failing_text(request: pytest.FixtureRequest, failing_text: Emulator) -> Iterator[Flavour]:
    yield from flavours(request, failing_text)


def through_json(task: Task) -> Task:
    """The task as another process reads it: to_dict, JSON text, from_dict."""
    return Task.from_dict(json.loads(json.dumps(task.to_dict())))


class TestOnCreated:
    """`generate(on_created=...)` hands the new task over before anything polls it."""

    def test_called_once_with_the_new_task_before_any_poll(self, client: Flavour, emu: Emulator) -> None:
        seen: list[tuple[Task, int, int]] = []

        def store(task: Task) -> None:
            seen.append((task, emu.stats.requests[POLL], emu.stats.tasks_created))

        done = client("generate", "a lemon", model=QUICK, on_created=store)
        assert done.status is TaskStatus.COMPLETED
        [(created, polls_before, tasks_before)] = seen
        assert (created.id, created.status, created.model) == (done.id, TaskStatus.PENDING, QUICK)
        assert (polls_before, tasks_before) == (0, 1)
        assert emu.stats.requests[POLL] >= 1

    def test_a_raising_callback_keeps_the_task_id(self, client: Flavour, emu: Emulator) -> None:
        def store(task: Task) -> None:
            raise RuntimeError("the database is down")

        with pytest.raises(TaskCallbackError) as info:
            client("generate", "a lemon", model=QUICK, on_created=store)
        task = info.value.task
        assert str(info.value) == (
            f"on_created raised RuntimeError: the database is down; task {task.id} was created and "
            f"keeps running on the service. Resume with client.wait({task.id!r})"
        )
        assert isinstance(info.value.__cause__, RuntimeError)
        assert (emu.stats.tasks_created, emu.stats.requests[POLL]) == (1, 0)
        assert emu.ctx.store.get(task.id) is not None
        assert client("wait", task).status is TaskStatus.COMPLETED


class TestRoundTrip:
    """to_dict/from_dict keep every field and the raw payload, through JSON text."""

    def test_created_running_and_completed(self, client: Flavour, emu: Emulator) -> None:
        created = client("create", "a lemon", model=QUICK)
        client.sleep(2)
        running = client("get", created.id)
        client.sleep(10)
        completed = client("get", created.id)
        assert [t.status for t in (created, running, completed)] == [
            TaskStatus.PENDING,
            TaskStatus.PROCESSING,
            TaskStatus.COMPLETED,
        ]
        for task in (created, running, completed):
            copy = through_json(task)
            assert copy == task
            assert (copy.raw, copy.videos, copy.progress) == (task.raw, task.videos, task.progress)
        assert completed.videos and through_json(completed).video_url == completed.video_url
        assert through_json(running).raw["progress"] == running.raw["progress"]

    def test_failed_with_an_error_object(self, on_failing: Flavour) -> None:
        with pytest.raises(TaskFailedError) as info:
            on_failing("generate", "a lemon", model=QUICK)
        task = info.value.task
        copy = through_json(task)
        assert copy == task
        assert (copy.raw_error, copy.error, copy.error_code) == (
            ERROR_OBJECT,
            ERROR_OBJECT["message"],
            ERROR_OBJECT["code"],
        )
        assert copy.raw["error"] == ERROR_OBJECT

    def test_the_dict_is_json_with_a_format_and_version(self, client: Flavour) -> None:
        data = client("create", "a lemon", model=QUICK).to_dict()
        assert json.loads(json.dumps(data)) == data
        assert (data["format"], data["version"]) == ("lemondata_video.Task", 1)

    def test_a_fresh_client_waits_on_a_task_from_the_dict(self, client: Flavour, emu: Emulator) -> None:
        """The second "process": a new client, given only the JSON text the first one wrote."""
        text = json.dumps(client("create", "a lemon", model=QUICK).to_dict())
        second = Flavour(client.name, emu)
        try:
            done = second("wait", Task.from_dict(json.loads(text)))
        finally:
            second.close()
        assert (done.id, done.status) == (json.loads(text)["id"], TaskStatus.COMPLETED)
        assert emu.stats.tasks_created == 1


class TestFailures:
    """TaskFailedError reads code, message and retryable from an error object; a string is the message."""

    def test_an_error_object(self, on_failing: Flavour) -> None:
        with pytest.raises(TaskFailedError) as info:
            on_failing("generate", "a lemon", model=QUICK)
        error, task = info.value, info.value.task
        assert type(error) is TaskFailedError
        assert str(error) == (
            f"task {task.id} failed: The provider rejected the prompt. "
            "(code content_policy_violation, not retryable)"
        )
        assert (error.code, error.message, error.retryable) == (
            "content_policy_violation",
            "The provider rejected the prompt.",
            False,
        )
        assert error.raw_error == ERROR_OBJECT
        assert (task.error, task.error_code, task.error_retryable) == (
            "The provider rejected the prompt.",
            "content_policy_violation",
            False,
        )

    def test_a_string_error(self, on_failing_text: Flavour) -> None:
        with pytest.raises(TaskFailedError) as info:
            on_failing_text("generate", "a lemon", model=QUICK)
        error, task = info.value, info.value.task
        assert str(error) == f"task {task.id} failed: {TEXT_ERROR}"
        assert (error.code, error.message, error.retryable, error.raw_error) == (
            None,
            TEXT_ERROR,
            None,
            TEXT_ERROR,
        )
        assert (task.error, task.error_code, task.error_retryable) == (TEXT_ERROR, None, None)


class TestCancelOnTimeout:
    """At the deadline the task is cancelled where the model allows it; the error says what happened."""

    def test_a_queued_cancellable_task_is_cancelled(self, client: Flavour, emu: Emulator) -> None:
        with pytest.raises(WaitTimeoutError) as info:
            client("generate", "a lemon", model=QUEUED, timeout=60, cancel_on_timeout=True)
        error, task = info.value, info.value.task
        assert (
            str(error)
            == f"task {task.id} is still pending, 0% after waiting 60 s; cancel_on_timeout cancelled it"
        )
        assert error.cancelled is True
        assert (task.cancelled, task.status) == (True, TaskStatus.FAILED)
        assert emu.stats.requests[CANCEL] == 1
        assert emu.ctx.store.get(task.id).cancelled_at is not None  # type: ignore[union-attr]

    def test_a_running_task_the_service_refuses_to_cancel(self, client: Flavour, emu: Emulator) -> None:
        created = client("create", "a lemon", model=RUNNING)
        with pytest.raises(WaitTimeoutError) as info:
            client("wait", created, timeout=60, cancel_on_timeout=True)
        error = info.value
        assert str(error) == (
            f"task {created.id} is still processing, {error.task.progress:g}% after waiting 60 s; the cancel "
            "failed (409 task_not_cancellable: Task is already processing and can no longer be cancelled.); "
            f"it keeps running on the service. Resume with client.wait({created.id!r}) "
            f"or check it with client.get({created.id!r})"
        )
        assert error.cancelled is False
        assert isinstance(error.__cause__, ConflictError)
        assert error.task.status is TaskStatus.PROCESSING
        assert emu.stats.requests[CANCEL] == 1

    def test_a_model_that_cannot_be_cancelled_is_not_asked(self, client: Flavour, emu: Emulator) -> None:
        with pytest.raises(WaitTimeoutError) as info:
            client("generate", "a lemon", model=SLOW, timeout=60, cancel_on_timeout=True)
        error, ident = info.value, info.value.task.id
        assert str(error) == (
            f"task {ident} is still processing, {error.task.progress:g}% after waiting 60 s; not cancelled: "
            "model 'sora-2' cannot be cancelled (only seedance-1.5-pro, seedance-2.0, seedance-2.0-fast "
            f"can); it keeps running on the service. Resume with client.wait({ident!r}) "
            f"or check it with client.get({ident!r})"
        )
        assert error.cancelled is False
        assert error.__cause__ is None
        assert emu.stats.requests[CANCEL] == 0

    def test_a_task_that_names_no_model_gets_a_cancel_try(self, client: Flavour, emu: Emulator) -> None:
        ident = client("create", "a lemon", model=QUEUED).id
        emu.set_faults(Faults(server_error=1.0, routes=[POLL]))  # no poll ever says the model
        bare = Task.from_payload({"id": ident, "status": "pending"})
        with pytest.raises(WaitTimeoutError) as info:
            client("wait", bare, timeout=60, cancel_on_timeout=True)
        assert (
            str(info.value)
            == f"task {ident} is still pending after waiting 60 s; cancel_on_timeout cancelled it"
        )
        assert (info.value.cancelled, info.value.task.cancelled) == (True, True)
        assert emu.stats.requests[CANCEL] == 1

    def test_without_the_option_nothing_is_cancelled(self, client: Flavour, emu: Emulator) -> None:
        with pytest.raises(WaitTimeoutError) as info:
            client("generate", "a lemon", model=QUEUED, timeout=60)
        ident = info.value.task.id
        assert str(info.value) == (
            f"task {ident} is still pending, 0% after waiting 60 s; it keeps running on the service. "
            f"Resume with client.wait({ident!r}) or check it with client.get({ident!r})"
        )
        assert info.value.cancelled is None
        assert emu.stats.requests[CANCEL] == 0


class TestCancelAnsweredWithoutCancelling:
    """A cancel answer that does not say cancelled (no emulator does this; a mocked service)."""

    def test_the_message_gives_the_answered_status(
        self, driver: Driver, httpx_mock: HTTPXMock, clock: FakeClock
    ) -> None:
        pending = task_json(status="pending", model=QUEUED)
        httpx_mock.add_response(method="GET", url=task_url("video_abc"), json=pending, is_reusable=True)
        httpx_mock.add_response(method="DELETE", url=task_url("video_abc"), json=pending)
        with pytest.raises(WaitTimeoutError) as info:
            driver.wait("video_abc", clock, timeout=60, cancel_on_timeout=True)
        assert str(info.value) == (
            "task video_abc is still pending after waiting 60 s; the cancel was answered with status "
            "pending, not cancelled; it keeps running on the service. Resume with client.wait('video_abc') "
            "or check it with client.get('video_abc')"
        )
        assert (info.value.cancelled, info.value.task.raw_status) == (False, "pending")


class TestFromDictErrors:
    """A dict that Task.to_dict did not make is refused with a ValueError naming the bad key."""

    @staticmethod
    def good() -> dict[str, Any]:
        return Task.from_payload({"id": "video_1", "status": "processing", "progress": 40}).to_dict()

    @pytest.mark.parametrize(
        ("change", "message"),
        [
            (
                {"format": None},
                "'format' must be 'lemondata_video.Task' (a dict made by Task.to_dict), got NoneType None",
            ),
            ({"version": 2}, "'version' must be 1, the version this SDK reads, got int 2"),
            ({"version": True}, "'version' must be 1, the version this SDK reads, got bool True"),
            (
                {"status": "done"},
                "'status' must be one of 'pending', 'processing', 'completed', 'failed', 'unknown', "
                "got str 'done'",
            ),
            ({"id": 7}, "'id' must be a string, got int 7"),
            ({"model": ["sora-2"]}, "'model' must be a string or None, got list ['sora-2']"),
            ({"progress": "40"}, "'progress' must be a finite number or None, got str '40'"),
            ({"progress": float("nan")}, "'progress' must be a finite number or None, got float nan"),
            ({"created": 1.5}, "'created' must be an integer or None, got float 1.5"),
            ({"cancelled": "no"}, "'cancelled' must be true or false, got str 'no'"),
            (
                {"videos": [{"duration": 5}]},
                "'videos[0]' must be an object with a string 'url', got dict {'duration': 5}",
            ),
            (
                {"videos": [{"url": "u", "width": "wide"}]},
                "'videos[0].width' must be an integer or None, got str 'wide'",
            ),
            ({"videos": "none"}, "'videos' must be a list, got str 'none'"),
            ({"raw": []}, "'raw' must be an object (the task's payload), got list []"),
        ],
    )
    def test_a_bad_value(self, change: dict[str, Any], message: str) -> None:
        with pytest.raises(ValueError) as info:
            Task.from_dict({**self.good(), **change})
        assert type(info.value) is ValueError
        assert str(info.value) == f"Task.from_dict: {message}"

    def test_a_missing_key(self) -> None:
        data = self.good()
        del data["raw_status"]
        with pytest.raises(ValueError) as info:
            Task.from_dict(data)
        assert (
            str(info.value)
            == "Task.from_dict: the dict has no 'raw_status'; pass a dict made by Task.to_dict"
        )

    def test_not_a_dict(self) -> None:
        with pytest.raises(ValueError) as info:
            Task.from_dict("video_1")  # type: ignore[arg-type]
        assert str(info.value) == "Task.from_dict: pass the dict Task.to_dict made, got str 'video_1'"
