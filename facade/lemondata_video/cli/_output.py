"""Where output goes: results on stdout (text or `--json`), progress and errors on stderr.

Bars and colour only on a terminal: never when stderr is piped, when `TERM=dumb`, and no
colour when `NO_COLOR` is set (https://no-color.org).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping, Sequence
from typing import Any, Final, TextIO

PROG: Final = "lemonvideo"
RESET: Final = "\x1b[0m"
COLOURS: Final = {"red": "\x1b[31m", "green": "\x1b[32m", "yellow": "\x1b[33m", "cyan": "\x1b[36m"}


def is_terminal(stream: TextIO) -> bool:
    """True when `stream` is an interactive terminal that can redraw a line."""
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        return False
    return tty and os.environ.get("TERM") != "dumb"


def wants_colour(stream: TextIO) -> bool:
    """True when colour may be written to `stream`: a terminal and no `NO_COLOR`."""
    return is_terminal(stream) and not os.environ.get("NO_COLOR")


def paint(text: str, colour: str | None, *, enabled: bool) -> str:
    """`text` in `colour` when colour is enabled, otherwise unchanged."""
    if not enabled or colour is None:
        return text
    return f"{COLOURS[colour]}{text}{RESET}"


class Output:
    """Writes a command's result (text or one JSON document) and its notices and errors."""

    def __init__(
        self, *, json_mode: bool, stdout: TextIO | None = None, stderr: TextIO | None = None
    ) -> None:
        self.json_mode = json_mode
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr

    def result(self, data: Mapping[str, Any] | Sequence[Any], text: str) -> None:
        """The command's result: `data` as JSON with `--json`, else `text`."""
        if self.json_mode:
            self.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
        elif text:
            self.stdout.write(text.rstrip("\n") + "\n")
        self.stdout.flush()

    def notice(self, message: str) -> None:
        """One informational line on stderr."""
        self.stderr.write(f"{PROG}: {message}\n")
        self.stderr.flush()

    def error(self, message: str, *, code: int, extra: Mapping[str, Any] | None = None) -> None:
        """One error line on stderr; with `--json` also `{"error": ...}` on stdout for scripts."""
        self.stderr.write(f"{PROG}: error: {message}\n")
        self.stderr.flush()
        if self.json_mode:
            payload = {"message": message, "exit_code": code, **(extra or {})}
            self.stdout.write(json.dumps({"error": payload}, ensure_ascii=False) + "\n")
            self.stdout.flush()


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain, left-aligned text table with a header row."""
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in (headers, *rows)
    ]
    return "\n".join(lines)


def duration_text(seconds: float | None) -> str:
    """`m:ss` (or `h:mm:ss`) for a number of seconds; `--:--` when unknown."""
    if seconds is None or seconds < 0:
        return "--:--"
    total = int(seconds + 0.5)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
