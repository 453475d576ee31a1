"""The duration priors' JSON file: read it, and merge new durations into it safely beside other processes.

A merge takes an exclusive lock on a sibling `<file>.lock` (fcntl.flock on POSIX; where
fcntl is missing, merges are not locked against other processes), reads the file again,
appends the new durations per model keeping the last `history`, writes a temporary file in
the same directory and moves it over the file with os.replace: a reader sees the old file or
the new one, never half of one, and no process's durations are lost to another's write.
A file that exists but is not ours (not JSON, or without our FORMAT marker) is never
replaced: ForeignFileError.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, Final

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

FORMAT: Final = "lemondata-video duration priors"
VERSION: Final = 1
LOCK_SUFFIX: Final = ".lock"


class ForeignFileError(ValueError):
    """The priors path holds a file this SDK did not write; it is left alone."""


def load(path: Path) -> dict[str, list[float]]:
    """The durations per model in the file; empty when there is no file yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    try:
        data: Any = json.loads(text)
    except ValueError:
        data = None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        msg = f"{path} is not a duration priors file of lemondata-video; it is left as it is"
        raise ForeignFileError(msg)
    models = data.get("models")
    if not isinstance(models, dict):
        return {}
    return {str(model): _numbers(kept) for model, kept in models.items() if isinstance(kept, list)}


def merge(path: Path, new: Mapping[str, list[float]], *, history: int) -> dict[str, list[float]]:
    """Append `new` to what the file holds (per model, the last `history` kept); the merged whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        merged = load(path)
        for model, durations in new.items():
            kept = merged.setdefault(model, [])
            kept.extend(durations)
            del kept[:-history]
        _write(path, {"format": FORMAT, "version": VERSION, "models": merged})
    return merged


def _numbers(values: list[Any]) -> list[float]:
    return [
        float(v)
        for v in values
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) and v > 0
    ]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path.with_name(path.name + LOCK_SUFFIX), "a+b") as lock:
        if fcntl is not None:
            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _write(path: Path, data: dict[str, Any]) -> None:
    import tempfile  # noqa: PLC0415  (only a client that keeps priors on disk pays its import)

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, separators=(",", ":"))
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
