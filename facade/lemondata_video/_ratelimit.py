"""A requests-per-minute budget for a client: every create, poll, cancel and retry waits its turn.

The service counts requests per key in one-minute windows (1,000 by default) and polling
spends the same budget as creating, so a client waiting on many tasks must pace itself
or collect 429s. The budget is a token bucket kept as a schedule (the generic cell rate
algorithm): `reserve()` books the next free slot under a thread lock and says how long
the caller must wait for it. Booking never blocks, so one instance serves threads and
event loops alike, callers go in arrival order, and 10,000 waiters cost one float each.

Requests are spaced evenly, one every `60 / per_minute` seconds, with no burst by
default: a burst after a quiet spell could put more than `per_minute` requests into one
of the service's fixed windows. The clock and both sleeps are injectable, so tests and
time-scaled benchmarks run minutes of budget in milliseconds.

`Budget` is what a client's `rate_limit=` accepts besides a number: any object that waits
its caller's turn, sync and async. `RedisBudget` (`_redis_budget.py`) is the other one, the
same schedule kept in Redis for clients in several processes and hosts.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Awaitable, Callable
from typing import Final, Protocol, runtime_checkable

SECONDS_PER_MINUTE: Final = 60.0
DEFAULT_BURST: Final = 1


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
        # The theoretical arrival time: when the bucket is next empty of debt.
        self._next = -math.inf
        self.reserved = 0

    def reserve(self) -> float:
        """Book the next free slot and return the seconds to wait for it (0.0 when it is now)."""
        with self._lock:
            now = self._clock()
            due = max(self._next, now)
            send_at = max(now, due - self._tolerance)
            self._next = due + self.interval
            self.reserved += 1
        return send_at - now

    def acquire(self) -> None:
        """Wait (with the sync sleep) until this caller may send one request."""
        delay = self.reserve()
        if delay > 0:
            self._sleep(delay)

    async def aacquire(self) -> None:
        """Wait (with the async sleep) until this caller may send one request."""
        delay = self.reserve()
        if delay > 0:
            if self._asleep is None:
                import asyncio  # noqa: PLC0415  (see __init__)

                self._asleep = asyncio.sleep
            await self._asleep(delay)

    def __repr__(self) -> str:
        return f"RequestBudget(per_minute={self.per_minute:g})"


def budget_of(rate_limit: float | Budget | None) -> Budget | None:
    """A client's `rate_limit`: None for no pacing, a number of requests per minute, or a shared budget."""
    if rate_limit is None or isinstance(rate_limit, Budget):
        return rate_limit
    return RequestBudget(rate_limit)
