"""`emulator`: serve the local emulator in the foreground until Ctrl-C."""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
from typing import TYPE_CHECKING

from ._connect import read_catalog
from ._exits import OK, USAGE, CLIError
from ._output import Output

if TYPE_CHECKING:
    from ..emulator import Emulator


def run_emulator(args: argparse.Namespace, out: Output) -> int:
    """Run `lemonvideo emulator [--port 8787] [--host 127.0.0.1] [--time-scale X]`."""
    try:
        from ..emulator import Emulator, RealClock, serve  # noqa: PLC0415 - an optional extra
    except ImportError as exc:
        extra = "pip install 'lemondata-video[emulator]'"
        msg = f"the emulator needs the 'emulator' extra ({exc.name} is missing): {extra}"
        raise CLIError(msg, code=USAGE) from exc
    try:
        if not args.json:
            with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C is how a foreground server ends
                serve(
                    port=args.port,
                    host=args.host,
                    time_scale=args.time_scale,
                    catalog=read_catalog(args.catalog),
                    link_ttl=args.link_ttl,
                    out=out.stdout,
                )
            return OK
        with contextlib.suppress(KeyboardInterrupt):
            catalog = read_catalog(args.catalog)
            clock = RealClock(args.time_scale)
            emulator = Emulator(
                port=args.port, host=args.host, clock=clock, catalog=catalog, link_ttl=args.link_ttl
            )
            _serve_json(emulator, out)
    except ValueError as exc:  # an option out of range: --time-scale, --link-ttl
        raise CLIError(str(exc).replace("link_ttl", "--link-ttl"), code=USAGE) from exc
    except OSError as exc:
        msg = f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}; choose another --port"
        raise CLIError(msg, code=USAGE) from exc
    return OK


def _serve_json(emulator: Emulator, out: Output) -> None:
    with emulator:
        info = {
            "base_url": emulator.base_url,
            "file_host_url": emulator.file_host_url,
            "api_key": emulator.api_key,
        }
        out.stdout.write(json.dumps(info) + "\n")
        out.stdout.flush()
        threading.Event().wait()
