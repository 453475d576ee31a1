"""Duration priors: what they learn, how the schedule uses them, the shared file, fewer polls via a client."""

from __future__ import annotations

import asyncio
import json
import logging
import math
import random
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from lemondata_video import AsyncVideoClient, DurationPrior, DurationPriors, Task, VideoClient
from lemondata_video._polling import (
    FIRST_POLL_AFTER,
    POLL_JITTER,
    PRIOR_FIRST_LAG,
    PRIOR_LAST_Z,
    PollSchedule,
    early_lag,
    first_prior_poll,
    prior_interval,
    steady_interval,
)
from lemondata_video._priors import PRIOR_HISTORY, PRIOR_MIN_SAMPLES, default_path, priors_of
from lemondata_video._waiting import WaitState
from lemondata_video.emulator import Emulator, ManualClock

ROOT = Path(__file__).resolve().parents[1]
POLL_ROUTE = "GET /v1/tasks/{task_id}"


def pending(model: str = "sora-2") -> Task:
    return Task.from_payload({"id": "video_1", "status": "pending", "model": model, "created": 1000})


def learned(model: str, durations: list[float]) -> DurationPriors:
    priors = DurationPriors()
    for seconds in durations:
        priors.record(model, seconds)
    return priors


class TestLearning:
    """What a handful of durations teach, and what they do not."""

    def test_median_and_spread_of_a_handful(self) -> None:
        prior = learned("sora-2", [100, 110, 90, 105, 95]).prior("sora-2")
        assert prior is not None
        geometric_mean = math.exp(sum(math.log(d) for d in (100, 110, 90, 105, 95)) / 5)
        assert prior.quantile(0.0) == pytest.approx(geometric_mean)
        assert 0.05 < prior.sigma < 0.15
        assert prior.samples == 5

    def test_one_outlier_does_not_wreck_it(self) -> None:
        clean = learned("m", [100, 110, 90, 105, 95]).prior("m")
        spoiled = learned("m", [100, 110, 90, 105, 95, 3000]).prior("m")
        assert clean is not None and spoiled is not None
        assert spoiled.quantile(0.0) == pytest.approx(clean.quantile(0.0))
        assert spoiled.sigma == pytest.approx(clean.sigma, rel=0.1)
        assert spoiled.sigma < 0.15
        assert first_prior_poll(spoiled) == pytest.approx(first_prior_poll(clean), rel=0.05)

    def test_too_few_durations_give_no_prior(self) -> None:
        priors = learned("m", [100.0] * (PRIOR_MIN_SAMPLES - 1))
        assert priors.prior("m") is None
        priors.record("m", 100.0)
        assert priors.prior("m") is not None

    def test_a_model_too_irregular_keeps_the_generic_curve(self) -> None:
        rng = random.Random(4)
        priors = learned("m", [math.exp(rng.uniform(math.log(20), math.log(600))) for _ in range(40)])
        assert priors.prior("m") is None

    def test_history_is_bounded_and_keeps_the_newest(self) -> None:
        priors = learned("m", [float(s) for s in range(1, PRIOR_HISTORY + 11)])
        assert priors.durations("m") == [float(s) for s in range(11, PRIOR_HISTORY + 11)]

    def test_nonsense_durations_are_ignored(self) -> None:
        priors = learned("m", [0.0, -5.0, math.nan, math.inf])
        assert priors.models() == []

    def test_timestamps_win_over_what_the_wait_saw(self) -> None:
        priors = DurationPriors()
        done = {"id": "v", "status": "completed", "model": "m", "video_url": "https://x/v.mp4"}
        priors.learn(Task.from_payload({**done, "created": 1000, "updated": 1130}), waited=140.0)
        priors.learn(Task.from_payload(done), waited=95.0)
        priors.learn(Task.from_payload(done), waited=None)
        priors.learn(Task.from_payload({**done, "status": "failed"}), waited=3.0)
        assert priors.durations("m") == [130.0, 95.0]

    def test_it_notes_whether_the_model_reports_progress(self) -> None:
        priors = learned("m", [100.0] * 5)
        done = {"id": "v", "status": "completed", "model": "m", "video_url": "https://x/v.mp4"}
        priors.learn(Task.from_payload({**done, "progress": 100}), waited=100.0)
        with_progress = priors.prior("m")
        priors.learn(Task.from_payload(done), waited=100.0)
        without = priors.prior("m")
        assert with_progress is not None and with_progress.progress
        assert without is not None and not without.progress
        # Progress will predict the finish from the first poll on: that poll may come sooner.
        assert first_prior_poll(with_progress) < first_prior_poll(without)

    def test_only_a_just_created_task_gets_the_prior(self) -> None:
        priors = learned("sora-2", [100.0] * 5)
        assert priors.prior_for(pending()) is not None
        running = Task.from_payload({"id": "v", "status": "processing", "model": "sora-2"})
        assert priors.prior_for(running) is None
        assert priors.prior_for(pending("veo3")) is None

    def test_bad_sizes_are_refused(self) -> None:
        with pytest.raises(ValueError, match=r"^history and min_samples must be 1 or more, not 0 and 3$"):
            DurationPriors(history=0, min_samples=3)


