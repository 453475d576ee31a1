"""One job of a batch, from wherever the journal left it: create, wait, download, never twice.

`Runner._create` is longer than 40 lines: the create, its journal hook and the grace it gets
on Ctrl-C are one sequence whose order is the guarantee (a task id is never lost), kept
readable in one place.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

from .._exceptions import (
    LemonDataError,
    RequestValidationError,
    TaskCancelledError,
    TaskFailedError,
    TaskMayExistError,
    WaitTimeoutError,
)
from .._task import Task
from . import _journal as jn
from ._exits import one_line
from ._fields import check_request, fields_from_job
from ._jobs import Job

if TYPE_CHECKING:
    import httpx

    from .._async_client import AsyncVideoClient

# After Ctrl-C, how long a create already sent may take to answer, so its task id is journaled.
CREATE_GRACE_SECONDS: Final = 30.0
MP4_MAGIC: Final = b"ftyp"
UNKNOWN_REASON: Final = (
    "the create request was sent but its outcome is unknown; not resent "
    "(rerun with --resubmit-unknown to send it again, which may pay twice)"
)
# The create operation's path (the spec's POST /v1/videos/generations).
CREATE_PATH: Final = "/v1/videos/generations"
# What the create this asyncio task sends calls as it goes on the wire (set by `Runner._create`).
CREATE_ON_WIRE: ContextVar[Callable[[], None] | None] = ContextVar("lemonvideo_create_on_wire", default=None)


async def on_request(request: httpx.Request) -> None:
    """The batch's httpx `request` hook: a create is journaled as it goes out; other requests pass.

    It runs after the request budget's wait, right before the request is sent, in the context of
    the task `Runner._create` started; a create sent from anywhere else is refused, unsent.
    """
    if request.method != "POST" or not request.url.path.endswith(CREATE_PATH):
        return
    journal_sent = CREATE_ON_WIRE.get()
    if journal_sent is None:
        msg = f"a create ({request.method} {request.url.path}) was about to be sent without a journal entry"
        raise RuntimeError(msg)
    journal_sent()


@dataclass
class Runner:
    """What every job of a batch shares."""

    client: AsyncVideoClient
    journal: jn.JournalStore
    out_dir: Path
    jobs_dir: Path
    timeout: float
    resubmit_unknown: bool
    sleep: Callable[[float], Awaitable[None]]
    on_change: Callable[[str, str], None]

    def _set(self, job: Job, state: str, **values: object) -> None:
        self.journal.update(job.id, state, **values)
        self.on_change(job.id, state)

    async def run(self, job: Job, record: jn.Record | None) -> None:
        """Take `job` from its journaled state to downloaded (or to a reason why not)."""
        target = self.out_dir / job.out
        state = record.state if record else None
        task_id = record.task_id if record else None
        if state in (jn.FAILED, jn.CANCELLED) or (state == jn.DOWNLOADED and target.exists()):
            self.on_change(job.id, state or "")
            return
        if task_id is None:
            if state in (jn.SUBMITTING, jn.UNKNOWN) and not self.resubmit_unknown:
                self._set(job, jn.UNKNOWN, error=UNKNOWN_REASON)
                return
            task_id = await self._create(job)
            if task_id is None:
                return
        if state == jn.DOWNLOADING and _is_mp4(target):  # the atomic rename happened before the crash
            self._set(job, jn.DOWNLOADED)
            return
        task = await self._wait(job, task_id)
        if task is not None:
            await self._download(job, task, target)

    def _ended(self, job: Job, state: str, *, error: str, request_fingerprint: str | None = None) -> None:
        """A create ended without a task: journal it whole (it may never have been journaled as sent)."""
        self.journal.reject(
            job.id,
            fingerprint=job.fingerprint,
            out=job.out,
            error=error,
            state=state,
            request_fingerprint=request_fingerprint,
        )
        self.on_change(job.id, state)

    async def _create(self, job: Job) -> str | None:
        fields = fields_from_job(job.fields, base=self.jobs_dir)
        try:
            check_request(job.prompt, fields)  # before the journal: an invalid job is never "submitting"
        except RequestValidationError as exc:
            self._ended(job, jn.INVALID, error=one_line(exc))
            return None
        on_wire = False

        def journal_sent() -> None:  # called by `on_request` as the create goes out (each attempt)
            nonlocal on_wire
            self.journal.submitting(job.id, fingerprint=job.fingerprint, out=job.out)
            on_wire = True
            self.on_change(job.id, jn.SUBMITTING)

        token = CREATE_ON_WIRE.set(journal_sent)
        try:  # the new asyncio task copies the context, so its request hook finds `journal_sent`
            sending = asyncio.ensure_future(self.client.create(job.prompt, **fields))
        finally:
            CREATE_ON_WIRE.reset(token)
        try:
            try:
                task = await asyncio.shield(sending)
            except asyncio.CancelledError:
                if not on_wire:  # still waiting for its slot of the budget: nothing to keep
                    sending.cancel()
                    raise
                # Interrupted: the create may already be on the wire; keep its task id if it answers.
                task = await asyncio.wait_for(sending, CREATE_GRACE_SECONDS)
                self._set(job, jn.RUNNING, task_id=task.id, status=task.raw_status)
                raise
        except RequestValidationError as exc:
            self._ended(job, jn.INVALID, error=one_line(exc))
            return None
        except TaskMayExistError as exc:
            error = f"{one_line(exc)}; {UNKNOWN_REASON}"
            self._ended(job, jn.UNKNOWN, error=error, request_fingerprint=exc.fingerprint)
            return None
        except LemonDataError as exc:  # rejected with a definite answer: nothing was created
            self._ended(job, jn.ERROR, error=one_line(exc))
            return None
        self._set(job, jn.RUNNING, task_id=task.id, status=task.raw_status)
        return task.id

    async def _wait(self, job: Job, task_id: str) -> Task | None:
        last: list[str] = []

        def on_update(task: Task) -> None:
            self.journal.progress(job.id, status=task.raw_status, progress=task.progress)
            if not last or last[-1] != task.raw_status:
                last.append(task.raw_status)
                self.on_change(job.id, jn.RUNNING)

        try:
            task = await self.client.wait(
                task_id, timeout=self.timeout, on_update=on_update, sleep=self.sleep
            )
        except TaskCancelledError as exc:
            self._set(job, jn.CANCELLED, status=exc.task.raw_status, error=one_line(exc))
            return None
        except TaskFailedError as exc:
            self._set(job, jn.FAILED, status=exc.task.raw_status, error=one_line(exc))
            return None
        except WaitTimeoutError as exc:
            self._set(job, jn.TIMEOUT, status=exc.task.raw_status, error=one_line(exc))
            return None
        except LemonDataError as exc:
            self._set(job, jn.ERROR, error=one_line(exc))
            return None
        self._set(job, jn.COMPLETED, status=task.raw_status, progress=task.progress)
        return task

    async def _download(self, job: Job, task: Task, target: Path) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        self._set(job, jn.DOWNLOADING)
        try:
            await self.client.download(task, target)
        except LemonDataError as exc:
            self._set(job, jn.ERROR, error=one_line(exc))
            return
        self._set(job, jn.DOWNLOADED, error=None)


def _is_mp4(path: Path) -> bool:
    """True when `path` is a file that starts like an MP4 (an `ftyp` box)."""
    try:
        with path.open("rb") as handle:
            return handle.read(8)[4:8] == MP4_MAGIC
    except OSError:
        return False
