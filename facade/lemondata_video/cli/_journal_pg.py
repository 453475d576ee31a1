"""The batch journal in PostgreSQL: the SQLite journal's states and events, and a queue workers claim from.

`jobs` and `events` hold what they hold in the SQLite journal (`_journal.py`); `events` also
names the worker. `queue` holds each job as the jobs file gave it, so a worker on any machine
can run it, and a lease: a worker claims jobs with `FOR UPDATE SKIP LOCKED` (two workers never
claim one job) for `lease` seconds of the database's clock, renews the lease while it works,
and a dead worker's jobs go back to the others once it expires.

The `submitting` protocol is as strict as with SQLite, and holds across workers: every write
first locks the job's queue row and checks that this worker still holds an unexpired lease
(`LeaseLostError` otherwise), so `submitting` is committed before the create goes on the wire
by the only worker that may send it, and a worker that claims a job left `submitting` reports
it `unknown`, never resends it. A task id is written even when the lease was lost: it is never
dropped. One journal per database (or schema, with `?options=-csearch_path%3DNAME` in the URL).
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from . import _journal as jn
from ._exits import USAGE, CLIError
from ._jobs import Job
from ._pg_schema import CLAIM, CLAIMABLE, SCHEMA, SCHEMA_LOCK, masked_url

RECORD_COLUMNS: Final = (
    "job_id, fingerprint, state, task_id, status, progress, out, error, request_fingerprint"
)


class LeaseLostError(RuntimeError):
    """This worker's lease on a job expired and another worker may hold it: the job is left to it."""


