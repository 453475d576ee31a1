"""Running the emulator in the foreground, for `python -m lemondata_video.emulator` and the CLI."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence
from typing import Final, TextIO

from ._catalog import CatalogSource
from ._clock import RealClock
from ._links import LinkSigner
from ._server import DEFAULT_HOST, Emulator

LINK_TTL_HELP: Final = "video links expire this many emulated seconds after each task answer (default: never)"


def serve(
    *,
    port: int = 8787,
    host: str = DEFAULT_HOST,
    file_port: int = 0,
    api_key: str | None = None,
    time_scale: float = 1.0,
    failure_rate: float = 0.0,
    catalog: CatalogSource | None = None,
    link_ttl: float | None = None,
    out: TextIO | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Serve until interrupted (Ctrl-C) or until ``stop`` is set, after printing the URLs and the key."""
    out = out or sys.stdout
    emulator = Emulator(
        port=port,
        file_port=file_port,
        host=host,
        api_keys=[api_key] if api_key else None,
        clock=RealClock(time_scale),
        failure_rate=failure_rate,
        catalog=catalog,
        link_ttl=link_ttl,
    )
    with emulator:
        _announce(emulator, link_ttl, out)
        waiter = stop or threading.Event()
        try:
            while not waiter.wait(0.5):
                pass
        except KeyboardInterrupt:
            print("stopping", file=out)


def _announce(emulator: Emulator, link_ttl: float | None, out: TextIO) -> None:
    print(f"LemonData emulator at {emulator.base_url}", file=out)
    print(f"  file host: {emulator.file_host_url}", file=out)
    print(f"  API key:   {emulator.api_key}", file=out)
    if link_ttl is not None:
        print(f"  video links expire {link_ttl:g} s after each task answer", file=out)
    print(f"  export LEMONDATA_BASE_URL={emulator.base_url} LEMONDATA_API_KEY={emulator.api_key}", file=out)
    out.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lemondata_video.emulator", description=serve.__doc__)
    parser.add_argument("--port", type=int, default=8787, help="API port (0 for any free port)")
    parser.add_argument("--host", default=DEFAULT_HOST, help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--file-port", type=int, default=0, help="file host port (default: any free port)")
    parser.add_argument(
        "--api-key", default=None, help="the key to accept (default: a random sk-emulator-...)"
    )
    parser.add_argument("--time-scale", type=float, default=1.0, help="emulated seconds per real second")
    parser.add_argument("--failure-rate", type=float, default=0.0, help="share of tasks that fail (0-1)")
    parser.add_argument("--catalog", metavar="FILE", help="a GET /v1/models answer (JSON) to serve")
    parser.add_argument("--link-ttl", type=float, metavar="SECONDS", help=LINK_TTL_HELP)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """The ``python -m lemondata_video.emulator`` command line."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        LinkSigner(args.link_ttl)
    except ValueError as exc:
        parser.error(str(exc).replace("link_ttl", "--link-ttl"))
    serve(
        port=args.port,
        host=args.host,
        file_port=args.file_port,
        api_key=args.api_key,
        time_scale=args.time_scale,
        failure_rate=args.failure_rate,
        catalog=args.catalog,
        link_ttl=args.link_ttl,
    )
    return 0
