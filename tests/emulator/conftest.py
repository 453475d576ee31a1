"""Shared fixtures for the emulator tests: the plugin's fixture, authenticated httpx clients, spec checks."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from lemondata_video.emulator import Emulator
from lemondata_video.emulator.pytest_plugin import lemondata_emulator, pytest_configure
from openapi_schema_validator import OAS31Validator

__all__ = ["lemondata_emulator", "pytest_configure"]

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "openapi.yaml"


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


def error_of(response: httpx.Response) -> dict[str, Any]:
    """The error object of an envelope answer; ``message`` is the one key always there."""
    error: dict[str, Any] = response.json()["error"]
    assert isinstance(error["message"], str) and error["message"]
    assert None not in error.values(), f"keys sent as null instead of left out: {error}"
    return error


def triple(response: httpx.Response) -> tuple[int, str | None, str | None]:
    """(status, type, code) of an error answer; None where the envelope leaves the key out."""
    error = error_of(response)
    return response.status_code, error.get("type"), error.get("code")


@cache
def spec() -> dict[str, Any]:
    """The parsed spec, read once."""
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def assert_documented(response: httpx.Response, route: str) -> None:
    """The answer's status is one the spec lists for ``route`` and its JSON body fits that schema.

    ``route`` is the method and path template, for example ``"GET /v1/tasks/{task_id}"``.
    """
    method, path = route.split(" ", 1)
    responses = spec()["paths"][path][method.lower()]["responses"]
    assert str(response.status_code) in responses, f"{route} answered {response.status_code}, not in the spec"
    media = _resolve(responses[str(response.status_code)])["content"]["application/json"]
    validator = OAS31Validator({**media["schema"], "components": spec()["components"]})
    errors = [error.message for error in validator.iter_errors(response.json())]
    assert not errors, f"{route} {response.status_code}: {errors} in {response.text}"
