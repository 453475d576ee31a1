"""Each documented request shape (the spec's create examples) sent as given by both clients, accepted.

Every example of `POST /v1/videos/generations` in openapi/openapi.yaml goes through
`VideoClient.create(...)` and `AsyncVideoClient.create(...)` unchanged: the body on the wire is
the example (the façade writes the camelCase aliases under their snake_case names and names the
operation it infers when the example has none), the emulator
answers 200 and stores a task with the example's model and operation. The raw examples, aliases
included, are also posted as they are.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from lemondata_api.model_matrix import FIELD_ALIASES, infer_operation
from lemondata_video import AsyncVideoClient, VideoClient
from lemondata_video.emulator import Emulator

from .conftest import assert_documented, spec

DOCUMENTED_SHAPES = {
    "textToVideo": "text-to-video",
    "imageToVideo": "image-to-video",
    "keyframes": "start-end-to-video",
    "referenceToVideo": "reference-to-video",
    "videoToVideo": "video-to-video",
    "motionControl": "motion-control",
    "taskExtension": "video-extension",
}


def request_examples() -> dict[str, dict[str, Any]]:
    """The create request examples of the spec, by name."""
    media = spec()["paths"]["/v1/videos/generations"]["post"]["requestBody"]["content"]["application/json"]
    return {name: example["value"] for name, example in media["examples"].items()}


EXAMPLES = request_examples()


def arguments(body: dict[str, Any]) -> tuple[str | None, dict[str, Any]]:
    """``create``'s prompt and keyword arguments for a request body, field for field."""
    rest = dict(body)
    return rest.pop("prompt", None), rest


def test_every_documented_shape_is_among_the_examples() -> None:
    """Text, image, keyframes, reference (reference_image_type), v2v, motion-control, task_id extension."""
    assert {name: EXAMPLES[name].get("operation") for name in DOCUMENTED_SHAPES} == DOCUMENTED_SHAPES
    assert EXAMPLES["referenceToVideo"]["reference_image_type"] == "asset"
    assert EXAMPLES["taskExtension"]["task_id"] == "video_abc123"
    assert {"image_url", "video_url"} <= EXAMPLES["motionControl"].keys()


def _check_task(emu: Emulator, body: dict[str, Any], task_id: str, sent: list[httpx.Request]) -> None:
    stored = emu.ctx.store.get(task_id)
    assert stored is not None and stored.model == body["model"]
    if "operation" in body:
        assert stored.operation == body["operation"]
    creates = [request for request in sent if request.method == "POST"]
    canonical = {FIELD_ALIASES.get(name, name): value for name, value in body.items()}
    canonical.setdefault("operation", infer_operation(canonical))  # the façade names what it infers
    assert [json.loads(request.content) for request in creates] == [canonical]


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_raw_example_is_accepted(emu: Emulator, name: str) -> None:
    """The example's JSON posted as is (camelCase aliases too) creates a task: the documented answer."""
    headers = {"Authorization": f"Bearer {emu.api_key}"}
    response = httpx.post(f"{emu.base_url}/v1/videos/generations", json=EXAMPLES[name], headers=headers)
    assert_documented(response, "POST /v1/videos/generations")
    assert response.status_code == 200 and response.json()["model"] == EXAMPLES[name]["model"]
    assert emu.stats.tasks_created == 1


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_sync_client_sends_the_example_and_the_emulator_creates_the_task(
    emu: Emulator, name: str
) -> None:
    """``VideoClient.create(...)`` with the example's fields; one task created, with its model."""
    body = EXAMPLES[name]
    sent: list[httpx.Request] = []
    with (
        httpx.Client(event_hooks={"request": [sent.append]}) as http,
        VideoClient(api_key=emu.api_key, base_url=emu.base_url, http_client=http, max_retries=0) as video,
    ):
        prompt, fields = arguments(body)
        task = video.create(prompt, **fields)
    assert emu.stats.tasks_created == 1
    assert emu.stats.requests["POST /v1/videos/generations"] == 1
    _check_task(emu, body, task.id, sent)


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_async_client_sends_the_example_and_the_emulator_creates_the_task(
    emu: Emulator, name: str
) -> None:
    """``AsyncVideoClient.create(...)`` likewise."""
    body = EXAMPLES[name]
    sent: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request)

    async def run() -> str:
        async with (
            httpx.AsyncClient(event_hooks={"request": [record]}) as http,
            AsyncVideoClient(
                api_key=emu.api_key, base_url=emu.base_url, http_client=http, max_retries=0
            ) as video,
        ):
            prompt, fields = arguments(body)
            task = await video.create(prompt, **fields)
            return task.id

    task_id = asyncio.run(run())
    assert emu.stats.tasks_created == 1
    assert emu.stats.requests["POST /v1/videos/generations"] == 1
    _check_task(emu, body, task_id, sent)
