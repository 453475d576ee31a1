"""The Emulator: the API and the file host on two loopback ports, served by uvicorn in a background thread.

`__init__` is longer than 40 lines: it takes every option of the emulator, keyword by keyword.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import threading
import time
from collections.abc import Sequence
from types import TracebackType
from typing import Final

import uvicorn

from ._app import build_api_app
from ._catalog import SNAPSHOT, Catalog, CatalogSource
from ._clock import Clock, RealClock
from ._context import DEFAULT_MAX_BODY_BYTES, RELATIVE, Context
from ._faults import FaultInjector, Faults
from ._files import file_host_app
from ._links import LinkSigner
from ._ranges import sample_mp4
from ._ratelimit import DEFAULT_RATE_LIMIT, RateLimiter
from ._state import (
    DEFAULT_QUEUE_SECONDS,
    DEFAULT_TASK_SECONDS,
    FailureError,
    PerModel,
    PerModelFlag,
    TaskStore,
    TaskTiming,
)
from ._stats import Stats
from ._transport import ConnectionRegistry, tracking_protocol
from ._videos import LIBRARY

DEFAULT_HOST: Final = "127.0.0.1"
LISTEN_BACKLOG: Final = 4096
STARTUP_TIMEOUT_SECONDS: Final = 10.0
SHUTDOWN_TIMEOUT_SECONDS: Final = 10.0
STARTUP_POLL_SECONDS: Final = 0.005
RENDERED: Final = "rendered"
SAMPLE: Final = "sample"
VIDEO_MODES: Final = (RENDERED, SAMPLE)


class Emulator:
    """A local, stateful LemonData video API: ``with Emulator() as emu: ... emu.base_url ...``.

    Args:
        port: API port; 0 picks a free one. ``file_port`` likewise for the file host.
        api_keys: accepted bearer keys; by default one random ``sk-emulator-...`` key.
        clock: ``ManualClock`` for tests, ``RealClock(time_scale=...)`` (the default, at 1x) otherwise.
        task_seconds, queue_seconds: emulated seconds a task runs and waits in ``pending``; a number,
            a mapping model → seconds or a callable taking the model id.
        failure_rate: share of tasks that end ``failed`` (drawn with ``seed``).
        failure_error: the ``error`` those tasks carry: a string, or an object such as
            ``{"code": "content_policy_violation", "message": "...", "retryable": False}``
            (by default the string ``_errors.MSG_TASK_FAILED``).
        report_progress: whether tasks report ``progress`` (globally, per model or a callable).
        poll_url: ``"relative"`` (``/v1/tasks/{id}``), ``"absolute"`` (on this origin) or another origin.
        rate_limit: requests per emulated minute and key.
        faults: one or more ``Faults`` rules; change them later with ``set_faults``.
        catalog: a ``GET /v1/models`` answer (a dict, or a path to its JSON file) to serve and to
            validate creates against instead of the spec's matrix.
        videos: ``"rendered"`` (each task's own MP4, made on first download) or ``"sample"`` (every
            task points at the bundled 2-second clip, as ``/files/sample.mp4`` serves it).
        link_ttl: emulated seconds a ``video_url`` stays valid (signed, like a CDN's links; each
            task GET signs afresh; an expired link is answered 403); None: links never expire.
    """

    def __init__(
        self,
        *,
        port: int = 0,
        file_port: int = 0,
        host: str = DEFAULT_HOST,
        api_keys: Sequence[str] | None = None,
        clock: Clock | None = None,
        task_seconds: PerModel = DEFAULT_TASK_SECONDS,
        queue_seconds: PerModel = DEFAULT_QUEUE_SECONDS,
        failure_rate: float = 0.0,
        failure_error: FailureError = None,
        report_progress: PerModelFlag = True,
        seed: int | None = 0,
        poll_url: str = RELATIVE,
        rate_limit: int = DEFAULT_RATE_LIMIT,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        faults: Faults | Sequence[Faults] | None = None,
        catalog: CatalogSource | None = None,
        videos: str = RENDERED,
        link_ttl: float | None = None,
    ) -> None:
        if videos not in VIDEO_MODES:
            msg = f"videos={videos!r} is not one of {', '.join(map(repr, VIDEO_MODES))}"
            raise ValueError(msg)
        keys = list(api_keys) if api_keys else [f"sk-emulator-{secrets.token_hex(16)}"]
        self.host, self._ports = host, (port, file_port)
        self.api_keys: tuple[str, ...] = tuple(keys)
        self.clock: Clock = clock or RealClock()
        self.stats = Stats()
        timing = TaskTiming(task_seconds, queue_seconds, failure_rate, report_progress, seed, failure_error)
        self.ctx = Context(
            clock=self.clock,
            store=TaskStore(self.clock, timing),
            stats=self.stats,
            faults=FaultInjector(faults),
            limiter=RateLimiter(self.clock, rate_limit),
            connections=ConnectionRegistry(),
            api_keys=frozenset(keys),
            sample=sample_mp4(),
            poll_url=poll_url,
            max_body_bytes=max_body_bytes,
            catalog=SNAPSHOT if catalog is None else Catalog.from_answer(catalog),
            videos=LIBRARY if videos == RENDERED else None,
            links=LinkSigner(link_ttl),
        )
        self._servers: list[uvicorn.Server] = []
        self._thread: threading.Thread | None = None

    @property
    def api_key(self) -> str:
        """The first accepted key."""
        return self.api_keys[0]

    @property
    def base_url(self) -> str:
        """The API origin, e.g. ``http://127.0.0.1:8787``; set once started."""
        return self.ctx.api_url

    @property
    def file_host_url(self) -> str:
        """The file host origin, where ``video_url`` points."""
        return self.ctx.file_host_url

    def set_faults(self, *faults: Faults) -> None:
        """Replace the fault rules at runtime; no argument turns faults off."""
        self.ctx.faults.set(faults)

    def start(self) -> Emulator:
        """Bind both ports and serve in a background thread; returns once both accept connections.

        Raises:
            RuntimeError: if already started or if the servers do not start in time.
        """
        if self._thread is not None:
            msg = "this Emulator is already running; call stop() first"
            raise RuntimeError(msg)
        sockets = [self._bind(port) for port in self._ports]
        self.ctx.api_url, self.ctx.file_host_url = (self._origin(sock) for sock in sockets)
        protocol = tracking_protocol(self.ctx.connections)
        apps = (build_api_app(self.ctx), file_host_app(self.ctx))
        self._servers = [
            uvicorn.Server(
                uvicorn.Config(
                    app,
                    http=protocol,
                    lifespan="off",
                    access_log=False,
                    log_level="error",
                    date_header=False,  # the API's Date is on the emulator's clock (_ratelimit.py)
                )
            )
            for app in apps
        ]
        self._thread = threading.Thread(
            target=self._run, args=(sockets,), name="lemondata-emulator", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while not all(server.started for server in self._servers):
            if time.monotonic() > deadline or not self._alive():
                self.stop()
                msg = f"the emulator did not start within {STARTUP_TIMEOUT_SECONDS} s"
                raise RuntimeError(msg)
            time.sleep(STARTUP_POLL_SECONDS)
        return self

    def stop(self) -> None:
        """Stop both servers and wait for the thread to end; safe to call twice."""
        for server in self._servers:
            server.should_exit = True
        if self._thread is not None:
            self._thread.join(SHUTDOWN_TIMEOUT_SECONDS)
        self._thread, self._servers = None, []

    def _alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _bind(self, port: int) -> socket.socket:
        # An explicit IPPROTO_TCP lets asyncio set TCP_NODELAY on accepted sockets; with proto 0 it
        # does not, and small keep-alive answers then wait ~40 ms for delayed ACKs.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, port))
        sock.listen(LISTEN_BACKLOG)
        sock.setblocking(False)
        return sock

    def _origin(self, sock: socket.socket) -> str:
        host, port = sock.getsockname()[:2]
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def _run(self, sockets: list[socket.socket]) -> None:
        async def serve_all() -> None:
            await asyncio.gather(
                *(srv.serve(sockets=[sock]) for srv, sock in zip(self._servers, sockets, strict=True))
            )

        asyncio.run(serve_all())

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"Emulator(base_url={self.base_url!r}, file_host_url={self.file_host_url!r})"
