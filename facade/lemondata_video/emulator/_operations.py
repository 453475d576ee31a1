"""Every operation of the spec shipped in the generated package, and the documented answer of each.

The spec is `lemondata_api.openapi_spec.SPEC`, emitted by scripts/generate from
openapi/openapi.yaml. The app routes each operation that has no stateful handler to its
documented 200 example (through the same prologue as the others: faults, auth, rate limit),
so an operation added to the spec is served right after regeneration, with no emulator code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, Final

from lemondata_api.openapi_spec import SPEC
from starlette.requests import Request
from starlette.routing import Route

METHODS: Final = ("get", "put", "post", "delete", "patch")
JSON: Final = "application/json"
# "METHOD /path/{param}" of every operation, in spec order: the route names of stats and faults.
API_ROUTES: Final = tuple(
    f"{m.upper()} {path}" for path, item in SPEC["paths"].items() for m in item if m in METHODS
)


def resolve(node: Any) -> Any:
    """`node` with its local `$ref` (`#/components/...`) followed, as often as it takes."""
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and seen < 32:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node, seen = target, seen + 1
    return node


def documented_answer(operation: dict[str, Any]) -> Any:
    """The 200 answer an operation documents: its media example, first named example, or schema example.

    Raises LookupError when it documents none (scripts/lint-spec requires one on every response).
    """
    response = resolve(operation.get("responses", {}).get("200", {}))
    media = resolve((response.get("content") or {}).get(JSON, {}))
    if "example" in media:
        return media["example"]
    for example in (media.get("examples") or {}).values():
        named = resolve(example)
        if "value" in named:
            return named["value"]
    schema = resolve(media.get("schema", {}))
    if "example" in schema:
        return schema["example"]
    if schema.get("examples"):
        return schema["examples"][0]
    msg = f"operation {operation.get('operationId')!r} documents no 200 example"
    raise LookupError(msg)


def documented_operations(served: set[str]) -> Iterator[tuple[str, str, Any]]:
    """(METHOD, path, answer) of every operation of the spec whose route is not in `served`."""
    for path, item in SPEC["paths"].items():
        for method in item:
            name = f"{method.upper()} {path}"
            if method in METHODS and name not in served:
                yield method.upper(), path, documented_answer(item[method])


Wrap = Callable[[str, Callable[[Request, str], Any]], Callable[[Request], Any]]


def documented_routes(served: set[str], wrap: Wrap) -> list[Route]:
    """A route per operation not in `served`, answering its example; `wrap(name, handler)` adds the rest."""
    routes = []
    for method, path, answer in documented_operations(served):

        async def handler(request: Request, key: str, answer: Any = answer) -> Any:
            return answer

        routes.append(Route(path, wrap(f"{method} {path}", handler), methods=[method]))
    return routes
