"""Gates over the spec that typed clients of other languages depend on, each shown to fail when broken.

- Every object schema reachable from a response (through `$ref`, properties, items,
  `anyOf`/`oneOf`/`allOf` and additionalProperties schemas) says `additionalProperties: true`:
  a Go or Java client generated without it rejects the fields the service adds.
- Every unix time (properties `created`, `updated`, `created_at`, `completed_at`, the
  `X-RateLimit-Reset` header) and `seed` is an integer with `format: int64`, not 32-bit.
- A nullable primitive is written `type: [T, 'null']`, never `anyOf` of a primitive and
  null, which breaking-change tools (Optic) read as a different field.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ._spec import HTTP_METHODS, resolve, spec

UNIX_TIMES = frozenset({"created", "updated", "created_at", "completed_at"})
INT64_PROPERTIES = UNIX_TIMES | {"seed"}
INT64_HEADERS = frozenset({"X-RateLimit-Reset"})
PRIMITIVES = frozenset({"string", "integer", "number", "boolean"})
SUBSCHEMA_LISTS = ("anyOf", "oneOf", "allOf", "prefixItems")


def _types(schema: dict[str, Any]) -> set[str]:
    kind = schema.get("type", [])
    return {kind} if isinstance(kind, str) else set(kind)


def _children(schema: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for name, prop in schema.get("properties", {}).items():
        yield f"/properties/{name}", prop
    for key in ("items", "additionalProperties", "not"):
        if isinstance(schema.get(key), dict):
            yield f"/{key}", schema[key]
    for key in SUBSCHEMA_LISTS:
        for i, sub in enumerate(schema.get(key, [])):
            yield f"/{key}/{i}", sub


def _response_schemas(document: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    for path, item in document["paths"].items():
        for method in HTTP_METHODS:
            for status, response in item.get(method, {}).get("responses", {}).items():
                for content_type, media in resolve(response, document).get("content", {}).items():
                    if "schema" in media:
                        yield f"{method.upper()} {path} {status} {content_type}", media["schema"]


def open_object_problems(document: dict[str, Any]) -> list[str]:
    """Object schemas reachable from a response that do not say `additionalProperties: true`."""
    problems: list[str] = []
    seen: set[int] = set()
    stack = list(_response_schemas(document))
    while stack:
        where, node = stack.pop()
        if isinstance(node, dict) and "$ref" in node:
            where, node = node["$ref"], resolve(node, document)
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        if ("object" in _types(node) or "properties" in node) and node.get(
            "additionalProperties"
        ) is not True:
            problems.append(f"{where}: an object schema without additionalProperties: true")
        stack.extend((where + sub, child) for sub, child in _children(node))
    return sorted(problems)


def _walk(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping of the document with its JSON pointer."""
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _walk(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{where}/{i}")


def _is_int64(schema: dict[str, Any]) -> bool:
    return "integer" in _types(schema) and schema.get("format") == "int64"


def int64_problems(document: dict[str, Any]) -> list[str]:
    """Unix-time properties, `seed` and the X-RateLimit-Reset header that are not int64 integers."""
    problems = []
    for where, node in _walk(document):
        properties = node.get("properties")
        if isinstance(properties, dict):
            for name in sorted(INT64_PROPERTIES & properties.keys()):
                if not _is_int64(resolve(properties[name], document)):
                    problems.append(f"{where}/properties/{name}: not an integer with format: int64")
        headers = node.get("headers")
        if isinstance(headers, dict):
            for name in sorted(INT64_HEADERS & headers.keys()):
                header = headers[name]
                if "$ref" in header:  # checked once where it is written (components/headers)
                    continue
                if not _is_int64(resolve(header.get("schema", {}), document)):
                    problems.append(f"{where}/headers/{name}: not an integer with format: int64")
    return sorted(set(problems))


def nullable_primitive_problems(document: dict[str, Any]) -> list[str]:
    """`anyOf`/`oneOf` of primitives and null, which should be written `type: [T, 'null']`."""
    problems = []
    for where, node in _walk(document):
        for key in ("anyOf", "oneOf"):
            members = node.get(key)
            if not isinstance(members, list) or not all(isinstance(m, dict) for m in members):
                continue
            nulls = [m for m in members if _types(m) == {"null"}]
            rest = [m for m in members if m not in nulls]
            if (
                nulls
                and rest
                and all("$ref" not in m and _types(m) and _types(m) <= PRIMITIVES for m in rest)
            ):
                problems.append(f"{where}/{key}: a nullable primitive; write type: [T, 'null']")
    return sorted(problems)


def all_problems(document: dict[str, Any]) -> list[str]:
    return open_object_problems(document) + int64_problems(document) + nullable_primitive_problems(document)


def test_the_spec_passes_every_gate() -> None:
    assert all_problems(spec()) == []


def test_the_gates_see_the_schemas_they_guard() -> None:
    """The walks reach what they check: nested response objects, every unix time, seed and the header."""
    document = spec()
    reached = {where for where, _ in _response_schemas(document)}
    assert "GET /v1/tasks/{task_id} 200 application/json" in reached
    schemas = document["components"]["schemas"]
    found = {
        name
        for schema in schemas.values()
        for name in schema.get("properties", {})
        if name in INT64_PROPERTIES
    }
    assert found == INT64_PROPERTIES
    headers = [where for where, node in _walk(document) if "X-RateLimit-Reset" in node.get("headers", {})]
    assert "#/components" in headers


def _schema(document: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = document["components"]["schemas"][name]
    return found


def _drop_open(name: str) -> Callable[[dict[str, Any]], None]:
    return lambda d: _schema(d, name).pop("additionalProperties")


def _drop_format(name: str, prop: str) -> Callable[[dict[str, Any]], None]:
    return lambda d: _schema(d, name)["properties"][prop].pop("format")


def _drop_header_format(d: dict[str, Any]) -> None:
    d["components"]["headers"]["X-RateLimit-Reset"]["schema"].pop("format")


def _anyof_duration(d: dict[str, Any]) -> None:
    _schema(d, "Video")["properties"]["duration"] = {"anyOf": [{"type": "number"}, {"type": "null"}]}


def _anyof_code(d: dict[str, Any]) -> None:
    _schema(d, "ErrorBody")["properties"]["code"] = {"oneOf": [{"type": "string"}, {"type": "null"}]}


def _closed_inline_object(d: dict[str, Any]) -> None:
    _schema(d, "ModelDetails")["properties"]["capability_flags"]["additionalProperties"] = False


BREAKS = {
    "task-closed": (_drop_open("VideoTask"), "#/components/schemas/VideoTask: an object schema"),
    # Only reachable through VideoTask.video's anyOf and the create answer.
    "video-closed": (_drop_open("Video"), "#/components/schemas/Video: an object schema"),
    "error-body-closed": (_drop_open("ErrorBody"), "#/components/schemas/ErrorBody: an object schema"),
    "inline-object-closed": (
        _closed_inline_object,
        "#/components/schemas/ModelDetails/properties/capability_flags: an object schema",
    ),
    "created-32-bit": (
        _drop_format("VideoTask", "created"),
        "#/components/schemas/VideoTask/properties/created: not an integer",
    ),
    "completed-at-32-bit": (
        _drop_format("VideoTask", "completed_at"),
        "#/components/schemas/VideoTask/properties/completed_at: not an integer",
    ),
    "seed-32-bit": (
        _drop_format("VideoGenerationRequest", "seed"),
        "#/components/schemas/VideoGenerationRequest/properties/seed: not an integer",
    ),
    "reset-header-32-bit": (_drop_header_format, "#/components/headers/X-RateLimit-Reset: not an integer"),
    "anyof-nullable-number": (
        _anyof_duration,
        "#/components/schemas/Video/properties/duration/anyOf: a nullable primitive",
    ),
    "oneof-nullable-string": (
        _anyof_code,
        "#/components/schemas/ErrorBody/properties/code/oneOf: a nullable primitive",
    ),
}


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_each_gate_fails_when_its_rule_is_broken(name: str) -> None:
    """A copy of the spec with one rule broken fails with exactly one problem, naming the place."""
    document = copy.deepcopy(spec())
    breaks, expected = BREAKS[name]
    breaks(document)
    problems = all_problems(document)
    assert len(problems) == 1, problems
    assert problems[0].startswith(expected), problems
