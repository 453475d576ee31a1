"""VideoClient.generate_many's engine: up to `concurrency` requests on a thread pool, results as they end.

Hand-written, not generated from `_async_many.py` (asyncio.wait has no thread-pool twin
scripts/unasync could derive). Requests are read from the caller's iterable only as
threads free up, so a generator of 10,000 is never drawn ahead by more than `concurrency`.
Each request is the client's own `create` then `wait`, so it spends the client's request
budget and follows its retry rules; a create is never resent.

On KeyboardInterrupt (or any exception, or the caller leaving the loop early) the run stops:
no new create starts, a create already under way finishes so its task is recorded, each wait
ends at its next sleep, and every task created and not yet yielded is logged and noted on the
exception, which is then re-raised. The hooks run in the worker threads.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any, Final

from ._exceptions import LemonDataError
from ._generate_many import (
    GenerateResult,
    Ledger,
    TaskHook,
    arguments,
    check_concurrency,
    failed,
    hooked,
)

if TYPE_CHECKING:
    from ._client import VideoClient

THREAD_NAME_PREFIX: Final = "lemondata-generate-many"
Sleep = Callable[[float], None]
Running = set[Future[GenerateResult | None]]


class _Stopped(Exception):  # noqa: N818  (a signal between the run and its waits, never shown)
    """Raised in a wait's sleep once the run has stopped."""


def generate_many(
    client: VideoClient,
    requests: Iterable[Mapping[str, Any]],
    *,
    concurrency: int,
    timeout: float,
    on_created: TaskHook | None,
    on_update: TaskHook | None,
    sleep: Sleep | None,
) -> Iterator[GenerateResult]:
    """The results of `requests` as they finish (ValueError at once for a bad `concurrency`)."""
    check_concurrency(concurrency)
    run = _Run(client, timeout=timeout, on_created=on_created, on_update=on_update, sleep=sleep)
    return _results(run, enumerate(requests), concurrency)


def _results(
    run: _Run, source: Iterator[tuple[int, Mapping[str, Any]]], concurrency: int
) -> Iterator[GenerateResult]:
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=THREAD_NAME_PREFIX)
    running: Running = set()
    try:
        _fill(run, pool, source, running, concurrency)
        while running:
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for finished in sorted(done, key=run.index_of):
                running.discard(finished)
                result = finished.result()
                if result is not None:
                    run.ledger.collected(result)
                    yield result
            _fill(run, pool, source, running, concurrency)
    except BaseException as exc:
        run.stop.set()
        try:
            wait(running)
            run.ledger.leftover([f.result() for f in running if not f.cancelled() and not f.exception()])
        finally:
            run.ledger.report(exc)
        raise
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _fill(
    run: _Run,
    pool: ThreadPoolExecutor,
    source: Iterator[tuple[int, Mapping[str, Any]]],
    running: Running,
    concurrency: int,
) -> None:
    while len(running) < concurrency:
        item = next(source, None)
        if item is None:
            return
        running.add(run.start(pool, *item))


class _Run:
    """One call of generate_many: the client, the ledger, the hooks, the stop flag; runs one request."""

    def __init__(
        self,
        client: VideoClient,
        *,
        timeout: float,
        on_created: TaskHook | None,
        on_update: TaskHook | None,
        sleep: Sleep | None,
    ) -> None:
        self.client, self.ledger, self.timeout, self.sleep = client, Ledger(), timeout, sleep
        self.on_created, self.on_update = on_created, on_update
        self.stop = threading.Event()
        self._indices: dict[Future[GenerateResult | None], int] = {}

    def start(
        self, pool: ThreadPoolExecutor, index: int, request: Mapping[str, Any]
    ) -> Future[GenerateResult | None]:
        future = pool.submit(self._one, index, request)
        self._indices[future] = index
        return future

    def index_of(self, future: Future[GenerateResult | None]) -> int:
        return self._indices.pop(future)

    def _pause(self, seconds: float) -> None:
        """A wait's sleep that ends the wait (with _Stopped) as soon as the run stops."""
        if self.sleep is None:
            stopped = self.stop.wait(seconds)
        else:
            if not self.stop.is_set():
                self.sleep(seconds)
            stopped = self.stop.is_set()
        if stopped:
            raise _Stopped

    def _one(self, index: int, request: Mapping[str, Any]) -> GenerateResult | None:
        if self.stop.is_set():
            return None
        try:
            prompt, fields, waits = arguments(index, request)
            created = self.client.create(prompt, **fields)
        except LemonDataError as exc:  # nothing was created (or, TaskMayExistError, it is unknown)
            return GenerateResult(index, request, None, exc)
        try:
            self.ledger.created(index, created, self.on_created)
            done = self.client.wait(
                created,
                timeout=waits.get("timeout", self.timeout),
                on_update=hooked(self.on_update, index),
                sleep=self._pause,
            )
        except _Stopped:
            return None
        except LemonDataError as exc:
            return failed(index, request, created, exc)
        return GenerateResult(index, request, done, None)
