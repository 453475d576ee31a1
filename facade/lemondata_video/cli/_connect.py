"""Which service a command talks to: LEMONDATA_API_KEY/LEMONDATA_BASE_URL, or an in-process emulator.

`--emulator`, or no key in the environment, starts the emulator inside the command, with time
sped up so a task takes a few seconds; it forgets its tasks when the command ends.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Final

import httpx

from .._config import is_loopback
from .._constants import API_KEY_ENV, BASE_URL_ENV
from .._polling import LOCAL_MAX_POLL_INTERVAL
from ._exits import USAGE, CLIError
from ._output import Output

# A demo task: queued 6 emulated seconds, then 60 emulated seconds of work, 15x faster than real time.
EMULATOR_TIME_SCALE: Final = 15.0
EMULATOR_TASK_SECONDS: Final = 60.0
EMULATOR_QUEUE_SECONDS: Final = 6.0
EMULATED_NOTE: Final = "but the built-in emulator's tasks end with this command"


@dataclass(frozen=True)
class Connection:
    """Where requests go; `api_key` is never printed. `max_poll_interval` caps polling sleeps."""

    api_key: str | None
    base_url: str | None
    emulated: bool = False
    max_poll_interval: float | None = None

    def __repr__(self) -> str:
        return f"Connection(base_url={self.base_url!r}, emulated={self.emulated!r})"


@contextmanager
def connect(*, emulator: bool, out: Output) -> Iterator[Connection]:
    """The connection a command uses; starts (and stops) an in-process emulator when asked or keyless."""
    key = os.environ.get(API_KEY_ENV) or None
    if not emulator and key is not None:
        base_url = os.environ.get(BASE_URL_ENV) or None
        local = base_url is not None and _is_local(base_url)
        yield Connection(
            api_key=key, base_url=base_url, max_poll_interval=LOCAL_MAX_POLL_INTERVAL if local else None
        )
        return
    if emulator:
        out.notice("using the built-in emulator (--emulator): tasks are simulated, nothing is billed")
    else:
        out.notice(f"{API_KEY_ENV} is not set; using the built-in emulator (simulated tasks, no billing)")
    with _embedded() as conn:
        yield conn


def _is_local(base_url: str) -> bool:
    try:
        return is_loopback(httpx.URL(base_url).host)
    except httpx.InvalidURL:
        return False


@contextmanager
def _embedded() -> Iterator[Connection]:
    try:
        from ..emulator import Emulator, RealClock  # noqa: PLC0415 - an optional extra, loaded on demand
    except ImportError as exc:
        msg = (
            f"the built-in emulator needs the 'emulator' extra ({exc.name} is missing): "
            "pip install 'lemondata-video[emulator]', or set LEMONDATA_API_KEY"
        )
        raise CLIError(msg, code=USAGE) from exc
    emulator = Emulator(
        clock=RealClock(EMULATOR_TIME_SCALE),
        task_seconds=EMULATOR_TASK_SECONDS,
        queue_seconds=EMULATOR_QUEUE_SECONDS,
    )
    with emulator:
        yield Connection(
            api_key=emulator.api_key,
            base_url=emulator.base_url,
            emulated=True,
            max_poll_interval=LOCAL_MAX_POLL_INTERVAL,
        )
