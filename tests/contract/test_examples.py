"""Every example of the spec, request and response, through the generated models and the façade, both clients.

Generated models: the schema's `lemondata_api.models` class parses the example
(`from_dict`) and `to_dict()` keeps every key of it, at every depth.

Façade: request examples are sent with `create()` and go out as written (camelCase aliases
under their snake_case names); 2xx create, status, legacy-status and cancel examples come
back as a `Task` with the example's id and status; every error example of those routes,
served with its status and documented headers, raises the APIError subclass of its status
family with the example's `message`, `code`, `type` and `param` (None where the example
has none). A create that fails with a 5xx raises TaskMayExistError (the task may exist), with
that typed error as its cause. The clients have no call for the models and pricing routes
(`client.models()` reads the offline matrix and there is no generic `request`), so their 2xx
examples go through the generated models only; their error examples are the shared
component responses, which the façade meets on the routes above.
"""

from __future__ import annotations

import json
from typing import Any

import lemondata_api.models
import pytest
from conftest import BASE, CREATE_URL, Driver, task_url
from lemondata_video import (
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InsufficientBalanceError,
    LemonDataError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    Task,
    TaskMayExistError,
    TaskStatus,
)
from pytest_httpx import HTTPXMock

from ._spec import Example, examples, missing_keys, spec

CREATE = ("post", "/v1/videos/generations")
STATUS = ("get", "/v1/tasks/{task_id}")
LEGACY = ("get", "/v1/videos/generations/{task_id}")
CANCEL = ("delete", "/v1/tasks/{task_id}")
FACADE_ROUTES = (CREATE, STATUS, LEGACY, CANCEL)
MODEL_ROUTES = {
    ("get", "/v1/models"),
    ("get", "/v1/models/{model}"),
    ("get", "/v1/models/{model}/pricing"),
    ("get", "/v1/pricing"),
}
# The error class of each status family (the error tree of lemondata_video); any 5xx is a ServerError.
FAMILY: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: InsufficientBalanceError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    429: RateLimitError,
}
DEFAULT_ID = "video_abc123"

EXAMPLES = examples()
REQUESTS = [e for e in EXAMPLES if e.status is None]
ON_FACADE = [e for e in EXAMPLES if (e.method, e.path) in FACADE_ROUTES and e.status is not None]
ANSWERS = [e for e in ON_FACADE if e.status is not None and e.status.startswith("2")]
ERRORS = [e for e in ON_FACADE if e.status is not None and int(e.status) >= 400]


def ids(example: Example) -> str:
    return example.id


def route(example: Example) -> tuple[str, str]:
    return (example.method, example.path)


def task_id_of(value: dict[str, Any]) -> str:
    return str(value.get("id") or value.get("task_id") or DEFAULT_ID)


def serve(httpx_mock: HTTPXMock, example: Example, task_id: str) -> None:
    """Answer the example's route with the example: its status, JSON and documented headers."""
    method, url = {
        CREATE: ("POST", CREATE_URL),
        STATUS: ("GET", task_url(task_id)),
        LEGACY: ("GET", f"{BASE}/v1/videos/generations/{task_id}"),
        CANCEL: ("DELETE", task_url(task_id)),
    }[route(example)]
    status = int(example.status or 200)
    httpx_mock.add_response(
        method=method, url=url, status_code=status, json=example.body(), headers=example.headers
    )


def call(drv: Driver, example: Example, task_id: str) -> Any:
    """The façade call that sends the example's route."""
    where = route(example)
    if where == CREATE:
        return drv("create", "A cat walking through a garden", model="sora-2")
    if where == LEGACY:
        legacy = Task.from_payload(
            {"id": task_id, "status": "pending", "poll_url": f"/v1/videos/generations/{task_id}"}
        )
        return drv("get", legacy)
    return drv("cancel" if where == CANCEL else "get", task_id)