class TestSchedule:
    """How the schedule polls with a prior, and that without one it is exactly today's."""

    def test_a_model_never_seen_polls_as_today(self) -> None:
        priors = learned("veo3", [100.0] * 10)
        state = WaitState(
            pending("sora-2"), timeout=3600, clock=lambda: 0.0, on_update=None, rng=random.Random(9)
        )
        ours = WaitState(
            pending("sora-2"),
            timeout=3600,
            clock=lambda: 0.0,
            on_update=None,
            rng=random.Random(9),
            priors=priors,
        )
        today = PollSchedule(rng=random.Random(9))
        times = [0.0, 26.0, 40.0, 100.0, 700.0, 5000.0]
        expected = [today.next_delay(t) for t in times]
        assert [ours.schedule.next_delay(t) for t in times] == expected
        assert [state.schedule.next_delay(t) for t in times] == expected
        assert expected[0] == pytest.approx(FIRST_POLL_AFTER, rel=POLL_JITTER)

    def test_first_poll_near_the_short_end_then_dense_then_growing(self) -> None:
        prior = DurationPrior(mu=math.log(300.0), sigma=0.2, samples=20)
        first = prior_interval(prior, 0.0)
        assert first == pytest.approx(first_prior_poll(prior))
        assert early_lag(prior, first) == pytest.approx(PRIOR_FIRST_LAG)
        assert prior.quantile(-3.0) < first < prior.quantile(-1.5)
        assert first > 3 * FIRST_POLL_AFTER
        bulk = [prior_interval(prior, t) for t in (250.0, 300.0, 350.0)]
        assert all(
            interval < steady_interval(t) for interval, t in zip(bulk, (250.0, 300.0, 350.0), strict=True)
        )
        late = prior.quantile(PRIOR_LAST_Z) + 1.0
        assert prior_interval(prior, late) == pytest.approx(steady_interval(late))

    def test_early_lag_is_what_early_finishers_wait(self) -> None:
        """The closed form against E[(at - T)+] = the integral of the distribution function up to `at`."""
        prior = DurationPrior(mu=math.log(120.0), sigma=0.25, samples=20)

        def cdf(t: float) -> float:
            return 0.5 * math.erfc(-(math.log(t) - prior.mu) / prior.sigma / math.sqrt(2.0))

        steps = 20_000
        for at in (70.0, 100.0, 130.0):
            integral = sum(cdf((k + 0.5) * at / steps) for k in range(steps)) * at / steps
            assert early_lag(prior, at) == pytest.approx(integral, rel=1e-4)

    def test_the_schedule_uses_the_prior_it_is_given(self) -> None:
        prior = DurationPrior(mu=math.log(300.0), sigma=0.2, samples=20)
        delay = PollSchedule(rng=random.Random(1), prior=prior).next_delay(0.0)
        assert delay == pytest.approx(first_prior_poll(prior), rel=POLL_JITTER)


