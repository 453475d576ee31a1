"""Every operation of the shipped spec is served: the stateful ones by their handlers, the rest by example."""

from __future__ import annotations

import httpx
import pytest
from lemondata_api.openapi_spec import SPEC
from lemondata_video.emulator import Emulator, Faults
from lemondata_video.emulator._operations import API_ROUTES, documented_answer, resolve

from .conftest import error_of


def _url(route: str) -> str:
    """The route's path with every parameter filled in."""
    return route.split(" ", 1)[1].replace("{model}", "sora-2").replace("{task_id}", "video_nope")


class TestEveryOperation:
    """The routes come from the spec the generated package ships (an operation added to it
    and served by example: tests/test_new_endpoint.py)."""

    def test_the_route_names_are_the_spec_operations(self) -> None:
        paths = SPEC["paths"].items()
        expected = {f"{m.upper()} {p}" for p, item in paths for m in item if m != "parameters"}
        assert set(API_ROUTES) == expected
        assert "POST /v1/videos/generations" in API_ROUTES

    @pytest.mark.parametrize("route", API_ROUTES)
    def test_every_operation_has_a_route(self, emu: Emulator, api: httpx.Client, route: str) -> None:
        method = route.split(" ", 1)[0]
        json = {"prompt": "a cat"} if method == "POST" else None
        response = api.request(method, _url(route), json=json)
        assert emu.stats.requests[route] == 1, response.text
        assert f"{method} <unmatched>" not in emu.stats.requests

    @pytest.mark.parametrize("route", API_ROUTES)
    def test_every_operation_needs_the_key(self, emu: Emulator, route: str) -> None:
        response = httpx.request(route.split(" ", 1)[0], emu.base_url + _url(route))
        assert response.status_code == 401
        assert error_of(response)["code"] == "invalid_api_key"

    @pytest.mark.parametrize("route", API_ROUTES)
    def test_faults_can_target_every_operation(self, emu: Emulator, api: httpx.Client, route: str) -> None:
        emu.set_faults(Faults(server_error=1.0, max_faults=1, routes=[route]))
        response = api.request(route.split(" ", 1)[0], _url(route))
        assert response.status_code == 500
        assert emu.stats.faults["server_error"] == 1


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
