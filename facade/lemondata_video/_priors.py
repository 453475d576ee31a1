"""Per-model duration priors: how long each model's tasks took, learned by the client that waited on them.

Every completed wait records its task's duration under the task's model: the service's own
timestamps (`updated - created`) when the task carries them, else what the wait saw (from
the start of a wait on a freshly created task to the poll that saw it completed). Once a
model has PRIOR_MIN_SAMPLES, `prior_for` fits a log-normal to its last PRIOR_HISTORY
durations with a trimmed estimate (mean and spread of the logs within PRIOR_TRIM robust
sigmas of their median, so one task that took ten times as long moves nothing) and
`_polling.PollSchedule` polls around it. A model spread wider than PRIOR_MAX_SIGMA is not
regular enough to gain from a prior and keeps the generic curve. One DurationPriors is
shared by every wait of a client (and may be shared by several clients); it is thread-safe.
With a `path` it is also kept in a small JSON file that concurrent processes merge into
(`_priors_store`), off by default; the file is merged at every completed wait, synchronously
(a few kB: an async wait holds its event loop for that write), and whether a model reports
progress is kept in memory only.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from . import _priors_store
from ._config import logger
from ._task import Task, TaskStatus

PRIOR_MIN_SAMPLES: Final = 4
PRIOR_HISTORY: Final = 64
# The fitted spread (log-space standard deviation) is never taken tighter than this...
PRIOR_MIN_SIGMA: Final = 0.08
# ... and a model spread wider than this keeps the generic no-progress curve.
PRIOR_MAX_SIGMA: Final = 0.6
MAD_TO_SIGMA: Final = 1.4826  # the MAD of a normal distribution is 0.6745 sigma
PRIOR_TRIM: Final = 3.0  # durations further than this many robust sigmas from the median are outliers
MIN_DURATION: Final = 1.0
CACHE_DIR_NAME: Final = "lemondata-video"
CACHE_FILE_NAME: Final = "durations.json"


@dataclass(frozen=True, slots=True)
class DurationPrior:
    """A model's durations as a log-normal: `mu` and `sigma` of the log-seconds, from `samples` tasks.

    `progress`: the model's last completed task reported progress (its waits can predict).
    """

    mu: float
    sigma: float
    samples: int
    progress: bool = False

    def quantile(self, z: float) -> float:
        """Seconds at `z` standard deviations from the median (z=0: the median)."""
        return math.exp(self.mu + z * self.sigma)

    @classmethod
    def fit(cls, durations: Iterable[float], *, progress: bool = False) -> DurationPrior:
        """Mean and spread of the log-durations within PRIOR_TRIM robust sigmas of their median.

        The median and the scaled MAD pick the bulk (one wild task cannot move them); the mean
        and standard deviation of the bulk are the estimates (closer than the MAD on regular
        data), widened for the uncertainty of the mean itself.
        """
        logs = [math.log(max(d, MIN_DURATION)) for d in durations]
        center = _median(logs)
        rough = max(MAD_TO_SIGMA * _median([abs(x - center) for x in logs]), PRIOR_MIN_SIGMA)
        bulk = [x for x in logs if abs(x - center) <= PRIOR_TRIM * rough]
        mu = sum(bulk) / len(bulk)
        spread = math.sqrt(sum((x - mu) ** 2 for x in bulk) / (len(bulk) - 1)) if len(bulk) > 1 else rough
        sigma = max(spread, PRIOR_MIN_SIGMA) * math.sqrt(1.0 + 1.0 / len(logs))
        return cls(mu=mu, sigma=sigma, samples=len(logs), progress=progress)


def _median(values: list[float]) -> float:
    """The median (statistics.median, without importing statistics and its fractions and decimal)."""
    ordered = sorted(values)
    half = len(ordered) // 2
    return ordered[half] if len(ordered) % 2 else (ordered[half - 1] + ordered[half]) / 2.0


def default_path() -> Path:
    """`$XDG_CACHE_HOME/lemondata-video/durations.json`, or under `~/.cache` without XDG_CACHE_HOME."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / CACHE_DIR_NAME / CACHE_FILE_NAME