class TestOptions:
    """The client option and where the file lives."""

    def test_options(self, tmp_path: Path) -> None:
        shared = DurationPriors()
        assert priors_of(False) is None and priors_of(None) is None
        assert priors_of(shared) is shared
        fresh = priors_of(True)
        assert fresh is not None and fresh.path is None
        on_disk = priors_of(tmp_path / "p.json")
        assert on_disk is not None and on_disk.path == tmp_path / "p.json"

    def test_clients_share_or_disable(self) -> None:
        shared = DurationPriors()
        with VideoClient(api_key="sk-x", duration_priors=shared) as one, VideoClient(api_key="sk-x") as two:
            assert one.duration_priors is shared
            assert two.duration_priors is not None and two.duration_priors.path is None
        with VideoClient(api_key="sk-x", duration_priors=False) as off:
            assert off.duration_priors is None

    def test_a_wrong_option_is_refused(self) -> None:
        msg = r"^duration_priors must be True, False, a DurationPriors or a file path, not 5$"
        with pytest.raises(TypeError, match=msg):
            VideoClient(api_key="sk-x", duration_priors=5)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=msg):
            AsyncVideoClient(api_key="sk-x", duration_priors=5)  # type: ignore[arg-type]

    def test_default_path_follows_xdg(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        assert default_path() == tmp_path / "lemondata-video" / "durations.json"
        assert DurationPriors.in_user_cache().path == default_path()
        monkeypatch.delenv("XDG_CACHE_HOME")
        monkeypatch.setenv("HOME", str(tmp_path / "home"))
        assert default_path() == tmp_path / "home" / ".cache" / "lemondata-video" / "durations.json"


class TestFile:
    """The optional JSON file: kept across clients, merged across processes, never someone else's."""

    def test_durations_survive_the_client(self, tmp_path: Path) -> None:
        path = tmp_path / "cache" / "durations.json"
        learned_there = DurationPriors(path)
        for seconds in (100.0, 120.0):
            learned_there.record("sora-2", seconds)
        assert DurationPriors(path).durations("sora-2") == [100.0, 120.0]
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["format"] == "lemondata-video duration priors"
        assert data["models"] == {"sora-2": [100.0, 120.0]}

    def test_a_file_not_ours_is_never_overwritten(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        path = tmp_path / "notes.json"
        path.write_text("my own notes", encoding="utf-8")
        with caplog.at_level(logging.WARNING, logger="lemondata_video"):
            priors = DurationPriors(path)
            priors.record("sora-2", 100.0)
        assert path.read_text(encoding="utf-8") == "my own notes"
        assert priors.durations("sora-2") == [100.0]
        assert caplog.messages == [
            f"duration priors stay in memory: {path} is not a duration priors file of lemondata-video; "
            "it is left as it is"
        ]

    def test_a_file_that_cannot_be_written_leaves_the_priors_in_memory(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        (tmp_path / "blocker").write_text("a file where the directory would be", encoding="utf-8")
        path = tmp_path / "blocker" / "durations.json"
        with caplog.at_level(logging.WARNING, logger="lemondata_video"):
            priors = DurationPriors(path)
            priors.record("sora-2", 100.0)
            priors.record("sora-2", 110.0)
        assert priors.durations("sora-2") == [100.0, 110.0]
        assert len(caplog.messages) == 1  # once, not at every task
        assert caplog.messages[0].startswith(f"duration priors not read from {path} (starting empty): ")

    def test_a_failed_save_is_retried_at_the_next_task(
        self, tmp_path: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        path = tmp_path / "later" / "durations.json"
        (tmp_path / "later").write_text("not a directory yet", encoding="utf-8")
        priors = DurationPriors(tmp_path / "other.json")
        priors.path = path
        with caplog.at_level(logging.WARNING, logger="lemondata_video"):
            priors.record("sora-2", 100.0)
        assert caplog.messages[0].startswith(
            f"duration priors not saved to {path} (kept in memory, tried again at the next task): "
        )
        (tmp_path / "later").unlink()
        priors.record("sora-2", 110.0)
        assert json.loads(path.read_text(encoding="utf-8"))["models"] == {"sora-2": [100.0, 110.0]}

    def test_threads_of_one_client_lose_nothing(self, tmp_path: Path) -> None:
        priors = DurationPriors(tmp_path / "durations.json", history=1000)

        def work(worker: int) -> None:
            for i in range(25):
                priors.record("sora-2", 1.0 + worker * 100 + i)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        expected = sorted(1.0 + n * 100 + i for n in range(4) for i in range(25))
        assert sorted(priors.durations("sora-2")) == expected
        assert (
            sorted(DurationPriors(tmp_path / "durations.json", history=1000).durations("sora-2")) == expected
        )

    def test_two_processes_writing_at_once_lose_nothing(self, tmp_path: Path) -> None:
        path = tmp_path / "durations.json"
        writes = 150
        script = textwrap.dedent(
            f"""
            import sys, time
            from pathlib import Path
            from lemondata_video import DurationPriors
            me, other = sys.argv[1], sys.argv[2]
            Path({str(tmp_path)!r}, me + ".ready").touch()
            deadline = time.monotonic() + 30
            while not Path({str(tmp_path)!r}, other + ".ready").exists() and time.monotonic() < deadline:
                time.sleep(0.005)
            priors = DurationPriors({str(path)!r}, history=1000)
            for i in range({writes}):
                priors.record(me, 1.0 + i)
                priors.record("shared", 1.0 + i)
            """
        )
        env = {"PYTHONPATH": f"{ROOT / 'facade'}:{ROOT / 'generated'}", "PATH": "/usr/bin:/bin"}
        procs = [
            subprocess.Popen([sys.executable, "-c", script, me, other], env=env)
            for me, other in (("a", "b"), ("b", "a"))
        ]
        assert [p.wait(timeout=120) for p in procs] == [0, 0]
        models = json.loads(path.read_text(encoding="utf-8"))["models"]
        assert models["a"] == models["b"] == [1.0 + i for i in range(writes)]
        assert sorted(models["shared"]) == sorted([1.0 + i for i in range(writes)] * 2)


@pytest.fixture
def emu() -> Iterator[Emulator]:
    # Durations near 200 s, no progress reports: the generic curve polls about 25 times a task.
    cycle = iter([180.0, 200.0, 220.0, 195.0, 205.0] * 4)
    with Emulator(
        clock=ManualClock(), task_seconds=lambda _model: next(cycle), report_progress=False
    ) as emulator:
        yield emulator


def two_waves(emu: Emulator, flavour: str, **options: object) -> tuple[int, int, DurationPriors | None]:
    """Two waves of 5 tasks, each created and waited on in turn by one client; the polls of each."""
    clock = emu.clock
    assert isinstance(clock, ManualClock)
    counts: list[int] = []
    if flavour == "sync":
        with VideoClient(api_key=emu.api_key, base_url=emu.base_url, **options) as client:  # type: ignore[arg-type]
            for _ in range(2):
                before = emu.stats.requests[POLL_ROUTE]
                for _ in range(5):
                    done = client.wait(client.create("a lemon"), clock=clock.now, sleep=clock.advance)
                    assert done.video_url is not None
                counts.append(emu.stats.requests[POLL_ROUTE] - before)
            return counts[0], counts[1], client.duration_priors

    async def asleep(seconds: float) -> None:
        clock.advance(seconds)

    async def waves() -> DurationPriors | None:
        async with AsyncVideoClient(api_key=emu.api_key, base_url=emu.base_url, **options) as client:  # type: ignore[arg-type]
            for _ in range(2):
                before = emu.stats.requests[POLL_ROUTE]
                for _ in range(5):
                    done = await client.wait(await client.create("a lemon"), clock=clock.now, sleep=asleep)
                    assert done.video_url is not None
                counts.append(emu.stats.requests[POLL_ROUTE] - before)
            return client.duration_priors

    priors = asyncio.run(waves())
    return counts[0], counts[1], priors


class TestThroughTheClient:
    """A client learns from its first wave of a model's tasks and polls the second wave less."""

    @pytest.mark.parametrize("flavour", ["sync", "async"])
    def test_second_wave_is_polled_less(self, emu: Emulator, flavour: str) -> None:
        first, second, priors = two_waves(emu, flavour)
        assert priors is not None
        kept = priors.durations("sora-2")
        assert len(kept) == 10 and all(179 <= d <= 222 for d in kept)  # created -> updated, 1 s resolution
        assert first >= 5 * 15
        assert second <= first / 2

    @pytest.mark.parametrize("flavour", ["sync", "async"])
    def test_without_priors_the_second_wave_costs_the_same(self, emu: Emulator, flavour: str) -> None:
        first, second, priors = two_waves(emu, flavour, duration_priors=False)
        assert priors is None
        assert second >= first * 0.8
