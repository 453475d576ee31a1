"""Task videos made on first download, off the event loop, and kept in a bounded in-memory cache.

One library serves every emulator of the process: a clip (see ``_clip``) is encoded once, whatever
the number of tasks showing it, and each task's file (its first second re-encoded with its id) is
made once too, then served from memory. Work runs on a small thread pool; requests for what is
being made wait for it rather than making it again. Least recently used entries leave the cache
first once it holds more than ``budget_bytes``; made again, they come out the same bytes.
"""

from __future__ import annotations

import asyncio
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from ._clip import MAX_PIXEL_FRAMES, Clip, clip_for
from ._state import Task

if TYPE_CHECKING:
    from ._encode import Encoded

DEFAULT_BUDGET_BYTES: Final = 256 * 1024 * 1024
RENDER_WORKERS: Final = 2


@dataclass
class RenderCounts:
    """What the library has made: clips encoded whole, and task files made from them."""

    clips: int = 0
    files: int = 0


def _size(value: object) -> int:
    return len(value) if isinstance(value, bytes) else int(getattr(value, "nbytes", 0))


class VideoLibrary:
    """Makes and caches task videos; ``await library.file_for(task)`` is the MP4 of a completed task."""

    def __init__(self, *, budget_bytes: int = DEFAULT_BUDGET_BYTES, cap: int = MAX_PIXEL_FRAMES) -> None:
        self.budget_bytes, self.cap = budget_bytes, cap
        self.counts = RenderCounts()
        self._ready: OrderedDict[Hashable, Any] = OrderedDict()
        self._pending: dict[Hashable, Future[Any]] = {}
        self._held = 0
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=RENDER_WORKERS, thread_name_prefix="lemondata-render")

    async def file_for(self, task: Task) -> bytes:
        """The MP4 of ``task``, made in a worker thread unless cached or being made."""
        clip = clip_for(task, cap=self.cap)
        key = ("file", clip, task.id)
        future, mine = self._claim(key)
        if mine:
            self._pool.submit(self._make, key, future, lambda: self._task_file(clip, task.id))
        result: bytes = await asyncio.wrap_future(future)
        return result

    @property
    def in_progress(self) -> int:
        """How many clips and files are being made now."""
        with self._lock:
            return len(self._pending)

    def clear(self) -> None:
        """Forget every finished clip and file (what is being made still finishes)."""
        with self._lock:
            self._ready.clear()
            self._held = 0

    def _task_file(self, clip: Clip, task_id: str) -> bytes:
        from . import _encode  # noqa: PLC0415 - PyAV loads on the first download, not with the emulator

        key = ("clip", clip)
        future, mine = self._claim(key)
        if mine:
            self._make(key, future, lambda: self._counted(_encode.encode_clip(clip)))
        encoded: Encoded = future.result()
        data = _encode.task_file(clip, encoded, task_id)
        with self._lock:
            self.counts.files += 1
        return data

    def _counted(self, encoded: Encoded) -> Encoded:
        with self._lock:
            self.counts.clips += 1
        return encoded

    def _claim(self, key: Hashable) -> tuple[Future[Any], bool]:
        """The future of ``key`` and whether the caller is to make it."""
        with self._lock:
            if key in self._ready:
                self._ready.move_to_end(key)
                done: Future[Any] = Future()
                done.set_result(self._ready[key])
                return done, False
            if key in self._pending:
                return self._pending[key], False
            future: Future[Any] = Future()
            future.set_running_or_notify_cancel()  # a request that goes away cannot cancel it for others
            self._pending[key] = future
            return future, True

    def _make(self, key: Hashable, future: Future[Any], make: Callable[[], object]) -> None:
        try:
            value = make()
        except BaseException as exc:
            with self._lock:
                del self._pending[key]
            future.set_exception(exc)
            return
        with self._lock:
            del self._pending[key]
            self._ready[key] = value
            self._held += _size(value)
            while self._held > self.budget_bytes and len(self._ready) > 1:
                _, evicted = self._ready.popitem(last=False)
                self._held -= _size(evicted)
        future.set_result(value)


LIBRARY: Final = VideoLibrary()
