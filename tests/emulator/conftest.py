"""Shared fixtures for the emulator tests: the plugin's fixture and authenticated httpx clients."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from lemondata_video.emulator import Emulator
from lemondata_video.emulator.pytest_plugin import lemondata_emulator, pytest_configure

__all__ = ["lemondata_emulator", "pytest_configure"]


@pytest.fixture
def emu(lemondata_emulator: Emulator) -> Emulator:
    """The plugin's emulator under a short name."""
    return lemondata_emulator


@pytest.fixture
def api(emu: Emulator) -> Iterator[httpx.Client]:
    """A client for the emulator's API, sending its key."""
    headers = {"Authorization": f"Bearer {emu.api_key}"}
    with httpx.Client(base_url=emu.base_url, headers=headers, timeout=10) as client:
        yield client


def create(api: httpx.Client, **body: object) -> dict[str, object]:
    """Create a task and return the create answer, failing the test on any non-200."""
    body.setdefault("prompt", "a cat walking through a garden")
    response = api.post("/v1/videos/generations", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


def error_of(response: httpx.Response) -> dict[str, object]:
    """The error body of an envelope answer, checking the fields that are always there."""
    error: dict[str, object] = response.json()["error"]
    assert {"message", "type", "code", "param"} <= error.keys()
    return error
