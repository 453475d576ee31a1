"""`status`, `wait`, `cancel` and `download`: commands on an existing task id."""

from __future__ import annotations

import argparse

from ._common import (
    check_target,
    client_for,
    raise_for_outcome,
    resume_command,
    save,
    task_json,
    task_text,
    wait_with_bar,
)
from ._connect import connect
from ._exits import OK, TIMEOUT, CLIError
from ._output import Output
from ._signals import interruption


def run_task_command(args: argparse.Namespace, out: Output) -> int:
    """Run `status`, `wait`, `cancel` or `download` on `args.task_id`."""
    out_path = getattr(args, "out", None)
    check_target(out_path, overwrite=getattr(args, "overwrite", False))
    with (
        connect(emulator=args.emulator, out=out, catalog=args.emulator_catalog) as conn,
        client_for(conn) as client,
    ):
        if args.command == "status":
            task = client.get(args.task_id)
            out.result(task_json(task), task_text(task))
            return OK
        if args.command == "cancel":
            task = client.cancel(args.task_id)
            out.result(task_json(task), f"cancelled {task.id}")
            return OK
        if args.command == "download":
            task = client.get(args.task_id)
            if not task.done:
                resume = resume_command("wait", task.id, out_path)
                msg = f"task {task.id} is not finished ({task.raw_status}); wait for it with: {resume}"
                raise CLIError(msg, code=TIMEOUT, task_id=task.id, resume=resume)
        else:
            try:
                task = wait_with_bar(
                    client, args.task_id, conn=conn, out=out, timeout=args.timeout, out_path=out_path
                )
            except KeyboardInterrupt as exc:
                words, code = interruption(exc)
                resume = resume_command("wait", args.task_id, out_path)
                msg = f"{words}; task {args.task_id} goes on; resume with: {resume}"
                raise CLIError(msg, code=code, task_id=args.task_id, resume=resume) from exc
        raise_for_outcome(task)
        if out_path is None:
            out.result(task_json(task), task_text(task))
            return OK
        path = save(client, task, out=out, out_path=out_path, overwrite=args.overwrite)
        out.result(task_json(task, path=str(path)), str(path))
        return OK
