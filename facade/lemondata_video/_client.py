# Generated from _async_client.py by scripts/unasync: do not edit; edit the source, then run it.
"""VideoClient: each method validates, hands off to a generated operation, maps the result.

Written once, as async code: scripts/unasync derives the sync twin. Requests go through
APIClient's `_send` (key, budget, retries, typed errors). The generated operations and
models, the capability matrix and the downloader are imported inside the methods, on first
use: together they cost about 40 ms, which a program pays once it talks to the API rather
than on import (benchmarks/imports.py measures it).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import _synchronization as _sync
from ._body import check_json, fingerprint
from ._catalog_client import CatalogClient
from ._error_map import Model, create_failure
from ._exceptions import LemonDataError
from ._polling import DEFAULT_WAIT_TIMEOUT
from ._task import Task
from ._task_routes import create_route, downloadable, poll_request, route_for, task_answer, task_id_of
from ._waiting import WaitState

ProgressCallback = Callable[[int, int | None], None]


class VideoClient(CatalogClient):
    """The synchronous client of the LemonData video API. Use `with`, or call `close()`.

    Takes the options of APIClient (key, base URL, timeout, retries, http clients,
    rate_limit, catalog_ttl); `allow_unknown_models` lets `create` send models neither the
    snapshot nor the live catalog lists.
    """

    def create(
        self,
        prompt: str | None,
        *,
        model: str = "sora-2",
        operation: str | None = None,
        allow_unknown_model: bool | None = None,
        **fields: Any,
    ) -> Task:
        """Validate and submit a generation; return the new task (status `pending`).

        Raises RequestValidationError before any request; TaskMayExistError when the
        request was sent and its outcome is unknown (it is never resent then).
        """
        allow = self.allow_unknown_models if allow_unknown_model is None else allow_unknown_model
        body = self._checked_request(prompt, model=model, operation=operation, fields=fields, allow=allow)
        check_json(body)
        from lemondata_api.models import VideoGenerationCreated  # noqa: PLC0415

        method, url = create_route()
        try:
            response = self._send(method, url, json=body)
            payload = task_answer(response, VideoGenerationCreated, secret=self._secret)
        except LemonDataError as exc:
            raise create_failure(exc, fingerprint=fingerprint(body)) from exc
        return Task.from_payload(payload)

    def get(self, task: Task | str) -> Task:
        """The task's current state; follows `task.poll_url` when it is on the API's origin."""
        return self._poll(task, retries=self.max_retries)

    def cancel(self, task: Task | str) -> Task:
        """Cancel a task that has not started running; ConflictError when it cannot be cancelled."""
        from lemondata_api.api.tasks import cancel_task  # noqa: PLC0415
        from lemondata_api.models import VideoTask  # noqa: PLC0415

        ident = task_id_of(task)
        payload = self._task_call(cancel_task._get_kwargs(ident), VideoTask)
        return Task.from_payload(payload, task_id=ident)

    def wait(
        self,
        task: Task | str,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_update: Callable[[Task], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = _sync.sleep,
    ) -> Task:
        """Poll until the task completes and return it.

        Given a bare id, the first poll is immediate (the task may be long done);
        after that, and from the start for a Task, polls follow `_polling.PollSchedule`
        (about 25 s after the task was seen, sooner near a finish predicted from
        progress); transient errors (connection, timeouts, 429, 5xx, garbled answers)
        are retried until `timeout` seconds have passed. `on_update` gets every change of status or progress.
        Raises TaskFailedError or TaskCancelledError when it ends without a video,
        WaitTimeoutError (carrying the last task seen) at the deadline, and the API
        error of a poll that cannot succeed (401, 403, 404, ...).
        """
        state = WaitState(task, timeout=timeout, clock=clock, on_update=on_update, rng=self._rng)
        if state.last is not None and state.seen(state.last):
            return state.last
        delay = state.first_sleep()
        while True:
            sleep(delay)
            try:
                polled = self._poll(state.ref, retries=0)
            except LemonDataError as exc:
                state.failed(exc)
            else:
                if state.seen(polled):
                    return polled
            delay = state.next_sleep()
            state.log_poll(delay)

    def generate(
        self,
        prompt: str,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_update: Callable[[Task], None] | None = None,
        **create_kwargs: Any,
    ) -> Task:
        """`create` then `wait`; the errors of both."""
        task = self.create(prompt, **create_kwargs)
        return self.wait(task, timeout=timeout, on_update=on_update)

    def download(
        self,
        task: Task | str,
        path: str | os.PathLike[str] | None = None,
        *,
        overwrite: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> Path:
        """Save the first output video to `path` (a file or directory; default `<task id>.mp4` here)."""
        from . import _download, _output_file  # noqa: PLC0415

        done = self._completed(task)
        dest = _output_file.resolve_target(path, done, 0)
        return _download.download_file(
            self._files, done.videos[0].url, dest, overwrite=overwrite, on_progress=on_progress
        )

    def download_all(
        self,
        task: Task | str,
        directory: str | os.PathLike[str] | None = None,
        *,
        overwrite: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> list[Path]:
        """Save every output video into `directory` (default: the current directory)."""
        from . import _download, _output_file  # noqa: PLC0415

        done = self._completed(task)
        folder = Path(directory) if directory is not None else Path.cwd()
        return [
            _download.download_file(
                self._files,
                video.url,
                folder / _output_file.default_filename(done, index),
                overwrite=overwrite,
                on_progress=on_progress,
            )
            for index, video in enumerate(done.videos)
        ]

    def _poll(self, task: Task | str, *, retries: int) -> Task:
        from lemondata_api.models import VideoTask  # noqa: PLC0415

        route = route_for(task, base_url=self.base_url, warned=self._warned)
        response = self._send(*poll_request(route), retries=retries)
        return Task.from_payload(task_answer(response, VideoTask, secret=self._secret), task_id=route.task_id)

    def _task_call(
        self, built: dict[str, Any], expect: type[Model], *, retries: int | None = None
    ) -> dict[str, Any]:
        """Send a request a generated operation built; its JSON, checked to be `expect` naming a task id."""
        response = self._send(built["method"], built["url"], json=built.get("json"), retries=retries)
        return task_answer(response, expect, secret=self._secret)

    def _completed(self, task: Task | str) -> Task:
        return downloadable(task if isinstance(task, Task) and task.videos else self.get(task))
