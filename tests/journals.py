"""The two journals of `lemonvideo batch`, as the crash-and-resume tests see them.

A test takes the `journal_backend` fixture (tests/conftest.py) and runs once on the default
SQLite journal in --out-dir and once on a fresh PostgreSQL database (`--journal URL`, with a
short lease so a rerun after a SIGKILL takes the dead run's jobs over within seconds). Both
answer the same questions: the jobs' states and task ids, the events, whether the journal was
written since a moment, and how to leave a job `submitting` as a process killed between the
journal and the request would.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Final

import psycopg
from lemondata_video.cli import _journal as jn
from lemondata_video.cli._jobs import load_jobs
from lemondata_video.cli._journal_pg import PgJournal

# Seconds a PostgreSQL worker's claim lasts: a rerun waits this long for a killed run's jobs.
LEASE: Final = 2.0
Rows = dict[str, tuple[str, str | None]]


class SqliteJournal:
    """The journal file in --out-dir."""

    name = "sqlite"

    def args(self) -> tuple[str, ...]:
        return ()

    def where(self, out_dir: Path) -> str:
        return str(out_dir)

    def interrupted(self, out_dir: Path) -> str:
        """The last line of a batch stopped with Ctrl-C."""
        return (
            "lemonvideo: error: interrupted; every task id is journaled; rerun the same command to resume "
            f"({out_dir})\n"
        )

    def _query(self, out_dir: Path, sql: str) -> list[tuple[object, ...]]:
        path = out_dir / jn.JOURNAL_NAME
        if not path.exists():
            return []
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return list(db.execute(sql))
        except sqlite3.OperationalError:  # the tables do not exist yet
            return []
        finally:
            db.close()

    def rows(self, out_dir: Path) -> Rows:
        return {
            str(j): (str(s), t) for j, s, t in self._query(out_dir, "SELECT job_id, state, task_id FROM jobs")
        }

    def events(self, out_dir: Path) -> list[tuple[str, str]]:
        return [
            (str(j), str(s)) for j, s in self._query(out_dir, "SELECT job_id, state FROM events ORDER BY seq")
        ]

    def written_since(self, out_dir: Path, since: float) -> bool:
        files = [p for p in out_dir.glob(".lemonvideo-journal*") if p.is_file()]
        return any(p.stat().st_mtime >= since for p in files)

    def leave_submitting(self, out_dir: Path, jobs_path: str, job_id: str) -> None:
        job = next(j for j in load_jobs(jobs_path) if j.id == job_id)
        out_dir.mkdir(parents=True, exist_ok=True)
        journal = jn.Journal(out_dir)
        journal.submitting(job.id, fingerprint=job.fingerprint, out=job.out)
        journal.close()


class PostgresJournal(SqliteJournal):
    """A PostgreSQL database of its own."""

    name = "postgres"

    def __init__(self, url: str) -> None:
        self.url = url

    def args(self) -> tuple[str, ...]:
        return ("--journal", self.url, "--lease", str(LEASE))

    def where(self, out_dir: Path) -> str:
        return self.url

    def interrupted(self, out_dir: Path) -> str:
        return (
            "lemonvideo: error: interrupted; every task id is journaled and this worker's jobs are "
            f"released to the other workers; rerun the same command to resume ({self.url})\n"
        )

    def _query(self, out_dir: Path, sql: str) -> list[tuple[object, ...]]:
        with psycopg.connect(self.url, autocommit=True) as db:
            try:
                return list(db.execute(sql))
            except psycopg.errors.UndefinedTable:
                return []

    def written_since(self, out_dir: Path, since: float) -> bool:
        rows = self._query(out_dir, "SELECT max(at) FROM events")
        return bool(rows) and rows[0][0] is not None and float(rows[0][0]) >= since

    def leave_submitting(self, out_dir: Path, jobs_path: str, job_id: str) -> None:
        """Queue the jobs, claim them, journal one `submitting`, and vanish with the lease held."""
        journal = PgJournal(self.url, lease=LEASE)
        journal.enqueue(load_jobs(jobs_path), base=Path(jobs_path).resolve().parent)
        claimed = journal.claim(100, resubmit_unknown=False)
        job = next(job for job, _, _ in claimed if job.id == job_id)
        journal.submitting(job.id, fingerprint=job.fingerprint, out=job.out)
        journal.close()


def states(journal: SqliteJournal, out_dir: Path) -> dict[str, int]:
    """How many jobs the journal holds in each state."""
    return dict(Counter(state for state, _ in journal.rows(out_dir).values()))
