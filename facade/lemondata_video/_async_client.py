"""AsyncVideoClient: each method validates, hands off to a generated operation, maps the result.

Written once, as async code: scripts/unasync derives the sync twin. Requests go through
AsyncAPIClient's `_send` (key, budget, retries, typed errors). The generated operations and
models, the capability matrix and the downloader are imported inside the methods, on first
use: together they cost about 40 ms, which a program pays once it talks to the API rather
than on import (benchmarks/imports.py measures it).
"""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import _synchronization as _sync
from ._async_task_client import AsyncTaskClient
from ._constants import DEFAULT_MANY_CONCURRENCY
from ._exceptions import DownloadError, LemonDataError, WaitTimeoutError
from ._polling import DEFAULT_WAIT_TIMEOUT
from ._task import Task
from ._task_routes import downloadable
from ._waiting import WaitState, announce, cancel_refusal

if TYPE_CHECKING:  # generate_many's engine loads when it is first called
    from ._generate_many import GenerateResult, TaskHook

ProgressCallback = Callable[[int, int | None], None]


class AsyncVideoClient(AsyncTaskClient):
    """The asyncio client of the LemonData video API. Use `async with`, or call `aclose()`.

    Takes the options of AsyncAPIClient (key, base URL, timeout, retries, http clients,
    rate_limit, catalog_ttl); `allow_unknown_models` lets `create` send models neither the
    snapshot nor the live catalog lists. `generate(on_created=...)` gets the new task as soon as
    the create returns, before the first poll (to store its id); if the callback raises,
    TaskCallbackError carries the task, which keeps running.
    """

    async def wait(
        self,
        task: Task | str,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_update: Callable[[Task], None] | None = None,
        cancel_on_timeout: bool = False,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = _sync.async_sleep,
    ) -> Task:
        """Poll until the task completes and return it.

        Given a bare id, the first poll is immediate (the task may be long done);
        after that, and from the start for a Task, polls follow `_polling.PollSchedule`
        (about 25 s after the task was seen, sooner near a finish predicted from
        progress); transient errors (connection, timeouts, 429, 5xx, garbled answers)
        are retried until `timeout` seconds have passed. `on_update` gets every change of status or progress.
        Raises TaskFailedError or TaskCancelledError when it ends without a video,
        WaitTimeoutError (carrying the last task seen) at the deadline, and the API
        error of a poll that cannot succeed (401, 403, 404, ...). With `cancel_on_timeout`
        the deadline first cancels the task, unless the model matrix says its model cannot be
        cancelled; the WaitTimeoutError's message and `cancelled` say how that went.
        """
        priors = self.duration_priors
        state = WaitState(
            task, timeout=timeout, clock=clock, on_update=on_update, rng=self._rng, priors=priors
        )
        try:
            return await self._wait(state, sleep)
        except WaitTimeoutError:
            if not cancel_on_timeout:
                raise
            error = await self._cancel_late(state)
            raise error from error.__cause__

    async def generate(
        self,
        prompt: str,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_update: Callable[[Task], None] | None = None,
        on_created: Callable[[Task], None] | None = None,
        cancel_on_timeout: bool = False,
        out: str | os.PathLike[str] | None = None,
        overwrite: bool = False,
        **create_kwargs: Any,
    ) -> Task:
        """`create` then `wait`; with `out` (a file or directory, as for `download`), then `download`.

        `on_created` gets the new task before the first poll; `cancel_on_timeout` is `wait`'s.
        The task returned carries the saved file as `task.path`. An `out` file that exists (unless
        `overwrite`) or whose directory does not is refused before anything is sent; a DownloadError
        once the task completed carries it as `.task`. The errors of create, wait and download.
        """
        if out is not None:
            from ._output_file import check_target  # noqa: PLC0415

            check_target(out, overwrite=overwrite)
        task = announce(await self.create(prompt, **create_kwargs), on_created)
        cancel = cancel_on_timeout
        done = await self.wait(task, timeout=timeout, on_update=on_update, cancel_on_timeout=cancel)
        return done if out is None else await self._saved(done, out, overwrite=overwrite)

    def generate_many(
        self,
        requests: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = DEFAULT_MANY_CONCURRENCY,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_created: TaskHook | None = None,
        on_update: TaskHook | None = None,
        sleep: Callable[[float], Awaitable[None]] | None = None,
    ) -> AsyncIterator[GenerateResult]:
        """`generate` for each mapping of `requests`, `concurrency` at a time; results as they finish.

        `requests` is read lazily; each yields one GenerateResult (its `index`, and the completed
        task or the error: failed creates and waits never stop the others). `on_created(index,
        task)` runs as each task is created, `on_update(index, task)` on every change a wait sees;
        `timeout` and `sleep` are each wait's. On an interrupt, or an exception from on_update, the
        run stops and every task created and not yet yielded is logged and noted on the exception.
        """
        from . import _async_many  # noqa: PLC0415

        return _async_many.agenerate_many(
            self, requests, concurrency=concurrency, timeout=timeout,
            on_created=on_created, on_update=on_update, sleep=sleep,
        )  # fmt: skip

    async def download(
        self,
        task: Task | str,
        path: str | os.PathLike[str] | None = None,
        *,
        overwrite: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> Path:
        """Save the first output video to `path` (a file or directory; default `<task id>.mp4` here).

        A link the file host refuses (401, 403, 404, 410: a signed link that expired) is renewed
        once by fetching the task again; the download resumes from the bytes it has.
        """
        from . import _output_file  # noqa: PLC0415

        done = await self._completed(task)
        dest = _output_file.resolve_target(path, done, 0)
        return await self._save(done, 0, dest, overwrite=overwrite, on_progress=on_progress)

    async def download_all(
        self,
        task: Task | str,
        directory: str | os.PathLike[str] | None = None,
        *,
        overwrite: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> list[Path]:
        """Save every output video into `directory` (default: the current directory), as `download` does."""
        from . import _output_file  # noqa: PLC0415

        done = await self._completed(task)
        folder = Path(directory) if directory is not None else Path.cwd()
        names = [folder / _output_file.default_filename(done, index) for index in range(len(done.videos))]
        return [
            await self._save(done, index, name, overwrite=overwrite, on_progress=on_progress)
            for index, name in enumerate(names)
        ]

    async def _wait(self, state: WaitState, sleep: Callable[[float], Awaitable[None]]) -> Task:
        if state.last is not None and state.seen(state.last):
            return state.last
        delay = state.first_sleep()
        while True:
            await sleep(delay)
            try:
                polled = await self._poll(state.ref, retries=0)
            except LemonDataError as exc:
                state.failed(exc)
            else:
                if state.seen(polled):
                    return polled
            delay = state.next_sleep()
            state.log_poll(delay)

    async def _cancel_late(self, state: WaitState) -> WaitTimeoutError:
        """`cancel_on_timeout` at the deadline: cancel unless the matrix forbids it; the error telling how."""
        refusal = cancel_refusal(state.last)
        if refusal is not None:
            return state.cancel_outcome(refusal)
        try:
            outcome: Task | LemonDataError = await self.cancel(state.ref)
        except LemonDataError as exc:
            outcome = exc
        return state.cancel_outcome(outcome)

    async def _save(
        self, task: Task, index: int, dest: Path, *, overwrite: bool, on_progress: ProgressCallback | None
    ) -> Path:
        from . import _async_download  # noqa: PLC0415

        async def fresh_link() -> str:
            try:
                again = downloadable(await self.get(task))
            except LemonDataError as exc:
                msg = f"task {task.id} could not be fetched again for a fresh link: {exc}"
                raise DownloadError(msg) from exc
            if index >= len(again.videos):
                msg = f"task {task.id} no longer lists a video {index + 1} to fetch a fresh link of"
                raise DownloadError(msg)
            return again.videos[index].url

        return await _async_download.adownload_file(
            self._files, task.videos[index].url, dest, overwrite=overwrite, on_progress=on_progress,
            refresh=fresh_link,
        )  # fmt: skip

    async def _saved(self, task: Task, out: str | os.PathLike[str], *, overwrite: bool) -> Task:
        """`task` with the path its video was saved to; a DownloadError carries the task."""
        try:
            path = await self.download(task, out, overwrite=overwrite)
        except DownloadError as exc:
            exc.task = task
            raise
        return dataclasses.replace(task, path=path)
