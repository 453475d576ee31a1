"""RedisBudget against a real redis-server: the shared schedule, both clients, an unreachable Redis.

The schedule lives on Redis's clock, so these tests book slots of a second and compare the
waits with a margin for the milliseconds that pass between two bookings; the clients' sleeps
are replaced by recorders, so no test waits for its slots.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import uuid
from collections.abc import Iterator

import httpx
import pytest
import redis
import services
from lemondata_video import (
    APIConnectionError,
    AsyncVideoClient,
    BudgetUnavailableError,
    RedisBudget,
    VideoClient,
)
from lemondata_video.emulator import Emulator, ManualClock

SLACK = 0.25  # seconds that may pass between two bookings on a loaded machine


class Sleeps:
    """Records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.waits.append(seconds)


@pytest.fixture
def key() -> str:
    return f"test:{uuid.uuid4().hex}"


def near(values: list[float], expected: list[float]) -> bool:
    return len(values) == len(expected) and all(
        e - SLACK <= v <= e + 0.001 for v, e in zip(values, expected, strict=True)
    )


def closed_port_url() -> str:
    return f"redis://127.0.0.1:{services.free_port()}/0"


class TestSharedSchedule:
    """One schedule per key, booked atomically by every budget on it."""

    def test_bookings_are_spaced_by_the_interval(self, redis_url: str, key: str) -> None:
        budget = RedisBudget(60, url=redis_url, key=key)
        assert near([budget.reserve() for _ in range(4)], [0.0, 1.0, 2.0, 3.0])
        assert budget.reserved == 4

    def test_budgets_on_one_key_share_it_and_other_keys_do_not(self, redis_url: str, key: str) -> None:
        first, second = RedisBudget(60, url=redis_url, key=key), RedisBudget(60, url=redis_url, key=key)
        other = RedisBudget(60, url=redis_url, key=f"{key}:other")
        assert near([first.reserve(), second.reserve(), first.reserve()], [0.0, 1.0, 2.0])
        assert other.reserve() == 0.0

    def test_burst_lets_that_many_go_at_once(self, redis_url: str, key: str) -> None:
        budget = RedisBudget(60, url=redis_url, key=key, burst=3)
        assert near([budget.reserve() for _ in range(5)], [0.0, 0.0, 0.0, 1.0, 2.0])

    def test_async_bookings_share_the_schedule_with_sync_ones(self, redis_url: str, key: str) -> None:
        budget = RedisBudget(60, url=redis_url, key=key)

        async def book() -> list[float]:
            try:
                return [await budget.areserve() for _ in range(2)]
            finally:
                await budget.aclose()

        assert near([budget.reserve(), *asyncio.run(book()), budget.reserve()], [0.0, 1.0, 2.0, 3.0])

    def test_the_key_expires_once_its_slots_have_passed(self, redis_url: str, key: str) -> None:
        RedisBudget(6000, url=redis_url, key=key).reserve()
        ttl = redis.Redis.from_url(redis_url).pttl(key)
        assert 0 < ttl <= 1010

    def test_a_bad_rate_is_refused_as_a_local_budget_refuses_it(self, redis_url: str) -> None:
        with pytest.raises(
            ValueError, match=r"^rate_limit must be a number of requests per minute above 0, not 0$"
        ):
            RedisBudget(0, url=redis_url)
        with pytest.raises(ValueError, match=r"^burst must be a whole number of requests, 1 or more, not 0$"):
            RedisBudget(60, url=redis_url, burst=0)


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(clock=ManualClock()) as emulator:
        yield emulator


def a_task(emu: Emulator) -> str:
    headers = {"Authorization": f"Bearer {emu.api_key}"}
    return str(
        httpx.post(f"{emu.base_url}/v1/videos/generations", json={"prompt": "a"}, headers=headers).json()[
            "task_id"
        ]
    )


