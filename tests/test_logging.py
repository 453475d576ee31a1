"""Logs an operator can read: the exact INFO line of each event, LEMONDATA_LOG, and never the key.

Both clients run against the emulator with its faults: a retried request (503 with Retry-After,
a 429, a 500 with jittered backoff), a failed or rate-limited poll during `wait`, a poll_url off
the API's origin, a live catalog fetch, refresh and failure. `LEMONDATA_LOG` is checked through
the clients' constructors (in this process, on stderr) and end to end in a fresh interpreter.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import subprocess
import sys
import warnings
from collections.abc import Iterator
from typing import Any, Final

import pytest
from lemondata_video import AsyncVideoClient, VideoClient
from lemondata_video.emulator import Emulator, Faults, ManualClock

KEY: Final = "sk-logging-secret-0123456789abcdef"
ROOT: Final = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLL: Final = "GET /v1/tasks/{task_id}"
CATALOG: Final = "GET /v1/models"
SDK: Final = "lemondata_video"
STAMP: Final = r"\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d - lemondata_video:\d+ - (INFO|DEBUG|WARNING)\] "


class Flavour:
    """The same calls through VideoClient or AsyncVideoClient; retry sleeps skipped, wait on `clock`."""

    def __init__(self, name: str, emu: Emulator, clock: ManualClock, **options: Any) -> None:
        self.name, self.clock = name, clock
        kwargs = {"api_key": emu.api_keys[0], "base_url": emu.base_url, "max_retries": 2, **options}
        if name == "sync":
            self.client: Any = VideoClient(**kwargs)
            self.client._sleep = lambda seconds: None
        else:
            self.loop = asyncio.new_event_loop()
            self.client = self.loop.run_until_complete(self._make(kwargs))
            self.client._sleep = self._no_sleep

    @staticmethod
    async def _make(kwargs: dict[str, Any]) -> AsyncVideoClient:
        return AsyncVideoClient(**kwargs)

    @staticmethod
    async def _no_sleep(seconds: float) -> None:
        return None

    async def _advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, method)(*args, **kwargs)
        return result if self.name == "sync" else self.loop.run_until_complete(result)

    def wait(self, task: Any) -> Any:
        sleep = self.clock.advance if self.name == "sync" else self._advance
        return self("wait", task, clock=self.clock.now, sleep=sleep)

    def close(self) -> None:
        if self.name == "sync":
            self.client.close()
        else:
            self.loop.run_until_complete(self.client.aclose())
            self.loop.close()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def emu(clock: ManualClock) -> Iterator[Emulator]:
    with Emulator(clock=clock, api_keys=[KEY], task_seconds=30.0) as emulator:  # a wait polls a few times
        yield emulator


@pytest.fixture(params=["sync", "async"])
def client(request: pytest.FixtureRequest, emu: Emulator, clock: ManualClock) -> Iterator[Flavour]:
    made = Flavour(request.param, emu, clock)
    yield made
    made.close()


def sdk_lines(caplog: pytest.LogCaptureFixture, level: int = logging.INFO) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == SDK and r.levelno >= level]


class TestRequestRetries:
    """One INFO line per retry: the request, the reason, the delay, and which retry of how many."""

    def test_a_503_with_retry_after(
        self, client: Flavour, emu: Emulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        task = client("create", "a cat", model="sora-2")
        emu.set_faults(Faults(unavailable=1.0, routes=[POLL], max_faults=1))
        with caplog.at_level(logging.INFO, logger=SDK):
            client("get", task)
        assert sdk_lines(caplog) == [
            f"GET /v1/tasks/{task.id} failed (ServerError: 503 all_channels_failed: All channels failed for "
            "this request; retry later.); retry 1 of 2 in 1.0 s"
        ]

    def test_a_429_waits_as_retry_after_asks(
        self, client: Flavour, emu: Emulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        emu.set_faults(Faults(rate_limit_storm=1.0, storm_length=1, retry_after=2, max_faults=1))
        with caplog.at_level(logging.INFO, logger=SDK):
            client("create", "a cat", model="sora-2")
        assert sdk_lines(caplog) == [
            "POST /v1/videos/generations: rate limited (429); waiting 2.0 s as Retry-After asks, "
            "then retry 1 of 2"
        ]

    def test_a_500_says_the_jittered_delay(
        self, client: Flavour, emu: Emulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        task = client("create", "a cat", model="sora-2")
        emu.set_faults(Faults(server_error=1.0, routes=[POLL], max_faults=1))
        with caplog.at_level(logging.INFO, logger=SDK):
            client("get", task)
        (line,) = sdk_lines(caplog)
        found = re.fullmatch(
            rf"GET /v1/tasks/{task.id} failed \(ServerError: 500: Internal server error\.\); retry 1 of 2 in "
            r"(\d+\.\d) s",
            line,
        )
        assert found, line
        assert 0.0 <= float(found.group(1)) <= 0.5  # full jitter under the first ceiling


class TestWaitLines:
    """A failed poll is one INFO line with the next poll's delay; other polls are DEBUG."""

    def test_a_failed_poll_and_a_rate_limited_poll(
        self, client: Flavour, emu: Emulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        task = client("create", "a cat", model="sora-2")
        emu.set_faults(Faults(unavailable=1.0, routes=[POLL], max_faults=1))
        with caplog.at_level(logging.INFO, logger=SDK):
            client.wait(task)
            emu.set_faults(
                Faults(rate_limit_storm=1.0, storm_length=1, retry_after=3, routes=[POLL], max_faults=1)
            )
            other = client("create", "a dog", model="sora-2")
            client.wait(other)
        failed, limited = sdk_lines(caplog)
        reason = "ServerError: 503 all_channels_failed: All channels failed for this request; retry later."
        found = re.fullmatch(
            rf"task {task.id}: poll failed \({re.escape(reason)}\); next poll in (\d+\.\d) s", failed
        )
        assert found, failed
        found = re.fullmatch(
            rf"task {other.id}: poll rate limited \(429, Retry-After 3 s\); next poll in (\d+\.\d) s", limited
        )
        assert found, limited
        assert float(found.group(1)) >= 3.0

    def test_debug_has_one_line_per_poll(self, client: Flavour, caplog: pytest.LogCaptureFixture) -> None:
        task = client("create", "a cat", model="sora-2")
        with caplog.at_level(logging.DEBUG, logger=SDK):
            client.wait(task)
        lines = sdk_lines(caplog, logging.DEBUG)
        assert lines
        assert all(
            re.fullmatch(rf"task {task.id}: status \w+, progress \S+, next poll in \d+\.\d s", x)
            for x in lines
        )


class TestPollUrlAndCatalog:
    """The poll_url fallback (a WARNING, once per task) and the live catalog's fetches."""

    @pytest.mark.parametrize("name", ["sync", "async"])
    def test_a_poll_url_off_the_origin_falls_back_once(
        self, name: str, clock: ManualClock, caplog: pytest.LogCaptureFixture
    ) -> None:
        with Emulator(clock=clock, api_keys=[KEY], poll_url="https://elsewhere.example.org") as emu:
            made = Flavour(name, emu, clock)
            try:
                task = made("create", "a cat", model="sora-2")
                with caplog.at_level(logging.INFO, logger=SDK):
                    made("get", task)
                    made("get", task)
            finally:
                made.close()
        assert sdk_lines(caplog) == [
            f"task {task.id}: poll_url 'https://elsewhere.example.org/v1/tasks/{task.id}' is not on the "
            f"API's origin {emu.base_url}; polling /v1/tasks/{task.id} there instead"
        ]

    @pytest.mark.parametrize("name", ["sync", "async"])
    def test_fetched_refreshed_and_failed(
        self, name: str, emu: Emulator, clock: ManualClock, caplog: pytest.LogCaptureFixture
    ) -> None:
        made = Flavour(name, emu, clock, catalog_ttl=1e-9, max_retries=0)  # every call finds it expired
        try:
            with caplog.at_level(logging.INFO, logger=SDK):
                count = len(made("models", live=True))
                made("models", live=True)
                emu.set_faults(Faults(server_error=1.0, routes=[CATALOG]))
                with pytest.raises(Exception, match="500: Internal server error"):
                    made("models", live=True)
        finally:
            made.close()
        assert sdk_lines(caplog) == [
            f"fetched the live model catalog: {count} video models, kept for 1e-09 s",
            f"refreshed the live model catalog: {count} video models, kept for 1e-09 s",
            "the live model catalog could not be fetched (ServerError: 500: Internal server error.); "
            "not asked again for 30 s",
        ]


class TestKeyNeverLogged:
    """A request with retries at DEBUG, every logger captured: no record holds the key."""

    def test_no_record_holds_the_key_or_its_header(
        self, client: Flavour, emu: Emulator, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG)  # every logger: the SDK's, httpx's, httpcore's
        emu.set_faults(
            Faults(
                rate_limit_storm=1.0, storm_length=1, max_faults=1, routes=["POST /v1/videos/generations"]
            ),
            Faults(unavailable=0.5, server_error=0.5, routes=[POLL], max_faults=3),
        )
        task = client.wait(client("create", "a cat", model="sora-2"))
        assert task.done
        formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
        texts = [formatter.format(r) + repr(r.args) + repr(r.__dict__) for r in caplog.records]
        assert any("then retry 1 of 2" in t for t in texts)  # the create's retry was logged
        assert any(": poll failed (" in t for t in texts)  # and the wait's failed polls
        assert [t for t in texts if KEY in t or f"Bearer {KEY}" in t] == []


class TestLemondataLog:
    """LEMONDATA_LOG=info|debug: the SDK's records on stderr, with no logging code."""

    @pytest.fixture(autouse=True)
    def _restore_logger(self) -> Iterator[None]:
        logger = logging.getLogger(SDK)
        handlers, level = list(logger.handlers), logger.level
        yield
        logger.handlers[:] = handlers
        logger.setLevel(level)

    @pytest.mark.parametrize("value", ["info", "INFO", "debug"])
    def test_each_constructor_sets_it_up_once(
        self, value: str, emu: Emulator, clock: ManualClock, monkeypatch: pytest.MonkeyPatch, capsys: Any
    ) -> None:
        monkeypatch.setenv("LEMONDATA_LOG", value)
        for name in ("sync", "async", "sync"):
            Flavour(name, emu, clock).close()
        made = Flavour("sync", emu, clock)
        task = made("create", "a cat", model="sora-2")
        emu.set_faults(Faults(unavailable=1.0, routes=[POLL], max_faults=1))
        made("get", task)
        made.wait(task)
        made.close()
        lines = capsys.readouterr().err.splitlines()
        retry = [line for line in lines if "retry 1 of 2" in line]
        assert len(retry) == 1, lines  # one handler, however many clients were made
        assert re.fullmatch(
            STAMP + rf"GET /v1/tasks/{task.id} failed \(.*\); retry 1 of 2 in 1\.0 s", retry[0]
        )
        assert any("DEBUG" in line for line in lines) == (value == "debug")

    def test_unset_changes_nothing(self, emu: Emulator, clock: ManualClock, capsys: Any) -> None:
        before = list(logging.getLogger(SDK).handlers)
        Flavour("sync", emu, clock).close()
        assert logging.getLogger(SDK).handlers == before

    def test_another_value_warns_and_changes_nothing(
        self, emu: Emulator, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv("LEMONDATA_LOG", "verbose")
        before = list(logging.getLogger(SDK).handlers), logging.getLogger(SDK).level
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            Flavour("sync", emu, clock).close()
        assert [(w.category, str(w.message)) for w in caught] == [
            (
                RuntimeWarning,
                "LEMONDATA_LOG='verbose' is not one of info, debug; the SDK's logging is left as it is",
            )
        ]
        assert (list(logging.getLogger(SDK).handlers), logging.getLogger(SDK).level) == before

    def test_end_to_end_in_a_fresh_interpreter_without_the_key(self, emu: Emulator) -> None:
        script = (
            "import logging, lemondata_video\n"
            "assert logging.getLogger('lemondata_video').handlers == []  # nothing on import\n"
            "with lemondata_video.VideoClient() as client:\n"
            "    client._sleep = lambda seconds: None\n"
            "    client.get(client.create('a cat', model='sora-2'))\n"
        )
        emu.set_faults(Faults(unavailable=1.0, routes=[POLL], max_faults=1))
        env = {k: v for k, v in os.environ.items() if not k.startswith("LEMONDATA_")}
        env |= {"LEMONDATA_LOG": "debug", "LEMONDATA_API_KEY": KEY, "LEMONDATA_BASE_URL": emu.base_url}
        env["PYTHONPATH"] = os.pathsep.join([os.path.join(ROOT, "facade"), os.path.join(ROOT, "generated")])
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        lines = done.stderr.splitlines()
        assert [line for line in lines if not re.match(STAMP, line)] == []
        retried = STAMP + r"GET /v1/tasks/\w+ failed \(.*\); retry 1 of \d+ in 1\.0 s"
        assert any(re.fullmatch(retried, line) for line in lines), lines
        assert KEY not in done.stderr
