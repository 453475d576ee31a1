"""`batch`: run a JSONL file of jobs on the async client within a request budget; safe to kill and rerun."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, Final

import httpx

from .._async_client import AsyncVideoClient
from .._constants import DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT
from .._redis_budget import masked_url
from . import _journal as jn
from ._batch_budget import batch_budget, close_budget
from ._batch_job import Runner, on_request
from ._board import Board, job_results, summary, write_report
from ._connect import Connection, connect
from ._exits import API_ERROR, MAY_EXIST, OK, TASK_FAILED, TIMEOUT, USAGE, VALIDATION, CLIError
from ._jobs import Job, load_jobs
from ._output import Output
from ._signals import interruption, run_async

REDRAW_SECONDS: Final = 0.2
POSTGRES_SCHEMES: Final = ("postgresql://", "postgres://")
# The exit code of a batch is the first of these that any job ended in.
EXIT_BY_STATE: Final = (
    (jn.UNKNOWN, MAY_EXIST), (jn.ERROR, API_ERROR), (jn.INVALID, VALIDATION),
    (jn.TIMEOUT, TIMEOUT), (jn.FAILED, TASK_FAILED), (jn.CANCELLED, TASK_FAILED),
)  # fmt: skip


def check_journal(
    jobs: Sequence[Job], records: dict[str, jn.Record], where: object, other: str = "--out-dir"
) -> None:
    """Refuse to resume when a job that may have a task now asks for something else."""
    for job in jobs:
        record = records.get(job.id)
        sent = record is not None and (
            record.task_id is not None or record.state in (jn.SUBMITTING, jn.UNKNOWN)
        )
        if record is not None and sent and record.fingerprint != job.fingerprint:
            msg = (
                f"job {job.id!r} (line {job.line}) differs from the one already submitted from "
                f"{where}; give the changed job a new id, or use another {other}"
            )
            raise CLIError(msg, code=VALIDATION)


def sleeper(cap: float | None) -> Callable[[float], Awaitable[None]]:
    async def sleep(seconds: float) -> None:
        await asyncio.sleep(seconds if cap is None else min(seconds, cap))

    return sleep


async def redraw(board: Board) -> None:
    while True:
        board.draw()
        await asyncio.sleep(REDRAW_SECONDS)


@contextlib.asynccontextmanager
async def batch_runner(
    args: argparse.Namespace, conn: Connection, journal: jn.JournalStore, board: Board
) -> AsyncIterator[Runner]:
    """What a batch's jobs run on: the async client within the budget, the journal, the board."""
    timeout = httpx.Timeout(DEFAULT_TIMEOUT, connect=DEFAULT_CONNECT_TIMEOUT)
    budget = batch_budget(args, conn.api_key or "")
    # Every API request waits for a slot of the budget; the hook journals each create as it goes out.
    try:
        async with (
            httpx.AsyncClient(timeout=timeout, event_hooks={"request": [on_request]}) as http,
            AsyncVideoClient(
                api_key=conn.api_key, base_url=conn.base_url, http_client=http, rate_limit=budget
            ) as client,
        ):
            yield Runner(
                client=client,
                journal=journal,
                out_dir=Path(args.out_dir),
                jobs_dir=Path(args.jobs).parent if args.jobs else Path(),
                timeout=args.timeout,
                resubmit_unknown=args.resubmit_unknown,
                sleep=sleeper(conn.max_poll_interval),
                on_change=board.change,
            )
    finally:
        await close_budget(budget)


async def _run_all(
    args: argparse.Namespace, conn: Connection, jobs: Sequence[Job], journal: jn.Journal, board: Board
) -> None:
    records = journal.records()
    limit = asyncio.Semaphore(args.concurrency)
    async with batch_runner(args, conn, journal, board) as runner:

        async def one(job: Job) -> None:
            async with limit:
                await runner.run(job, records.get(job.id))

        ticker = asyncio.create_task(redraw(board))
        tasks = [asyncio.create_task(one(job)) for job in jobs]
        try:
            # Unlike `gather`, `wait` does not cancel the jobs when Ctrl-C cancels it: `finally` does, once.
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:  # a job's unexpected error ends the batch, as it always has
                if not task.cancelled() and task.exception() is not None:
                    task.result()
        finally:
            await cancel_and_wait(tasks)  # before the clients close
            ticker.cancel()


async def cancel_and_wait(tasks: Sequence[asyncio.Task[None]]) -> None:
    """Cancel the jobs still running, once each, and wait until every one has ended.

    A job whose create is on the wire then waits for its answer and journals its task id
    (`Runner._create`); a job doing anything else ends at once. Cancelling a job a second
    time would cut that grace short, so Ctrl-C cancels the jobs here and nowhere else.
    """
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def _check_args(args: argparse.Namespace) -> None:
    if args.concurrency < 1 or args.rpm < 1:
        msg = "--concurrency and --rpm must be at least 1"
        raise CLIError(msg, code=USAGE)
    if args.journal is not None and not args.journal.startswith(POSTGRES_SCHEMES):
        msg = (
            f"--journal takes a postgresql:// URL, not {masked_url(args.journal)!r}; "
            "without it the journal is a SQLite file in --out-dir"
        )
        raise CLIError(msg, code=USAGE)
    if args.worker and args.journal is None:
        msg = "--worker needs --journal postgresql://...: workers share the journal in PostgreSQL"
        raise CLIError(msg, code=USAGE)
    if args.worker == (args.jobs is not None):
        msg = "give a JOBS.jsonl file, or --worker to run the jobs already in the --journal"
        raise CLIError(msg, code=USAGE)
    if args.lease <= 0:
        msg = f"--lease must be a number of seconds above 0, not {args.lease:g}"
        raise CLIError(msg, code=USAGE)


def run_batch(args: argparse.Namespace, out: Output) -> int:
    """Run `lemonvideo batch JOBS.jsonl --out-dir DIR` (or on PostgreSQL, `_batch_pg.py`)."""
    _check_args(args)
    if args.journal is not None:
        from ._batch_pg import run_pg_batch  # noqa: PLC0415 - needs the `postgres` extra

        return run_pg_batch(args, out)
    jobs = load_jobs(args.jobs)
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    journal = jn.Journal(out_dir)
    try:
        check_journal(jobs, journal.records(), out_dir)
        board = Board(jobs, out.stderr)
        with connect(emulator=args.emulator, out=out, catalog=args.emulator_catalog) as conn:
            try:
                run_async(_run_all(args, conn, jobs, journal, board))
            except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (`_signals`)
                board.close()
                write_report(job_results(jobs, journal.records(), out_dir), out_dir)
                words, code = interruption(exc)
                msg = f"{words}; every task id is journaled; rerun the same command to resume ({out_dir})"
                raise CLIError(msg, code=code) from None
            board.close()
        return finish(jobs, journal, out_dir, out)
    finally:
        journal.close()


def finish(jobs: Sequence[Job], journal: jn.JournalStore, out_dir: Path, out: Output) -> int:
    """Write the report, print the summary, and return the batch's exit code."""
    results = job_results(jobs, journal.records(), out_dir)
    report = write_report(results, out_dir)
    data: dict[str, Any] = {
        "jobs": results,
        "report": str(report.resolve()),
        "journal": journal.where,
    }
    out.result(data, f"{summary(results)}\nreport: {report}")
    states = {r["state"] for r in results}
    return next((code for state, code in EXIT_BY_STATE if state in states), OK)
