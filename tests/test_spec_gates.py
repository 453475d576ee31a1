"""Contract tests on openapi/openapi.yaml: error responses, examples and the model matrix.

The linters in scripts/lint-spec check that the document is well formed; these
tests check the promises this SDK relies on, which no generic linter knows.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_schema_validator import OAS31Validator

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi" / "openapi.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
ERROR_STATUSES = {"400", "401", "402", "403", "404", "413", "429", "500", "502", "503", "504"}
CANCEL = ("delete", "/v1/tasks/{task_id}")
MATRIX_SIZE = 60
RUNWAY_DURATIONS = {"runwayml-gen4-turbo-5": [5], "runwayml-gen4-turbo-10": [10]}


@cache
def spec() -> dict[str, Any]:
    """The parsed spec (read once)."""
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    """Follow a local `$ref` (and any chain of them) to the object it names."""
    while "$ref" in node:
        target: Any = spec()
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, operation) for every operation of the spec."""
    return [
        (method, path, item[method])
        for path, item in spec()["paths"].items()
        for method in HTTP_METHODS
        if method in item
    ]


def operation_id(param: tuple[str, str, dict[str, Any]]) -> str:
    return f"{param[0].upper()} {param[1]}"


Response = tuple[str, str, dict[str, Any]]


def responses() -> list[Response]:
    """(where, status, resolved response) for every response of every operation."""
    return [
        (f"{method.upper()} {path}", status, resolve(response))
        for method, path, operation in operations()
        for status, response in operation["responses"].items()
    ]


def response_id(param: Response) -> str:
    return f"{param[0]} {param[1]}"


def media_examples(media: dict[str, Any]) -> list[Any]:
    """The example values of a media type object (`example` or each of `examples`)."""
    found = [media["example"]] if "example" in media else []
    return found + [resolve(example)["value"] for example in media.get("examples", {}).values()]


def schema_validator(schema: dict[str, Any]) -> OAS31Validator:
    """A validator for `schema` whose `#/components/...` references resolve in the spec."""
    return OAS31Validator({**schema, "components": spec()["components"]})


