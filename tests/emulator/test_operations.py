"""Every operation of the shipped spec is served: the stateful ones by their handlers, the rest by example."""

from __future__ import annotations

import httpx
import pytest
from lemondata_api.openapi_spec import SPEC
from lemondata_video.emulator import Emulator, Faults
from lemondata_video.emulator._operations import API_ROUTES, documented_answer, resolve

from .conftest import error_of

STATEFUL = {
    "POST /v1/videos/generations",
    "GET /v1/videos/generations/{task_id}",
    "GET /v1/tasks/{task_id}",
    "DELETE /v1/tasks/{task_id}",
    "GET /v1/models",
    "GET /v1/models/{model}",
}
DOCUMENTED = [route for route in API_ROUTES if route not in STATEFUL]


def _operation(route: str) -> dict[str, object]:
    method, path = route.split(" ", 1)
    operation: dict[str, object] = SPEC["paths"][path][method.lower()]
    return operation


def _url(route: str) -> str:
    """The route's path with every parameter filled in."""
    return route.split(" ", 1)[1].replace("{model}", "sora-2")


class TestEveryOperation:
    """The routes come from the spec the generated package ships."""

    def test_the_route_names_are_the_spec_operations(self) -> None:
        expected = {
            f"{m.upper()} {p}" for p, item in SPEC["paths"].items() for m in item if m != "parameters"
        }
        assert set(API_ROUTES) == expected
        assert set(API_ROUTES) > STATEFUL

    def test_the_spec_has_operations_served_by_example(self) -> None:
        assert DOCUMENTED, (
            "the spec has no operation without a stateful handler; this test would prove nothing"
        )

    @pytest.mark.parametrize("route", DOCUMENTED)
    def test_an_operation_without_a_handler_answers_its_documented_example(
        self, emu: Emulator, api: httpx.Client, route: str
    ) -> None:
        method = route.split(" ", 1)[0]
        response = api.request(method, _url(route))
        assert response.status_code == 200
        assert response.json() == documented_answer(_operation(route))
        assert response.headers["X-RateLimit-Limit"] == "1000"
        assert emu.stats.requests[route] == 1

    @pytest.mark.parametrize("route", DOCUMENTED)
    def test_it_needs_the_key(self, emu: Emulator, route: str) -> None:
        response = httpx.request(route.split(" ", 1)[0], emu.base_url + _url(route))
        assert response.status_code == 401
        assert error_of(response)["code"] == "invalid_api_key"

    @pytest.mark.parametrize("route", DOCUMENTED)
    def test_faults_apply_to_it(self, emu: Emulator, api: httpx.Client, route: str) -> None:
        emu.set_faults(Faults(rate_limit_storm=1.0, storm_length=1, max_faults=1, routes=[route]))
        method = route.split(" ", 1)[0]
        first, second = api.request(method, _url(route)), api.request(method, _url(route))
        assert (first.status_code, second.status_code) == (429, 200)
        assert first.headers["Retry-After"] == "1"
        assert emu.stats.faults["rate_limit_storm"] == 1

    @pytest.mark.lemondata_emulator(rate_limit=1)
    def test_it_spends_the_rate_limit(self, api: httpx.Client) -> None:
        route = DOCUMENTED[0]
        method = route.split(" ", 1)[0]
        assert api.request(method, _url(route)).status_code == 200
        limited = api.request(method, _url(route))
        assert limited.status_code == 429
        assert error_of(limited)["code"] == "rate_limit_exceeded"


class TestDocumentedAnswer:
    """Which example an operation's 200 answer is."""

    def test_a_media_example_comes_first(self) -> None:
        operation = {"responses": {"200": {"content": {"application/json": {"example": {"a": 1}}}}}}
        assert documented_answer(operation) == {"a": 1}

    def test_then_the_first_named_example(self) -> None:
        examples = {"one": {"value": [1]}, "two": {"value": [2]}}
        operation = {"responses": {"200": {"content": {"application/json": {"examples": examples}}}}}
        assert documented_answer(operation) == [1]

    def test_then_the_schema_example(self) -> None:
        media = {"schema": {"type": "object", "examples": [{"b": 2}]}}
        assert documented_answer({"responses": {"200": {"content": {"application/json": media}}}}) == {"b": 2}

    def test_no_example_is_a_lookup_error(self) -> None:
        operation = {"operationId": "getNothing", "responses": {"200": {"description": "nothing"}}}
        with pytest.raises(LookupError) as info:
            documented_answer(operation)
        assert str(info.value) == "operation 'getNothing' documents no 200 example"

    def test_refs_are_followed(self) -> None:
        ref = {"$ref": "#/paths/~1v1~1pricing/get"}
        assert resolve(ref) is SPEC["paths"]["/v1/pricing"]["get"]
