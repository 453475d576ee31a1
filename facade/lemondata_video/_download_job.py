"""One download's state, shared by the async and sync drivers: the request, the answer's checks, the bytes.

A short body or a dropped connection is resumed with a Range request; a 5xx or 429 answer
is retried the same way (after the host's Retry-After, when it sends one). A 401, 403, 404
or 410 usually means a signed link expired: when the caller can fetch the task again for a
fresh link, the first such answer is `refused` and the download goes on from its bytes with
the new URL (`renew`, logged at INFO); a second one, or any other error status, fails at
once. Requests go to the file host, never with an Authorization header, and messages never
show a URL's query (`_links.shown`: signed URLs carry secrets in it). The bytes go to a
temporary part (`_output_file`), checked against Content-Length, fsynced and only then
moved into place.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Final

import httpx

from ._config import logger
from ._constants import MAX_RETRY_AFTER
from ._exceptions import DownloadError, DownloadExistsError
from ._links import GONE, check_url, shown, status_text
from ._output_file import part_prefix, place, remove_stale_parts, umask
from ._retry import parse_retry_after

ProgressCallback = Callable[[int, int | None], None]

RESUME_DELAY: Final = 0.5
MAX_RESUME_DELAY: Final = 8.0
# Failures worth resuming: the host is reachable but the body did not arrive whole.
RESUMABLE: Final = (httpx.NetworkError, httpx.TimeoutException, httpx.RemoteProtocolError)
_CONTENT_RANGE: Final = re.compile(r"bytes (\d+)-(\d+)/(\d+|\*)")


class DownloadJob:
    """One download's state, shared by the sync and async drivers."""

    def __init__(
        self,
        url: str,
        dest: Path,
        *,
        overwrite: bool,
        on_progress: ProgressCallback | None,
        max_bytes: int,
        refreshable: bool = False,
    ) -> None:
        self.url, self.dest, self.overwrite = url, Path(dest), overwrite
        # With a way to fetch a fresh link, a first refusal (401/403/404/410) is `refused`, not fatal.
        self.refreshable, self.refreshed = refreshable, False
        self.refused: int | None = None
        self.on_progress, self.max_bytes = on_progress, max_bytes
        check_url(url)
        if self.dest.is_dir():
            msg = f"cannot save {shown(url)} to {self.dest}: it is a directory"
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
                prefix=part_prefix(self.dest, os.getpid()), suffix=".part", dir=self.dest.parent
            )
        except OSError as exc:
            reason = f"cannot create a temporary file in {self.dest.parent}: {exc.strerror or exc}"
            raise self.error(reason, exc) from exc
        self.tmp = Path(name)
        self.file = os.fdopen(fd, "wb")

    def error(self, reason: str, cause: BaseException | None = None) -> DownloadError:
        """A DownloadError naming the (redacted) URL and the reason."""
        err = DownloadError(f"cannot download {shown(self.url)}: {reason}")
        err.__cause__ = cause
        return err

    def request(self, http: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        """The next GET: from the start, or a Range request from what we have."""
        self.last_error = None
        self.last_status = None
        self.retry_after = None
        self.refused = None
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

        False for a 5xx or 429 (the body is skipped and the request retried) and for a first refusal
        of a link that can be renewed (`refused`); raises for other errors.
        """
        status = response.status_code
        if status == 429 or 500 <= status <= 599:
            self.last_status = status
            self.retry_after = parse_retry_after(response.headers.get("Retry-After"), now=time.time())
            return False
        if status in GONE and self.refreshable and not self.refreshed:
            self.refused = status
            return False
        if not response.is_success:
            raise self.error(self._refusal(status))
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

    def _refusal(self, status: int) -> str:
        """Why an error status ends the download; a refused link's second refusal says it expired."""
        answered = f"the file host answered {status_text(status)}"
        if status not in GONE:
            return answered
        if self.refreshed:
            return f"the link expired: {answered}, for the task's fresh link too"
        return f"{answered} (the link may have expired)"

    def renew(self, url: str) -> None:
        """Go on from the bytes written with `url`, the fresh link of the same file (once per download)."""
        logger.info(
            "download of %s: the file host answered %s (an expired link?); resuming from byte %d "
            "with a fresh link from the task",
            shown(self.url),
            status_text(self.refused or 0),
            self.received,
        )
        check_url(url)
        self.url, self.refused, self.refreshed = url, None, True

    def not_renewed(self, cause: DownloadError) -> DownloadError:
        """The error when the refused link could not be renewed: the refusal, then why."""
        return self.error(f"{self._refusal(self.refused or 0)}, and {cause}", cause)

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
        if self.last_status is not None or self.refused is not None:
            return False
        if self.total is not None:
            return self.received == self.total
        return self.last_error is None

    def give_up(self, resumes: int) -> DownloadError:
        """The error once every resume is spent: the last status, or how many bytes arrived."""
        if self.last_status is not None:
            reason = (
                f"gave up after {resumes + 1} attempts; the last answer was {status_text(self.last_status)}"
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
            os.chmod(self.file.fileno(), 0o666 & ~umask())
            os.fsync(self.file.fileno())
            self.file.close()
            place(self.tmp, self.dest, overwrite=self.overwrite)
        except DownloadExistsError:
            raise
        except OSError as exc:
            raise self.error(f"cannot save it to {self.dest}: {exc.strerror or exc}", exc) from exc
        return self.dest

    def cleanup(self) -> None:
        """Close and remove the temporary file (a no-op once it has been published)."""
        self.file.close()
        self.tmp.unlink(missing_ok=True)


def _delay(resume: int) -> float:
    return float(min(RESUME_DELAY * 2 ** (resume - 1), MAX_RESUME_DELAY))
