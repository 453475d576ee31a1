"""The batch journal: a SQLite file beside the videos that makes a batch safe to kill and rerun.

A job is written as `submitting` (with its fingerprint) and committed as its create goes on the
wire (after any wait for the request budget, so a job killed while waiting was never submitting),
its task id is committed as soon as the create returns, and every later state change is committed
too. A create that ends without a task is written whole, whether or not `submitting` was. WAL mode
with `synchronous=FULL`: a commit is on disk before the next request goes out.

`JournalStore` is what a batch runs on: this SQLite `Journal`, or the PostgreSQL one that several
workers share (`_journal_pg.py`), with the same states and events.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol

from ._exits import USAGE, CLIError

JOURNAL_NAME: Final = ".lemonvideo-journal.sqlite"
LOCK_NAME: Final = ".lemonvideo-journal.lock"

SUBMITTING: Final = "submitting"
RUNNING: Final = "running"
COMPLETED: Final = "completed"
DOWNLOADING: Final = "downloading"
DOWNLOADED: Final = "downloaded"
FAILED: Final = "failed"
CANCELLED: Final = "cancelled"
UNKNOWN: Final = "unknown"
INVALID: Final = "invalid"
ERROR: Final = "error"
TIMEOUT: Final = "timeout"

SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, state TEXT NOT NULL, task_id TEXT,
    status TEXT, progress REAL, out TEXT NOT NULL, error TEXT, request_fingerprint TEXT,
    updated_at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, job_id TEXT NOT NULL, at REAL NOT NULL,
    state TEXT NOT NULL, task_id TEXT, detail TEXT);
"""
COLUMNS: Final = ("state", "task_id", "status", "progress", "error", "request_fingerprint")


@dataclass(frozen=True)
class Record:
    """A job as the journal last saw it."""

    job_id: str
    fingerprint: str
    state: str
    task_id: str | None
    status: str | None
    progress: float | None
    out: str
    error: str | None
    request_fingerprint: str | None


class JournalStore(Protocol):
    """The journal a batch's jobs write to (see `Journal` for what each call records)."""

    where: str  # the file or the database, for messages and the report

    def records(self) -> dict[str, Record]: ...

    def submitting(self, job_id: str, *, fingerprint: str, out: str) -> None: ...

    def reject(
        self,
        job_id: str,
        *,
        fingerprint: str,
        out: str,
        error: str,
        state: str = INVALID,
        request_fingerprint: str | None = None,
    ) -> None: ...

    def update(self, job_id: str, state: str, **values: Any) -> None: ...

    def progress(self, job_id: str, *, status: str, progress: float | None) -> None: ...

    def close(self) -> None: ...


class Journal:
    """The journal of one output directory; only one batch may hold it at a time."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / JOURNAL_NAME
        self.where = str(self.path.resolve())
        self._lock_fd = _lock(directory / LOCK_NAME)
        self._db = sqlite3.connect(self.path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.executescript(SCHEMA)

    def records(self) -> dict[str, Record]:
        """Every journaled job by id."""
        cursor = self._db.execute(
            "SELECT job_id, fingerprint, state, task_id, status, progress, out, error, request_fingerprint "
            "FROM jobs"
        )
        return {row[0]: Record(*row) for row in cursor}

    def submitting(self, job_id: str, *, fingerprint: str, out: str) -> None:
        """Record that a job's create is going on the wire now (replacing an earlier, unsent attempt)."""
        now = time.time()
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT OR REPLACE INTO jobs (job_id, fingerprint, state, out, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (job_id, fingerprint, SUBMITTING, out, now),
            )
            self._event(job_id, SUBMITTING, None, fingerprint, now)

    def reject(
        self,
        job_id: str,
        *,
        fingerprint: str,
        out: str,
        error: str,
        state: str = INVALID,
        request_fingerprint: str | None = None,
    ) -> None:
        """Record a create that ended without a task, whether or not the job has a row yet.

        `invalid` (the default) and `error`: refused, nothing was created, a rerun may send it;
        `unknown` (with the request's fingerprint): sent, outcome lost. Replaces the job's row.
        """
        now = time.time()
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                "INSERT OR REPLACE INTO jobs "
                "(job_id, fingerprint, state, out, error, request_fingerprint, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (job_id, fingerprint, state, out, error, request_fingerprint, now),
            )
            self._event(job_id, state, None, error, now)

    def update(self, job_id: str, state: str, **values: Any) -> None:
        """Set a job's state and any of COLUMNS, and log the change."""
        unknown = set(values) - set(COLUMNS)
        if unknown:
            msg = f"unknown journal columns: {sorted(unknown)}"
            raise ValueError(msg)
        now = time.time()
        values["state"] = state
        assignments = ", ".join(f"{name} = ?" for name in values)
        with self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.execute(
                f"UPDATE jobs SET {assignments}, updated_at = ? WHERE job_id = ?",  # noqa: S608 - names from COLUMNS
                (*values.values(), now, job_id),
            )
            row = self._db.execute("SELECT task_id FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
            self._event(
                job_id, state, row[0] if row else None, values.get("error") or values.get("status"), now
            )

    def progress(self, job_id: str, *, status: str, progress: float | None) -> None:
        """Record the last polled status and progress (no event: polls are not state changes)."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute(
                "UPDATE jobs SET status = ?, progress = ?, updated_at = ? WHERE job_id = ?",
                (status, progress, time.time(), job_id),
            )

    def _event(self, job_id: str, state: str, task_id: str | None, detail: str | None, at: float) -> None:
        self._db.execute(
            "INSERT INTO events (job_id, at, state, task_id, detail) VALUES (?,?,?,?,?)",
            (job_id, at, state, task_id, detail),
        )

    def close(self) -> None:
        """Close the database and release the directory."""
        self._db.close()
        os.close(self._lock_fd)


def _lock(path: Path) -> int:
    """Hold an exclusive lock on `path` for this process's lifetime (released by the OS on a crash)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    if (
        sys.platform == "win32"
    ):  # pragma: no cover - no flock on Windows: one batch per directory by convention
        return fd
    import fcntl  # noqa: PLC0415 - POSIX only

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        msg = (
            f"another lemonvideo batch is using {path.parent}; wait for it to finish or use another --out-dir"
        )
        raise CLIError(msg, code=USAGE) from exc
    return fd
