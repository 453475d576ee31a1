"""The request budget: even spacing, bursts, arrival order, thread and event-loop use, bad input."""

from __future__ import annotations

import asyncio
import threading

import pytest
from conftest import CREATE_URL, KEY, Driver, created_json, task_json, task_url
from lemondata_video import AsyncVideoClient, VideoClient
from lemondata_video._ratelimit import RequestBudget
from pytest_httpx import HTTPXMock


class FakeTime:
    """A clock that only sleeps move; records every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


def budget(per_minute: float, fake: FakeTime, **kwargs: int) -> RequestBudget:
    return RequestBudget(per_minute, clock=fake.clock, sleep=fake.sleep, asleep=fake.asleep, **kwargs)


class TestReserve:
    """Booking slots: one every 60 / per_minute seconds."""

    def test_first_request_goes_at_once(self) -> None:
        fake = FakeTime()
        assert budget(60, fake).reserve() == 0.0

    def test_back_to_back_requests_are_spaced_evenly(self) -> None:
        fake = FakeTime()
        limiter = budget(120, fake)
        assert [limiter.reserve() for _ in range(4)] == [0.0, 0.5, 1.0, 1.5]
        assert limiter.reserved == 4

    def test_a_quiet_spell_does_not_bank_requests_by_default(self) -> None:
        fake = FakeTime()
        limiter = budget(60, fake)
        limiter.reserve()
        fake.now += 600
        assert [limiter.reserve() for _ in range(3)] == [0.0, 1.0, 2.0]

    def test_burst_lets_that_many_go_at_once_after_a_pause(self) -> None:
        fake = FakeTime()
        limiter = budget(60, fake, burst=3)
        assert [limiter.reserve() for _ in range(5)] == [0.0, 0.0, 0.0, 1.0, 2.0]

    def test_time_passing_pays_back_the_schedule(self) -> None:
        fake = FakeTime()
        limiter = budget(60, fake)
        limiter.reserve()
        limiter.reserve()
        fake.now += 1.25
        assert limiter.reserve() == pytest.approx(0.75)

    def test_never_more_than_per_minute_in_any_minute(self) -> None:
        fake = FakeTime()
        limiter = budget(1000, fake, burst=1)
        sent = [fake.now + limiter.reserve() for _ in range(5000)]
        for start in range(len(sent) - 1000):
            assert sent[start + 1000] - sent[start] >= 60.0 - 1e-6


class TestAcquire:
    """Waiting for a slot with the injected sync or async sleep."""

    def test_sync_acquire_sleeps_until_the_slot(self) -> None:
        fake = FakeTime()
        limiter = budget(30, fake)
        for _ in range(3):
            limiter.acquire()
        assert fake.sleeps == [2.0, 2.0]
        assert fake.now == 1004.0

    def test_async_acquire_sleeps_until_the_slot(self) -> None:
        fake = FakeTime()
        limiter = budget(30, fake)

        async def main() -> None:
            for _ in range(3):
                await limiter.aacquire()

        asyncio.run(main())
        assert fake.sleeps == [2.0, 2.0]

    def test_concurrent_coroutines_are_served_in_arrival_order(self) -> None:
        limiter = RequestBudget(60 * 50)  # one every 20 ms of real time: wider than a loaded machine stalls
        order: list[int] = []

        async def one(index: int) -> None:
            await limiter.aacquire()
            order.append(index)

        async def main() -> None:
            await asyncio.gather(*(one(i) for i in range(10)))

        asyncio.run(main())
        assert order == list(range(10))

    def test_threads_share_one_budget(self) -> None:
        fake = FakeTime()
        lock = threading.Lock()
        limiter = RequestBudget(60, clock=fake.clock)
        delays: list[float] = []

        def worker() -> None:
            for _ in range(25):
                delay = limiter.reserve()
                with lock:
                    delays.append(delay)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(delays) == [float(i) for i in range(100)]


class TestValidation:
    """A budget that makes no sense is refused with a message naming the value."""

    @pytest.mark.parametrize("value", [0, -5, float("nan"), float("inf"), True])
    def test_rejects_a_budget_that_is_not_a_positive_number(self, value: float) -> None:
        with pytest.raises(ValueError) as info:
            RequestBudget(value)
        assert str(info.value) == f"rate_limit must be a number of requests per minute above 0, not {value!r}"

    @pytest.mark.parametrize("value", [0, -1, 1.5])
    def test_rejects_a_burst_below_one(self, value: int) -> None:
        with pytest.raises(ValueError) as info:
            RequestBudget(60, burst=value)
        assert str(info.value) == f"burst must be a whole number of requests, 1 or more, not {value!r}"

    def test_repr_shows_the_budget(self) -> None:
        assert repr(RequestBudget(1000)) == "RequestBudget(per_minute=1000)"


class TestClientRateLimit:
    """`rate_limit=` paces every request a client sends: creates, polls, retries; both flavours."""

    def test_each_request_waits_for_its_slot(self, flavour: str, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=CREATE_URL, json=created_json())
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json(), is_reusable=True)
        fake = FakeTime()
        drv = Driver(flavour, rate_limit=budget(30, fake))
        try:
            drv("create", "a lemon")
            drv("get", "video_abc")
            drv("get", "video_abc")
        finally:
            drv.close()
        assert fake.sleeps == [2.0, 2.0]
        assert len(httpx_mock.get_requests()) == 3

    def test_retries_spend_the_budget_too(self, flavour: str, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(
            url=task_url("video_abc"), status_code=503, json={"error": {"message": "busy"}}
        )
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json())
        fake = FakeTime()
        drv = Driver(flavour, rate_limit=budget(60, fake))
        try:
            assert drv("get", "video_abc").id == "video_abc"
        finally:
            drv.close()
        assert drv.sleeps != []  # the retry's own back-off ran on the driver's clock
        assert fake.sleeps == [1.0]  # and the retry still waited for its own slot

    def test_two_clients_share_one_budget(self, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json(), is_reusable=True)
        fake = FakeTime()
        shared = budget(60, fake)
        with (
            VideoClient(api_key=KEY, rate_limit=shared) as one,
            VideoClient(api_key=KEY, rate_limit=shared) as two,
        ):
            one.get("video_abc")
            two.get("video_abc")
            one.get("video_abc")
        assert fake.sleeps == [1.0, 1.0]

    def test_a_number_becomes_a_budget_of_that_many_per_minute(self) -> None:
        with VideoClient(api_key=KEY, rate_limit=600) as client:
            assert repr(client._budget) == "RequestBudget(per_minute=600)"
        with VideoClient(api_key=KEY) as client:
            assert client._budget is None

    @pytest.mark.parametrize("value", [0, -1.5, "100"])
    def test_a_nonsense_rate_limit_is_refused(self, flavour: str, value: object) -> None:
        cls = VideoClient if flavour == "sync" else AsyncVideoClient
        with pytest.raises(ValueError) as info:
            cls(api_key=KEY, rate_limit=value)  # type: ignore[arg-type]
        assert str(info.value) == f"rate_limit must be a number of requests per minute above 0, not {value!r}"
