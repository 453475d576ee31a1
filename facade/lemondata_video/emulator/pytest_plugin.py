"""Pytest fixture ``lemondata_emulator``, a running Emulator for each test that asks for it.

Enable it with ``pytest_plugins = ["lemondata_video.emulator.pytest_plugin"]`` in a conftest.py.

The fixture yields a running ``Emulator`` on a ``ManualClock`` (tasks move only when the test calls
``lemondata_emulator.clock.advance(...)``). Mark a test with
``@pytest.mark.lemondata_emulator(failure_rate=1.0, ...)`` to pass other ``Emulator`` arguments.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from ._clock import ManualClock
from ._server import Emulator


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker that carries Emulator options."""
    config.addinivalue_line(
        "markers", "lemondata_emulator(**options): options for the lemondata_emulator fixture"
    )


@pytest.fixture
def lemondata_emulator(request: pytest.FixtureRequest) -> Iterator[Emulator]:
    """A started emulator on a ManualClock, stopped after the test."""
    marker = request.node.get_closest_marker("lemondata_emulator")
    options: dict[str, Any] = dict(marker.kwargs) if marker else {}
    options.setdefault("clock", ManualClock())
    with Emulator(**options) as emulator:
        yield emulator
