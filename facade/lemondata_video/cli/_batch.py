"""`batch`: run a JSONL file of jobs on the async client within a request budget; safe to kill and rerun."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any, Final

import httpx

from .._async_client import AsyncVideoClient
from .._constants import DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT
from .._ratelimit import RequestBudget
from . import _journal as jn
from ._batch_job import Runner, on_request
from ._board import Board, job_results, summary, write_report
from ._connect import Connection, connect
from ._exits import API_ERROR, INTERRUPTED, MAY_EXIST, OK, TASK_FAILED, TIMEOUT, USAGE, VALIDATION, CLIError
from ._jobs import Job, load_jobs
from ._output import Output

REDRAW_SECONDS: Final = 0.2
# The exit code of a batch is the first of these that any job ended in.
EXIT_BY_STATE: Final = (
    (jn.UNKNOWN, MAY_EXIST), (jn.ERROR, API_ERROR), (jn.INVALID, VALIDATION),
    (jn.TIMEOUT, TIMEOUT), (jn.FAILED, TASK_FAILED), (jn.CANCELLED, TASK_FAILED),
)  # fmt: skip


def _check_journal(jobs: Sequence[Job], records: dict[str, jn.Record], out_dir: Path) -> None:
    """Refuse to resume when a job that may have a task now asks for something else."""
    for job in jobs:
        record = records.get(job.id)
        sent = record is not None and (
            record.task_id is not None or record.state in (jn.SUBMITTING, jn.UNKNOWN)
        )
        if record is not None and sent and record.fingerprint != job.fingerprint:
            msg = (
                f"job {job.id!r} (line {job.line}) differs from the one already submitted from "
                f"{out_dir}; give the changed job a new id, or use another --out-dir"
            )
            raise CLIError(msg, code=VALIDATION)


def _sleeper(cap: float | None) -> Callable[[float], Awaitable[None]]:
    async def sleep(seconds: float) -> None:
        await asyncio.sleep(seconds if cap is None else min(seconds, cap))

    return sleep


async def _redraw(board: Board) -> None:
    while True:
        board.draw()
        await asyncio.sleep(REDRAW_SECONDS)


async def _run_all(
    args: argparse.Namespace, conn: Connection, jobs: Sequence[Job], journal: jn.Journal, board: Board
) -> None:
    timeout = httpx.Timeout(DEFAULT_TIMEOUT, connect=DEFAULT_CONNECT_TIMEOUT)
    records = journal.records()
    limit = asyncio.Semaphore(args.concurrency)
    # Every API request waits for a slot of the budget; the hook journals each create as it goes out.
    async with (
        httpx.AsyncClient(timeout=timeout, event_hooks={"request": [on_request]}) as http,
        AsyncVideoClient(
            api_key=conn.api_key, base_url=conn.base_url, http_client=http, rate_limit=RequestBudget(args.rpm)
        ) as client,
    ):
        runner = Runner(
            client=client,
            journal=journal,
            out_dir=Path(args.out_dir),
            jobs_dir=Path(args.jobs).parent,
            timeout=args.timeout,
            resubmit_unknown=args.resubmit_unknown,
            sleep=_sleeper(conn.max_poll_interval),
            on_change=board.change,
        )

        async def one(job: Job) -> None:
            async with limit:
                await runner.run(job, records.get(job.id))

        ticker = asyncio.create_task(_redraw(board))
        tasks = [asyncio.create_task(one(job)) for job in jobs]
        try:
            # Unlike `gather`, `wait` does not cancel the jobs when Ctrl-C cancels it: `finally` does, once.
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
            for task in done:  # a job's unexpected error ends the batch, as it always has
                if not task.cancelled() and task.exception() is not None:
                    task.result()
        finally:
            await _cancel_and_wait(tasks)  # before the clients close
            ticker.cancel()


async def _cancel_and_wait(tasks: Sequence[asyncio.Task[None]]) -> None:
    """Cancel the jobs still running, once each, and wait until every one has ended.

    A job whose create is on the wire then waits for its answer and journals its task id
    (`Runner._create`); a job doing anything else ends at once. Cancelling a job a second
    time would cut that grace short, so Ctrl-C cancels the jobs here and nowhere else.
    """
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def run_batch(args: argparse.Namespace, out: Output) -> int:
    """Run `lemonvideo batch JOBS.jsonl --out-dir DIR`."""
    if args.concurrency < 1 or args.rpm < 1:
        msg = "--concurrency and --rpm must be at least 1"
        raise CLIError(msg, code=USAGE)
    jobs = load_jobs(args.jobs)
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    journal = jn.Journal(out_dir)
    try:
        _check_journal(jobs, journal.records(), out_dir)
        board = Board(jobs, out.stderr)
        with connect(emulator=args.emulator, out=out, catalog=args.emulator_catalog) as conn:
            try:
                asyncio.run(_run_all(args, conn, jobs, journal, board))
            except KeyboardInterrupt:
                board.close()
                write_report(job_results(jobs, journal.records(), out_dir), out_dir)
                msg = f"interrupted; every task id is journaled; rerun the same command to resume ({out_dir})"
                raise CLIError(msg, code=INTERRUPTED) from None
            board.close()
        return _finish(jobs, journal, out_dir, out)
    finally:
        journal.close()


def _finish(jobs: Sequence[Job], journal: jn.Journal, out_dir: Path, out: Output) -> int:
    results = job_results(jobs, journal.records(), out_dir)
    report = write_report(results, out_dir)
    data: dict[str, Any] = {
        "jobs": results,
        "report": str(report.resolve()),
        "journal": str(journal.path.resolve()),
    }
    out.result(data, f"{summary(results)}\nreport: {report}")
    states = {r["state"] for r in results}
    return next((code for state, code in EXIT_BY_STATE if state in states), OK)
