"""A requests-per-minute budget shared by every API request of a batch: creates, polls and retries.

A token bucket sits in the httpx transport of the async client, so whatever the client sends
(including its own retries) waits for a token. Downloads go to the file host and do not count.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Final

import httpx

SECONDS_PER_MINUTE: Final = 60.0
# The bucket holds this many seconds' worth of requests, so a batch may start with a small burst.
BURST_SECONDS: Final = 2.0


class TokenBucket:
    """At most `per_minute` acquisitions per minute on average, with a burst of a couple of seconds."""

    def __init__(
        self,
        per_minute: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if per_minute <= 0:
            msg = f"the request budget must be more than 0 per minute, not {per_minute:g}"
            raise ValueError(msg)
        self.rate = per_minute / SECONDS_PER_MINUTE
        self.capacity = max(1.0, self.rate * BURST_SECONDS)
        self._tokens = self.capacity
        self._clock, self._sleep = clock, sleep
        self._updated = clock()
        self._lock = asyncio.Lock()
        self.acquired = 0

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
        self._updated = now

    async def acquire(self) -> None:
        """Wait for a token; callers are served in arrival order."""
        async with self._lock:
            self._refill()
            while self._tokens < 1:
                await self._sleep((1 - self._tokens) / self.rate)
                self._refill()
            self._tokens -= 1
            self.acquired += 1


class BudgetTransport(httpx.AsyncBaseTransport):
    """An httpx transport that takes a token from `bucket` before each request."""

    def __init__(self, bucket: TokenBucket, inner: httpx.AsyncBaseTransport | None = None) -> None:
        self.bucket = bucket
        self._inner = inner or httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Wait for the budget, then send."""
        await self.bucket.acquire()
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        """Close the wrapped transport."""
        await self._inner.aclose()
