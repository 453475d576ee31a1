"""Streamed, atomic, resumable download of a task's video to a local file.

The body is written to a hidden temporary file beside the target, checked
against Content-Length, fsynced and only then moved into place, so the target
either does not exist or is complete. A short body or a dropped connection is
resumed with a Range request; a 5xx or 429 answer is retried the same way (after
the host's Retry-After, when it sends one), any other error status fails at once.
Requests go to the file host, never with an Authorization header, and messages
never show a URL's query (signed URLs carry secrets in it).

The temporary file is named `.NAME.<pid>.<random>.part` after the process that
writes it. A download of NAME first removes such files whose process is gone (a
run killed mid-download), and never touches a live process's file or any other.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
import time
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit, urlunsplit

import httpx

from ._constants import DOWNLOAD_CHUNK_SIZE, DOWNLOAD_MAX_RESUMES, MAX_DOWNLOAD_BYTES, MAX_RETRY_AFTER
from ._exceptions import DownloadError, DownloadExistsError
from ._retry import parse_retry_after
from ._task import Task

ProgressCallback = Callable[[int, int | None], None]

RESUME_DELAY: Final = 0.5
MAX_RESUME_DELAY: Final = 8.0
MAX_FILENAME_STEM: Final = 100
FALLBACK_STEM: Final = "video"
# Failures worth resuming: the host is reachable but the body did not arrive whole.
_RESUMABLE: Final = (httpx.NetworkError, httpx.TimeoutException, httpx.RemoteProtocolError)
_UNSAFE_CHARS: Final = re.compile(r"[^A-Za-z0-9._-]+")
_CONTENT_RANGE: Final = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")
# The part of a temporary file's name after `.NAME.`: the writer's pid and mkstemp's 8 random characters.
_PART_TAIL: Final = re.compile(r"([1-9][0-9]{0,9})\.[a-z0-9_]{8}\.part")
# Error statuses that usually mean "expired or removed" for a signed result URL.
_GONE: Final = frozenset({401, 403, 404, 410})
_WINDOWS_RESERVED: Final = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{port}{n}" for port in ("COM", "LPT") for n in range(1, 10)]
)


def default_filename(task: Task, index: int = 0) -> str:
    """A safe file name for output `index` of `task`: `<task id>.mp4`, `<task id>-2.mp4`, ...

    Only `[A-Za-z0-9._-]` survive, so a hostile id cannot name another directory.
    """
    if index < 0:
        msg = f"index must be 0 or more, not {index}"
        raise ValueError(msg)
    stem = _UNSAFE_CHARS.sub("_", task.id).strip(".")[:MAX_FILENAME_STEM].rstrip(".") or FALLBACK_STEM
    if stem.upper() in _WINDOWS_RESERVED:
        stem = f"{FALLBACK_STEM}_{stem}"
    suffix = f"-{index + 1}" if index else ""
    return f"{stem}{suffix}.mp4"


def resolve_target(path: str | os.PathLike[str] | None, task: Task, index: int = 0) -> Path:
    """The file to write: `path` itself, or `default_filename` inside it (or the cwd) for a directory."""
    if path is None:
        return Path.cwd() / default_filename(task, index)
    text = os.fspath(path)
    target = Path(text).expanduser()
    if target.is_dir() or text.endswith(("/", os.sep)):
        return target / default_filename(task, index)
    return target


def _shown(url: str) -> str:
    """The URL without credentials, query or fragment: safe for messages and logs."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


