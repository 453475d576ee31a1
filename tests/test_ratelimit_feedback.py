"""The budget when things go wrong: a stalled process, 429s, and the service's X-RateLimit headers.

`VirtualTime` runs many coroutines that each take one slot of a `RequestBudget` on simulated
time: the budget's clock and async sleep are its own, and a stall makes the clock jump while
every sleeper is late, as an event loop that fell behind wakes them all at once.
"""

from __future__ import annotations

import asyncio
import email.utils
import heapq
import itertools
import random
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from lemondata_video import AsyncVideoClient, RateLimitError, RateSignal, RequestBudget, VideoClient
from lemondata_video._rate_feedback import rate_signal
from lemondata_video._ratelimit import LATE_CATCH_UP_SLOTS
from lemondata_video.emulator import Emulator, ManualClock

# Far beyond any test's schedule: a caller still waiting then is stuck.
GIVE_UP_AT = 100_000.0


class VirtualTime:
    """Simulated time for coroutines: `asleep` parks the caller until the clock reaches its deadline."""

    def __init__(self, *, lateness: float = 0.0) -> None:
        self.now = 0.0
        self._late = random.Random(1)
        self._lateness = lateness  # each sleeper wakes up to this many seconds late (seeded)
        self._timers: list[tuple[float, int, asyncio.Future[None]]] = []
        self._order = itertools.count()
        self._stalls: list[tuple[float, float]] = []

    def clock(self) -> float:
        return self.now

    async def asleep(self, seconds: float) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        late = self._late.uniform(0.0, self._lateness) if self._lateness else 0.0
        heapq.heappush(self._timers, (self.now + seconds + late, next(self._order), future))
        await future

    def stall(self, at: float, seconds: float) -> None:
        """At `at`, the process stops for `seconds`: every sleeper due meanwhile wakes late, together."""
        self._stalls.append((at, seconds))

    async def run(self, count: int, budget: RequestBudget) -> list[float]:
        """`count` callers take a slot each; the times they were let go."""
        sent: list[float] = []

        async def caller() -> None:
            await budget.aacquire()
            sent.append(self.now)

        tasks = [asyncio.create_task(caller()) for _ in range(count)]
        await self._settle()
        while self._timers:
            self._advance()
            await self._settle()
        await asyncio.gather(*tasks)
        return sent

    def _advance(self) -> None:
        due = self._timers[0][0]
        for at, seconds in list(self._stalls):
            if due >= at:
                self._stalls.remove((at, seconds))
                self.now = max(self.now, at + seconds)
        self.now = max(self.now, due)
        if self.now > GIVE_UP_AT:
            msg = f"callers still waiting at {self.now:g} s of simulated time"
            raise AssertionError(msg)
        while self._timers and self._timers[0][0] <= self.now:
            future = heapq.heappop(self._timers)[2]
            if not future.done():  # a cancelled sleeper's
                future.set_result(None)

    @staticmethod
    async def _settle() -> None:
        for _ in range(5):
            await asyncio.sleep(0)


def most_in_any_window(sent: list[float], window: float) -> int:
    """The largest number of sends in any half-open interval of `window` seconds."""
    ordered = sorted(sent)
    most, first = 0, 0
    for last, at in enumerate(ordered):
        while ordered[first] <= at - window:
            first += 1
        most = max(most, last - first + 1)
    return most


def run(count: int, budget: RequestBudget, time: VirtualTime) -> list[float]:
    return asyncio.run(time.run(count, budget))


def virtual_budget(per_minute: float, time: VirtualTime) -> RequestBudget:
    return RequestBudget(per_minute, clock=time.clock, asleep=time.asleep)


