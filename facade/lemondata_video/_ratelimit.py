"""A requests-per-minute budget for a client: every create, poll, cancel and retry waits its turn.

The service counts requests per key in one-minute windows (1,000 by default) and polling
spends the same budget as creating, so a client waiting on many tasks must pace itself
or collect 429s. The budget is a token bucket kept as a schedule (the generic cell rate
algorithm): a caller books the next free slot under a thread lock and sleeps until it.
Booking never blocks, so one instance serves threads and event loops alike, callers go in
arrival order, and 10,000 waiters cost one float each.

Requests are spaced evenly, one every `60 / per_minute` seconds, with no burst by
default: a burst after a quiet spell could put more than `per_minute` requests into one
of the service's fixed windows. The clock and both sleeps are injectable, so tests and
time-scaled benchmarks run minutes of budget in milliseconds.

The actual sends are paced too, not only the bookings. When the process stalls (a loaded
machine, a blocking call in the event loop), callers wake after their slots; sent at once they
would bunch into the service's next window. So a caller that wakes passes a second check
against the sends that really went: a schedule of its own (at most LATE_CATCH_UP_SLOTS slots
caught up) and a record of the last minute's sends (never more than `per_minute` of them in
any 60 s). One it holds back moves every later booking out with it (the schedule's `_shift`),
so the late callers go one slot apart, not all waking together again. The missed slots are lost.

The answers steer the same check (`feedback()`, `_rate_feedback.py`): a 429 holds every
sender for its Retry-After and lowers the rate, which then recovers over a minute;
`X-RateLimit-Remaining: 0` holds them until the window's reset, and a low remaining spreads
what is left evenly until then.

`Budget` is what a client's `rate_limit=` accepts besides a number: any object that waits
its caller's turn, sync and async; one with a `feedback(signal)` method is told of every answer.
`RedisBudget` (`_redis_budget.py`) is the other one, the same schedule kept in Redis for
clients in several processes and hosts.
"""

from __future__ import annotations

import heapq
import math
import threading
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Final, Protocol, runtime_checkable

from ._rate_feedback import Backoff, RateSignal

SECONDS_PER_MINUTE: Final = 60.0
DEFAULT_BURST: Final = 1
# How many slots a caller that woke late may catch up on the actual sends (jitter, not a stall).
LATE_CATCH_UP_SLOTS: Final = 1
# A 429 that gives neither Retry-After nor a reset holds everyone this long.
DEFAULT_RATE_LIMITED_PAUSE: Final = 1.0
# A caller this close to its time (float noise, a timer fired a hair early) counts as on time.
EPSILON: Final = 1e-6
# The record of the last minute's sends is kept for budgets up to this many requests a minute.
MAX_RECORDED_SENDS: Final = 100_000


@runtime_checkable
class Budget(Protocol):
    """What a client's `rate_limit=` takes: `acquire()` and `aacquire()` return when one request may go."""

    def acquire(self) -> None:
        """Wait (blocking) until the caller may send one request."""

    async def aacquire(self) -> None:
        """Wait (in the event loop) until the caller may send one request."""


