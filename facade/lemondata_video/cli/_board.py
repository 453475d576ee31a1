"""The batch's overall progress line on stderr, its summary table and its JSONL report."""

from __future__ import annotations

import json
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final, TextIO

from . import _journal as jn
from ._jobs import Job
from ._output import duration_text, is_terminal, table
from ._progress import bar

REPORT_NAME: Final = "lemonvideo-report.jsonl"
DONE_STATES: Final = frozenset(
    {jn.DOWNLOADED, jn.FAILED, jn.CANCELLED, jn.UNKNOWN, jn.INVALID, jn.ERROR, jn.TIMEOUT}
)
SHOWN: Final = (
    jn.SUBMITTING,
    jn.RUNNING,
    jn.DOWNLOADING,
    jn.FAILED,
    jn.CANCELLED,
    jn.UNKNOWN,
    jn.ERROR,
    jn.INVALID,
    jn.TIMEOUT,
)


class Board:
    """Counts jobs by state and shows them as one line (redrawn on a terminal, logged on a pipe)."""

    def __init__(self, jobs: Sequence[Job], stream: TextIO, *, clock: Callable[[], float] = time.monotonic):
        self.total = len(jobs)
        self.states: dict[str, str] = {}
        self.stream = stream
        self.live = is_terminal(stream)
        self.unicode = (getattr(stream, "encoding", None) or "").lower().replace("-", "") == "utf8"
        self._clock = clock
        self._start = clock()
        self._width = 0

    def change(self, job_id: str, state: str) -> None:
        """A job moved to `state`."""
        before = self.states.get(job_id)
        self.states[job_id] = state
        if self.live:
            self.draw()
        elif state in DONE_STATES and before != state:
            done = sum(s in DONE_STATES for s in self.states.values())
            self.stream.write(f"lemonvideo: [{done}/{self.total}] {job_id} {state}\n")
            self.stream.flush()

    def render(self) -> str:
        """The overall line: bar, jobs done, then the count of every other state."""
        counts = Counter(self.states.values())
        done = sum(counts[s] for s in DONE_STATES)
        parts = [f"{counts[s]} {s}" for s in SHOWN if counts[s]]
        detail = "  ".join(parts)
        percent = 100.0 * done / self.total if self.total else 100.0
        elapsed = duration_text(self._clock() - self._start)
        return f"{bar(percent, unicode=self.unicode)} {done}/{self.total} done  {detail}  elapsed {elapsed}"

    def draw(self) -> None:
        """Redraw the line in place (terminals only)."""
        if not self.live:
            return
        line = self.render()
        pad = max(0, self._width - len(line))
        self._width = len(line)
        self.stream.write(f"\r{line}{' ' * pad}")
        self.stream.flush()

    def close(self) -> None:
        """End the live line."""
        if self.live and self._width:
            self.stream.write("\n")
            self.stream.flush()


def job_results(jobs: Sequence[Job], records: dict[str, jn.Record], out_dir: Path) -> list[dict[str, Any]]:
    """One result per job, from the journal."""
    results = []
    for job in jobs:
        record = records.get(job.id)
        state = record.state if record else "not started"
        results.append({
            "id": job.id, "line": job.line, "state": state,
            "task_id": record.task_id if record else None,
            "status": record.status if record else None,
            "path": str((out_dir / job.out).resolve()) if state == jn.DOWNLOADED else None,
            "error": record.error if record and state != jn.DOWNLOADED else None,
            "request_fingerprint": record.request_fingerprint if record else None,
        })  # fmt: skip
    return results


def write_report(results: Sequence[dict[str, Any]], out_dir: Path) -> Path:
    """Replace OUT_DIR/lemonvideo-report.jsonl atomically with one line per job."""
    path = out_dir / REPORT_NAME
    partial = path.with_name(f".{REPORT_NAME}.{os.getpid()}.partial")  # workers may share the folder
    partial.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in results), encoding="utf-8")
    os.replace(partial, path)
    return path


def summary(results: Sequence[dict[str, Any]]) -> str:
    """The summary table and a totals line."""
    rows = [(r["id"], r["state"], r["task_id"] or "-", r["path"] or r["error"] or "") for r in results]
    counts = Counter(r["state"] for r in results)
    totals = ", ".join(f"{n} {state}" for state, n in sorted(counts.items()))
    return f"{table(('JOB', 'STATE', 'TASK', 'RESULT'), rows)}\n\n{len(results)} jobs: {totals}"
