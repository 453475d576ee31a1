"""`batch --journal postgresql://...`: queue a jobs file in a shared journal, and workers that claim from it.

`lemonvideo batch JOBS.jsonl --journal URL --out-dir DIR` queues the jobs (refusing, as with
SQLite, a changed job under an id already sent), then works on them like any worker;
`lemonvideo batch --worker --journal URL --out-dir DIR` is one more worker, on this machine or
another. A worker claims up to --concurrency jobs at a time, runs each exactly as a SQLite batch
does (`Runner`), renews its leases every third of --lease, and claims more as jobs end. It exits
once no job is left to run by anyone (it waits while other workers hold jobs: if one dies, its
leases run out and the jobs come back here), writes the report of the whole batch in --out-dir and
exits with the batch's code. Ctrl-C (or SIGTERM) releases this worker's jobs at once.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
from pathlib import Path
from typing import Final

from ._batch import batch_runner, cancel_and_wait, check_journal, finish, redraw
from ._batch_job import Runner
from ._board import Board, job_results, write_report
from ._connect import Connection, connect
from ._exits import USAGE, CLIError
from ._jobs import load_jobs
from ._journal_pg import LeaseLostError, PgJournal
from ._output import Output
from ._signals import interruption, run_async

# How often a worker with free slots looks for claimable jobs (queued later, or a dead worker's).
CLAIM_POLL_SECONDS: Final = 0.5
RENEWALS_PER_LEASE: Final = 3


def _journal(args: argparse.Namespace) -> PgJournal:
    try:
        return PgJournal(args.journal, lease=args.lease)
    except ImportError as exc:
        msg = f"--journal postgresql:// needs psycopg: pip install 'lemondata-video[postgres]' ({exc})"
        raise CLIError(msg, code=USAGE) from exc


def run_pg_batch(args: argparse.Namespace, out: Output) -> int:
    """Queue JOBS.jsonl (unless --worker), then work until the batch is done; the batch's exit code."""
    out_dir = Path(args.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    journal = _journal(args)
    try:
        if args.jobs is not None:
            jobs = load_jobs(args.jobs)
            check_journal(jobs, journal.records(), journal.where, "--journal")
            journal.enqueue(jobs, base=Path(args.jobs).resolve().parent)
        every = [job for job, _ in journal.specs()]
        if not every:
            msg = (
                f"the journal at {journal.where} holds no jobs; queue them first with "
                "`lemonvideo batch JOBS.jsonl --journal URL --out-dir DIR`"
            )
            raise CLIError(msg, code=USAGE)
        board = Board(every, out.stderr)
        with connect(emulator=args.emulator, out=out) as conn:
            try:
                run_async(_work(args, conn, journal, board))
            except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (`_signals`)
                board.close()
                write_report(job_results(every, journal.records(), out_dir), out_dir)
                words, code = interruption(exc)
                msg = (
                    f"{words}; every task id is journaled and this worker's jobs are released "
                    f"to the other workers; rerun the same command to resume ({journal.where})"
                )
                raise CLIError(msg, code=code) from None
            board.close()
        return finish(every, journal, out_dir, out)
    finally:
        journal.close()


async def _work(args: argparse.Namespace, conn: Connection, journal: PgJournal, board: Board) -> None:
    async with batch_runner(args, conn, journal, board) as runner:
        running: dict[asyncio.Task[None], str] = {}
        ticker = asyncio.create_task(redraw(board))
        heart = asyncio.create_task(_heartbeat(journal))
        try:
            await _claim_until_done(args, runner, journal, running)
        finally:
            await cancel_and_wait(list(running))  # a create on the wire still journals its task id
            heart.cancel()
            ticker.cancel()
            journal.release()


async def _claim_until_done(
    args: argparse.Namespace, runner: Runner, journal: PgJournal, running: dict[asyncio.Task[None], str]
) -> None:
    resubmit = args.resubmit_unknown
    while True:
        free = args.concurrency - len(running)
        claimed = (
            journal.claim(free, resubmit_unknown=resubmit, running=list(running.values())) if free else []
        )
        for job, base, record in claimed:
            job_runner = dataclasses.replace(runner, jobs_dir=base)
            running[asyncio.create_task(job_runner.run(job, record))] = job.id
        if not running:
            if journal.unfinished(resubmit_unknown=resubmit) == 0:
                return
            await asyncio.sleep(CLAIM_POLL_SECONDS)  # the rest are other workers'; theirs may expire
            continue
        done, _ = await asyncio.wait(running, timeout=CLAIM_POLL_SECONDS, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            _ended(task, running.pop(task), journal)


def _ended(task: asyncio.Task[None], job_id: str, journal: PgJournal) -> None:
    """A job's run ended: release it, or leave it to the worker that took it over."""
    error = task.exception()
    if isinstance(error, LeaseLostError):
        sys.stderr.write(f"lemonvideo: {error}\n")
        return
    if error is not None:  # a job's unexpected error ends the worker, as it ends a SQLite batch
        raise error
    journal.release(job_id)


async def _heartbeat(journal: PgJournal) -> None:
    while True:
        await asyncio.sleep(journal.lease / RENEWALS_PER_LEASE)
        journal.renew()