class TestStall:
    """Callers that wake late, after the process stalled, go one slot apart, not in a burst."""

    def test_late_wakers_never_exceed_the_rate_in_any_minute(self) -> None:
        time = VirtualTime()
        time.stall(at=10.0, seconds=45.0)
        sent = run(200, virtual_budget(60, time), time)
        assert len(sent) == 200
        assert most_in_any_window(sent, 60.0) <= 60
        assert most_in_any_window(sent, 10.0) <= 10 + LATE_CATCH_UP_SLOTS  # never the 45 missed

    def test_after_a_stall_the_sends_are_spaced_by_the_interval_again(self) -> None:
        time = VirtualTime()
        time.stall(at=5.0, seconds=20.0)
        sent = sorted(run(60, virtual_budget(60, time), time))
        after = [at for at in sent if at >= 25.0]
        caught_up = LATE_CATCH_UP_SLOTS + 1  # the first late caller and the slots it may catch up
        gaps = [later - earlier for earlier, later in itertools.pairwise(after[caught_up - 1 :])]
        assert after[:caught_up] == [25.0] * caught_up
        assert gaps == pytest.approx([1.0] * len(gaps))

    def test_callers_still_go_in_arrival_order_after_a_stall(self) -> None:
        time = VirtualTime()
        time.stall(at=3.0, seconds=7.0)
        order: list[int] = []
        budget = virtual_budget(60, time)

        async def main() -> None:
            async def caller(index: int) -> None:
                await budget.aacquire()
                order.append(index)

            tasks = [asyncio.create_task(caller(index)) for index in range(30)]
            await time.run(0, budget)
            await asyncio.gather(*tasks)

        asyncio.run(main())
        assert order == list(range(30))

    def test_callers_waking_at_random_lateness_never_exceed_the_rate_in_any_minute(self) -> None:
        time = VirtualTime(lateness=0.9)
        sent = run(300, virtual_budget(60, time), time)
        assert len(sent) == 300
        assert most_in_any_window(sent, 60.0) <= 60

    def test_a_caller_cancelled_while_held_back_does_not_block_the_others(self) -> None:
        time = VirtualTime()
        budget = virtual_budget(60, time)
        budget.feedback(RateSignal(limited=False, remaining=0, reset_after=30.0))

        async def main() -> list[float]:
            doomed = asyncio.create_task(budget.aacquire())
            await asyncio.sleep(0)  # it books the first slot and is held back until the reset
            doomed.cancel()
            return await time.run(3, budget)

        assert asyncio.run(main()) == [31.0, 32.0, 33.0]


class TestRateLimited:
    """A 429 holds every caller for its Retry-After, then the rate is lower and recovers over a minute."""

    def test_a_429_delays_everyone_by_its_retry_after(self) -> None:
        time = VirtualTime()
        budget = virtual_budget(60, time)
        budget.feedback(RateSignal(limited=True, retry_after=30.0))
        sent = run(3, budget, time)
        assert sent[0] == 30.0
        assert min(sent) == 30.0

    def test_after_a_429_the_rate_is_lower_and_recovers_gradually(self) -> None:
        time = VirtualTime()
        budget = virtual_budget(60, time)
        budget.feedback(RateSignal(limited=True, retry_after=10.0))
        sent = run(150, budget, time)
        per_20s = [sum(start <= at < start + 20 for at in sent) for start in (10, 30, 50, 70, 90)]
        assert per_20s[0] < per_20s[1] < per_20s[2] < per_20s[3]
        assert per_20s[0] <= 14  # about 0.6 of the 20 a full rate sends
        assert per_20s[3] == per_20s[4] == 20  # recovered: a minute after the 429, the full rate

    def test_answers_to_requests_already_in_flight_do_not_compound_the_backoff(self) -> None:
        once, many = VirtualTime(), VirtualTime()
        budgets = virtual_budget(60, once), virtual_budget(60, many)
        budgets[0].feedback(RateSignal(limited=True, retry_after=10.0))
        for _ in range(5):
            budgets[1].feedback(RateSignal(limited=True, retry_after=10.0))
        assert run(40, budgets[1], many) == run(40, budgets[0], once)

    def test_a_second_429_after_the_hold_slows_down_further(self) -> None:
        once, twice = VirtualTime(), VirtualTime()
        budgets = virtual_budget(60, once), virtual_budget(60, twice)
        for budget, time in zip(budgets, (once, twice), strict=True):
            budget.feedback(RateSignal(limited=True, retry_after=1.0))
            time.now = 2.0
        budgets[1].feedback(RateSignal(limited=True, retry_after=1.0))
        first_minute = [
            sum(at < 60 for at in run(80, b, t)) for b, t in zip(budgets, (once, twice), strict=True)
        ]
        assert first_minute[1] < first_minute[0] < 60

    def test_the_sync_acquire_is_held_the_same(self) -> None:
        time = VirtualTime()
        slept: list[float] = []

        def sleep(seconds: float) -> None:
            slept.append(seconds)
            time.now += seconds

        budget = RequestBudget(60, clock=time.clock, sleep=sleep)
        budget.feedback(RateSignal(limited=True, retry_after=30.0))
        budget.acquire()
        budget.acquire()
        assert slept == [30.0, 1.0]  # the hold, then the next slot of the schedule moved out with it

    def test_a_429_without_retry_after_waits_for_the_reset_it_gives(self) -> None:
        time = VirtualTime()
        budget = virtual_budget(60, time)
        budget.feedback(RateSignal(limited=True, reset_after=12.0))
        assert run(1, budget, time) == [12.0]


