"""How long to wait before the next poll of a task: pure, seedable, unit-tested.

Two regimes. Without progress reports, the first poll comes at FIRST_POLL_AFTER
(video generations take longer than that: earlier polls would only spend the
rate-limit budget), then the interval grows with the cube root of the elapsed
time up to STEADY_CAP, and past LONG_TASK_AFTER on towards MAX_POLL_INTERVAL.
Tuned by simulation (tests/test_polling.py): on durations log-uniform over
20-600 s this takes about 60% of the polls of a fixed 5 s loop at 1.5x its
detection lag, within a few percent of the best any fixed schedule can do.
Every knob of polling (the defaults of `wait` and the CLI's local cap included) is here.

With two or more progress samples the rate predicts the finish: sleep until
shortly before it, then poll densely. Whole percents are read as truncated, so
the prediction errs early rather than late; a task that overruns it is polled
with a growing interval that never exceeds the no-progress one.

With a learned duration prior of the task's model (`_priors`) and no prediction from
progress yet, the interval follows the log-normal's hazard: PRIOR_DENSITY * sqrt(S(t) / p(t)),
the spacing that minimises polls plus a fixed price per second of lag (dense where tasks of
the model finish, sparse where few do). The first poll comes when the tasks that finished
before it have cost PRIOR_FIRST_LAG s of lag per task (later, in quantiles, for a short model
than for a long one, as the exact discrete optimum does; PRIOR_FIRST_LAG_WITH_PROGRESS for a
model that reports progress, whose later polls the prediction makes cheap); past the PRIOR_LAST_Z quantile the
generic growing interval takes over. Tuned by simulation (benchmarks/polling_mixed.py, five
models with medians 30-480 s, sigma 0.25): about 0.36x the polls of a 5 s loop at its lag,
where the exact optimum for a known distribution (dynamic programming) is about 0.34x.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Final

from ._priors import DurationPrior

# How long `wait` waits by default, overall.
DEFAULT_WAIT_TIMEOUT: Final = 30 * 60.0
INITIAL_POLL_INTERVAL: Final = 1.0
MAX_POLL_INTERVAL: Final = 15.0
POLL_JITTER: Final = 0.1
# The CLI against a server on this machine (the emulator) polls at least this often, in real
# seconds, so its bar moves smoothly; the schedule below suits the real service.
LOCAL_MAX_POLL_INTERVAL: Final = 0.5
FIRST_POLL_AFTER: Final = 25.0
STEADY_FACTOR: Final = 1.82
STEADY_EXPONENT: Final = 0.33
STEADY_CAP: Final = 8.5
LONG_TASK_AFTER: Final = 600.0
# With progress: wake this fraction (at least PREDICT_MIN_MARGIN s) before the predicted finish.
PREDICT_LEAD: Final = 0.1
PREDICT_MIN_MARGIN: Final = 1.0
DENSE_POLL_INTERVAL: Final = 2.0
MAX_PREDICTED_SLEEP: Final = 120.0
OVERDUE_GROWTH: Final = 0.25
FULL: Final = 100.0
# With a duration prior: the first poll comes when the tasks of the model that finished before it
# have waited PRIOR_FIRST_LAG s on average over all its tasks (the spot where one poll more
# costs what it saves); PRIOR_LAST_Z is in standard deviations of the log-duration.
PRIOR_FIRST_LAG: Final = 0.24
# ... sooner for a model that reports progress: from the first poll on, progress predicts the finish.
PRIOR_FIRST_LAG_WITH_PROGRESS: Final = 0.15
PRIOR_LAST_Z: Final = 2.5
PRIOR_DENSITY: Final = 0.59
PRIOR_MAX_INTERVAL: Final = 15.0


def steady_interval(elapsed: float) -> float:
    """The no-progress interval after the warm-up, `elapsed` seconds into the wait."""
    interval = min(STEADY_FACTOR * max(elapsed, 0.0) ** STEADY_EXPONENT, STEADY_CAP)
    if elapsed > LONG_TASK_AFTER:
        interval = STEADY_CAP * math.sqrt(elapsed / LONG_TASK_AFTER)
    return float(max(min(interval, MAX_POLL_INTERVAL), INITIAL_POLL_INTERVAL))


def prior_interval(prior: DurationPrior, elapsed: float) -> float:
    """The no-progress interval `elapsed` seconds into a wait whose model's durations are `prior`."""
    if early_lag(prior, elapsed) < first_lag(prior):
        return max(first_prior_poll(prior) - elapsed, INITIAL_POLL_INTERVAL)
    last = prior.quantile(PRIOR_LAST_Z)
    if elapsed >= last:
        return max(hazard_interval(prior, last), steady_interval(elapsed))
    return hazard_interval(prior, elapsed)


