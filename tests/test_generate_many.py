"""generate_many on both clients against the emulator: each request ends as one result, each task reported.

The emulator runs on a ManualClock that the waits' sleeps move forward, so a task finishes after
a poll or two and 200 of them take a few seconds; the clients' retry sleeps are recorded, not slept.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import FakeClock
from lemondata_video import (
    AsyncVideoClient,
    CapabilityError,
    GenerateResult,
    RequestValidationError,
    ServerError,
    TaskCallbackError,
    TaskFailedError,
    TaskMayExistError,
    UnknownModelError,
    VideoClient,
)
from lemondata_video.emulator import Emulator, Faults, ManualClock
from lemondata_video.emulator._faults import CREATE_ROUTE, RATE_LIMIT_STORM

POLL_ROUTE = "GET /v1/tasks/{task_id}"
# Transient failures on every route a generate_many sends to: 429 storms on creates (the one
# failure a create is resent after), 5xx, dropped connections and garbled answers on polls.
FAULTS = (
    Faults(rate_limit_storm=0.05, storm_length=2, routes={CREATE_ROUTE}, seed=1),
    Faults(
        server_error=0.04, unavailable=0.04, timeout=0.03, drop_before=0.05, malformed_json=0.03,
        routes={POLL_ROUTE}, seed=2,
    ),
)  # fmt: skip
LOGGER = "lemondata_video"
# Creates that take half a second of real time to answer, so a test can interrupt them on the wire.
SLOW_CREATES = Faults(latency=1.0, latency_seconds=0.5, routes={CREATE_ROUTE})
POLL_STATS_SECONDS = 0.005


def requests(count: int) -> list[dict[str, Any]]:
    return [{"prompt": f"a cat, take {index}", "model": "sora-2", "duration": 4} for index in range(count)]


def creates_sent(emu: Emulator, count: int) -> None:
    """Return once the emulator has received `count` creates."""
    while emu.stats.requests[CREATE_ROUTE] < count:
        time.sleep(POLL_STATS_SECONDS)


class CountingBudget:
    """A request budget that lets every request go at once and counts them."""

    def __init__(self) -> None:
        self.count = 0
        self._lock = threading.Lock()

    def acquire(self) -> None:
        with self._lock:
            self.count += 1

    async def aacquire(self) -> None:
        self.acquire()


class Many:
    """Runs generate_many on one client flavour against `emu`, the waits moving the emulator's clock."""

    def __init__(self, flavour: str, emu: Emulator, **client_options: Any) -> None:
        self.flavour, self.emu = flavour, emu
        self.options = {"api_key": emu.api_key, "base_url": emu.base_url, "max_retries": 8, **client_options}
        self.retry_clock = FakeClock()
        assert isinstance(emu.clock, ManualClock)
        self.clock = emu.clock

    def sync_client(self) -> VideoClient:
        client = VideoClient(**self.options)
        client._sleep = self.retry_clock.sleep
        return client

    def async_client(self) -> AsyncVideoClient:
        client = AsyncVideoClient(**self.options)
        client._sleep = self.retry_clock.asleep
        return client

    def sleep(self, seconds: float) -> None:
        self.clock.advance(seconds)

    async def asleep(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def run(
        self,
        items: Any,
        *,
        each: Callable[[GenerateResult, int], None] | None = None,
        stop_after: int | None = None,
        **options: Any,
    ) -> list[GenerateResult]:
        """The results of generate_many(items) in the order they came (leaving after `stop_after`)."""
        got: list[GenerateResult] = []

        def take(result: GenerateResult) -> bool:
            got.append(result)
            if each is not None:
                each(result, len(got))
            return len(got) == stop_after

        if self.flavour == "sync":
            with self.sync_client() as client:
                for result in client.generate_many(items, sleep=self.sleep, **options):
                    if take(result):
                        break
            return got

        async def main() -> None:
            async with self.async_client() as client:
                results = client.generate_many(items, sleep=self.asleep, **options)
                async with contextlib.aclosing(results):
                    async for result in results:
                        if take(result):
                            break

        asyncio.run(main())
        return got


@pytest.fixture
def emu(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """The emulator on a ManualClock; `parametrize("emu", [{...}], indirect=True)` adds options."""
    options: dict[str, Any] = getattr(request, "param", {})
    with Emulator(clock=ManualClock(), rate_limit=1_000_000, **options) as emulator:
        yield emulator


@pytest.fixture
def many(flavour: str, emu: Emulator) -> Many:
    return Many(flavour, emu)


def uncollected_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The ids of the tasks an interrupted run logged as created and not handed over."""
    records = [r for r in caplog.records if r.name == LOGGER and hasattr(r, "uncollected")]
    assert len(records) <= 1
    return [task.id for record in records for task in record.uncollected]


def noted(ids: list[str]) -> str:
    """What the note on an interrupted run's exception says of these uncollected tasks."""
    return f"{len(ids)} created task(s) not yet collected: {', '.join(ids)}"


class TestManyRequests:
    """200 requests through injected faults: each ends as exactly one result, each task once."""

    @pytest.mark.parametrize("emu", [{"faults": FAULTS}], indirect=True)
    def test_200_requests_complete_through_faults_each_task_collected_once(
        self, flavour: str, emu: Emulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        budget = CountingBudget()
        created: list[tuple[int, str]] = []
        results = Many(flavour, emu, rate_limit=budget).run(
            iter(requests(200)), on_created=lambda index, task: created.append((index, task.id))
        )

        assert [r.error for r in results if not r.ok] == []
        assert sorted(r.index for r in results) == list(range(200))
        ids = [r.task.id for r in results if r.task is not None]
        assert len(ids) == len(set(ids)) == 200
        assert set(ids) == set(emu.ctx.store.ids())
        assert sorted(created) == sorted((r.index, r.task.id) for r in results if r.task is not None)
        assert all(r.request["prompt"] == f"a cat, take {r.index}" for r in results)
        assert emu.stats.tasks_created == 200
        # A create is sent again only after a 429 (the only create fault): no duplicates.
        assert emu.stats.requests[CREATE_ROUTE] == 200 + emu.stats.faults[RATE_LIMIT_STORM]
        assert emu.stats.faults[RATE_LIMIT_STORM] > 0
        assert {"server_error", "drop_before", "malformed_json"} <= set(emu.stats.faults)
        # Every request, create, poll, retry and catalog fetch, waited its turn in the client's budget.
        assert budget.count == sum(emu.stats.requests.values())
        assert uncollected_logged(caplog) == []  # a run that ends whole leaves nothing to report

    def test_requests_are_read_only_as_slots_free_up(
        self, many: Many, emu: Emulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        pulled = 0
        in_flight: list[int] = []

        def endless() -> Iterator[dict[str, Any]]:
            nonlocal pulled
            for index in itertools.count():
                pulled += 1
                yield {"prompt": f"take {index}", "duration": 4}

        def each(result: GenerateResult, seen: int) -> None:
            in_flight.append(pulled - seen)

        with caplog.at_level(logging.WARNING, logger=LOGGER):
            results = many.run(endless(), concurrency=4, each=each, stop_after=30)

        assert len(results) == 30
        assert max(in_flight) <= 4
        assert pulled <= 30 + 4
        # Leaving the loop early stops the rest; the tasks it had created are logged, none lost.
        left = uncollected_logged(caplog)
        yielded = [r.task.id for r in results if r.task is not None]
        assert sorted(yielded + left) == sorted(emu.ctx.store.ids())


class TestInvalidRequests:
    """A request that cannot be sent becomes its own error result; the others go on."""

    def test_each_invalid_request_is_an_error_result_and_nothing_of_it_is_sent(
        self, many: Many, emu: Emulator
    ) -> None:
        items: list[Any] = [
            {"prompt": "fine", "duration": 4},
            {"prompt": "x", "model": "no-such-model"},
            {"prompt": "x", "model": "hailuo-2.3-fast"},
            5,
            {1: "x"},
            {"prompt": "x", "timeout": "soon"},
            {"prompt": "also fine", "duration": 4},
        ]
        results = {r.index: r for r in many.run(items)}

        assert sorted(results) == list(range(7))
        assert sorted(i for i, r in results.items() if r.ok) == [0, 6]
        assert all(results[i].task is None for i in range(1, 6))
        assert type(results[1].error) is UnknownModelError
        assert str(results[1].error) == (
            "unknown model 'no-such-model'. The service's live catalog does not list it; "
            "client.models(live=True) lists what it offers. Pass allow_unknown_model=True to send it anyway."
        )
        assert type(results[2].error) is CapabilityError
        assert str(results[2].error).startswith(
            "model 'hailuo-2.3-fast' cannot do text-to-video (inferred from the inputs); "
            "it does image-to-video."
        )
        assert type(results[3].error) is RequestValidationError
        assert str(results[3].error) == (
            "request 3 is of type int, not a mapping of generate's keyword arguments "
            '(for example {"prompt": "...", "model": "sora-2"})'
        )
        assert type(results[4].error) is RequestValidationError
        assert (
            str(results[4].error)
            == "request 4 has keys that are not strings: [1]; use generate's keyword names"
        )
        assert type(results[5].error) is RequestValidationError
        assert str(results[5].error) == (
            "request 5 has timeout='soon'; give the wait's deadline in seconds, as a number"
        )
        assert emu.stats.requests[CREATE_ROUTE] == emu.stats.tasks_created == 2

    @pytest.mark.parametrize("bad", [0, -1, 2.5, True])
    def test_a_bad_concurrency_is_refused_at_the_call(self, many: Many, bad: object) -> None:
        client: Any = many.sync_client() if many.flavour == "sync" else many.async_client()
        with pytest.raises(ValueError) as info:
            client.generate_many([], concurrency=bad)
        closed = client.close() if many.flavour == "sync" else asyncio.run(client.aclose())
        assert closed is None
        assert type(info.value) is ValueError
        assert str(info.value) == f"concurrency must be a whole number of requests, 1 or more, not {bad!r}"
        assert many.emu.stats.requests == {}


class TestFailedTasks:
    """A task that ends without a video, or a create whose answer is lost, is one error result."""

    @pytest.mark.parametrize("emu", [{"failure_rate": 0.4, "seed": 3}], indirect=True)
    def test_a_failed_task_is_an_error_result_carrying_the_task(self, many: Many, emu: Emulator) -> None:
        results = many.run(requests(20))

        failures = [r for r in results if not r.ok]
        assert failures
        assert all(type(r.error) is TaskFailedError for r in failures)
        assert all(r.task is not None and r.task.id in str(r.error) for r in failures)
        assert {r.task.id for r in results if r.task is not None} == set(emu.ctx.store.ids())

    @pytest.mark.parametrize(
        "emu", [{"faults": Faults(drop_after_create=0.25, routes={CREATE_ROUTE}, seed=4)}], indirect=True
    )
    def test_a_create_whose_answer_was_lost_is_an_error_result_and_never_resent(
        self, many: Many, emu: Emulator
    ) -> None:
        results = many.run(requests(40))

        lost = [r for r in results if not r.ok]
        assert lost
        assert all(type(r.error) is TaskMayExistError and r.task is None for r in lost)
        assert emu.stats.requests[CREATE_ROUTE] == emu.stats.tasks_created == 40
        got = {r.task.id for r in results if r.task is not None}
        assert len(got) == 40 - len(lost)
        assert got < set(emu.ctx.store.ids())

    @pytest.mark.parametrize(
        "emu", [{"faults": Faults(server_error=0.3, routes={CREATE_ROUTE}, seed=5)}], indirect=True
    )
    def test_a_create_answered_with_a_5xx_is_an_error_result_and_never_resent(
        self, many: Many, emu: Emulator
    ) -> None:
        results = many.run(requests(30))

        refused = [r for r in results if not r.ok]
        assert refused
        # A 5xx may come after the service made the task: the SDK cannot tell, so it says so.
        assert all(type(r.error) is TaskMayExistError and r.task is None for r in refused)
        assert all(type(r.error.__cause__) is ServerError for r in refused)
        assert emu.stats.requests[CREATE_ROUTE] == 30
        assert emu.stats.tasks_created == 30 - len(refused) == len(emu.ctx.store.ids())


class TestInterrupts:
    """Ctrl-C or cancellation halfway: the run stops and every task it created is reported."""

    def assert_every_task_reported(
        self, emu: Emulator, got: list[GenerateResult], hooked: list[str], left: list[str]
    ) -> None:
        created = emu.ctx.store.ids()
        assert sorted(hooked) == sorted(created)
        yielded = [r.task.id for r in got if r.task is not None]
        assert sorted(yielded + left) == sorted(created)
        assert len(created) > len(yielded)
        assert len(created) < 120

    def test_cancelling_the_consuming_task_reports_every_created_task(
        self, emu: Emulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        many = Many("async", emu)
        got: list[GenerateResult] = []
        hooked: list[str] = []

        async def main() -> None:
            halfway = asyncio.Event()

            async def consume(client: AsyncVideoClient) -> None:
                results = client.generate_many(
                    requests(120), sleep=many.asleep, on_created=lambda _, task: hooked.append(task.id)
                )
                async for result in results:
                    got.append(result)
                    if len(got) == 60:
                        halfway.set()

            async with many.async_client() as client:
                consumer = asyncio.ensure_future(consume(client))
                await halfway.wait()
                consumer.cancel()
                with pytest.raises(asyncio.CancelledError) as info:
                    await consumer
            left = uncollected_logged(caplog)
            assert noted(left) in info.value.__notes__[0]

        with caplog.at_level(logging.WARNING, logger=LOGGER):
            asyncio.run(main())
        self.assert_every_task_reported(emu, got, hooked, uncollected_logged(caplog))

    def test_ctrl_c_under_asyncio_run_reports_every_created_task(
        self, emu: Emulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        """asyncio.run turns SIGINT into a cancellation of its main task, then raises KeyboardInterrupt."""
        many = Many("async", emu)
        got: list[GenerateResult] = []
        hooked: list[str] = []

        def on_created(index: int, task: Any) -> None:
            hooked.append(task.id)
            if len(hooked) == 60:
                signal.raise_signal(signal.SIGINT)

        async def main() -> None:
            async with many.async_client() as client:
                results = client.generate_many(requests(120), sleep=many.asleep, on_created=on_created)
                async for result in results:
                    got.append(result)

        with caplog.at_level(logging.WARNING, logger=LOGGER), pytest.raises(KeyboardInterrupt):
            asyncio.run(main())
        self.assert_every_task_reported(emu, got, hooked, uncollected_logged(caplog))

    def test_keyboard_interrupt_from_a_hook_reports_every_created_task(
        self, emu: Emulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        many = Many("sync", emu)
        got: list[GenerateResult] = []
        hooked: list[str] = []
        updates = itertools.count(1)

        def on_update(index: int, task: Any) -> None:
            if next(updates) == 60:
                raise KeyboardInterrupt

        with caplog.at_level(logging.WARNING, logger=LOGGER), many.sync_client() as client:
            results = client.generate_many(
                requests(120),
                sleep=many.sleep,
                on_created=lambda _, task: hooked.append(task.id),
                on_update=on_update,
            )
            with pytest.raises(KeyboardInterrupt) as info:
                for result in results:
                    got.append(result)
        left = uncollected_logged(caplog)
        assert noted(left) in info.value.__notes__[0]
        self.assert_every_task_reported(emu, got, hooked, left)

    def test_ctrl_c_in_the_main_thread_reports_every_created_task(
        self, emu: Emulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        many = Many("sync", emu)
        got: list[GenerateResult] = []
        hooked: list[str] = []
        lock = threading.Lock()
        main = threading.main_thread().ident
        assert main is not None

        def on_created(index: int, task: Any) -> None:
            with lock:
                hooked.append(task.id)
                if len(hooked) == 60:
                    signal.pthread_kill(main, signal.SIGINT)

        with (
            caplog.at_level(logging.WARNING, logger=LOGGER),
            many.sync_client() as client,
            pytest.raises(KeyboardInterrupt),
        ):
            for result in client.generate_many(requests(120), sleep=many.sleep, on_created=on_created):
                got.append(result)
        self.assert_every_task_reported(emu, got, hooked, uncollected_logged(caplog))

    def test_an_on_created_that_raises_is_that_requests_task_callback_error(
        self, many: Many, emu: Emulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        """As with generate: the task exists and is carried; the other requests go on."""
        hooked: list[str] = []

        def on_created(index: int, task: Any) -> None:
            hooked.append(task.id)
            if len(hooked) == 10:
                msg = "the ledger's disk is full"
                raise OSError(msg)

        results = many.run(requests(40), on_created=on_created)

        assert len(results) == 40
        [broken] = [r for r in results if not r.ok]
        assert type(broken.error) is TaskCallbackError
        assert broken.task is not None and broken.task.id == hooked[9]
        assert str(broken.error) == (
            f"on_created raised OSError: the ledger's disk is full; task {hooked[9]} was created and "
            f"keeps running on the service. Resume with client.wait({hooked[9]!r})"
        )
        assert type(broken.error.__cause__) is OSError
        assert sorted(hooked) == sorted(r.task.id for r in results if r.task is not None)
        assert sorted(hooked) == sorted(emu.ctx.store.ids())
        assert uncollected_logged(caplog) == []

    def test_an_on_update_that_raises_stops_the_run_and_reports_every_created_task(
        self, many: Many, emu: Emulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        hooked: list[str] = []
        updates = itertools.count(1)

        def on_update(index: int, task: Any) -> None:
            if next(updates) == 20:
                msg = "the progress board is down"
                raise ConnectionError(msg)

        with caplog.at_level(logging.WARNING, logger=LOGGER), pytest.raises(ConnectionError) as info:
            many.run(requests(40), on_created=lambda _, task: hooked.append(task.id), on_update=on_update)
        assert type(info.value) is ConnectionError
        assert str(info.value) == "the progress board is down"
        left = uncollected_logged(caplog)
        assert left
        assert noted(left) in info.value.__notes__[0]
        assert set(left) <= set(hooked) == set(emu.ctx.store.ids())
        assert len(hooked) < 40

    @pytest.mark.parametrize("emu", [{"faults": SLOW_CREATES}], indirect=True)
    def test_creates_on_the_wire_at_the_interrupt_are_answered_and_reported(
        self, flavour: str, emu: Emulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        """Interrupted while four creates wait for their (slow) answers: the four tasks are not lost."""
        many = Many(flavour, emu)
        got: list[GenerateResult] = []
        hooked: list[str] = []

        def on_created(index: int, task: Any) -> None:
            hooked.append(task.id)

        options: dict[str, Any] = {"concurrency": 4, "on_created": on_created}
        with caplog.at_level(logging.WARNING, logger=LOGGER):
            if flavour == "sync":
                main = threading.main_thread().ident
                assert main is not None
                threading.Thread(
                    target=lambda: (creates_sent(emu, 4), signal.pthread_kill(main, signal.SIGINT))
                ).start()
                with many.sync_client() as client, pytest.raises(KeyboardInterrupt):
                    for result in client.generate_many(requests(8), sleep=many.sleep, **options):
                        got.append(result)
            else:

                async def main_task() -> None:
                    async with many.async_client() as client:

                        async def consume() -> None:
                            async for result in client.generate_many(
                                requests(8), sleep=many.asleep, **options
                            ):
                                got.append(result)

                        consumer = asyncio.ensure_future(consume())
                        while emu.stats.requests[CREATE_ROUTE] < 4:
                            await asyncio.sleep(POLL_STATS_SECONDS)
                        consumer.cancel()
                        with pytest.raises(asyncio.CancelledError):
                            await consumer

                asyncio.run(main_task())
        assert got == []
        assert emu.stats.requests[CREATE_ROUTE] == 4
        assert sorted(hooked) == sorted(emu.ctx.store.ids()) == sorted(uncollected_logged(caplog))
        assert len(hooked) == 4
