"""The PostgreSQL journal's tables and the queries that say which jobs a worker may claim.

A job is claimable when no live worker holds its lease and it is not finished: never run,
`submitting` (its worker died with the create perhaps on the wire: the claimant reports it
`unknown`), `running`, `completed` or `downloading`. A job that ended `error`, `invalid` or
`timeout` before this worker started is claimable too (starting a worker is a rerun, which
retries those, as with SQLite), and an `unknown` one only with --resubmit-unknown.
A job's fields are kept as the JSON text Python writes (JSONB refuses the NaN a jobs file may
hold, and the client, not the journal, is what refuses it, with its own message).
"""

from __future__ import annotations

from typing import Final

from .._redis_budget import masked_url
from . import _journal as jn

__all__ = ["CLAIM", "CLAIMABLE", "SCHEMA", "SCHEMA_LOCK", "masked_url"]

SCHEMA_LOCK: Final = "SELECT pg_advisory_xact_lock(7361626)"
SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, state TEXT NOT NULL, task_id TEXT,
    status TEXT, progress DOUBLE PRECISION, out TEXT NOT NULL, error TEXT, request_fingerprint TEXT,
    updated_at DOUBLE PRECISION NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq BIGSERIAL PRIMARY KEY, job_id TEXT NOT NULL, at DOUBLE PRECISION NOT NULL,
    state TEXT NOT NULL, task_id TEXT, detail TEXT, worker TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS queue (
    job_id TEXT PRIMARY KEY, line INTEGER NOT NULL, prompt TEXT NOT NULL, fields TEXT NOT NULL,
    out TEXT NOT NULL, fingerprint TEXT NOT NULL, base TEXT NOT NULL,
    lease_owner TEXT, lease_until TIMESTAMPTZ);
CREATE INDEX IF NOT EXISTS queue_line ON queue (line, job_id);
"""


def _states(*states: str) -> str:
    return "(" + ", ".join(f"'{state}'" for state in states) + ")"


# Over `queue q LEFT JOIN jobs j`, with parameters `since` (the worker's start) and `resubmit`.
CLAIMABLE: Final = (
    f"(j.state IS NULL OR j.state IN {_states(jn.SUBMITTING, jn.RUNNING, jn.COMPLETED, jn.DOWNLOADING)} "
    f"OR (j.updated_at < %(since)s AND (j.state IN {_states(jn.ERROR, jn.INVALID, jn.TIMEOUT)} "
    f"OR (%(resubmit)s AND j.state = '{jn.UNKNOWN}'))))"
)
CLAIM: Final = f"""
UPDATE queue SET lease_owner = %(worker)s, lease_until = now() + %(lease)s * interval '1 second'
WHERE job_id IN (
    SELECT q.job_id FROM queue q LEFT JOIN jobs j USING (job_id)
    WHERE (q.lease_until IS NULL OR q.lease_until < now()) AND {CLAIMABLE}
        AND NOT q.job_id = ANY(%(running)s)
    ORDER BY q.line, q.job_id LIMIT %(limit)s
    FOR UPDATE OF q SKIP LOCKED)
RETURNING job_id
"""  # noqa: S608 - built from the state constants, no user input
