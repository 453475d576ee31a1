"""`generate`: validate, submit, wait with a progress bar, download; Ctrl-C or SIGTERM keep the task id."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final

from .._task import Task
from ._common import check_target, client_for, resume_command, save, task_json, wait_with_bar
from ._connect import EMULATED_NOTE, connect
from ._exits import OK, CLIError, one_line
from ._fields import fields_from_args
from ._output import Output, is_terminal
from ._signals import Terminated, interrupt_for, interruption

if TYPE_CHECKING:
    from .._client import VideoClient

# What a create in flight holds back until its answer (and task id) is in: Ctrl-C and SIGTERM.
HELD_SIGNALS: Final = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def deferred_interrupt() -> Iterator[list[int]]:
    """Hold a first Ctrl-C or SIGTERM until the block ends (a second one interrupts at once).

    A create that is cut off leaves a task that may exist and whose id nobody knows. The list
    holds the signal that was held, if any.
    """
    caught: list[int] = []

    def handler(signum: int, frame: object) -> None:
        if caught:
            raise interrupt_for(signum)
        caught.append(signum)

    try:
        previous = {signum: signal.signal(signum, handler) for signum in HELD_SIGNALS}
    except ValueError:  # not the main thread: nothing to defer
        yield caught
        return
    try:
        yield caught
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def ask_on_terminal(question: str, out: Output) -> str:
    """Ask on stderr, read the answer from stdin; "" when there is no answer."""
    out.stderr.write(question)
    out.stderr.flush()
    return sys.stdin.readline()


def _ask_cancel(task_id: str, out: Output, ask: Callable[[str, Output], str]) -> bool:
    if not (is_terminal(sys.stdin) and is_terminal(out.stderr)):
        return False
    try:
        answer = ask(f"Cancel task {task_id}? Otherwise it goes on running. [y/N] ", out)
    except (EOFError, KeyboardInterrupt):
        return False
    return answer.strip().lower() in ("y", "yes")


def on_interrupt(
    client: VideoClient,
    task: Task,
    args: argparse.Namespace,
    out: Output,
    *,
    ask: Callable[[str, Output], str] = ask_on_terminal,
    note: str = "",
    signal_exc: KeyboardInterrupt | None = None,
) -> int:
    """Ctrl-C or SIGTERM while waiting: cancel (when asked to), else say how to resume; exit 130 or 143.

    Only Ctrl-C asks on a terminal: SIGTERM comes from a supervisor that kills soon after.
    """
    words, code = interruption(signal_exc)
    resume = resume_command("wait", task.id, args.out)
    terminated = isinstance(signal_exc, Terminated)
    if args.cancel_on_interrupt or (not terminated and _ask_cancel(task.id, out, ask)):
        try:
            cancelled = client.cancel(task)
        except Exception as exc:  # the task lives on: say so, and how to pick it up
            msg = f"could not cancel task {task.id}: {one_line(exc)}; resume with: {resume}"
            raise CLIError(msg, code=code, task_id=task.id, resume=resume) from exc
        out.notice(f"cancelled task {cancelled.id}")
        out.result(task_json(cancelled, interrupted=True), "")
        return code
    msg = f"{words}; task {task.id} goes on; resume with: {resume}{note}"
    raise CLIError(msg, code=code, task_id=task.id, resume=resume)


def _submit(client: VideoClient, prompt: str, fields: dict[str, Any], out: Output) -> Task:
    with deferred_interrupt() as caught:
        task = client.create(prompt, **fields)
    if caught:
        words, code = interruption(interrupt_for(caught[0]))
        resume = resume_command("wait", task.id, None)
        msg = f"{words} after submitting; task {task.id} goes on; resume with: {resume}"
        raise CLIError(msg, code=code, task_id=task.id, resume=resume)
    return task


def run_generate(args: argparse.Namespace, out: Output) -> int:
    """Run `lemonvideo generate`."""
    fields = fields_from_args(args)
    if not args.no_wait:
        check_target(args.out, overwrite=args.overwrite)
    with (
        connect(emulator=args.emulator, out=out, catalog=args.emulator_catalog) as conn,
        client_for(conn) as client,
    ):
        task = _submit(client, args.prompt, fields, out)
        if args.no_wait:
            out.result(task_json(task), f"{task.id}\n{task.poll_url or ''}")
            return OK
        try:
            out.notice(f"submitted task {task.id} ({task.model or args.model})")
            final = wait_with_bar(client, task, conn=conn, out=out, timeout=args.timeout, out_path=args.out)
        except KeyboardInterrupt as exc:
            note = f" ({EMULATED_NOTE})" if conn.emulated else ""
            return on_interrupt(client, task, args, out, note=note, signal_exc=exc)
        path = save(client, final, out=out, out_path=args.out, overwrite=args.overwrite)
        out.result(task_json(final, path=str(path)), str(path))
        return OK
