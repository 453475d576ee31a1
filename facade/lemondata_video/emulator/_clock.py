"""Clocks that drive task progress and rate-limit windows: manual for tests, scaled real time for runs."""

from __future__ import annotations

import threading
import time
from typing import Protocol, runtime_checkable

DEFAULT_MANUAL_START = 1_706_000_000.0


@runtime_checkable
class Clock(Protocol):
    """Anything that tells the emulator what time it is, in unix seconds."""

    def now(self) -> float:
        """The current emulated unix time in seconds."""
        ...


class ManualClock:
    """A clock that moves only when told to; tests step tasks through their states with it."""

    def __init__(self, start: float = DEFAULT_MANUAL_START) -> None:
        self._now = float(start)
        self._lock = threading.Lock()

    def now(self) -> float:
        """The current emulated unix time in seconds."""
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> float:
        """Move the clock forward by ``seconds`` (never backward) and return the new time.

        Raises:
            ValueError: if ``seconds`` is negative.
        """
        if seconds < 0:
            msg = f"cannot advance a clock by {seconds} seconds; pass a value >= 0"
            raise ValueError(msg)
        with self._lock:
            self._now += seconds
            return self._now

    def __repr__(self) -> str:
        return f"ManualClock(now={self.now()!r})"


class RealClock:
    """Wall-clock time, optionally sped up: ``time_scale=60`` runs one emulated minute per second."""

    def __init__(self, time_scale: float = 1.0) -> None:
        if time_scale <= 0:
            msg = f"time_scale must be > 0, got {time_scale}"
            raise ValueError(msg)
        self.time_scale = time_scale
        self._origin_wall = time.time()
        self._origin_mono = time.monotonic()

    def now(self) -> float:
        """The current emulated unix time in seconds."""
        elapsed = time.monotonic() - self._origin_mono
        return self._origin_wall + elapsed * self.time_scale

    def __repr__(self) -> str:
        return f"RealClock(time_scale={self.time_scale!r})"
