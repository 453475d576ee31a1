"""Import time of lemondata_video against httpx, each in fresh interpreters.

Method: ``python -X importtime -c "import <module>"`` in a new interpreter per sample, reading
the cumulative microseconds of the top-level module from its report (interpreter start-up is
not in that figure). The two modules alternate so drift in machine load hits both; the
figure is the median of each.

httpx imports its command line (click, rich, pygments: ~30 ms) when those happen to be
installed, as they are in this repo's .venv. The ``lean`` figure blocks ``click`` first
(``sys.modules["click"] = None``), which is what an environment without ``httpx[cli]``
sees; both the package and the baseline then import the lean httpx.
"""

from __future__ import annotations

import subprocess
import sys

from ._common import ROOT, Figure, child_env, median

PACKAGE = "lemondata_video"
BASELINE = "httpx"
TARGET = 1.3


LEAN_PRELUDE = "import sys; sys.modules['click'] = None; "


def import_micros(module: str, *, lean: bool = False) -> int:
    """Cumulative import time of `module` in a fresh interpreter, in microseconds."""
    prelude = LEAN_PRELUDE if lean else ""
    done = subprocess.run(  # noqa: S603  (our own interpreter)
        [sys.executable, "-X", "importtime", "-c", f"{prelude}import {module}"],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=ROOT,
        check=True,
    )
    for line in reversed(done.stderr.splitlines()):
        fields = [field.strip() for field in line.removeprefix("import time:").split("|")]
        if len(fields) == 3 and fields[2] == module:
            return int(fields[1])
    msg = f"no import time line for {module} in:\n{done.stderr[-2000:]}"
    raise RuntimeError(msg)


def run(*, repetitions: int) -> list[Figure]:
    figures = []
    for lean in (False, True):
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(repetitions):
            theirs.append(import_micros(BASELINE, lean=lean) / 1000)
            ours.append(import_micros(PACKAGE, lean=lean) / 1000)
        variant = "lean: without httpx's CLI extras" if lean else "as installed in .venv"
        figures.append(
            Figure(
                key="import.lean" if lean else "import",
                label=f"import {PACKAGE}",
                value=median(ours),
                baseline=median(theirs),
                baseline_label=f"import {BASELINE}",
                unit="ms",
                target=TARGET,
                note=f"{variant}; median of {repetitions} fresh interpreters, -X importtime cumulative",
            )
        )
    return figures