def test_the_walk_finds_every_route_and_kind_of_example() -> None:
    """The examples come from every route of the spec; the façade's routes have 2xx and error examples."""
    documented = {
        (m, p) for p, item in spec()["paths"].items() for m in item if m in ("get", "post", "delete")
    }
    assert {route(e) for e in EXAMPLES} == documented
    assert documented == set(FACADE_ROUTES) | MODEL_ROUTES
    for where in FACADE_ROUTES:
        assert any(route(e) == where for e in ANSWERS), where
        assert any(route(e) == where for e in ERRORS), where
    assert len(REQUESTS) == len(
        spec()["paths"]["/v1/videos/generations"]["post"]["requestBody"]["content"]["application/json"][
            "examples"
        ]
    )
    lacking = {name for e in ERRORS for name in ("param", "code", "type") if name not in e.value["error"]}
    assert lacking == {"param", "code", "type"}


@pytest.mark.parametrize("example", EXAMPLES, ids=ids)
def test_generated_model_parses_and_keeps_every_key(example: Example) -> None:
    model = getattr(lemondata_api.models, example.schema)
    parsed = model.from_dict(example.body())
    assert missing_keys(example.value, parsed.to_dict()) == []


def _as_sent(value: dict[str, Any]) -> dict[str, Any]:
    """The example with the spec's camelCase aliases under their snake_case names."""
    aliases = spec()["components"]["schemas"]["VideoGenerationRequest"]["x-lemondata-aliases"]
    return {aliases.get(name, name): item for name, item in value.items()}


@pytest.mark.parametrize("example", REQUESTS, ids=ids)
def test_request_example_is_sent_as_written(example: Example, flavour: str, httpx_mock: HTTPXMock) -> None:
    created = next(e for e in ANSWERS if route(e) == CREATE and e.name == "canonical")
    serve(httpx_mock, created, "")
    fields = example.body()
    prompt, model, operation = fields.pop("prompt", None), fields.pop("model"), fields.pop("operation", None)
    drv = Driver(flavour, max_retries=0)
    try:
        task = drv("create", prompt, model=model, operation=operation, **fields)
    finally:
        drv.close()
    sent = json.loads(httpx_mock.get_request().content)  # type: ignore[union-attr]
    expected = _as_sent(example.body())
    # Only the audio example leaves the operation out: no input field, so text-to-video.
    expected.setdefault("operation", "text-to-video")
    assert sent == expected
    assert task.id == created.value["id"]
    assert task.status is TaskStatus.PENDING


@pytest.mark.parametrize("example", ANSWERS, ids=ids)
def test_answer_example_gives_a_task(example: Example, flavour: str, httpx_mock: HTTPXMock) -> None:
    task_id = task_id_of(example.value)
    serve(httpx_mock, example, task_id)
    drv = Driver(flavour, max_retries=0)
    try:
        task = call(drv, example, task_id)
    finally:
        drv.close()
    assert isinstance(task, Task)
    assert task.id == task_id
    assert task.raw_status == example.value["status"]
    assert task.status is TaskStatus(example.value["status"])
    assert task.poll_url == example.value.get("poll_url", task.poll_url)
    assert task.model == example.value.get("model")
    assert task.cancelled is bool(example.value.get("cancelled"))


@pytest.mark.parametrize("example", ERRORS, ids=ids)
def test_error_example_raises_the_typed_error(example: Example, flavour: str, httpx_mock: HTTPXMock) -> None:
    serve(httpx_mock, example, DEFAULT_ID)
    status = int(example.status or 0)
    drv = Driver(flavour, max_retries=0)
    try:
        with pytest.raises(LemonDataError) as info:
            call(drv, example, DEFAULT_ID)
    finally:
        drv.close()
    error: BaseException | None = info.value
    if route(example) == CREATE and status >= 500:
        assert type(error) is TaskMayExistError
        error = error.__cause__
    assert type(error) is FAMILY.get(status, ServerError)
    assert isinstance(error, APIError)
    envelope = example.value["error"]
    assert error.status_code == status
    assert error.message == envelope["message"]
    assert error.code == envelope.get("code")
    assert error.type == envelope.get("type")
    assert error.param == envelope.get("param")
    assert error.retryable == envelope.get("retryable")
