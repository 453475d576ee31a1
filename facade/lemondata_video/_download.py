# Generated from _async_download.py by scripts/unasync: do not edit; edit the source, then run it.
"""The download driver: one streamed GET per attempt, resumed until the body is whole.

Written once, as async code: scripts/unasync derives the sync twin. The state of a download
and every rule it follows are `_download_job.DownloadJob`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from . import _synchronization as _sync
from ._constants import DOWNLOAD_CHUNK_SIZE, DOWNLOAD_MAX_RESUMES, MAX_DOWNLOAD_BYTES
from ._download_job import RESUMABLE, DownloadJob, ProgressCallback
from ._exceptions import DownloadError


def download_file(
    http: httpx.Client,
    url: str,
    dest: Path,
    *,
    overwrite: bool = False,
    on_progress: ProgressCallback | None = None,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    max_resumes: int = DOWNLOAD_MAX_RESUMES,
    sleep: Callable[[float], None] = _sync.sleep,
    refresh: Callable[[], str] | None = None,
) -> Path:
    """Download `url` to `dest` atomically; resume a short or broken body up to `max_resumes` times.

    A 5xx or 429 is retried within the same `max_resumes` (after its Retry-After, capped, or the
    backoff), from the bytes written where the host supports Range. A refused link (401, 403,
    404, 410) is renewed once with `refresh()` (a fresh URL of the same file, or DownloadError)
    and the download goes on from the bytes written. `on_progress(bytes_so_far, total_or_None)`
    is called per chunk. Raises DownloadExistsError if `dest` exists (unless `overwrite`),
    DownloadError for anything else; no partial or temporary file is left behind.
    """
    renewable = refresh is not None
    job = DownloadJob(
        url, dest, overwrite=overwrite, on_progress=on_progress, max_bytes=max_bytes, refreshable=renewable
    )
    try:
        attempt = 0
        while True:
            _fetch(http, job)
            if job.complete():
                return job.publish()
            if refresh is not None and job.refused is not None:
                _renew(job, refresh)
                continue
            attempt += 1
            if attempt > max_resumes:
                raise job.give_up(max_resumes)
            sleep(job.pause(attempt))
    finally:
        job.cleanup()


def _renew(job: DownloadJob, refresh: Callable[[], str]) -> None:
    """Go on with a fresh link; a refresh that fails ends the download, naming the refusal first."""
    try:
        fresh = refresh()
    except DownloadError as exc:
        raise job.not_renewed(exc) from exc
    job.renew(fresh)


def _fetch(http: httpx.Client, job: DownloadJob) -> None:
    """One GET of the job's URL, its body appended to the job's file; a broken body is noted on the job."""
    try:
        response = http.send(job.request(http), stream=True, auth=None, follow_redirects=True)
        try:
            if job.begin(response):
                for chunk in response.iter_raw(DOWNLOAD_CHUNK_SIZE):
                    job.write(chunk)
        finally:
            response.close()
    except RESUMABLE as exc:
        job.last_error = exc
    except httpx.HTTPError as exc:
        raise job.error(f"{type(exc).__name__}: {exc}", exc) from exc
