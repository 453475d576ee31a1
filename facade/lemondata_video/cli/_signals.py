"""SIGTERM handled as Ctrl-C is: how docker stop, Kubernetes and systemd stop a process.

`sigterm_as_interrupt()` is installed by `main()` alone, around the one command it runs, and
restores the previous handler after (importing the library never touches signals). In it,
SIGTERM raises `Terminated`, a KeyboardInterrupt, wherever Ctrl-C's would land, so every path
that keeps a task id on Ctrl-C keeps it on SIGTERM too; `interruption(exc)` gives the words and
the exit code (130 for Ctrl-C, 143 = 128 + 15 for SIGTERM). In `run_async` (a batch's event loop)
SIGTERM cancels the main task once, as `asyncio.run` does on Ctrl-C, so the jobs end through the
same `finally` and the journal stays consistent; a second SIGTERM interrupts at once.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, TypeVar

from ._exits import INTERRUPTED, TERMINATED

if TYPE_CHECKING:  # asyncio is imported by `run_async` only: `lemonvideo models` and `generate` skip it
    import asyncio

T = TypeVar("T")
INTERRUPT_WORDS: Final = "interrupted"
TERMINATE_WORDS: Final = "terminated by SIGTERM"


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: raised where Ctrl-C raises KeyboardInterrupt."""


@dataclass
class _Target:
    """The event loop and main task SIGTERM cancels while `run_async` runs."""

    loop: asyncio.AbstractEventLoop | None = None
    task: asyncio.Task[Any] | None = None
    terminated: bool = False


_TARGET: Final = _Target()


def interruption(exc: BaseException | None) -> tuple[str, int]:
    """The words for a message and the exit code of a KeyboardInterrupt (Ctrl-C) or `Terminated`."""
    if isinstance(exc, Terminated):
        return TERMINATE_WORDS, TERMINATED
    return INTERRUPT_WORDS, INTERRUPTED


def interrupt_for(signum: int) -> KeyboardInterrupt:
    """The exception that signal `signum` (SIGINT or SIGTERM) stands for."""
    return Terminated() if signum == signal.SIGTERM else KeyboardInterrupt()


def _on_sigterm(signum: int, frame: object) -> None:
    target = _TARGET
    if target.task is not None and target.loop is not None and not target.terminated:
        target.terminated = True
        target.task.cancel()
        target.loop.call_soon_threadsafe(lambda: None)  # wake a select() waiting with a long timeout
        return
    raise Terminated


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM raises `Terminated` in the block (main thread only); the previous handler after."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_async(main: Coroutine[Any, Any, T]) -> T:
    """`asyncio.run(main)`; SIGTERM cancels `main` once and then raises `Terminated`, as Ctrl-C does."""
    import asyncio  # noqa: PLC0415 - see the import above

    async def guarded() -> T:
        _TARGET.loop, _TARGET.task, _TARGET.terminated = (
            asyncio.get_running_loop(),
            asyncio.current_task(),
            False,
        )
        try:
            return await main
        finally:
            _TARGET.loop = _TARGET.task = None

    try:
        return asyncio.run(guarded())
    except asyncio.CancelledError:
        if _TARGET.terminated:
            raise Terminated from None
        raise
    finally:
        _TARGET.terminated = False
