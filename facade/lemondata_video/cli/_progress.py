"""The live progress line of one task on stderr: status, bar, percent, elapsed time, ETA.

On a terminal the line is redrawn in place (`\\r`) while the client sleeps between polls; when
stderr is not a terminal, one plain line is written per status change and nothing else.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final, TextIO

from .._task import Task, TaskStatus
from ._output import duration_text, is_terminal, paint, wants_colour

BAR_WIDTH: Final = 24
REDRAW_SECONDS: Final = 0.1
SPINNER: Final = "|/-\\"
STATUS_COLOURS: Final = {
    TaskStatus.PENDING: "yellow",
    TaskStatus.PROCESSING: "cyan",
    TaskStatus.COMPLETED: "green",
    TaskStatus.FAILED: "red",
}


def bar(percent: float, *, width: int = BAR_WIDTH, unicode: bool = True) -> str:
    """A fixed-width bar for `percent` (0-100)."""
    filled = round(width * max(0.0, min(percent, 100.0)) / 100)
    full, empty = ("█", "░") if unicode else ("#", "-")
    return full * filled + empty * (width - filled)


class ProgressLine:
    """Shows one task's progress; `update` is the client's `on_update`, `sleep` its `sleep`."""

    def __init__(
        self,
        stream: TextIO,
        *,
        label: str = "",
        max_poll_interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.stream = stream
        self.label = label
        self.live = is_terminal(stream)
        self.colour = wants_colour(stream)
        self.unicode = (getattr(stream, "encoding", None) or "").lower().replace("-", "") == "utf8"
        self._max_poll = max_poll_interval
        self._clock, self._sleep = clock, sleep
        self._start = clock()
        self._task: Task | None = None
        self._seen: tuple[float, float] | None = None  # (time, percent) of the first progress seen
        self._last: tuple[float, float] | None = None  # (time, percent) of the latest
        self._frame = 0
        self._width = 0

    def update(self, task: Task) -> None:
        """Record a polled task; on a pipe, write a line when its status changes."""
        previous, self._task = self._task, task
        if task.progress is not None and task.progress > 0:
            sample = (self._clock(), task.progress)
            self._seen = self._seen or sample
            self._last = sample
        if self.live:
            self.draw()
        elif previous is None or previous.raw_status != task.raw_status:
            line = f"{self.label}{task.id} {task.raw_status} {self._percent_text()}"
            self.stream.write(line.rstrip() + "\n")
            self.stream.flush()

    def sleep(self, seconds: float) -> None:
        """Sleep between polls, redrawing the line every REDRAW_SECONDS on a terminal."""
        if self._max_poll is not None:
            seconds = min(seconds, self._max_poll)
        deadline = self._clock() + seconds
        while (left := deadline - self._clock()) > 0:
            self._sleep(min(left, REDRAW_SECONDS) if self.live else left)
            if self.live:
                self.draw()

    def eta(self) -> float | None:
        """Seconds left, from the rate of progress between the first and latest reports; None if unknown.

        Between polls it counts down from the latest report.
        """
        task = self._task
        if task is not None and task.status is TaskStatus.COMPLETED:
            return 0.0
        if self._seen is None or self._last is None:
            return None
        (t0, p0), (t1, p1) = self._seen, self._last
        if t1 <= t0 or p1 <= p0:
            return None
        left = (100.0 - p1) * (t1 - t0) / (p1 - p0) - (self._clock() - t1)
        return max(left, 0.0)

    def render(self) -> str:
        """The current line, without `\\r`."""
        task = self._task
        status = task.raw_status if task else "submitting"
        percent = task.progress if task and task.progress is not None else 0.0
        spin = SPINNER[self._frame % len(SPINNER)]
        coloured = paint(
            f"{status:<10}", STATUS_COLOURS.get(task.status) if task else None, enabled=self.colour
        )
        elapsed = duration_text(self._clock() - self._start)
        return (
            f"{spin} {self.label}{coloured} {bar(percent, unicode=self.unicode)} {self._percent_text():>4}"
            f"  elapsed {elapsed}  ETA {duration_text(self.eta())}"
        )

    def draw(self) -> None:
        """Redraw the line in place."""
        self._frame += 1
        line = self.render()
        pad = max(0, self._width - len(line))
        self._width = len(line)
        self.stream.write(f"\r{line}{' ' * pad}")
        self.stream.flush()

    def close(self) -> None:
        """End the live line with a newline so what follows starts on its own line."""
        if self.live and self._width:
            self.stream.write("\n")
            self.stream.flush()
            self._width = 0

    def _percent_text(self) -> str:
        task = self._task
        return f"{task.progress:.0f}%" if task and task.progress is not None else ""
