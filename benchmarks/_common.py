"""What every benchmark shares: figures and their report lines, subprocess workers, medians, memory."""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Figure:
    """One measured figure against its baseline and target.

    `higher_is_better` flips the target's sense (throughput). `ratio` is value / baseline
    unless the benchmark states another ratio (then pass `ratio`).
    """

    key: str
    label: str
    value: float
    baseline: float | None
    unit: str
    target: float | None
    higher_is_better: bool = False
    ratio: float | None = None
    baseline_label: str = ""
    note: str = ""

    @property
    def the_ratio(self) -> float | None:
        if self.ratio is not None:
            return self.ratio
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline  # type: ignore[operator]

    @property
    def met(self) -> bool | None:
        compared = self.the_ratio if self.baseline is not None else self.value
        if self.target is None or compared is None:
            return None
        return compared >= self.target if self.higher_is_better else compared <= self.target

    def line(self) -> str:
        """The report line the smoke test looks for: ``figure <key>: ...``."""
        parts = [f"figure {self.key}: {self.label} {fmt(self.value)} {self.unit}"]
        if self.baseline is not None:
            parts.append(f"baseline ({self.baseline_label}) {fmt(self.baseline)} {self.unit}")
        if self.the_ratio is not None:
            parts.append(f"ratio {self.the_ratio:.3f}x")
        if self.target is not None:
            sense = ">=" if self.higher_is_better else "<="
            unit = "x" if self.baseline is not None else f" {self.unit}".rstrip()
            verdict = "MET" if self.met else "MISSED"
            parts.append(f"target {sense} {self.target:g}{unit} {verdict}")
        if self.note:
            parts.append(self.note)
        return " | ".join(parts)


def fmt(value: float) -> str:
    """Three significant figures, without exponent noise for everyday sizes."""
    if value == 0 or 0.01 <= abs(value) < 1e6:
        return f"{value:.3g}" if abs(value) < 1000 else f"{value:.0f}"
    return f"{value:.3e}"


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def child_env() -> dict[str, str]:
    """The environment of a worker: this repo's packages importable, no stray bytecode writes."""
    env = dict(os.environ)
    paths = [str(ROOT), str(ROOT / "facade"), str(ROOT / "generated")]
    env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def run_worker(module: str, *args: str, timeout: float = 1800) -> dict[str, Any]:
    """Run ``python -m benchmarks.<module> <args>`` and return the JSON its last stdout line holds."""
    done = subprocess.run(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", f"benchmarks.{module}", *args],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=ROOT,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        command = " ".join(["benchmarks." + module, *args])
        msg = f"worker {command} failed ({done.returncode}):\n{done.stderr[-4000:]}"
        raise RuntimeError(msg)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MB (Linux reports kB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mb() -> float:
    """This process's current resident set size, in MB."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def cpu_seconds() -> float:
    """User plus system CPU time of this process."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def machine() -> str:
    """nproc, CPU model and Python version: the README table's machine column."""
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs, {model}, Python {platform.python_version()}"