def _normal_cdf(z: float) -> float:
    return 0.5 * math.erfc(-z / math.sqrt(2.0))


def early_lag(prior: DurationPrior, at: float) -> float:
    """E[(at - T) if T < at else 0] for a duration T of the prior: the lag a first poll at `at` costs."""
    if at <= 0:
        return 0.0
    z = (math.log(at) - prior.mu) / prior.sigma
    mean_below = math.exp(prior.mu + prior.sigma**2 / 2) * _normal_cdf(z - prior.sigma)
    return max(at * _normal_cdf(z) - mean_below, 0.0)


def first_lag(prior: DurationPrior) -> float:
    """The lag per task the first poll may cost: less for a model that reports progress."""
    return PRIOR_FIRST_LAG_WITH_PROGRESS if prior.progress else PRIOR_FIRST_LAG


def first_prior_poll(prior: DurationPrior) -> float:
    """When `early_lag` reaches `first_lag` (bisection in log-time between the median's -6 sigma and it)."""
    low, high, target = prior.mu - 6 * prior.sigma, prior.mu, first_lag(prior)
    for _ in range(40):
        mid = (low + high) / 2
        low, high = (mid, high) if early_lag(prior, math.exp(mid)) < target else (low, mid)
    return math.exp(high)


def hazard_interval(prior: DurationPrior, elapsed: float) -> float:
    """PRIOR_DENSITY * sqrt(S / p) of the prior's log-normal at `elapsed`, within the poll bounds."""
    z = (math.log(elapsed) - prior.mu) / prior.sigma
    survival = 0.5 * math.erfc(z / math.sqrt(2.0))
    density_z = math.exp(-z * z / 2.0) / math.sqrt(2.0 * math.pi)  # density per unit of z
    spacing = PRIOR_DENSITY * math.sqrt(prior.sigma * elapsed * survival / max(density_z, 1e-300))
    return float(min(max(spacing, INITIAL_POLL_INTERVAL), PRIOR_MAX_INTERVAL))


def predicted_remaining(samples: list[tuple[float, float]], elapsed: float) -> float | None:
    """Seconds until progress reaches 100 at the rate seen so far; None without a rising rate."""
    if len(samples) < 2:
        return None
    (t0, p0), (t1, p1) = samples[0], samples[-1]
    if t1 <= t0 or p1 <= p0:
        return None
    if p0.is_integer() and p1.is_integer():
        # Whole percents are truncated: take the fastest rate they allow, so as to wake early, not late.
        p1_now, rate = p1 + 1.0, (p1 - p0 + 1.0) / (t1 - t0)
    else:
        p1_now, rate = p1, (p1 - p0) / (t1 - t0)
    return max(FULL - p1_now, 0.0) / rate - (elapsed - t1)


@dataclass(slots=True)
class PollSchedule:
    """The delays between the polls of one wait; feed it every task seen with `observe`.

    `prior` (the learned durations of the task's model) replaces the generic no-progress curve.
    """

    rng: random.Random = field(default_factory=random.Random)
    samples: list[tuple[float, float]] = field(default_factory=list)
    prior: DurationPrior | None = None

    def observe(self, elapsed: float, progress: float | None) -> None:
        """Record the progress seen `elapsed` seconds into the wait (a drop starts over)."""
        if progress is None or not 0.0 <= progress < FULL:
            return
        if self.samples and progress < self.samples[-1][1]:
            self.samples.clear()
        self.samples.append((elapsed, progress))

    def next_delay(self, elapsed: float, *, retry_after: float | None = None) -> float:
        """Seconds to sleep before the next poll; at least `retry_after` when the service asked."""
        remaining = predicted_remaining(self.samples, elapsed)
        if remaining is not None:
            delay = self._predicted(remaining, elapsed) * self.rng.uniform(1.0 - POLL_JITTER / 2, 1.0)
        else:
            spread = POLL_JITTER / 2
            delay = self._base(elapsed) * self.rng.uniform(1.0 - spread, 1.0 + spread)
        return max(delay, retry_after or 0.0)

    def _base(self, elapsed: float) -> float:
        if self.prior is not None:
            return prior_interval(self.prior, elapsed)
        if elapsed < FIRST_POLL_AFTER:
            return max(FIRST_POLL_AFTER - elapsed, INITIAL_POLL_INTERVAL)
        return steady_interval(elapsed)

    @staticmethod
    def _predicted(remaining: float, elapsed: float) -> float:
        if remaining <= 0:
            overdue = DENSE_POLL_INTERVAL + OVERDUE_GROWTH * -remaining
            return min(overdue, steady_interval(elapsed))
        early = remaining - max(PREDICT_MIN_MARGIN, PREDICT_LEAD * remaining)
        return min(max(early, DENSE_POLL_INTERVAL), MAX_PREDICTED_SLEEP)
