"""`models`: the spec's model snapshot (no request, no key), or with `--live` the service's catalog."""

from __future__ import annotations

import argparse
import dataclasses

from .._capabilities import ModelInfo, list_models
from ._common import client_for
from ._connect import connect
from ._exits import OK
from ._output import Output, table

HEADERS = ("MODEL", "PROVIDER", "OPERATIONS", "DURATIONS", "CANCEL", "NOTES")


def run_models(args: argparse.Namespace, out: Output) -> int:
    """Run `lemonvideo models [--live] [--operation OP] [--provider NAME]`."""
    if args.live:
        connection = connect(emulator=args.emulator, out=out, catalog=args.emulator_catalog)
        with connection as conn, client_for(conn) as client:
            models = client.models(operation=args.operation, provider=args.provider, live=True)
    else:
        models = list_models(operation=args.operation, provider=args.provider)
    text = table(HEADERS, [_row(m) for m in models]) if models else "no models match"
    out.result([dataclasses.asdict(m) for m in models], text)
    return OK


def _row(m: ModelInfo) -> tuple[str, ...]:
    return (
        m.id + (" (default)" if m.default else ""),
        m.provider,
        ",".join(m.operations),
        ",".join(map(str, m.durations)) if m.durations else "any",
        "yes" if m.cancellable else "no",
        m.notes,
    )