class DurationPriors:
    """How long each model's tasks took, in memory and, with `path`, in a JSON file other processes share.

    `DurationPriors.in_user_cache()` keeps the file at `default_path()`. A file that is not
    one of ours is never overwritten (the priors then stay in memory, with a warning).
    """

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        history: int = PRIOR_HISTORY,
        min_samples: int = PRIOR_MIN_SAMPLES,
    ) -> None:
        if history < 1 or min_samples < 1:
            msg = f"history and min_samples must be 1 or more, not {history} and {min_samples}"
            raise ValueError(msg)
        self.path = Path(path) if path is not None else None
        self.history = history
        self.min_samples = min_samples
        self._lock = threading.Lock()
        self._durations: dict[str, list[float]] = {}
        self._unsaved: dict[str, list[float]] = {}
        self._progress: dict[str, bool] = {}  # in memory only: one completed task tells again
        self._warned = False
        self._on_disk = self.path is not None  # until the path turns out to hold someone else's file
        if self.path is not None:
            self._durations = self._loaded(self.path)

    @classmethod
    def in_user_cache(cls) -> DurationPriors:
        """Priors kept in the user's cache directory (`default_path()`)."""
        return cls(default_path())

    def durations(self, model: str) -> list[float]:
        """The durations kept for `model`, oldest first."""
        with self._lock:
            return list(self._durations.get(model, ()))

    def models(self) -> list[str]:
        """The models with at least one duration, sorted."""
        with self._lock:
            return sorted(self._durations)

    def record(self, model: str, seconds: float) -> None:
        """Add one task's duration; with a `path`, merge it into the file at once."""
        if not math.isfinite(seconds) or seconds <= 0:
            return
        with self._lock:
            kept = self._durations.setdefault(model, [])
            kept.append(float(seconds))
            del kept[: -self.history]
            if self.path is not None and self._on_disk:
                unsaved = self._unsaved.setdefault(model, [])
                unsaved.append(float(seconds))
                del unsaved[: -self.history]
                self._save(self.path)

    def prior(self, model: str) -> DurationPrior | None:
        """The fitted prior of `model`; None with too few durations or too wide a spread."""
        with self._lock:
            kept = list(self._durations.get(model, ()))
            progress = self._progress.get(model, False)
        if len(kept) < self.min_samples:
            return None
        fitted = DurationPrior.fit(kept, progress=progress)
        return fitted if fitted.sigma <= PRIOR_MAX_SIGMA else None

    def prior_for(self, task: Task) -> DurationPrior | None:
        """The prior a wait starting from `task` polls by: only for a task still pending (just created)."""
        if task.model is None or task.status is not TaskStatus.PENDING:
            return None
        return self.prior(task.model)

    def learn(self, task: Task, *, waited: float | None) -> None:
        """Record a completed task: its own timestamps, else `waited` (seconds since it was created)."""
        if task.model is None or task.status is not TaskStatus.COMPLETED:
            return
        with self._lock:
            self._progress[task.model] = task.progress is not None
        if task.created is not None and task.updated is not None and task.updated > task.created:
            self.record(task.model, float(task.updated - task.created))
        elif waited is not None:
            self.record(task.model, waited)

    def _loaded(self, path: Path) -> dict[str, list[float]]:
        try:
            found = _priors_store.load(path)
        except _priors_store.ForeignFileError as exc:
            self._on_disk = False
            self._warn(f"duration priors stay in memory: {exc}")
            return {}
        except OSError as exc:
            self._warn(f"duration priors not read from {path} (starting empty): {exc}")
            return {}
        return {model: kept[-self.history :] for model, kept in found.items()}

    def _save(self, path: Path) -> None:
        """Merge the unsaved durations into the file; on failure keep them for the next record."""
        try:
            merged = _priors_store.merge(path, self._unsaved, history=self.history)
        except _priors_store.ForeignFileError as exc:
            self._on_disk = False
            self._warn(f"duration priors stay in memory: {exc}")
            return
        except OSError as exc:
            self._warn(
                f"duration priors not saved to {path} (kept in memory, tried again at the next task): {exc}"
            )
            return
        self._unsaved.clear()
        self._durations = dict(merged)

    def _warn(self, message: str) -> None:
        """Once per DurationPriors: a cache that cannot be written is no reason to fail a wait."""
        if not self._warned:
            self._warned = True
            logger.warning("%s", message)


PriorsOption = bool | DurationPriors | str | os.PathLike[str] | None


def priors_of(option: PriorsOption) -> DurationPriors | None:
    """The client's `duration_priors`: True (in memory), False/None (off), a DurationPriors, a path."""
    if option is None or option is False:
        return None
    if option is True:
        return DurationPriors()
    if isinstance(option, DurationPriors):
        return option
    if not isinstance(option, str | os.PathLike):
        msg = f"duration_priors must be True, False, a DurationPriors or a file path, not {option!r}"
        raise TypeError(msg)
    return DurationPriors(option)
