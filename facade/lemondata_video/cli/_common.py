"""Helpers shared by the task commands: the client, JSON of a task, waiting with a bar, saving."""

from __future__ import annotations

import os
import shlex
from pathlib import Path
from typing import Any

from .._client import VideoClient
from .._exceptions import (
    DownloadError,
    DownloadExistsError,
    WaitTimeoutError,
    ended_error,
)
from .._task import Task, TaskStatus
from ._connect import Connection
from ._exits import API_ERROR, TIMEOUT, VALIDATION, CLIError, one_line
from ._output import Output
from ._progress import ProgressLine
from ._signals import interruption


def client_for(conn: Connection) -> VideoClient:
    """A synchronous client for `conn`."""
    return VideoClient(api_key=conn.api_key, base_url=conn.base_url)


def task_json(task: Task, **extra: Any) -> dict[str, Any]:
    """A task as a JSON-ready dict, for `--json`."""
    return {
        "task_id": task.id,
        "status": task.raw_status,
        "progress": task.progress,
        "model": task.model,
        "poll_url": task.poll_url,
        "video_url": task.video_url,
        "videos": [
            {"url": v.url, "duration": v.duration, "width": v.width, "height": v.height} for v in task.videos
        ],
        "error": task.error,
        "cancelled": task.cancelled,
        "created": task.created,
        "updated": task.updated,
        **extra,
    }


def task_text(task: Task) -> str:
    """A task as `key: value` lines, for people."""
    data = task_json(task)
    data.pop("videos")
    return "\n".join(f"{key}: {value}" for key, value in data.items() if value not in (None, False))


def resume_command(command: str, task_id: str, out: str | None) -> str:
    """The exact command that picks a task up again."""
    parts = ["lemonvideo", command, task_id]
    if out:
        parts += ["--out", out]
    return shlex.join(parts)


def check_target(out: str | None, *, overwrite: bool) -> None:
    """Refuse, before any request, an `--out` that cannot be written (the task would be paid, not saved).

    That is an existing file without `--overwrite`, or a folder that does not exist.
    """
    if not out:
        return
    path = Path(out).expanduser()
    if path.is_dir() or out.endswith(("/", os.sep)):
        folder = path
    elif path.exists() and not overwrite:
        msg = f"{out} exists; pass --overwrite to replace it, or choose another --out"
        raise CLIError(msg, code=VALIDATION)
    else:
        folder = path.parent
    if not folder.is_dir():
        msg = f"cannot save to {out}: the folder {str(folder)!r} does not exist"
        raise CLIError(msg, code=VALIDATION)


def raise_for_outcome(task: Task) -> Task:
    """`task` if it completed; TaskCancelledError, TaskExpiredError or TaskFailedError otherwise."""
    if task.status is TaskStatus.FAILED:
        raise ended_error(task)
    return task


def wait_with_bar(
    client: VideoClient,
    task: Task | str,
    *,
    conn: Connection,
    out: Output,
    timeout: float,
    out_path: str | None,
) -> Task:
    """Wait for the task with a live progress line; timeouts say how to resume."""
    task_id = task if isinstance(task, str) else task.id
    progress = ProgressLine(out.stderr, max_poll_interval=conn.max_poll_interval)
    if isinstance(task, Task):
        progress.update(task)
    try:
        final = client.wait(task, timeout=timeout, on_update=progress.update, sleep=progress.sleep)
    except WaitTimeoutError as exc:
        progress.close()
        resume = resume_command("wait", task_id, out_path)
        msg = (
            f"timed out after {timeout:g} s waiting for task {task_id} ({exc.task.raw_status}); "
            f"resume with: {resume}"
        )
        raise CLIError(msg, code=TIMEOUT, task_id=task_id, resume=resume) from exc
    finally:
        progress.close()
    return raise_for_outcome(final)


def save(client: VideoClient, task: Task, *, out: Output, out_path: str | None, overwrite: bool) -> Path:
    """Download the first output; Ctrl-C says how to download it later."""
    try:
        path = client.download(task, out_path, overwrite=overwrite)
    except KeyboardInterrupt as exc:
        words, code = interruption(exc)
        resume = resume_command("download", task.id, out_path)
        msg = f"{words} while downloading task {task.id}; resume with: {resume}"
        raise CLIError(msg, code=code, task_id=task.id, resume=resume) from exc
    except DownloadExistsError:
        raise
    except DownloadError as exc:
        resume = resume_command("download", task.id, out_path)
        msg = f"{one_line(exc)}; the task is done, retry the download with: {resume}"
        raise CLIError(msg, code=API_ERROR, task_id=task.id, resume=resume) from exc
    return path.resolve()