class TestErrorResponses:
    """Every operation documents the API's error families in the common envelope."""

    @pytest.mark.parametrize("op", operations(), ids=operation_id)
    def test_operation_declares_every_error_status(self, op: tuple[str, str, dict[str, Any]]) -> None:
        """400 401 402 403 404 413 429 500 502 503 504 on every operation, 409 on cancel."""
        method, path, operation = op
        expected = ERROR_STATUSES | ({"409"} if (method, path) == CANCEL else set())
        assert expected <= set(operation["responses"]), sorted(expected - set(operation["responses"]))

    def test_cancel_declares_conflict(self) -> None:
        """DELETE /v1/tasks/{task_id} answers 409 task_not_cancellable for a running task."""
        conflict = resolve(spec()["paths"][CANCEL[1]][CANCEL[0]]["responses"]["409"])
        examples = media_examples(conflict["content"]["application/json"])
        assert [example["error"]["code"] for example in examples] == ["task_not_cancellable"]

    @pytest.mark.parametrize("op", operations(), ids=operation_id)
    def test_error_responses_use_the_error_envelope(self, op: tuple[str, str, dict[str, Any]]) -> None:
        """Every non-2xx response of an operation is an application/json ErrorResponse."""
        _, _, operation = op
        for status, response in operation["responses"].items():
            if status.startswith("2"):
                continue
            content = resolve(response)["content"]
            assert list(content) == ["application/json"], status
            assert content["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}

    @pytest.mark.parametrize("op", operations(), ids=operation_id)
    def test_rate_limited_response_requires_retry_after(self, op: tuple[str, str, dict[str, Any]]) -> None:
        """A 429 always carries Retry-After, in whole seconds."""
        _, _, operation = op
        header = resolve(resolve(operation["responses"]["429"])["headers"]["Retry-After"])
        assert header["required"] is True
        assert header["schema"]["type"] == "integer"
        assert header["schema"]["minimum"] == 0


class TestExamples:
    """Every response shows an example, and every example matches its schema."""

    @pytest.mark.parametrize("resp", responses(), ids=response_id)
    def test_every_response_has_a_valid_example(self, resp: Response) -> None:
        """Each media type of the response has at least one example, valid against its schema."""
        where, status, response = resp
        assert response.get("content"), f"{where} {status} has no content"
        for media_type, media in response["content"].items():
            examples = media_examples(media)
            assert examples, f"{where} {status} {media_type} has no example"
            validator = schema_validator(media["schema"])
            for example in examples:
                errors = [error.message for error in validator.iter_errors(example)]
                assert errors == [], f"{where} {status}: {errors}"

    def test_request_examples_match_the_request_schema(self) -> None:
        """The create request's examples are valid VideoGenerationRequests."""
        request_body = spec()["paths"]["/v1/videos/generations"]["post"]["requestBody"]
        media = request_body["content"]["application/json"]
        examples = media_examples(media)
        assert len(examples) >= 3
        validator = schema_validator(media["schema"])
        for example in examples:
            assert [error.message for error in validator.iter_errors(example)] == []


class TestForwardCompatibility:
    """The spec keeps the shapes that let old clients read new answers."""

    def test_task_status_is_an_open_string(self) -> None:
        """Unknown status values must parse, so TaskStatus has no enum."""
        status = spec()["components"]["schemas"]["TaskStatus"]
        assert status["type"] == "string"
        assert "enum" not in status
        assert set(status["examples"]) == {"pending", "processing", "completed", "failed"}

    def test_a_new_status_value_validates(self) -> None:
        """A task in a state the spec does not name is still a valid VideoTask."""
        validator = schema_validator({"$ref": "#/components/schemas/VideoTask"})
        assert validator.is_valid({"id": "video_1", "status": "queued", "surprise": {"x": 1}})

    @pytest.mark.parametrize("field", ["progress", "video", "videos", "video_url", "error", "model"])
    def test_optional_task_fields_accept_null(self, field: str) -> None:
        """Fields that may be missing accept null: `type: [T, 'null']`, or `anyOf` with null for objects."""
        prop = spec()["components"]["schemas"]["VideoTask"]["properties"][field]
        assert "null" in prop.get("type", []) or {"type": "null"} in prop["anyOf"]
        assert schema_validator({"$ref": "#/components/schemas/VideoTask"}).is_valid(
            {"status": "x", field: None}
        )


class TestModelMatrix:
    """x-lemondata-models: the capability matrix the façade validates requests against."""

    def test_matrix_has_every_model_once(self) -> None:
        """37 models, each id unique."""
        ids = [model["id"] for model in spec()["x-lemondata-models"]]
        assert len(ids) == MATRIX_SIZE
        assert len(set(ids)) == len(ids), sorted({i for i in ids if ids.count(i) > 1})

    def test_runway_models_have_fixed_durations(self) -> None:
        """Runway's two models make 5 s and 10 s clips and nothing else."""
        models = spec()["x-lemondata-models"]
        runway = {m["id"]: m.get("durations") for m in models if m["provider"] == "Runway"}
        assert runway == RUNWAY_DURATIONS

    def test_operations_are_declared(self) -> None:
        """Every model names at least one operation, each one of VideoOperation's, with a label."""
        operation = spec()["components"]["schemas"]["VideoOperation"]
        assert set(operation["x-lemondata-labels"]) == set(operation["enum"])
        for model in spec()["x-lemondata-models"]:
            assert model["operations"], model["id"]
            assert set(model["operations"]) <= set(operation["enum"]), model["id"]

    def test_every_model_names_its_revisions(self) -> None:
        """Each entry says which documentation revision lists it (R1 the seed page, R3 the newest)."""
        for model in spec()["x-lemondata-models"]:
            assert model["revisions"] and set(model["revisions"]) <= {"R1", "R2", "R3"}, model["id"]

    def test_the_newest_guide_inventory_is_in_the_matrix(self) -> None:
        """The R3 guide's video models, with the dotted Seedance ids, are all listed as R3."""
        r3 = {m["id"] for m in spec()["x-lemondata-models"] if "R3" in m["revisions"]}
        assert {"kling-3.0-motion-control", "seedance-1.5-pro", "seedance-2.0", "topaz-video-upscale"} <= r3
        assert len(r3) == 41

    def test_cancellable_is_exactly_the_cancel_page(self) -> None:
        """Only queued seedance-1.5-pro, seedance-2.0 and seedance-2.0-fast tasks can be cancelled."""
        cancellable = {m["id"] for m in spec()["x-lemondata-models"] if m.get("cancellable")}
        assert cancellable == {"seedance-1.5-pro", "seedance-2.0", "seedance-2.0-fast"}

    def test_the_default_model_is_the_request_default(self) -> None:
        """Exactly one model is marked default, and it is the request schema's default."""
        defaults = [m["id"] for m in spec()["x-lemondata-models"] if m.get("default")]
        request_default = spec()["components"]["schemas"]["VideoGenerationRequest"]["properties"]["model"]
        assert defaults == [request_default["default"]] == ["sora-2"]


class TestLinterConfiguration:
    """The lint gates run every rule; nothing is silenced to get a green run."""

    def test_spectral_runs_every_oas_rule(self) -> None:
        """.spectral.yaml turns on all of spectral:oas and switches no rule off."""
        ruleset = yaml.safe_load((ROOT / ".spectral.yaml").read_text(encoding="utf-8"))
        assert ruleset["extends"] == [["spectral:oas", "all"]]
        assert "off" not in [str(v) for v in ruleset.get("rules", {}).values()]

    def test_redocly_treats_invalid_examples_as_errors(self) -> None:
        """redocly.yaml extends recommended with example validation as errors, nothing off."""
        config = yaml.safe_load((ROOT / "redocly.yaml").read_text(encoding="utf-8"))
        assert config["extends"] == ["recommended"]
        assert config["rules"]["no-invalid-media-type-examples"] == "error"
        assert config["rules"]["no-invalid-schema-examples"] == "error"
        assert "off" not in config["rules"].values()
