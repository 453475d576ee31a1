"""The spec's examples, walked once: every request and response example with the schema it illustrates.

The walk goes paths -> operation -> requestBody / responses -> content -> `example` or
`examples`, following `$ref` to components/responses, components/examples and
components/headers, so an example written once under components counts once per route
that answers with it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "openapi" / "openapi.yaml"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


@cache
def spec() -> dict[str, Any]:
    """The parsed spec (read once; callers that change it work on a deep copy)."""
    loaded: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
    return loaded


def resolve(node: Any, document: dict[str, Any] | None = None) -> Any:
    """Follow a local `$ref` (and any chain of them) to the object it names."""
    root = spec() if document is None else document
    while isinstance(node, dict) and "$ref" in node:
        target: Any = root
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


@dataclass(frozen=True)
class Example:
    """One example of the spec: where it is, the component schema it illustrates, its value."""

    method: str
    path: str
    status: str | None  # None for a request example
    schema: str
    name: str
    value: Any
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.path} {self.status or 'request'} {self.name}"

    def body(self) -> Any:
        """A copy of the value that a test may change."""
        return copy.deepcopy(self.value)


def _schema_name(media: dict[str, Any], where: str) -> str:
    ref = media.get("schema", {}).get("$ref", "")
    if not ref.startswith("#/components/schemas/"):
        msg = f"{where}: the content schema is not a component schema reference ({media.get('schema')!r})"
        raise ValueError(msg)
    return str(ref.rsplit("/", 1)[1])


def _media_examples(media: dict[str, Any]) -> list[tuple[str, Any]]:
    found = [("example", media["example"])] if "example" in media else []
    found += [(name, resolve(ex)["value"]) for name, ex in media.get("examples", {}).items()]
    return found


def _header_examples(response: dict[str, Any]) -> dict[str, str]:
    headers = {}
    for name, written in response.get("headers", {}).items():
        header = resolve(written)
        value = header.get("example", header.get("schema", {}).get("example"))
        if value is not None:
            headers[name] = str(value)
    return headers


def _examples_of(method: str, path: str, op: dict[str, Any]) -> list[Example]:
    found = []
    bodies = [(None, resolve(op["requestBody"]))] if "requestBody" in op else []
    bodies += [(status, resolve(resp)) for status, resp in op.get("responses", {}).items()]
    for status, holder in bodies:
        headers = _header_examples(holder) if status is not None else {}
        for content_type, media in holder.get("content", {}).items():
            where = f"{method.upper()} {path} {status or 'request'} {content_type}"
            schema = _schema_name(media, where)
            for name, value in _media_examples(media):
                found.append(Example(method, path, status, schema, name, value, headers))
    return found


@cache
def examples() -> tuple[Example, ...]:
    """Every request and response example of the spec, in document order."""
    return tuple(
        example
        for path, item in spec()["paths"].items()
        for method in HTTP_METHODS
        if method in item
        for example in _examples_of(method, path, item[method])
    )


def missing_keys(expected: Any, got: Any, where: str = "") -> list[str]:
    """Every key of `expected` (at any depth, through lists) that `got` lacks, as /paths."""
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            return [f"{where or '/'} is not an object"]
        missing = []
        for key, value in expected.items():
            if key not in got:
                missing.append(f"{where}/{key}")
            else:
                missing += missing_keys(value, got[key], f"{where}/{key}")
        return missing
    if isinstance(expected, list):
        if not isinstance(got, list) or len(got) != len(expected):
            return [f"{where or '/'} is not a list of {len(expected)}"]
        return [
            m
            for i, (a, b) in enumerate(zip(expected, got, strict=True))
            for m in missing_keys(a, b, f"{where}[{i}]")
        ]
    return []
