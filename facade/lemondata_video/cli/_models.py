"""`models`: the capability matrix as a table or JSON; no request, no key, no emulator."""

from __future__ import annotations

import argparse
import dataclasses

from .._capabilities import list_models
from ._exits import OK
from ._output import Output, table

HEADERS = ("MODEL", "PROVIDER", "OPERATIONS", "DURATIONS", "CANCEL", "NOTES")


def run_models(args: argparse.Namespace, out: Output) -> int:
    """Run `lemonvideo models [--operation OP] [--provider NAME]`."""
    models = list_models(operation=args.operation, provider=args.provider)
    rows = [
        (
            m.id + (" (default)" if m.default else ""),
            m.provider,
            ",".join(m.operations),
            ",".join(map(str, m.durations)) if m.durations else "any",
            "yes" if m.cancellable else "no",
            m.notes,
        )
        for m in models
    ]
    text = table(HEADERS, rows) if rows else "no models match"
    out.result([dataclasses.asdict(m) for m in models], text)
    return OK
