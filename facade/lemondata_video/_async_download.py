"""The download driver: one streamed GET per attempt, resumed until the body is whole.

Written once, as async code: scripts/unasync derives the sync twin. The state of a download
and every rule it follows are `_download_job.DownloadJob`'s.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from . import _synchronization as _sync
from ._constants import DOWNLOAD_CHUNK_SIZE, DOWNLOAD_MAX_RESUMES, MAX_DOWNLOAD_BYTES
from ._download_job import RESUMABLE, DownloadJob, ProgressCallback


async def adownload_file(
    http: httpx.AsyncClient,
    url: str,
    dest: Path,
    *,
    overwrite: bool = False,
    on_progress: ProgressCallback | None = None,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    max_resumes: int = DOWNLOAD_MAX_RESUMES,
    sleep: Callable[[float], Awaitable[None]] = _sync.async_sleep,
) -> Path:
    """Download `url` to `dest` atomically; resume a short or broken body up to `max_resumes` times.

    A 5xx or 429 is retried within the same `max_resumes` (after its Retry-After, capped, or the
    backoff), from the bytes written where the host supports Range. `on_progress(bytes_so_far,
    total_or_None)` is called per chunk. Raises DownloadExistsError if `dest` exists (unless
    `overwrite`), DownloadError for anything else; no partial or temporary file is left behind.
    """
    job = DownloadJob(url, dest, overwrite=overwrite, on_progress=on_progress, max_bytes=max_bytes)
    try:
        for attempt in range(max_resumes + 1):
            if attempt:
                await sleep(job.pause(attempt))
            try:
                response = await http.send(job.request(http), stream=True, auth=None, follow_redirects=True)
                try:
                    if job.begin(response):
                        async for chunk in response.aiter_raw(DOWNLOAD_CHUNK_SIZE):
                            job.write(chunk)
                finally:
                    await response.aclose()
            except RESUMABLE as exc:
                job.last_error = exc
            except httpx.HTTPError as exc:
                raise job.error(f"{type(exc).__name__}: {exc}", exc) from exc
            if job.complete():
                return job.publish()
        raise job.give_up(max_resumes)
    finally:
        job.cleanup()