class TestRemaining:
    """X-RateLimit-Remaining and -Reset: 0 holds everyone until the reset, a few left are spread."""

    def test_remaining_zero_holds_until_the_reset_then_the_full_rate(self) -> None:
        time = VirtualTime()
        budget = virtual_budget(60, time)
        budget.feedback(RateSignal(limited=False, remaining=0, reset_after=20.0))
        assert run(4, budget, time) == [20.0, 21.0, 22.0, 23.0]

    def test_the_few_remaining_are_spread_until_the_reset(self) -> None:
        time = VirtualTime()
        budget = virtual_budget(60, time)
        budget.feedback(RateSignal(limited=False, remaining=4, reset_after=20.0))
        sent = run(8, budget, time)
        assert [at for at in sent if at < 20.0] == [0.0, 5.0, 10.0, 15.0]
        assert [at for at in sent if at >= 20.0] == [20.0, 21.0, 22.0, 23.0]

    def test_plenty_remaining_changes_nothing(self) -> None:
        time = VirtualTime()
        budget = virtual_budget(60, time)
        budget.feedback(RateSignal(limited=False, remaining=900, reset_after=30.0))
        assert run(3, budget, time) == [0.0, 1.0, 2.0]


class TestRateSignal:
    """Reading one answer's headers: Retry-After, X-RateLimit-Remaining, and Reset against Date."""

    DATE = email.utils.formatdate(1_706_000_030, usegmt=True)

    def test_a_429_gives_its_retry_after(self) -> None:
        signal = rate_signal(429, httpx.Headers({"Retry-After": "7"}), now=0.0)
        assert signal == RateSignal(limited=True, retry_after=7.0)

    def test_reset_is_read_against_the_answers_date_not_the_clients_clock(self) -> None:
        headers = {"X-RateLimit-Remaining": "12", "X-RateLimit-Reset": "1706000060", "Date": self.DATE}
        signal = rate_signal(200, httpx.Headers(headers), now=1_900_000_000.0)
        assert signal == RateSignal(limited=False, remaining=12, reset_after=30.0)

    def test_without_a_date_reset_is_read_against_the_clients_clock(self) -> None:
        headers = {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1706000060"}
        assert rate_signal(200, httpx.Headers(headers), now=1_706_000_045.5) == RateSignal(
            limited=False, remaining=0, reset_after=14.5
        )

    def test_a_small_reset_is_seconds_from_now(self) -> None:
        headers = {"X-RateLimit-Remaining": "3", "X-RateLimit-Reset": "25"}
        assert rate_signal(200, httpx.Headers(headers), now=1e9).reset_after == 25.0  # type: ignore[union-attr]

    @pytest.mark.parametrize("reset", ["soon", "-5", "1706009999", "nan"])
    def test_a_reset_that_cannot_be_a_minute_window_is_ignored(self, reset: str) -> None:
        headers = {"X-RateLimit-Remaining": "3", "X-RateLimit-Reset": reset, "Date": self.DATE}
        assert rate_signal(200, httpx.Headers(headers), now=0.0) == RateSignal(limited=False, remaining=3)

    def test_a_reset_already_past_is_now(self) -> None:
        headers = {"X-RateLimit-Remaining": "3", "X-RateLimit-Reset": "1706000000", "Date": self.DATE}
        assert rate_signal(200, httpx.Headers(headers), now=0.0).reset_after == 0.0  # type: ignore[union-attr]

    @pytest.mark.parametrize("remaining", ["many", "-1", ""])
    def test_an_answer_without_a_readable_remaining_says_nothing(self, remaining: str) -> None:
        headers = {"X-RateLimit-Remaining": remaining, "X-RateLimit-Reset": "1706000060"}
        assert rate_signal(200, httpx.Headers(headers), now=0.0) is None

    def test_a_budget_without_feedback_is_never_told(self) -> None:
        class Plain:
            def acquire(self) -> None:
                """Always at once."""

            async def aacquire(self) -> None:
                """Always at once."""

        with VideoClient(api_key="sk-test", rate_limit=Plain()) as client:
            assert client._feedback is None


@pytest.fixture
def small_window() -> Iterator[Emulator]:
    """An emulator on a manual clock whose key may send 4 requests a minute."""
    with Emulator(clock=ManualClock(), rate_limit=4) as emulator:
        yield emulator


def emulated_budget(emulator: Emulator) -> RequestBudget:
    """600 a minute on the emulator's own clock: the budget's waits move emulated time."""
    clock = emulator.clock
    assert isinstance(clock, ManualClock)

    async def asleep(seconds: float) -> None:
        clock.advance(seconds)

    return RequestBudget(600, clock=clock.now, sleep=clock.advance, asleep=asleep)


def spend(emulator: Emulator, requests: int) -> str:
    """Create a task and spend the rest of `requests` on polls with raw httpx: another user of the key."""
    headers = {"Authorization": f"Bearer {emulator.api_key}"}
    with httpx.Client(base_url=emulator.base_url, headers=headers) as raw:
        task_id = str(raw.post("/v1/videos/generations", json={"prompt": "a lemon"}).json()["id"])
        for _ in range(requests - 1):
            raw.get(f"/v1/tasks/{task_id}").raise_for_status()
    return task_id


def get(flavour: str, emulator: Emulator, task_id: str, times: int, *, budget: object, retries: int) -> None:
    """`times` polls of `task_id` by one client of `flavour`; its retry back-off sleeps take no time."""
    options: dict[str, Any] = {"api_key": emulator.api_key, "base_url": emulator.base_url}
    options.update(rate_limit=budget, max_retries=retries)
    if flavour == "sync":
        with VideoClient(**options) as client:
            client._sleep = lambda _seconds: None
            for _ in range(times):
                client.get(task_id)
        return

    async def main() -> None:
        async def no_wait(_seconds: float) -> None:
            return None

        async with AsyncVideoClient(**options) as client:
            client._sleep = no_wait
            for _ in range(times):
                await client.get(task_id)

    asyncio.run(main())


POLLS = "GET /v1/tasks/{task_id}"


class TestThroughTheClient:
    """Against the emulator's fixed one-minute windows, sync and async: the answers slow the client down."""

    def test_a_429_holds_the_retry_until_retry_after(self, flavour: str, small_window: Emulator) -> None:
        task_id = spend(small_window, 4)  # someone else spent the window: the client's first try is a 429
        start = small_window.clock.now()
        get(flavour, small_window, task_id, 1, budget=emulated_budget(small_window), retries=4)
        assert small_window.stats.requests[POLLS] == 3 + 2  # the 429, then one retry that went through
        assert small_window.clock.now() - start == pytest.approx(60 - start % 60)  # at the window's reset

    def test_remaining_zero_holds_the_next_request_until_the_reset(
        self, flavour: str, small_window: Emulator
    ) -> None:
        task_id = spend(small_window, 1)
        get(
            flavour, small_window, task_id, 4, budget=emulated_budget(small_window), retries=0
        )  # no 429 to retry
        assert small_window.stats.requests[POLLS] == 4
        assert small_window.clock.now() % 60 == pytest.approx(0.1)  # the fourth went as the window opened

    def test_a_budget_that_does_not_listen_is_refused_again(
        self, flavour: str, small_window: Emulator
    ) -> None:
        task_id = spend(small_window, 4)
        budget = emulated_budget(small_window)
        deaf = type("Deaf", (), {"acquire": budget.acquire, "aacquire": budget.aacquire})()
        with pytest.raises(RateLimitError):
            get(flavour, small_window, task_id, 1, budget=deaf, retries=1)
        assert small_window.stats.requests[POLLS] == 3 + 2  # both tries refused: no time passed between
