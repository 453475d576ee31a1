"""The fault soak: many tasks through create → wait → download against a faulty emulator, with figures.

Shared by `tests/reliability/test_soak.py` (bounded) and `scripts/soak` (the full run).
Every job has its own API key, so the account's tasks can be listed per job: when a
create ends in TaskMayExistError, the harness does what a careful user does with
the dashboard (the API has no task list): it looks for the job's task in the
emulator's store, adopts it if it exists and submits again only if it does not.
Then `duplicates` (tasks created beyond one per job) and `lost` (tasks created
whose video was never saved) measure the SDK, not the harness.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from lemondata_video.emulator import Emulator, Faults, RealClock
from lemondata_video.emulator._faults import API_ROUTES, CREATE_ROUTE, FILE_ROUTES

from ._sdk import DownloadError, Task, TaskMayExistError, VideoClient

SAMPLE_MP4: Final = (
    Path(__file__).resolve().parents[2] / "facade" / "lemondata_video" / "emulator" / "assets" / "sample.mp4"
).read_bytes()
# Emulated seconds per real second, for the emulator's clock and the client's waits alike.
TIME_SCALE: Final = 100.0
WAIT_TIMEOUT: Final = 3600.0
MAX_SUBMITS: Final = 20
MAX_DOWNLOAD_CALLS: Final = 10
# The SDK's INFO line for each request retry (`_retry.log_retry`).
RETRY_LINE: Final = re.compile(r"; (retry \d+ of \d+ in |waiting .* then retry \d+ of \d+$)")
# The mix: 20% 5xx (half of them 502 with an HTML body), 10% 429, 5% dropped
# before processing, 2% malformed JSON on the API; 5% truncated downloads on the file host.
API_MIX: Final = {
    "server_error": 0.10,
    "bad_gateway": 0.10,
    "rate_limit_storm": 0.10,
    "drop_before": 0.05,
    "malformed_json": 0.02,
}
# On the create route only: the connection is dropped after the task was created.
DROP_AFTER_CREATE: Final = 0.03
TRUNCATED_DOWNLOAD: Final = 0.05


def soak_faults(seed: int) -> list[Faults]:
    """The fault rules: create route, other API routes, file host (the first matching rule decides)."""
    others = [r for r in API_ROUTES if r != CREATE_ROUTE]
    return [
        Faults(
            **API_MIX, drop_after_create=DROP_AFTER_CREATE, storm_length=1, routes=[CREATE_ROUTE], seed=seed
        ),
        Faults(**API_MIX, storm_length=1, routes=others, seed=seed + 1),
        Faults(truncated_download=TRUNCATED_DOWNLOAD, routes=list(FILE_ROUTES), seed=seed + 2),
    ]


@dataclass
class Report:
    """What a soak did and found."""

    jobs: int
    seconds: float = 0.0
    completed: int = 0
    tasks_created: int = 0
    duplicates: int = 0
    lost: int = 0
    mismatched_files: int = 0
    unhandled: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    faults: dict[str, int] = field(default_factory=dict)
    requests: dict[str, int] = field(default_factory=dict)
    outcomes: Counter[str] = field(default_factory=Counter)
    logged: Counter[str] = field(default_factory=Counter)

    @property
    def retries(self) -> dict[str, int]:
        """Repeated attempts, by who made them."""
        file_requests = sum(v for k, v in self.requests.items() if k in FILE_ROUTES)
        return {
            "request retries by the SDK": self.logged["retry"],
            "failed polls outlived by wait": self.logged["poll failed"],
            "file host requests beyond one per video": file_requests - self.completed,
            "creates resubmitted after a may-exist error": self.outcomes["create resubmitted"],
            "download calls repeated by the harness": self.outcomes["download call failed"],
        }

    def lines(self) -> list[str]:
        """The figures, one per line, for the README and the script."""
        out = [
            f"jobs {self.jobs}, completed {self.completed}, in {self.seconds:.1f} s",
            f"tasks created (emulator) {self.tasks_created}, duplicates {self.duplicates}, lost {self.lost}",
            f"MP4s differing from the served bytes {self.mismatched_files}, unhandled exceptions "
            f"{len(self.unhandled)} (client), {len(self.server_errors)} (emulator)",
            "faults injected: " + ", ".join(f"{k} {v}" for k, v in sorted(self.faults.items())),
            "create outcomes unknown (TaskMayExistError): "
            f"{self.outcomes['create may exist']} (task existed, adopted: {self.outcomes['create adopted']}; "
            f"none existed, resubmitted: {self.outcomes['create resubmitted']})",
            "retries: " + ", ".join(f"{k} {v}" for k, v in self.retries.items()),
            "requests: " + ", ".join(f"{k} {v}" for k, v in sorted(self.requests.items())),
        ]
        return out


class _LogCounter(logging.Handler):
    """Counts the SDK's retry and failed-poll INFO lines, and errors the emulator's server logs."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.counts: Counter[str] = Counter()
        self.server_errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.name.startswith("uvicorn") and record.levelno >= logging.ERROR:
            self.server_errors.append(text)
        elif record.name != "lemondata_video":
            return
        elif text.startswith("task ") and (": poll failed (" in text or ": poll rate limited" in text):
            self.counts["poll failed"] += 1
        elif RETRY_LINE.search(text):
            self.counts["retry"] += 1