class _Job:
    """One download's state, shared by the sync and async drivers."""

    def __init__(
        self, url: str, dest: Path, *, overwrite: bool, on_progress: ProgressCallback | None, max_bytes: int
    ) -> None:
        self.url, self.dest, self.overwrite = url, Path(dest), overwrite
        self.on_progress, self.max_bytes = on_progress, max_bytes
        try:
            scheme = urlsplit(url).scheme.lower()
            httpx.URL(url)
        except (ValueError, httpx.InvalidURL) as exc:
            msg = f"cannot download: not a valid URL ({type(exc).__name__})"
            raise DownloadError(msg) from exc
        if scheme not in ("http", "https"):
            msg = f"cannot download a {scheme or 'relative'!r} URL: only http and https URLs are supported"
            raise DownloadError(msg)
        if self.dest.is_dir():
            msg = f"cannot save {_shown(url)} to {self.dest}: it is a directory"
            raise DownloadError(msg)
        remove_stale_parts(self.dest)
        if not overwrite and os.path.lexists(self.dest):
            msg = f"{self.dest} already exists; pass overwrite=True to replace it"
            raise DownloadExistsError(msg)
        self.received = 0
        self.total: int | None = None
        self.etag: str | None = None
        self.last_error: BaseException | None = None
        self.last_status: int | None = None
        self.retry_after: float | None = None
        try:
            fd, name = tempfile.mkstemp(
                prefix=_part_prefix(self.dest, os.getpid()), suffix=".part", dir=self.dest.parent
            )
        except OSError as exc:
            reason = f"cannot create a temporary file in {self.dest.parent}: {exc.strerror or exc}"
            raise self.error(reason, exc) from exc
        self.tmp = Path(name)
        self.file = os.fdopen(fd, "wb")

    def error(self, reason: str, cause: BaseException | None = None) -> DownloadError:
        """A DownloadError naming the (redacted) URL and the reason."""
        err = DownloadError(f"cannot download {_shown(self.url)}: {reason}")
        err.__cause__ = cause
        return err

    def request(self, http: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        """The next GET: from the start, or a Range request from what we have."""
        self.last_error = None
        self.last_status = None
        self.retry_after = None
        request = http.build_request("GET", self.url)
        # The file host is another origin: the API key must never travel there.
        request.headers.pop("Authorization", None)
        request.headers["Accept-Encoding"] = "identity"
        if self.received:
            request.headers["Range"] = f"bytes={self.received}-"
            if self.etag:
                request.headers["If-Range"] = self.etag
        return request

    def begin(self, response: httpx.Response) -> bool:
        """Check the status and headers of an answer before its body is read.

        False for a 5xx or 429 (the body is skipped and the request retried); raises for other errors.
        """
        status = response.status_code
        if status == 429 or 500 <= status <= 599:
            self.last_status = status
            self.retry_after = parse_retry_after(response.headers.get("Retry-After"), now=time.time())
            return False
        if not response.is_success:
            hint = " (the link may have expired)" if status in _GONE else ""
            raise self.error(f"the file host answered {_status_text(status)}{hint}")
        encoding = response.headers.get("Content-Encoding", "identity").lower()
        if encoding != "identity":
            raise self.error(f"the file host sent a {encoding!r}-encoded body; its size cannot be checked")
        if response.status_code == 206:
            self._resume_from(response.headers.get("Content-Range", ""))
        else:
            # A full body (a host without Range support answers 200): start over.
            self.file.seek(0)
            self.file.truncate()
            self.received = 0
            length = response.headers.get("Content-Length", "")
            self.total = int(length) if length.isdigit() else None
            etag = response.headers.get("ETag")
            self.etag = etag if etag and not etag.startswith("W/") else None
        if self.total is not None and self.total > self.max_bytes:
            raise self.error(f"the file is {self.total} bytes, more than the limit of {self.max_bytes}")
        return True

    def pause(self, attempt: int) -> float:
        """Seconds to wait before `attempt` (1 for the first retry).

        The last answer's Retry-After (capped at MAX_RETRY_AFTER) when it sent one, else the backoff.
        """
        if self.retry_after is not None:
            return min(self.retry_after, MAX_RETRY_AFTER)
        return _delay(attempt)

    def _resume_from(self, content_range: str) -> None:
        match = _CONTENT_RANGE.fullmatch(content_range.strip())
        if match is None or int(match[1]) != self.received:
            raise self.error(f"asked for bytes from {self.received}, got Content-Range {content_range!r}")
        size = None if match[3] == "*" else int(match[3])
        if size is not None and self.total is not None and size != self.total:
            raise self.error(f"the file changed on the host (was {self.total} bytes, now {size})")
        self.total = size if size is not None else self.total

    def write(self, chunk: bytes) -> None:
        """Append a chunk, enforcing the announced size and the cap, and report progress."""
        self.received += len(chunk)
        if self.total is not None and self.received > self.total:
            raise self.error(f"the host sent more than the {self.total} bytes it announced")
        if self.received > self.max_bytes:
            raise self.error(f"the file is larger than the limit of {self.max_bytes} bytes")
        try:
            self.file.write(chunk)
        except OSError as exc:
            raise self.error(f"cannot write {self.tmp}: {exc.strerror or exc}", exc) from exc
        if self.on_progress is not None:
            try:
                self.on_progress(self.received, self.total)
            except Exception as exc:
                raise self.error(f"on_progress raised {type(exc).__name__}: {exc}", exc) from exc

    def complete(self) -> bool:
        """True once the body is whole; False when it ended short, broke off or was refused (retry)."""
        if self.last_status is not None:
            return False
        if self.total is not None:
            return self.received == self.total
        return self.last_error is None

    def give_up(self, resumes: int) -> DownloadError:
        """The error once every resume is spent: the last status, or how many bytes arrived."""
        if self.last_status is not None:
            reason = (
                f"gave up after {resumes + 1} attempts; the last answer was {_status_text(self.last_status)}"
            )
            return self.error(reason)
        got = f"got {self.received} of {self.total if self.total is not None else '?'} bytes"
        last = f"; last error: {type(self.last_error).__name__}" if self.last_error else ""
        return self.error(f"{got} after {resumes} resume(s){last}", self.last_error)

    def publish(self) -> Path:
        """Flush, fsync and move the temporary file into place; no-clobber unless overwrite."""
        try:
            self.file.flush()
            # mkstemp makes the file 0600; a saved video gets the usual umask-based mode.
            os.chmod(self.file.fileno(), 0o666 & ~_umask())
            os.fsync(self.file.fileno())
            self.file.close()
            _place(self.tmp, self.dest, overwrite=self.overwrite)
        except DownloadExistsError:
            raise
        except OSError as exc:
            raise self.error(f"cannot save it to {self.dest}: {exc.strerror or exc}", exc) from exc
        return self.dest

    def cleanup(self) -> None:
        """Close and remove the temporary file (a no-op once it has been published)."""
        self.file.close()
        self.tmp.unlink(missing_ok=True)


def _status_text(status: int) -> str:
    """`HTTP 404 Not Found`, or `HTTP 520` for a status without a standard phrase."""
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _part_prefix(dest: Path, pid: int) -> str:
    """The start of the name of `dest`'s temporary file written by process `pid`."""
    return f".{dest.name}.{pid}."


def remove_stale_parts(dest: Path) -> list[Path]:
    """Remove the temporary files of `dest` left by processes that are no longer running.

    Only regular files beside `dest` named exactly `.NAME.<pid>.<8 random characters>.part`
    are candidates, and only when no process `pid` exists; errors are ignored (best effort).
    Returns the files removed.
    """
    prefix = f".{dest.name}."
    try:
        with os.scandir(dest.parent) as entries:
            stale = [entry for entry in entries if _is_stale_part(entry, prefix)]
    except OSError:
        return []
    removed = []
    for entry in stale:
        try:
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def _is_stale_part(entry: os.DirEntry[str], prefix: str) -> bool:
    """Whether `entry` is a temporary file (of the target named by `prefix`) whose writer is gone."""
    if not entry.name.startswith(prefix):
        return False
    match = _PART_TAIL.fullmatch(entry.name, len(prefix))
    if match is None or _is_running(int(match[1])):
        return False
    try:
        return entry.is_file(follow_symlinks=False)
    except OSError:
        return False


def _is_running(pid: int) -> bool:
    """Whether process `pid` exists; True when that cannot be told (never remove a live writer's file)."""
    if os.name != "posix":
        return True  # on Windows os.kill(pid, 0) would terminate the process
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError):
        return True  # PermissionError: it runs, as another user
    return True


