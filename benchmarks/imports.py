"""Import time of lemondata_video against httpx, each in fresh interpreters.

Method: a new interpreter per sample times the import statement with ``time.perf_counter``
(interpreter start-up is not in the figure). The statements under test and their baselines
alternate, so drift in machine load hits both; each figure is the median of its samples.

- ``import``: ``from lemondata_video import VideoClient`` (what a program writes) against
  ``import httpx``. The package loads its clients on first access and the generated client,
  the capability matrix and the downloader on first use, so this is what a program pays
  before its first request.
- ``import.async``: ``from lemondata_video import AsyncVideoClient`` against httpx, both
  after ``import asyncio``: an asyncio program has already paid for asyncio.
- ``import.package``: bare ``import lemondata_video`` against ``import httpx``.

Bytecode: pip compiles an installed package's modules, so httpx loads from `.pyc` files; this
repo's packages are an editable install and the environment may set PYTHONDONTWRITEBYTECODE,
which would make every sample compile our sources (~9 ms). `compile_packages` writes their
`.pyc` files first, as an install from the wheel would have them.

httpx imports its command line (click, rich, pygments: ~30 ms) when those happen to be
installed, as they are in this repo's .venv, and that would inflate both sides alike. Every
sample blocks ``click`` first (``sys.modules["click"] = None``), which is what an environment
without ``httpx[cli]`` sees.
"""

from __future__ import annotations

import compileall
import subprocess
import sys

from ._common import ROOT, Figure, child_env, median

TARGET = 1.3
PRELUDE = "import sys; sys.modules['click'] = None\n"
TIMER = "import time\nt = time.perf_counter()\n{statement}\nprint((time.perf_counter() - t) * 1000)\n"
# key -> (statement under test, baseline statement, setup run before the timer, label)
CASES = {
    "import": ("from lemondata_video import VideoClient", "import httpx", "", "VideoClient"),
    "import.async": (
        "from lemondata_video import AsyncVideoClient",
        "import httpx",
        "import asyncio\n",
        "AsyncVideoClient, after import asyncio",
    ),
    "import.package": ("import lemondata_video", "import httpx", "", "bare package"),
}


def import_millis(statement: str, *, setup: str = "") -> float:
    """Wall time of `statement` in a fresh interpreter, in milliseconds."""
    code = PRELUDE + setup + TIMER.format(statement=statement)
    done = subprocess.run(  # noqa: S603  (our own interpreter)
        [sys.executable, "-c", code], capture_output=True, text=True, env=child_env(), cwd=ROOT, check=True
    )
    return float(done.stdout.strip().splitlines()[-1])


def compile_packages() -> None:
    """Write the `.pyc` files of facade/ and generated/, as `pip install` of the wheel does."""
    for folder in ("facade", "generated"):
        if not compileall.compile_dir(ROOT / folder, quiet=1, force=False):
            msg = f"compileall failed under {folder}/"
            raise RuntimeError(msg)


def run(*, repetitions: int) -> list[Figure]:
    compile_packages()
    figures = []
    for key, (statement, baseline, setup, label) in CASES.items():
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(repetitions):
            theirs.append(import_millis(baseline, setup=setup))
            ours.append(import_millis(statement, setup=setup))
        figures.append(
            Figure(
                key=key,
                label=f"`{statement}`",
                value=median(ours),
                baseline=median(theirs),
                baseline_label=f"`{baseline}`",
                unit="ms",
                target=TARGET,
                note=f"{label}; median of {repetitions} fresh interpreters each, alternating",
            )
        )
    return figures