class PgJournal:
    """The journal of one batch in PostgreSQL, as seen by one worker."""

    def __init__(self, url: str, *, lease: float, worker: str | None = None) -> None:
        import psycopg  # noqa: PLC0415 - the `postgres` extra, needed only here

        self.where = masked_url(url)
        self.lease = lease
        self.worker = worker or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.started = time.time()
        try:
            self._db = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            msg = f"cannot open the journal at {self.where}: {str(exc).strip()}"
            raise CLIError(msg, code=USAGE) from exc
        with self._db.transaction():
            self._db.execute(SCHEMA_LOCK)  # workers starting together would race on CREATE TABLE
            self._db.execute(SCHEMA)

    def enqueue(self, jobs: Sequence[Job], *, base: Path) -> None:
        """Put the jobs of a jobs file in the queue (a changed job not yet sent replaces its old self)."""
        rows = [
            (job.id, job.line, job.prompt, json.dumps(job.fields), job.out, job.fingerprint, str(base))
            for job in jobs
        ]
        with self._db.transaction(), self._db.cursor() as cur:
            cur.executemany(
                "INSERT INTO queue (job_id, line, prompt, fields, out, fingerprint, base) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (job_id) DO UPDATE SET "
                "line = EXCLUDED.line, prompt = EXCLUDED.prompt, fields = EXCLUDED.fields, "
                "out = EXCLUDED.out, fingerprint = EXCLUDED.fingerprint, base = EXCLUDED.base",
                rows,
            )

    def specs(self, ids: Sequence[str] | None = None) -> list[tuple[Job, Path]]:
        """The queued jobs (all, or those of `ids`) in jobs-file order, with the folder of their paths."""
        query = "SELECT job_id, line, prompt, fields, out, fingerprint, base FROM queue"
        where = "" if ids is None else " WHERE job_id = ANY(%s)"
        cursor = self._db.execute(
            f"{query}{where} ORDER BY line, job_id", () if ids is None else (list(ids),)
        )
        return [(Job(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5]), Path(r[6])) for r in cursor]

    def records(self, ids: Sequence[str] | None = None) -> dict[str, jn.Record]:
        """Every journaled job (or those of `ids`) by id."""
        where = "" if ids is None else " WHERE job_id = ANY(%s)"
        cursor = self._db.execute(
            f"SELECT {RECORD_COLUMNS} FROM jobs{where}",  # noqa: S608 - constants
            () if ids is None else (list(ids),),
        )
        return {row[0]: jn.Record(*row) for row in cursor}

    def claim(
        self, limit: int, *, resubmit_unknown: bool, running: Sequence[str] = ()
    ) -> list[tuple[Job, Path, jn.Record | None]]:
        """Lease up to `limit` jobs no live worker holds (none of `running`), with their journal rows."""
        params = self._params(resubmit_unknown) | {
            "limit": limit, "worker": self.worker, "lease": self.lease, "running": list(running),
        }  # fmt: skip
        with self._db.transaction():
            ids = [row[0] for row in self._db.execute(CLAIM, params)]
        if not ids:
            return []
        records = self.records(ids)
        return [(job, base, records.get(job.id)) for job, base in self.specs(ids)]

    def unfinished(self, *, resubmit_unknown: bool) -> int:
        """How many jobs are still to be run here or by another worker (leased or not)."""
        query = f"SELECT count(*) FROM queue q LEFT JOIN jobs j USING (job_id) WHERE {CLAIMABLE}"  # noqa: S608
        row = self._db.execute(query, self._params(resubmit_unknown)).fetchone()
        return int(row[0]) if row else 0

    def renew(self) -> None:
        """Extend this worker's leases by `lease` seconds from now."""
        self._db.execute(
            "UPDATE queue SET lease_until = now() + %s * interval '1 second' "
            "WHERE lease_owner = %s AND lease_until IS NOT NULL",
            (self.lease, self.worker),
        )

    def release(self, job_id: str | None = None) -> None:
        """Give up the lease on one job (or on all of this worker's jobs); the owner stays on record."""
        query = "UPDATE queue SET lease_until = NULL WHERE lease_owner = %s"
        if job_id is None:
            self._db.execute(query, (self.worker,))
        else:
            self._db.execute(query + " AND job_id = %s", (self.worker, job_id))

    def submitting(self, job_id: str, *, fingerprint: str, out: str) -> None:
        """Record that a job's create is going on the wire now; LeaseLostError if it may not."""
        now = time.time()
        with self._held(job_id) as cur:
            cur.execute(
                "INSERT INTO jobs (job_id, fingerprint, state, out, updated_at) VALUES (%s, %s, %s, %s, %s) "
                "ON CONFLICT (job_id) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, "
                "state = EXCLUDED.state, task_id = NULL, status = NULL, progress = NULL, "
                "out = EXCLUDED.out, error = NULL, request_fingerprint = NULL, "
                "updated_at = EXCLUDED.updated_at",
                (job_id, fingerprint, jn.SUBMITTING, out, now),
            )
            self._event(cur, job_id, jn.SUBMITTING, None, fingerprint, at=now)

    def reject(
        self,
        job_id: str,
        *,
        fingerprint: str,
        out: str,
        error: str,
        state: str = jn.INVALID,
        request_fingerprint: str | None = None,
    ) -> None:
        """Record a create that ended without a task (see `Journal.reject`)."""
        now = time.time()
        with self._held(job_id) as cur:
            cur.execute(
                "INSERT INTO jobs (job_id, fingerprint, state, out, error, request_fingerprint, updated_at) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (job_id) DO UPDATE SET "
                "fingerprint = EXCLUDED.fingerprint, state = EXCLUDED.state, task_id = NULL, status = NULL, "
                "progress = NULL, out = EXCLUDED.out, error = EXCLUDED.error, "
                "request_fingerprint = EXCLUDED.request_fingerprint, updated_at = EXCLUDED.updated_at",
                (job_id, fingerprint, state, out, error, request_fingerprint, now),
            )
            self._event(cur, job_id, state, None, error, at=now)

    def update(self, job_id: str, state: str, **values: Any) -> None:
        """Set a job's state and any of COLUMNS, and log the change (a task id even without the lease)."""
        unknown = set(values) - set(jn.COLUMNS)
        if unknown:
            msg = f"unknown journal columns: {sorted(unknown)}"
            raise ValueError(msg)
        now = time.time()
        values["state"] = state
        assignments = ", ".join(f"{name} = %s" for name in values)
        with self._held(job_id, keep_task_id="task_id" in values) as cur:
            cur.execute(
                f"UPDATE jobs SET {assignments}, updated_at = %s WHERE job_id = %s RETURNING task_id",  # noqa: S608
                (*values.values(), now, job_id),
            )
            row = cur.fetchone()
            detail = values.get("error") or values.get("status")
            self._event(cur, job_id, state, row[0] if row else None, detail, at=now)

    def progress(self, job_id: str, *, status: str, progress: float | None) -> None:
        """Record the last polled status and progress (no event); LeaseLostError ends the job's wait."""
        with self._held(job_id) as cur:
            cur.execute(
                "UPDATE jobs SET status = %s, progress = %s, updated_at = %s WHERE job_id = %s",
                (status, progress, time.time(), job_id),
            )

    def close(self) -> None:
        """Close the connection (leases not released run out by themselves)."""
        self._db.close()

    def _params(self, resubmit_unknown: bool) -> dict[str, Any]:
        return {"since": self.started, "resubmit": resubmit_unknown}

    @contextmanager
    def _held(self, job_id: str, *, keep_task_id: bool = False) -> Iterator[Any]:
        """A transaction holding the job's queue row locked, with this worker still its owner.

        An expired lease no other worker has claimed is still this worker's (a claim takes the
        row lock and changes the owner), so it is renewed here rather than given up.
        """
        with self._db.transaction(), self._db.cursor() as cur:
            cur.execute(
                "SELECT lease_owner FROM queue WHERE job_id = %s AND lease_until IS NOT NULL FOR UPDATE",
                (job_id,),
            )
            row = cur.fetchone()
            lost = row is None or row[0] != self.worker
            if lost and not keep_task_id:
                msg = f"job {job_id!r}: the lease of worker {self.worker} ran out; another worker runs it now"
                raise LeaseLostError(msg)
            if not lost:
                cur.execute(
                    "UPDATE queue SET lease_until = greatest(lease_until, now() + %s * interval '1 second') "
                    "WHERE job_id = %s",
                    (self.lease, job_id),
                )
            yield cur
        if lost:
            msg = f"job {job_id!r}: its task id is journaled, but the lease of {self.worker} ran out"
            raise LeaseLostError(msg)

    def _event(
        self, cur: Any, job_id: str, state: str, task_id: str | None, detail: str | None, *, at: float
    ) -> None:
        cur.execute(
            "INSERT INTO events (job_id, at, state, task_id, detail, worker) VALUES (%s, %s, %s, %s, %s, %s)",
            (job_id, at, state, task_id, detail, self.worker),
        )
