"""The façade's fast paths agree with the generated models they stand in for, on the spec's examples.

Task answers: the façade takes a create or status answer holding its schema's required
properties without building the generated model (`_error_map.LENIENT_MODELS`). For every 2xx
example of those schemas, and for that example with each property of the schema left out or
given each kind of JSON value (and for bodies that are not objects), `create` and `get` give a
Task exactly when the generated `from_dict` accepts the body and it names a task id, and
otherwise raise UnexpectedResponseError saying which of the two it lacks.

Create bodies: the façade sends a create's checked body without the generated request model's
round trip (`from_dict` then `to_dict`). For every request example, the body sent is the round
trip's, to the route the generated operation builds.

Inference: a request naming none of the inputs the spec's inference rules read is given the
operation the rules give an empty request; on every request example, and on each input alone
(given or null), the façade infers what the generated rules infer.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import lemondata_api.models
import pytest
from conftest import BASE, CREATE_URL, Driver
from lemondata_api import model_matrix
from lemondata_api.api.videos import create_video_generation
from lemondata_api.models import VideoGenerationRequest
from lemondata_video import Task, TaskMayExistError, UnexpectedResponseError
from lemondata_video._capabilities import INFERENCE_INPUTS, infer_operation
from lemondata_video._error_map import LENIENT_MODELS, PARSE_ERRORS
from pytest_httpx import HTTPXMock

from ._spec import Example, examples, resolve, spec

# One value of every kind JSON has, and the shapes the task schemas nest (videos, errors).
JSON_KINDS: tuple[Any, ...] = (
    "text",
    "",
    0,
    7,
    -1,
    2.5,
    True,
    False,
    None,
    [],
    ["x", 3, None],
    [{"url": 3}],
    [{"url": "https://files.example/v.mp4", "duration": "long"}],
    {},
    {"url": "https://files.example/v.mp4"},
    {"message": 5, "code": []},
)
NOT_OBJECTS: tuple[Any, ...] = ([], [{"status": "pending"}], "pending", 3, None)
TASK_ID = "video_abc"


def variants(example: Example) -> list[Any]:
    """The example, and the example with each property of its schema left out or set to each kind."""
    schema = resolve(spec()["components"]["schemas"][example.schema])
    bodies: list[Any] = [example.body(), *NOT_OBJECTS]
    for name in schema["properties"]:
        left_out = example.body()
        left_out.pop(name, None)
        bodies.append(left_out)
        for value in JSON_KINDS:
            bodies.append({**example.body(), name: value})
    return bodies


def expected_outcome(model: Any, body: Any) -> str | None:
    """None when the façade must give a Task; else what its UnexpectedResponseError must say."""
    try:
        model.from_dict(body)
    except PARSE_ERRORS:
        return "its body is not the JSON the API describes"
    if not isinstance(body, dict):
        return "its body is not a JSON object"
    if not any(isinstance(body.get(name), str) and body[name] for name in ("id", "task_id")):
        return "its body names no task id"
    return None


def lenient_examples(schema: str) -> list[Example]:
    return [e for e in examples() if e.schema == schema and (e.status or "").startswith("2")]


def test_every_lenient_model_has_examples_and_requires_what_the_spec_requires() -> None:
    for name in LENIENT_MODELS:
        assert lenient_examples(name), name
        assert spec()["components"]["schemas"][name]["required"] == ["status"]
        assert getattr(lemondata_api.models, name).__name__ == name


@pytest.mark.parametrize("schema", sorted(LENIENT_MODELS))
def test_task_answers_agree_with_the_generated_model(
    schema: str, flavour: str, httpx_mock: HTTPXMock
) -> None:
    model = getattr(lemondata_api.models, schema)
    served: list[Any] = [None]
    httpx_mock.add_callback(lambda _request: httpx.Response(200, json=served[0]), is_reusable=True)
    drv = Driver(flavour, max_retries=0)
    checked = 0
    try:
        for example in lenient_examples(schema):
            for body in variants(example):
                served[0] = body
                expected = expected_outcome(model, body)
                assert outcome(drv, schema) == expected, body
                checked += 1
    finally:
        drv.close()
    assert checked > 100


def outcome(drv: Driver, schema: str) -> str | None:
    """None when the call gave a Task; else the reason its UnexpectedResponseError gives."""
    try:
        task = drv("create", "a lemon", model="sora-2") if schema != "VideoTask" else drv("get", TASK_ID)
    except TaskMayExistError as exc:
        assert isinstance(exc.__cause__, UnexpectedResponseError)
        return reason(exc.__cause__)
    except UnexpectedResponseError as exc:
        return reason(exc)
    assert isinstance(task, Task)
    return None


def reason(error: UnexpectedResponseError) -> str:
    assert error.status_code == 200
    return str(error).split(": ", 2)[2].split("; body: ")[0]


def request_examples() -> list[Example]:
    return [e for e in examples() if e.status is None]


@pytest.mark.parametrize("example", request_examples(), ids=lambda e: e.id)
def test_create_sends_the_generated_request_models_round_trip(
    example: Example, flavour: str, httpx_mock: HTTPXMock
) -> None:
    httpx_mock.add_response(method="POST", url=CREATE_URL, json={"id": TASK_ID, "status": "pending"})
    fields = example.body()
    prompt, model, operation = fields.pop("prompt", None), fields.pop("model"), fields.pop("operation", None)
    drv = Driver(flavour, max_retries=0)
    try:
        drv("create", prompt, model=model, operation=operation, **fields)
    finally:
        drv.close()
    request = httpx_mock.get_request()
    assert request is not None
    sent = json.loads(request.content)
    built = create_video_generation._get_kwargs(body=VideoGenerationRequest.from_dict(sent))
    assert sent == built["json"]
    assert json.dumps(sent, sort_keys=True) == json.dumps(built["json"], sort_keys=True)
    assert (request.method, str(request.url)) == (built["method"].upper(), BASE + built["url"])


def test_inference_agrees_with_the_generated_rules() -> None:
    bodies: list[dict[str, Any]] = [e.body() for e in request_examples()]
    bodies += [{}, {"prompt": "a lemon", "model": "sora-2", "duration": 8, "seed": 3, "extra": [1]}]
    for name in sorted(INFERENCE_INPUTS):
        bodies += [{name: "https://files.example/a.png"}, {name: None}, {name: ["https://files.example/a"]}]
    inferred = {json.dumps(body): infer_operation(body) for body in bodies}
    assert inferred == {json.dumps(body): model_matrix.infer_operation(body) for body in bodies}
    assert len(set(inferred.values())) > 3
