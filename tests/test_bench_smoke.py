"""scripts/bench --smoke runs every benchmark at a tiny size and prints each one's figures.

No timing is asserted here (the figures of a tiny run on a busy machine mean nothing); this
keeps the benchmarks working as the code they measure changes.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURE_KEYS = [
    "overhead.sync",
    "overhead.async",
    "polling.with_progress.polls",
    "polling.with_progress.lag",
    "polling.without_progress.polls",
    "polling.without_progress.lag",
    "polling.mixed.with_progress.polls",
    "polling.mixed.with_progress.lag",
    "polling.mixed.without_progress.polls",
    "polling.mixed.without_progress.lag",
    "scale.429s",
    "scale.requests_per_task",
    "scale.rss",
    "scale.cpu",
    "scale.contended.429s",
    "scale.contended.requests_per_task",
    "import",
    "import.async",
    "import.package",
    "download.throughput",
    "download.rss",
    "video.ttfb.cold",
    "video.ttfb.cached",
    "video.ttfb.repeat",
]
NUMBER = r"-?[0-9.]+(?:e[+-]?[0-9]+)?"


def test_smoke_run_prints_every_figure_and_exits_0() -> None:
    """Every benchmark runs and reports its figure, baseline ratio and target verdict."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench"), "--smoke", "--markdown"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = done.stdout.splitlines()
    for key in FIGURE_KEYS:
        found = [line for line in lines if line.startswith(f"figure {key}: ")]
        assert len(found) == 1, f"no single figure line for {key} in:\n{done.stdout}"
        assert re.search(rf": .+ {NUMBER} ", found[0]), found[0]
        assert re.search(r"target (<=|>=) [0-9.]+(x| [A-Za-z/%]+)? (MET|MISSED)", found[0]), found[0]
    rows = [line for line in lines if line.startswith("| ")]
    assert len(rows) == len(FIGURE_KEYS)


def test_unknown_benchmark_is_a_usage_error() -> None:
    """A misspelt benchmark name is refused with the list of names, before anything runs."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench"), "polls"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    names = "overhead, polling, scale, scale.contended, import, download, video"
    assert f"no benchmark named polls; choose from {names}" in done.stderr
    assert "figure " not in done.stdout
