"""Polling on a mix of models, each with its own regular durations: what the learned priors save.

Five models with log-normal durations (medians MIXED_MEDIANS s, sigma MIXED_SIGMA, seeded
per model), one task of each in turn (a seeded shuffle per round), waited on one after
another by one client, which learns each model's durations as the run goes (`_priors`).
Figures are over the tasks after a warm-up of WARM_UP per model, against the fixed 5 s loop
on the same tasks; the notes give the whole run and the 1 s loop. Run by `scripts/bench
polling` with `count` tasks in all.
"""

from __future__ import annotations

import math
import random

from . import polling
from ._common import Figure

MIXED_MODELS = ("veo3.1-fast", "sora-2", "kling-v2.6-pro", "veo3.1", "sora-2-pro")
MIXED_MEDIANS = (30.0, 60.0, 120.0, 240.0, 480.0)
MIXED_SIGMA = 0.25
SEED = 16
WARM_UP = 20
TARGETS = {True: (0.15, 0.5), False: (0.35, 1.0)}  # progress -> (polls, lag) as ratios to the 5 s loop


def jobs(per_model: int) -> list[tuple[str, float, int]]:
    """(model, duration, index of the task within its model), interleaved."""
    # One stream per model: each model's durations do not depend on the order.
    draws = {model: random.Random(f"{SEED}-{model}") for model in MIXED_MODELS}
    order = random.Random(SEED)
    out: list[tuple[str, float, int]] = []
    for index in range(per_model):
        models = list(zip(MIXED_MODELS, MIXED_MEDIANS, strict=True))
        order.shuffle(models)
        out += [(m, median * math.exp(draws[m].gauss(0.0, MIXED_SIGMA)), index) for m, median in models]
    return out


def run(*, count: int) -> list[Figure]:
    per_model = max(count // len(MIXED_MODELS), 1)
    warm_up = min(WARM_UP, per_model // 2)
    tasks = jobs(per_model)
    plain = [(model, seconds) for model, seconds, _ in tasks]
    after = [i for i, (_, _, index) in enumerate(tasks) if index >= warm_up]

    def split(costs: list[tuple[int, float]]) -> tuple[polling.Outcome, polling.Outcome]:
        return polling.outcome([costs[i] for i in after]), polling.outcome(costs)

    five = split(polling.run_tasks(polling.fixed_loop(5.0), plain, progress=True))
    one = polling.outcome(polling.run_tasks(polling.fixed_loop(1.0), plain, progress=True))
    scope = f"{len(after)} tasks after a warm-up of {warm_up} per model ({len(tasks)} in all)"
    figures = []
    for progress in (True, False):
        ours = split(polling.run_tasks(polling.facade_wait, plain, progress=progress))
        figures += mixed_figures(progress, ours, five, one, scope)
    return figures


def mixed_figures(
    progress: bool,
    ours: tuple[polling.Outcome, polling.Outcome],
    five: tuple[polling.Outcome, polling.Outcome],
    one: polling.Outcome,
    scope: str,
) -> list[Figure]:
    """The polls and lag figures of one mode: (after warm-up, whole run) for ours and the 5 s loop."""
    mode = "with_progress" if progress else "without_progress"
    poll_target, lag_target = TARGETS[progress]
    label = f"wait, mixed models ({mode.replace('_', ' ')})"
    polls_note = f"{scope}; whole run {ours[1].polls:.1f} vs {five[1].polls:.1f}; 1 s loop {one.polls:.1f}"
    lag_note = f"whole run {ours[1].lag:.2f} s vs {five[1].lag:.2f} s; max {ours[0].max_lag:.1f} s"
    return [
        Figure(
            key=f"polling.mixed.{mode}.polls",
            label=f"{label} polls/task",
            value=ours[0].polls,
            baseline=five[0].polls,
            baseline_label="fixed 5 s loop",
            unit="polls",
            target=poll_target,
            note=polls_note,
        ),
        Figure(
            key=f"polling.mixed.{mode}.lag",
            label=f"{label} mean lag",
            value=ours[0].lag,
            baseline=five[0].lag,
            baseline_label="fixed 5 s loop",
            unit="s",
            target=lag_target,
            note=f"{lag_note}; 1 s loop {one.lag:.2f} s",
        ),
    ]
