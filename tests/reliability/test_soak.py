"""Fault soak: 300 tasks through create → wait → download against the emulator with the issue's fault mix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from lemondata_video.emulator import Emulator, Faults, ManualClock
from lemondata_video.emulator._faults import CREATE_ROUTE

from . import _soak
from ._sdk import TaskMayExistError, VideoClient

SOAK_JOBS = 300


class TestFaultSoak:
    """The bounded soak in the test command runs the issue's full 300 tasks (about 20 s)."""

    def test_every_task_completes_once_with_its_video(self, tmp_path: Path) -> None:
        """300 jobs, every fault kind injected: all complete, no duplicate, none lost, bytes intact."""
        report = _soak.run_soak(SOAK_JOBS, tmp_path)
        print("\n".join(report.lines()))  # the figures, shown with -s
        assert report.unhandled == [] and report.server_errors == []
        assert report.completed == SOAK_JOBS
        assert report.tasks_created == SOAK_JOBS
        assert (report.duplicates, report.lost, report.mismatched_files) == (0, 0, 0)
        kinds = {"server_error", "bad_gateway", "rate_limit_storm", "drop_before", "malformed_json"}
        assert kinds | {"drop_after_create", "truncated_download"} <= {
            k for k, v in report.faults.items() if v > 0
        }
        # Every create whose task existed despite the error was adopted, never sent again.
        assert report.outcomes["create adopted"] >= report.faults["drop_after_create"]
        assert report.outcomes["create may exist"] == (
            report.outcomes["create adopted"] + report.outcomes["create resubmitted"]
        )
        assert len(list(tmp_path.glob("*.mp4"))) == SOAK_JOBS
        assert list(tmp_path.glob(".*")) == []  # no temporary download file left


def create_route_fault(**kind: float) -> Faults:
    return Faults(**kind, max_faults=1, routes=[CREATE_ROUTE])


@pytest.fixture
def emu() -> Iterator[Emulator]:
    with Emulator(clock=ManualClock()) as emulator:
        yield emulator


class TestCreateOutcomes:
    """What one create does under each fault: the task may exist → said so, never resent."""

    @pytest.mark.parametrize(
        ("fault", "created"),
        [("drop_after_create", 1), ("malformed_json", 1), ("server_error", 0), ("bad_gateway", 0)],
    )
    def test_unknown_outcome_says_the_task_may_exist(self, emu: Emulator, fault: str, created: int) -> None:
        """The error says a task may exist and carries the fingerprint; one request, no duplicate."""
        emu.set_faults(create_route_fault(**{fault: 1.0}))
        with (
            VideoClient(api_key=emu.api_key, base_url=emu.base_url) as client,
            pytest.raises(TaskMayExistError, match="a task may exist") as caught,
        ):
            client.create("a glass of water", model="sora-2")
        assert len(caught.value.fingerprint) == 16
        assert str(caught.value.fingerprint) in str(caught.value)
        assert emu.stats.requests[CREATE_ROUTE] == 1
        assert emu.stats.tasks_created == created
        assert emu.stats.faults[fault] == 1

    def test_drop_before_processing_is_not_resent(self, emu: Emulator) -> None:
        """A reset connection could have been processed: TaskMayExistError, no second request."""
        emu.set_faults(create_route_fault(drop_before=1.0))
        with (
            VideoClient(api_key=emu.api_key, base_url=emu.base_url) as client,
            pytest.raises(TaskMayExistError),
        ):
            client.create("a glass of water", model="sora-2")
        assert (emu.stats.requests[CREATE_ROUTE], emu.stats.tasks_created) == (1, 0)

    def test_rate_limited_create_is_retried_once_and_creates_one_task(self, emu: Emulator) -> None:
        """429 proves nothing was created: the SDK waits Retry-After and sends it again."""
        emu.set_faults(create_route_fault(rate_limit_storm=1.0))
        with VideoClient(api_key=emu.api_key, base_url=emu.base_url) as client:
            task = client.create("a glass of water", model="sora-2")
        assert task.id
        assert (emu.stats.requests[CREATE_ROUTE], emu.stats.tasks_created) == (2, 1)