class TestClients:
    """Both clients take a RedisBudget as `rate_limit=` and wait for every slot it books."""

    def test_the_sync_client_waits_for_each_slot(self, emu: Emulator, redis_url: str, key: str) -> None:
        sleeps = Sleeps()
        budget = RedisBudget(60, url=redis_url, key=key, sleep=sleeps.sleep)
        task_id = a_task(emu)
        with VideoClient(api_key=emu.api_key, base_url=emu.base_url, rate_limit=budget) as client:
            for _ in range(3):
                assert client.get(task_id).id == task_id
        assert near([0.0, *sleeps.waits], [0.0, 1.0, 2.0])  # the first slot is now: no sleep
        assert budget.reserved == 3

    def test_the_async_client_waits_for_each_slot(self, emu: Emulator, redis_url: str, key: str) -> None:
        sleeps = Sleeps()
        budget = RedisBudget(60, url=redis_url, key=key, asleep=sleeps.asleep)
        task_id = a_task(emu)

        async def main() -> None:
            async with AsyncVideoClient(
                api_key=emu.api_key, base_url=emu.base_url, rate_limit=budget
            ) as client:
                for _ in range(3):
                    assert (await client.get(task_id)).id == task_id
            await budget.aclose()

        asyncio.run(main())
        assert near([0.0, *sleeps.waits], [0.0, 1.0, 2.0])


class TestUnreachable:
    """Without Redis a request is not sent: a clear error naming Redis, or the local fallback."""

    def expected(self, error: BudgetUnavailableError, url: str, key: str) -> str:
        """The message, with redis-py's own account of the failure (it differs between its clients)."""
        cause = error.__cause__
        assert isinstance(cause, redis.ConnectionError)
        port = url.removeprefix("redis://127.0.0.1:").removesuffix("/0")
        assert "127.0.0.1" in str(cause) and port in str(cause)
        return (
            f"cannot reach Redis at {url} (key {key!r}) for the shared request budget "
            f"({str(cause).rstrip('.')}); nothing was sent. "
            "Start Redis, or build the budget with fallback_per_minute= to pace this process alone"
        )

    def test_the_sync_client_raises_budget_unavailable_and_sends_nothing(
        self, emu: Emulator, key: str
    ) -> None:
        url = closed_port_url()
        budget = RedisBudget(60, url=url, key=key)
        with (
            VideoClient(api_key=emu.api_key, base_url=emu.base_url, rate_limit=budget) as client,
            pytest.raises(BudgetUnavailableError) as caught,
        ):
            client.get("video_abc")
        assert str(caught.value) == self.expected(caught.value, url, key)
        assert isinstance(caught.value, APIConnectionError)
        assert sum(emu.stats.requests.values()) == 0

    def test_the_async_client_raises_it_too(self, emu: Emulator, key: str) -> None:
        url = closed_port_url()
        budget = RedisBudget(60, url=url, key=key)

        async def main() -> None:
            async with AsyncVideoClient(
                api_key=emu.api_key, base_url=emu.base_url, rate_limit=budget
            ) as client:
                await client.get("video_abc")

        with pytest.raises(BudgetUnavailableError) as caught:
            asyncio.run(main())
        assert str(caught.value) == self.expected(caught.value, url, key)
        assert sum(emu.stats.requests.values()) == 0

    def test_a_password_in_the_url_is_never_shown(self, key: str) -> None:
        port = services.free_port()
        budget = RedisBudget(60, url=f"redis://:hunter2@127.0.0.1:{port}/0", key=key)
        with pytest.raises(BudgetUnavailableError) as caught:
            budget.ping()
        assert f"redis://:***@127.0.0.1:{port}/0" in str(caught.value)
        assert "hunter2" not in str(caught.value) + repr(budget)

    def test_with_a_fallback_it_paces_this_process_alone_and_warns_once(
        self, key: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        budget = RedisBudget(600, url=closed_port_url(), key=key, fallback_per_minute=60)
        with caplog.at_level(logging.WARNING, logger="lemondata_video"):
            waits = [budget.reserve() for _ in range(3)]
        assert near(waits, [0.0, 1.0, 2.0])  # the fallback's rate, not the shared one
        assert [r.getMessage().split(";")[1] for r in caplog.records] == [
            " pacing this process alone at 60 requests/minute"
        ]

    def test_without_redis_py_the_error_says_which_extra_to_install(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setitem(sys.modules, "redis", None)
        with pytest.raises(
            ImportError, match=r"^RedisBudget needs redis-py: pip install 'lemondata-video\[redis\]'$"
        ):
            RedisBudget(60)


class TestEventLoops:
    """An asyncio client belongs to one event loop; the budget makes one for each loop it runs in."""

    def test_one_budget_serves_one_event_loop_after_another(self, redis_url: str, key: str) -> None:
        budget = RedisBudget(60, url=redis_url, key=key)
        waits = [asyncio.run(budget.areserve()) for _ in range(3)]  # a new loop each time
        assert near(waits, [0.0, 1.0, 2.0])
