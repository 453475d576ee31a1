"""Per-key request budget in fixed one-minute windows of the emulator clock, with the X-RateLimit headers.

Every API answer carries `Date` on the emulator's clock (uvicorn's own, on the wall clock, is
turned off): X-RateLimit-Reset is a Unix time of that clock, and a client reads the one against
the other, as it would against a real server's Date, when the emulator runs scaled or manual time.
"""

from __future__ import annotations

import email.utils
import math
import threading
from dataclasses import dataclass
from typing import Final

from ._clock import Clock

WINDOW_SECONDS: Final = 60
DEFAULT_RATE_LIMIT: Final = 1000


@dataclass(frozen=True)
class Verdict:
    """Whether one request fits the budget, and the headers that say so."""

    allowed: bool
    limit: int
    remaining: int
    reset: int
    retry_after: int
    now: float

    def headers(self) -> dict[str, str]:
        """``X-RateLimit-*`` headers, plus ``Retry-After`` when refused."""
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset),
            "Date": email.utils.formatdate(self.now, usegmt=True),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class RateLimiter:
    """Counts requests per key; a window starts at every whole minute of emulated time."""

    def __init__(self, clock: Clock, limit: int = DEFAULT_RATE_LIMIT) -> None:
        self.clock = clock
        self.limit = limit
        self._windows: dict[str, tuple[int, int]] = {}
        self._lock = threading.Lock()

    def _window(self) -> tuple[int, float]:
        now = self.clock.now()
        return int(now // WINDOW_SECONDS) * WINDOW_SECONDS, now

    def hit(self, key: str) -> Verdict:
        """Spend one request of ``key``'s budget if any is left."""
        start, now = self._window()
        with self._lock:
            window, used = self._windows.get(key, (start, 0))
            if window != start:
                used = 0
            allowed = used < self.limit
            if allowed:
                used += 1
            self._windows[key] = (start, used)
        reset = start + WINDOW_SECONDS
        retry_after = max(1, math.ceil(reset - now))
        return Verdict(allowed, self.limit, max(0, self.limit - used), reset, retry_after, now)

    def peek(self) -> Verdict:
        """The headers for a request that spends nothing (an unauthenticated one)."""
        start, now = self._window()
        reset = start + WINDOW_SECONDS
        return Verdict(True, self.limit, self.limit, reset, max(1, math.ceil(reset - now)), now)
