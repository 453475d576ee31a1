"""VideoClient: the synchronous client; each method validates, calls the generated op, maps the result.

The generated operations and models, the capability matrix and the downloader are imported
inside the methods, on first use: together they cost about 40 ms, which a program pays once
it talks to the API rather than on import (benchmarks/imports.py measures it).
"""

from __future__ import annotations

import functools
import os
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from . import _http, _transport
from ._base import Route, WaitState, check_json, create_failure, fingerprint, logger, route_for, task_id_of
from ._config import mask_key, resolve_api_key, resolve_base_url
from ._constants import (
    CATALOG_FAILURE_TTL,
    DEFAULT_CATALOG_TTL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    DEFAULT_WAIT_TIMEOUT,
)
from ._exceptions import CapabilityError, LemonDataError, UnknownModelError
from ._ratelimit import Budget, budget_of
from ._retry import retry_delay, should_retry
from ._task import Task, TaskStatus

if TYPE_CHECKING:
    from lemondata_api import AuthenticatedClient

    from ._capabilities import ModelInfo
    from ._live_catalog import CatalogCache

ProgressCallback = Callable[[int, int | None], None]


class VideoClient:
    """A client of the LemonData video API. Use it as a context manager, or call `close()`.

    The key comes from `api_key` or LEMONDATA_API_KEY, the base URL from `base_url` or
    LEMONDATA_BASE_URL. A given `http_client` sends the API's requests with its own
    transport, default headers, timeouts and hooks; it is not changed (several clients may
    share it) and is left open on close. `file_http_client` fetches results from the file
    host and never carries the key. `rate_limit` (requests per minute, or a RequestBudget or RedisBudget
    shared by several clients) paces every request to the API, retries and polls included.
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        allow_unknown_models: bool = False,
        http_client: httpx.Client | None = None,
        file_http_client: httpx.Client | None = None,
        rate_limit: float | Budget | None = None,
        catalog_ttl: float = DEFAULT_CATALOG_TTL,
    ) -> None:
        key = resolve_api_key(api_key)
        if max_retries < 0:
            msg = f"max_retries must be 0 or more, not {max_retries}"
            raise ValueError(msg)
        self.base_url = resolve_base_url(base_url)
        self.max_retries = max_retries
        self.allow_unknown_models = allow_unknown_models
        self.catalog_ttl = catalog_ttl
        self._catalog: CatalogCache | None = None
        self._catalog_lock = threading.Lock()
        self._secret = key
        self._masked = mask_key(key)
        self._budget = budget_of(rate_limit)
        self._http = _http.api_client(http_client, key=key, base_url=self.base_url, timeout=timeout)
        self._owns_files = file_http_client is None
        self._files = file_http_client or httpx.Client(**_http.file_options(timeout))
        self._sleep: Callable[[float], None] = time.sleep
        self._rng = random.Random()
        self._warned: set[str] = set()

    @functools.cached_property
    def _api(self) -> AuthenticatedClient:
        """The generated client, built on the first request; it sends through `self._http`."""
        from lemondata_api import AuthenticatedClient  # noqa: PLC0415

        api = AuthenticatedClient(base_url=str(self.base_url), token=self._masked)
        api.set_httpx_client(self._http)
        return api

    def __repr__(self) -> str:
        return f"VideoClient(base_url={str(self.base_url)!r}, api_key={self._masked!r})"

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
        from lemondata_api.api.videos import create_video_generation  # noqa: PLC0415
        from lemondata_api.models import VideoGenerationCreated, VideoGenerationRequest  # noqa: PLC0415

        request = VideoGenerationRequest.from_dict(body)
        try:
            payload = self._retrying(
                lambda: create_video_generation.sync_detailed(client=self._api, body=request),
                expect=VideoGenerationCreated,
                idempotent=False,
            )
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
        payload = self._retrying(
            lambda: cancel_task.sync_detailed(ident, client=self._api), expect=VideoTask, idempotent=True
        )
        return Task.from_payload(payload, task_id=ident)

    def wait(
        self,
        task: Task | str,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_update: Callable[[Task], None] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
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
        return self.wait(self.create(prompt, **create_kwargs), timeout=timeout, on_update=on_update)

    def download(
        self,
        task: Task | str,
        path: str | os.PathLike[str] | None = None,
        *,
        overwrite: bool = False,
        on_progress: ProgressCallback | None = None,
    ) -> Path:
        """Save the first output video to `path` (a file or directory; default `<task id>.mp4` here)."""
        from . import _download  # noqa: PLC0415

        done = self._completed(task)
        dest = _download.resolve_target(path, done, 0)
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
        from . import _download  # noqa: PLC0415

        done = self._completed(task)
        folder = Path(directory) if directory is not None else Path.cwd()
        return [
            _download.download_file(
                self._files,
                video.url,
                folder / _download.default_filename(done, index),
                overwrite=overwrite,
                on_progress=on_progress,
            )
            for index, video in enumerate(done.videos)
        ]

    def models(
        self, *, operation: str | None = None, provider: str | None = None, live: bool = False
    ) -> list[ModelInfo]:
        """Models of the spec's snapshot (no request), or with `live` the service's catalog.

        The live catalog (`GET /v1/models?category=video`, kept for `catalog_ttl` seconds)
        carries the snapshot's notes where the ids match. Raises the API's error when it
        cannot be fetched.
        """
        from . import _capabilities  # noqa: PLC0415

        catalog = None
        if live:
            catalog, error = self._live_models(force=True)
            if catalog is None:
                raise error  # type: ignore[misc]
        return _capabilities.list_models(operation=operation, provider=provider, models=catalog)

    def close(self) -> None:
        """Close the connection pools this client opened."""
        self._http.close()
        if self._owns_files:
            self._files.close()

    def __enter__(self) -> VideoClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _checked_request(
        self, prompt: str | None, *, model: str, operation: str | None, fields: dict[str, Any], allow: bool
    ) -> dict[str, Any]:
        """The create body, checked against a fresh cached live catalog, else the snapshot; when
        the snapshot refuses, the live catalog is fetched and decides (`_live_catalog`)."""
        from . import _capabilities, _live_catalog  # noqa: PLC0415

        args: dict[str, Any] = {
            "model": model,
            "operation": operation,
            "fields": fields,
            "allow_unknown_model": allow,
        }
        fresh = self._catalog.current() if self._catalog is not None and self.catalog_ttl > 0 else None
        if fresh is not None:  # the service's word, already at hand: no request either way
            return _capabilities.build_request(prompt, **args, live=fresh)
        try:
            return _capabilities.build_request(prompt, **args)
        except (UnknownModelError, CapabilityError) as refusal:
            if self.catalog_ttl <= 0:
                raise
            catalog, error = self._live_models()
            if catalog is None:
                raise _live_catalog.unreachable(refusal, error) from None  # type: ignore[arg-type]
        return _capabilities.build_request(prompt, **args, live=catalog)

    def _live_models(
        self, *, force: bool = False
    ) -> tuple[dict[str, ModelInfo] | None, LemonDataError | None]:
        """The cached live catalog, fetched once for concurrent callers; (None, error) when it failed."""
        from lemondata_api.api.models import list_models  # noqa: PLC0415
        from lemondata_api.models import ModelList  # noqa: PLC0415

        from ._live_catalog import CATALOG_CATEGORY, CatalogCache  # noqa: PLC0415

        with self._catalog_lock:
            if self._catalog is None:
                self._catalog = CatalogCache(ttl=max(self.catalog_ttl, 0.0), failure_ttl=CATALOG_FAILURE_TTL)
            cache = self._catalog
            found = cache.current()
            if found is not None:
                return found, None
            error = None if force else cache.recent_error()
            if error is not None:
                return None, error
            try:
                payload = self._retrying(
                    lambda: list_models.sync_detailed(client=self._api, category=CATALOG_CATEGORY),
                    expect=ModelList,
                    idempotent=True,
                )
            except LemonDataError as exc:
                logger.info("the live model catalog could not be fetched: %s", exc)
                return None, cache.fail(exc)
            models = cache.store(payload)
            logger.info("fetched the live model catalog: %d video models", len(models))
            return models, None

    def _poll(self, task: Task | str, *, retries: int) -> Task:
        from lemondata_api.models import VideoTask  # noqa: PLC0415

        route = route_for(task, base_url=self.base_url, warned=self._warned)
        payload = self._retrying(
            lambda: self._get_op(route), expect=VideoTask, idempotent=True, retries=retries
        )
        return Task.from_payload(payload, task_id=route.task_id)

    def _get_op(self, route: Route) -> object:
        if route.kind == "url":
            return self._http.get(route.url)
        from lemondata_api.api.tasks import get_task, get_video_generation_legacy  # noqa: PLC0415

        op = get_task if route.kind == "task" else get_video_generation_legacy
        return op.sync_detailed(route.task_id, client=self._api)

    def _completed(self, task: Task | str) -> Task:
        current = task if isinstance(task, Task) and task.videos else self.get(task)
        if current.status is not TaskStatus.COMPLETED or not current.videos:
            msg = (
                f"task {current.id} has no video to download: it is {current.raw_status}"
                + (f" ({current.error})" if current.error else "")
                + f". Wait for it with client.wait({current.id!r})"
            )
            raise LemonDataError(msg)
        return current

    def _retrying(
        self,
        op: Callable[[], object],
        *,
        expect: type[_transport.Model],
        idempotent: bool,
        retries: int | None = None,
    ) -> dict[str, Any]:
        limit = self.max_retries if retries is None else retries
        for attempt in range(limit + 1):
            if self._budget is not None:
                self._budget.acquire()
            try:
                return _transport.call(op, expect=expect, secret=self._secret)
            except LemonDataError as exc:
                if attempt >= limit or not should_retry(exc, idempotent=idempotent):
                    raise
                delay = retry_delay(attempt + 1, retry_after=getattr(exc, "retry_after", None), rng=self._rng)
                logger.debug("retrying in %.1f s after: %s", delay, exc)
                self._sleep(delay)
        msg = "unreachable: the retry loop always returns or raises"
        raise AssertionError(msg)
