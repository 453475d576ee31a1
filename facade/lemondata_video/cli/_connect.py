"""Which service a command talks to: LEMONDATA_API_KEY/LEMONDATA_BASE_URL, or an in-process emulator.

`--emulator`, or no key in the environment, starts the emulator inside the command, with time
sped up so a task takes a few seconds; it forgets its tasks when the command ends.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

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
def connect(*, emulator: bool, out: Output, catalog: str | None = None) -> Iterator[Connection]:
    """The connection a command uses; starts (and stops) an in-process emulator when asked or keyless.

    `catalog`, a JSON file with a `GET /v1/models` answer, is the built-in emulator's catalog.
    """
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
    with _embedded(catalog) as conn:
        yield conn


def read_catalog(path: str | None) -> dict[str, Any] | None:
    """The JSON of a `GET /v1/models` answer for the emulator, or a one-line CLIError saying what is wrong."""
    if path is None:
        return None
    try:
        answer = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        msg = f"cannot read the catalog {path}: {exc.strerror or exc}"
        raise CLIError(msg, code=USAGE) from exc
    except ValueError as exc:
        msg = f"the catalog {path} is not JSON: {exc}"
        raise CLIError(msg, code=USAGE) from exc
    if not isinstance(answer, dict) or not isinstance(answer.get("data"), list):
        msg = f"the catalog {path} is not a GET /v1/models answer (an object with a 'data' list)"
        raise CLIError(msg, code=USAGE)
    return answer


def _is_local(base_url: str) -> bool:
    try:
        return is_loopback(httpx.URL(base_url).host)
    except httpx.InvalidURL:
        return False


@contextmanager
def _embedded(catalog: str | None) -> Iterator[Connection]:
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
        catalog=read_catalog(catalog),
    )
    with emulator:
        yield Connection(
            api_key=emulator.api_key,
            base_url=emulator.base_url,
            emulated=True,
            max_poll_interval=LOCAL_MAX_POLL_INTERVAL,
        )
