"""`main()`: parse the command line, run the command, turn expected errors into one line and an exit code."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Sequence
from typing import Any

from .._exceptions import TaskError, TaskMayExistError, WaitTimeoutError
from ._exits import INTERNAL, USAGE, exit_code, one_line
from ._output import Output
from ._parser import build_parser
from ._signals import interruption, sigterm_as_interrupt

DEBUG_ENV = "LEMONVIDEO_DEBUG"
COMMANDS: dict[str, tuple[str, str]] = {
    "generate": ("._generate", "run_generate"),
    "status": ("._tasks", "run_task_command"),
    "wait": ("._tasks", "run_task_command"),
    "cancel": ("._tasks", "run_task_command"),
    "download": ("._tasks", "run_task_command"),
    "models": ("._models", "run_models"),
    "batch": ("._batch", "run_batch"),
    "emulator": ("._serve", "run_emulator"),
    "api": ("._api", "run_api"),
}


def _run(args: Any, out: Output) -> int:
    """Import only the module of the command being run, to keep start-up fast."""
    module, function = COMMANDS[args.command]
    run: Callable[[Any, Output], int] = getattr(importlib.import_module(module, __package__), function)
    return run(args, out)


def _extra(exc: BaseException) -> dict[str, Any]:
    """Machine-readable details of an error for `--json` (never the key)."""
    extra: dict[str, Any] = {"type": type(exc).__name__}
    if isinstance(exc, TaskError | WaitTimeoutError):
        extra["task_id"] = exc.task.id
        extra["status"] = exc.task.raw_status
    if isinstance(exc, TaskMayExistError):
        extra["fingerprint"] = exc.fingerprint
    for name in ("task_id", "resume", "status_code", "code", "param", "hint", "did_you_mean", "request_id"):
        value = getattr(exc, name, None)
        if isinstance(value, str | int) and not isinstance(value, bool):
            extra[name] = value
    return extra


def main(argv: Sequence[str] | None = None) -> int:
    """Run `lemonvideo` with `argv` (default: `sys.argv[1:]`) and return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2, already printed by argparse)
        return exc.code if isinstance(exc.code, int) else USAGE
    out = Output(json_mode=bool(getattr(args, "json", False)))
    try:
        with sigterm_as_interrupt():  # SIGTERM (docker stop) ends a command as Ctrl-C does
            return _run(args, out)
    except KeyboardInterrupt as exc:
        words, code = interruption(exc)
        out.error(words, code=code)
        return code
    except Exception as exc:
        code = exit_code(exc)
        if code == INTERNAL:
            if os.environ.get(DEBUG_ENV):
                raise
            msg = (
                f"internal error: {type(exc).__name__}: {one_line(exc)} (set {DEBUG_ENV}=1 for the traceback)"
            )
            out.error(msg, code=code, extra={"type": type(exc).__name__})
            return code
        out.error(one_line(exc), code=code, extra=_extra(exc))
        return code