def tasks_owned_by(emu: Emulator, key: str) -> list[str]:
    """Ids of the tasks created with `key`: the account's task list, read from the emulator's store."""
    store: dict[str, Any] = emu.ctx.store._tasks  # the oracle; the API has no list endpoint
    return [t.id for t in list(store.values()) if t.owner == key]


class _Job:
    """One soak job: its own key, create (reconciling unknown outcomes), wait, download, compare."""

    def __init__(
        self, emu: Emulator, index: int, out: Path, report: Report, lock: threading.Lock, *, real_time: bool
    ) -> None:
        self.emu, self.index, self.out, self.report, self.lock = emu, index, out, report, lock
        self.real_time = real_time
        self.key = emu.api_keys[index]

    def count(self, what: str) -> None:
        with self.lock:
            self.report.outcomes[what] += 1

    def run(self) -> str:
        with VideoClient(api_key=self.key, base_url=self.emu.base_url, timeout=10) as client:
            done = self.generate(client) if self.real_time else self.create_and_wait(client)
            path = self.download(client, done)
        if path.read_bytes() != SAMPLE_MP4:
            self.count("mismatched file")
        return done.id

    def create_and_wait(self, client: VideoClient) -> Task:
        """`create` then `wait` on time sped up TIME_SCALE times (what `generate` does, faster)."""
        scale = TIME_SCALE
        return client.wait(
            self.submit(client),
            timeout=WAIT_TIMEOUT,
            clock=lambda: time.monotonic() * scale,
            sleep=lambda seconds: time.sleep(seconds / scale),
        )

    def generate(self, client: VideoClient) -> Task:
        """`generate` itself, in real time; an unknown create is reconciled as in `submit`."""
        prompt = f"soak job {self.index}: a paper boat on a pond"
        for _ in range(MAX_SUBMITS):
            try:
                return client.generate(prompt, model="sora-2", timeout=WAIT_TIMEOUT)
            except TaskMayExistError:
                self.count("create may exist")
                owned = tasks_owned_by(self.emu, self.key)
                if owned:
                    self.count("create adopted")
                    return client.wait(owned[0], timeout=WAIT_TIMEOUT)
                self.count("create resubmitted")
        msg = f"job {self.index}: no generate succeeded in {MAX_SUBMITS} submissions"
        raise RuntimeError(msg)

    def submit(self, client: VideoClient) -> Task | str:
        for _ in range(MAX_SUBMITS):
            try:
                return client.create(f"soak job {self.index}: a paper boat on a pond", model="sora-2")
            except TaskMayExistError:
                self.count("create may exist")
                owned = tasks_owned_by(self.emu, self.key)
                if owned:
                    self.count("create adopted")
                    return owned[0]
                self.count("create resubmitted")
        msg = f"job {self.index}: no create succeeded in {MAX_SUBMITS} submissions"
        raise RuntimeError(msg)

    def download(self, client: VideoClient, done: Task) -> Path:
        target = self.out / f"job-{self.index:04d}.mp4"
        for _ in range(MAX_DOWNLOAD_CALLS):
            try:
                return client.download(done, target)
            except DownloadError:
                self.count("download call failed")
        msg = f"job {self.index}: no download succeeded in {MAX_DOWNLOAD_CALLS} calls"
        raise RuntimeError(msg)


def run_soak(
    jobs: int,
    out: Path,
    *,
    workers: int = 32,
    seed: int = 7,
    real_time: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Run `jobs` tasks against a faulty emulator and return the figures.

    `real_time` runs `generate` itself (its first poll comes after 25 real seconds);
    otherwise `create` and `wait` run on time sped up TIME_SCALE times.
    """
    report, lock = Report(jobs=jobs), threading.Lock()
    keys = [f"sk-soak-{seed:04d}-{i:06d}-{'x' * 16}" for i in range(jobs)]
    logger, counter = logging.getLogger("lemondata_video"), _LogCounter()
    server_log = logging.getLogger("uvicorn")
    level = logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    started = time.monotonic()
    downloaded: set[str] = set()
    try:
        clock = RealClock(time_scale=1.0 if real_time else TIME_SCALE)
        with Emulator(clock=clock, api_keys=keys, faults=soak_faults(seed), videos="sample") as emu:
            server_log.addHandler(counter)  # after start: uvicorn's logging set-up replaces handlers
            with ThreadPoolExecutor(workers) as pool:
                futures = [
                    pool.submit(_Job(emu, i, out, report, lock, real_time=real_time).run) for i in range(jobs)
                ]
                for done, future in enumerate(futures, 1):
                    try:
                        downloaded.add(future.result())
                    except Exception as exc:  # every escape is a finding, counted
                        report.unhandled.append(f"{type(exc).__name__}: {exc}")
                    if progress is not None:
                        progress(done)
            created = {task_id for key in keys for task_id in tasks_owned_by(emu, key)}
            report.tasks_created = emu.stats.tasks_created
            report.faults = dict(emu.stats.faults)
            report.requests = dict(emu.stats.requests)
    finally:
        logger.removeHandler(counter)
        server_log.removeHandler(counter)
        logger.setLevel(level)
    report.seconds = time.monotonic() - started
    report.completed = len(downloaded)
    report.duplicates = report.tasks_created - jobs
    report.lost = len(created - downloaded)
    report.mismatched_files = report.outcomes["mismatched file"]
    report.logged = counter.counts
    report.server_errors = counter.server_errors
    return report