class RequestBudget:
    """At most `per_minute` requests in any minute, spaced evenly; `burst` may go at once after a pause.

    Args:
        per_minute: the budget, requests per minute (> 0).
        burst: how many requests may go back to back after an idle spell (>= 1).
        clock: monotonic seconds; sleep and asleep: how the sync and async callers wait
            (`asleep` defaults to `asyncio.sleep`, imported only when first needed: a sync
            program does not pay for importing asyncio).

    Raises:
        ValueError: if `per_minute` is not a finite number above 0 or `burst` is below 1.
    """

    def __init__(
        self,
        per_minute: float,
        *,
        burst: int = DEFAULT_BURST,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        asleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> None:
        number = isinstance(per_minute, int | float) and not isinstance(per_minute, bool)
        if not number or not math.isfinite(per_minute) or per_minute <= 0:
            msg = f"rate_limit must be a number of requests per minute above 0, not {per_minute!r}"
            raise ValueError(msg)
        if isinstance(burst, bool) or not isinstance(burst, int) or burst < 1:
            msg = f"burst must be a whole number of requests, 1 or more, not {burst!r}"
            raise ValueError(msg)
        self.per_minute = float(per_minute)
        self.interval = SECONDS_PER_MINUTE / self.per_minute
        self._tolerance = (burst - 1) * self.interval
        self._clock, self._sleep, self._asleep = clock, sleep, asleep
        self._lock = threading.Lock()
        # Bookings, in the schedule's own time: the theoretical arrival time of the next one.
        self._next = -math.inf
        # Schedule time + _shift = clock time; grows when sends are held back (a stall, a 429).
        self._shift = 0.0
        # The actual sends: their own theoretical arrival time, a hold, the last minute's record.
        self._sent_next = -math.inf
        self._sent_tolerance = self._tolerance + LATE_CATCH_UP_SLOTS * self.interval
        self._hold_until = -math.inf
        self._refused_until = -math.inf
        self._spread: tuple[float, float] = (-math.inf, 0.0)  # (until, interval)
        self._backoff = Backoff()
        # Callers held back at the second check, (slot, ticket) in a heap: they go first, in order.
        self._held: list[tuple[float, int]] = []
        self._holding: set[int] = set()
        recorded = math.ceil(self.per_minute)
        self._sent: deque[float] | None = deque(maxlen=recorded) if recorded <= MAX_RECORDED_SENDS else None
        self.reserved = 0

    def reserve(self) -> float:
        """Book the next free slot and return the seconds to wait for it (0.0 when it is now)."""
        return self._book()[1]

    def acquire(self) -> None:
        """Wait (with the sync sleep) until this caller may send one request."""
        slot, delay, ticket = self._book()
        try:
            while True:
                if delay > 0:
                    self._sleep(delay)
                delay = self._admit(slot, ticket)
                if delay <= 0:
                    return
        finally:
            if delay > 0:  # interrupted while it waited
                self._release(ticket)

    async def aacquire(self) -> None:
        """Wait (with the async sleep) until this caller may send one request."""
        slot, delay, ticket = self._book()
        try:
            while True:
                if delay > 0:
                    if self._asleep is None:
                        import asyncio  # noqa: PLC0415  (see __init__)

                        self._asleep = asyncio.sleep
                    await self._asleep(delay)
                delay = self._admit(slot, ticket)
                if delay <= 0:
                    return
        finally:
            if delay > 0:  # cancelled while it waited
                self._release(ticket)

    def feedback(self, signal: RateSignal) -> None:
        """Take one answer's news: a 429 holds everyone and slows down, the headers hold or spread."""
        with self._lock:
            now = self._clock()
            if signal.limited:
                pause = signal.retry_after if signal.retry_after is not None else signal.reset_after
                if now >= self._refused_until:  # not one more answer to requests already in flight
                    self._backoff.slow(now)
                pause = DEFAULT_RATE_LIMITED_PAUSE if pause is None else pause
                self._refused_until = max(self._refused_until, now + pause)
                self._hold_until = max(self._hold_until, self._refused_until)
            if signal.remaining is None or signal.reset_after is None:
                return
            reset = now + signal.reset_after
            if signal.remaining == 0:
                self._hold_until = max(self._hold_until, reset)
            else:
                self._spread = (reset, signal.reset_after / signal.remaining)

    def _book(self) -> tuple[float, float, int]:
        """Book a slot: its time on the schedule, the seconds from now until it, its ticket."""
        with self._lock:
            now = self._clock()
            due = max(self._next, now - self._shift)
            self._next = due + self.interval
            self.reserved += 1
            slot = max(now - self._shift, due - self._tolerance)
            return slot, slot + self._shift - now, self.reserved

    def _admit(self, slot: float, ticket: int) -> float:
        """0.0 once the caller booked at `slot` may send (the send is recorded), else seconds to wait."""
        with self._lock:
            now = self._clock()
            due = slot + self._shift
            if now < due - EPSILON:
                return self._hold(slot, ticket, due - now)
            gate, first = self._gate(now), self._first_held()
            if now < gate - EPSILON or (first is not None and first < (slot, ticket)):
                self._hold(slot, ticket, 0.0)
                # The first caller held goes at the gate; everyone booked later moves out with it.
                start = slot if first is None else min(slot, first[0])
                self._shift = max(self._shift, max(gate, now) - start)
                return max(slot + self._shift - now, EPSILON)
            self._holding.discard(ticket)
            self._sent_next = self._next_send(now)
            if self._sent is not None:
                self._sent.append(now)
            return 0.0

    def _first_held(self) -> tuple[float, int] | None:
        """The earliest caller still held back (the ones that left are dropped from the heap here)."""
        while self._held and self._held[0][1] not in self._holding:
            heapq.heappop(self._held)
        return self._held[0] if self._held else None

    def _hold(self, slot: float, ticket: int, delay: float) -> float:
        """Count the caller among those waiting a second time (a caller woken after it waits for it)."""
        if ticket not in self._holding:
            self._holding.add(ticket)
            heapq.heappush(self._held, (slot, ticket))
        return delay

    def _release(self, ticket: int) -> None:
        with self._lock:
            self._holding.discard(ticket)

    def _gate(self, now: float) -> float:
        """The earliest time of the next actual send (no slot caught up while the rest is spread)."""
        tolerance = self._tolerance if now < self._spread[0] else self._sent_tolerance
        gate = max(self._sent_next - tolerance, self._hold_until)
        if self._sent is not None and len(self._sent) == self._sent.maxlen:
            gate = max(gate, self._sent[0] + SECONDS_PER_MINUTE)
        return gate

    def _next_send(self, now: float) -> float:
        """When the send after one at `now` is due: an interval on, longer after a 429 or when little
        remains (but no later than the service's reset, when its next window opens)."""
        until, spread = self._spread
        after = max(self._sent_next, now) + self.interval / self._backoff.factor(now)
        return max(after, min(now + spread, until)) if now < until else after

    def __repr__(self) -> str:
        return f"RequestBudget(per_minute={self.per_minute:g})"


def budget_of(rate_limit: float | Budget | None) -> Budget | None:
    """A client's `rate_limit`: None for no pacing, a number of requests per minute, or a shared budget."""
    if rate_limit is None or isinstance(rate_limit, Budget):
        return rate_limit
    return RequestBudget(rate_limit)