def _umask() -> int:
    """The process umask, read without changing it (os.umask would race other threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def _place(tmp: Path, dest: Path, *, overwrite: bool) -> None:
    if overwrite:
        os.replace(tmp, dest)
        return
    try:
        os.link(tmp, dest)  # atomic and fails if dest appeared meanwhile
    except FileExistsError as exc:
        msg = f"{dest} already exists; pass overwrite=True to replace it"
        raise DownloadExistsError(msg) from exc
    except (OSError, NotImplementedError):
        # No hard links here (FAT, some network shares): the best check left.
        if os.path.lexists(dest):
            msg = f"{dest} already exists; pass overwrite=True to replace it"
            raise DownloadExistsError(msg) from None
        os.replace(tmp, dest)
        return
    tmp.unlink()


def _delay(resume: int) -> float:
    return float(min(RESUME_DELAY * 2 ** (resume - 1), MAX_RESUME_DELAY))


def download_file(
    http: httpx.Client,
    url: str,
    dest: Path,
    *,
    overwrite: bool = False,
    on_progress: ProgressCallback | None = None,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    max_resumes: int = DOWNLOAD_MAX_RESUMES,
    sleep: Callable[[float], None] = time.sleep,
) -> Path:
    """Download `url` to `dest` atomically; resume a short or broken body up to `max_resumes` times.

    A 5xx or 429 answer is retried within the same `max_resumes`, after its Retry-After (capped
    at MAX_RETRY_AFTER) or the usual backoff, from the bytes already written where the host
    supports Range. `on_progress(bytes_so_far, total_or_None)` is called per chunk. Raises
    `DownloadExistsError` if `dest` exists (unless `overwrite`), `DownloadError`
    for anything else; no partial or temporary file is left behind.
    """
    job = _Job(url, dest, overwrite=overwrite, on_progress=on_progress, max_bytes=max_bytes)
    try:
        for attempt in range(max_resumes + 1):
            if attempt:
                sleep(job.pause(attempt))
            try:
                response = http.send(job.request(http), stream=True, auth=None, follow_redirects=True)
                try:
                    if job.begin(response):
                        for chunk in response.iter_raw(DOWNLOAD_CHUNK_SIZE):
                            job.write(chunk)
                finally:
                    response.close()
            except _RESUMABLE as exc:
                job.last_error = exc
            except httpx.HTTPError as exc:
                raise job.error(f"{type(exc).__name__}: {exc}", exc) from exc
            if job.complete():
                return job.publish()
        raise job.give_up(max_resumes)
    finally:
        job.cleanup()


async def adownload_file(
    http: httpx.AsyncClient,
    url: str,
    dest: Path,
    *,
    overwrite: bool = False,
    on_progress: ProgressCallback | None = None,
    max_bytes: int = MAX_DOWNLOAD_BYTES,
    max_resumes: int = DOWNLOAD_MAX_RESUMES,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> Path:
    """The async twin of `download_file`, with the same rules and errors."""
    job = _Job(url, dest, overwrite=overwrite, on_progress=on_progress, max_bytes=max_bytes)
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
            except _RESUMABLE as exc:
                job.last_error = exc
            except httpx.HTTPError as exc:
                raise job.error(f"{type(exc).__name__}: {exc}", exc) from exc
            if job.complete():
                return job.publish()
        raise job.give_up(max_resumes)
    finally:
        job.cleanup()
