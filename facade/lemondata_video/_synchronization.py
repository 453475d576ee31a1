"""The few things the async and sync halves really do differently: how to sleep, lock, limit.

scripts/unasync turns `async_sleep` into `sleep`, `async_lock` into `lock` and
`async_semaphore` into `semaphore`, so the async sources name what they need here and the
generated sync modules get the twin. asyncio
is imported only inside the async helpers: a sync program never loads it.
"""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import asyncio

sleep: Final = time.sleep


async def async_sleep(seconds: float) -> None:
    """`asyncio.sleep`, imported on first use."""
    import asyncio  # noqa: PLC0415  (see the module docstring)

    await asyncio.sleep(seconds)


def async_semaphore(limit: int) -> asyncio.Semaphore:
    """At most `limit` holders at once.

    The async client lets no more than its pool's size of requests be in flight: the rest wait
    here, in O(1), not in httpcore's pool queue, which rescans every queued request on each
    event; with thousands of concurrent waits queued there the client spent 72% of its time
    rescanning and fell behind (benchmarks/scale.py).
    """
    import asyncio  # noqa: PLC0415  (see the module docstring)

    return asyncio.Semaphore(limit)


def async_lock() -> asyncio.Lock:
    """A lock for one event loop's tasks (the async client's live catalog fetch)."""
    import asyncio  # noqa: PLC0415  (see the module docstring)

    return asyncio.Lock()


def lock() -> threading.Lock:
    """A lock for threads (the sync client's live catalog fetch)."""
    return threading.Lock()


class _Unlimited:
    """A sync client's stand-in for the semaphore: its pool blocks a thread until a connection is free."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        return None


def semaphore(limit: int) -> _Unlimited:
    """No limit of our own for the sync client (`limit` is its pool's, which already blocks)."""
    del limit
    return _Unlimited()
