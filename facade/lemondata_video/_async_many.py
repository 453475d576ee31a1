"""AsyncVideoClient.generate_many's engine: the requests as asyncio tasks, results as they end.

Hand-written (not generated: the sync engine, `_many.py`, runs on a thread pool instead of
`asyncio.wait`). Requests are read from the caller's iterable only as slots free up, so a
generator of 10,000 is never drawn ahead by more than `concurrency`. Each request is the
client's own `create` then `wait`, so it spends the client's request budget and follows its
retry rules; a create is never resent.

On cancellation (or any exception, or the caller leaving the loop early) the running requests
are cancelled, a create already under way is given CREATE_GRACE_SECONDS to answer so its task
is recorded, and every task created and not yet yielded is logged and noted on the exception,
which is then re-raised.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from . import _synchronization as _sync
from ._exceptions import LemonDataError, TaskCallbackError, TaskMayExistError
from ._generate_many import (
    CREATE_GRACE_SECONDS,
    GenerateResult,
    Ledger,
    TaskHook,
    arguments,
    check_concurrency,
    failed,
    hooked,
)

if TYPE_CHECKING:
    from ._async_client import AsyncVideoClient
    from ._task import Task

Sleep = Callable[[float], Awaitable[None]]


def agenerate_many(
    client: AsyncVideoClient,
    requests: Iterable[Mapping[str, Any]],
    *,
    concurrency: int,
    timeout: float,
    on_created: TaskHook | None,
    on_update: TaskHook | None,
    sleep: Sleep | None,
) -> AsyncIterator[GenerateResult]:
    """The results of `requests` as they finish (ValueError at once for a bad `concurrency`)."""
    check_concurrency(concurrency)
    run = _Run(
        client, timeout=timeout, on_created=on_created, on_update=on_update,
        sleep=sleep or _sync.async_sleep,
    )  # fmt: skip
    return _results(run, enumerate(requests), concurrency)


async def _results(
    run: _Run, source: Iterator[tuple[int, Mapping[str, Any]]], concurrency: int
) -> AsyncIterator[GenerateResult]:
    running: set[asyncio.Task[GenerateResult]] = set()
    try:
        _fill(run, source, running, concurrency)
        while running:
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for finished in sorted(done, key=run.index_of):
                running.discard(finished)
                result = finished.result()
                run.ledger.collected(result)
                yield result
            _fill(run, source, running, concurrency)
    except BaseException as exc:
        try:
            run.ledger.leftover(await _stop(running))
        finally:
            run.ledger.report(exc)
        raise


def _fill(
    run: _Run,
    source: Iterator[tuple[int, Mapping[str, Any]]],
    running: set[asyncio.Task[GenerateResult]],
    concurrency: int,
) -> None:
    while len(running) < concurrency:
        item = next(source, None)
        if item is None:
            return
        running.add(run.start(*item))


async def _stop(running: set[asyncio.Task[GenerateResult]]) -> list[object]:
    """Cancel the running requests; once each has recorded what it created, what they returned."""
    for task in running:
        task.cancel()
    return list(await asyncio.gather(*running, return_exceptions=True))


class _Run:
    """One call of generate_many: the client, the ledger, the hooks; starts one request."""

    def __init__(
        self,
        client: AsyncVideoClient,
        *,
        timeout: float,
        on_created: TaskHook | None,
        on_update: TaskHook | None,
        sleep: Sleep,
    ) -> None:
        self.client, self.ledger, self.timeout, self.sleep = client, Ledger(), timeout, sleep
        self.on_created, self.on_update = on_created, on_update
        self._indices: dict[asyncio.Task[GenerateResult], int] = {}

    def start(self, index: int, request: Mapping[str, Any]) -> asyncio.Task[GenerateResult]:
        task = asyncio.ensure_future(self._one(index, request))
        self._indices[task] = index
        return task

    def index_of(self, task: asyncio.Task[GenerateResult]) -> int:
        return self._indices.pop(task)

    async def _one(self, index: int, request: Mapping[str, Any]) -> GenerateResult:
        try:
            prompt, fields, waits = arguments(index, request)
            created = await self._create(index, prompt, fields)
        except LemonDataError as exc:  # nothing was created (or, TaskMayExistError, it is unknown)
            return GenerateResult(index, request, None, exc)
        try:
            self.ledger.created(index, created, self.on_created)
            done = await self.client.wait(
                created,
                timeout=waits.get("timeout", self.timeout),
                on_update=hooked(self.on_update, index),
                sleep=self.sleep,
            )
        except LemonDataError as exc:
            return failed(index, request, created, exc)
        return GenerateResult(index, request, done, None)

    async def _create(self, index: int, prompt: str | None, fields: dict[str, Any]) -> Task:
        """The client's create, shielded: when cancelled, it gets a grace period to answer."""
        sending = asyncio.ensure_future(self.client.create(prompt, **fields))
        try:
            return await asyncio.shield(sending)
        except asyncio.CancelledError:
            try:
                created = await asyncio.wait_for(sending, CREATE_GRACE_SECONDS)
            except (TaskMayExistError, TimeoutError):
                self.ledger.unknown(index)
            except LemonDataError:
                pass  # a definite refusal: nothing was created
            else:
                with contextlib.suppress(TaskCallbackError):  # the ledger reports the task anyway
                    self.ledger.created(index, created, self.on_created)
            raise
