"""Every error the emulator can answer, route by route, against the notes' table of documented errors.

The table below is /work/shared/api-notes.md's "Errors" table written as data: for each status,
the (type, code) pairs LemonData documents (None where the documented body has no such key).
Each case is one way a route can fail; the test sends it and compares (status, type, code).
Injected faults are enumerated from `Faults` itself, routes from the emulator's route list, so a
new fault kind or route without a case here fails the coverage test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Any

import httpx
import pytest
from lemondata_video.emulator import Emulator, Faults, ManualClock
from lemondata_video.emulator._faults import API_ROUTES, ERROR_KINDS, RATE_LIMIT_STORM

from .conftest import assert_documented, triple

NOTES_TABLE: dict[int, set[tuple[str | None, str | None]]] = {
    400: {
        ("invalid_request_error", "model_not_found"),
        ("invalid_request_error", "unsupported_task_cancel"),  # the cancel section
        ("invalid_request_error", None),  # field errors: param + validation_errors, no code
    },
    401: {
        ("invalid_api_key", "invalid_api_key"),
        ("invalid_api_key", "expired_api_key"),
        ("invalid_request_error", "invalid_api_key"),
        (None, "unauthorized"),
    },
    402: {
        ("insufficient_balance", "insufficient_balance"),
        ("insufficient_quota", "insufficient_quota"),
        ("quota_exceeded", "quota_exceeded"),
    },
    403: {("access_denied", "access_denied"), ("access_denied", "model_not_allowed")},
    404: {("invalid_request_error", "async_task_not_found"), ("invalid_request_error", "model_not_found")},
    409: {(None, "task_not_cancellable")},
    413: {("invalid_request_error", "payload_too_large")},
    429: {("rate_limit_exceeded", "rate_limit_exceeded"), ("rate_limit_error", "rate_limit_exceeded")},
    500: {("server_error", None)},
    502: {("upstream_error", None)},
    503: {("server_error", "all_channels_failed")},
    504: {("timeout_error", None)},
}

KEY, OTHER_KEY = "sk-table-a", "sk-table-b"
SAMPLE_PATHS = {
    "POST /v1/videos/generations": "/v1/videos/generations",
    "GET /v1/tasks/{task_id}": "/v1/tasks/video_none",
    "DELETE /v1/tasks/{task_id}": "/v1/tasks/video_none",
    "GET /v1/videos/generations/{task_id}": "/v1/videos/generations/video_none",
    "GET /v1/models": "/v1/models",
    "GET /v1/models/{model}": "/v1/models/sora-2",
    "GET /v1/models/{model}/pricing": "/v1/models/sora-2/pricing",
    "GET /v1/pricing": "/v1/pricing",
}
Send = Callable[[Emulator, httpx.Client], httpx.Response]


@dataclass(frozen=True)
class Case:
    """One error a route can answer: how to provoke it and the (status, type, code) it must be."""

    route: str
    name: str
    send: Send
    expected: tuple[int, str | None, str | None]
    faults: Faults | None = None

    @property
    def id(self) -> str:
        return f"{self.route} {self.name}"


def _request(route: str, **kwargs: Any) -> Send:
    method, _ = route.split(" ", 1)
    body = {"json": {"prompt": "x"}} if method == "POST" else {}
    return lambda emu, api: api.request(method, SAMPLE_PATHS[route], **{**body, **kwargs})


def _post(body: object) -> Send:
    return lambda emu, api: api.post("/v1/videos/generations", json=body)


def _cancel(model: str, *, advance: float = 0.0, key: str = KEY) -> Send:
    def send(emu: Emulator, api: httpx.Client) -> httpx.Response:
        task_id = api.post("/v1/videos/generations", json={"prompt": "x", "model": model}).json()["id"]
        assert isinstance(emu.clock, ManualClock)
        emu.clock.advance(advance)
        return api.delete(f"/v1/tasks/{task_id}", headers={"Authorization": f"Bearer {key}"})

    return send


def _fault_cases() -> Iterator[Case]:
    expected = {
        "server_error": (500, "server_error", None),
        "upstream_error": (502, "upstream_error", None),
        "unavailable": (503, "server_error", "all_channels_failed"),
        "no_channel": (503, "server_error", "all_channels_failed"),
        "timeout": (504, "timeout_error", None),
        RATE_LIMIT_STORM: (429, "rate_limit_exceeded", "rate_limit_exceeded"),
    }
    for route in API_ROUTES:
        yield Case(route, "missing key", _request(route, headers={"Authorization": ""}),
                   (401, "invalid_api_key", "invalid_api_key"))  # fmt: skip
        yield Case(route, "unknown key", _request(route, headers={"Authorization": "Bearer sk-nobody"}),
                   (401, "invalid_api_key", "invalid_api_key"))  # fmt: skip
        for kind, triple_ in expected.items():
            faults = Faults(**{kind: 1.0}, routes=[route], max_faults=1)  # type: ignore[arg-type]
            yield Case(route, f"fault {kind}", _request(route), triple_, faults)


ROUTE_CASES = [
    Case("POST /v1/videos/generations", "field error", _post({"prompt": "x", "fps": 0}),
         (400, "invalid_request_error", None)),
    Case("POST /v1/videos/generations", "missing input", _post({"model": "viduq2-pro", "start_image": "https://e/a",
         "operation": "start-end-to-video"}), (400, "invalid_request_error", None)),
    Case("POST /v1/videos/generations", "operation the model cannot do",
         _post({"model": "hailuo-2.3-fast", "prompt": "x"}), (400, "invalid_request_error", None)),
    Case("POST /v1/videos/generations", "fixed duration", _post({"model": "runwayml-gen4-turbo-5",
         "image_url": "https://e/a", "duration": 10}), (400, "invalid_request_error", None)),
    Case("POST /v1/videos/generations", "alias twice", _post({"model": "viduq2", "reference_images": ["https://e/a"],
         "referenceImages": ["https://e/a"]}), (400, "invalid_request_error", None)),
    Case("POST /v1/videos/generations", "not an object", _post([1]), (400, "invalid_request_error", None)),
    Case("POST /v1/videos/generations", "not JSON", lambda emu, api: api.post("/v1/videos/generations",
         content=b"{"), (400, "invalid_request_error", None)),
    Case("POST /v1/videos/generations", "unknown model", _post({"model": "sora2", "prompt": "x"}),
         (400, "invalid_request_error", "model_not_found")),
    Case("POST /v1/videos/generations", "too large", _post({"prompt": "x" * 5000}),
         (413, "invalid_request_error", "payload_too_large")),
    Case("GET /v1/tasks/{task_id}", "unknown task", _request("GET /v1/tasks/{task_id}"),
         (404, "invalid_request_error", "async_task_not_found")),
    Case("GET /v1/videos/generations/{task_id}", "unknown task",
         _request("GET /v1/videos/generations/{task_id}"),
         (404, "invalid_request_error", "async_task_not_found")),
    Case("DELETE /v1/tasks/{task_id}", "unknown task", _request("DELETE /v1/tasks/{task_id}"),
         (404, "invalid_request_error", "async_task_not_found")),
    Case("DELETE /v1/tasks/{task_id}", "model cannot cancel", _cancel("sora-2"),
         (400, "invalid_request_error", "unsupported_task_cancel")),
    Case("DELETE /v1/tasks/{task_id}", "running", _cancel("seedance-2.0", advance=11),
         (409, None, "task_not_cancellable")),
    Case("DELETE /v1/tasks/{task_id}", "another key's task", _cancel("seedance-2.0", key=OTHER_KEY),
         (403, "access_denied", "access_denied")),
    Case("GET /v1/models/{model}", "unknown model", lambda emu, api: api.get("/v1/models/nope"),
         (404, "invalid_request_error", "model_not_found")),
    Case("GET /v1/models/{model}/pricing", "unknown model",
         lambda emu, api: api.get("/v1/models/nope/pricing"),
         (404, "invalid_request_error", "model_not_found")),
]  # fmt: skip
CASES = [*_fault_cases(), *ROUTE_CASES]
LIMITER_CASES = [Case(route, "over the rate limit", _request(route), (429, "rate_limit_exceeded",
                 "rate_limit_exceeded")) for route in API_ROUTES]  # fmt: skip


@pytest.fixture(scope="module")
def table_emulator() -> Iterator[Emulator]:
    """One emulator for every case: two keys, a small body limit, tasks queued 10 s."""
    with Emulator(
        clock=ManualClock(), api_keys=[KEY, OTHER_KEY], queue_seconds=10, max_body_bytes=4096
    ) as emu:
        yield emu


def _check(case: Case, emu: Emulator, api: httpx.Client) -> None:
    emu.set_faults(*([case.faults] if case.faults else []))
    try:
        response = case.send(emu, api)
    finally:
        emu.set_faults()
    got = triple(response)
    assert got == case.expected, response.text
    assert got[1:] in NOTES_TABLE[got[0]], f"{got} is not in the notes' table"
    assert_documented(response, case.route)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_every_error_is_in_the_notes_table(table_emulator: Emulator, case: Case) -> None:
    """Status, type and code as the case expects and as the notes document; the body fits the spec."""
    with httpx.Client(base_url=table_emulator.base_url, headers={"Authorization": f"Bearer {KEY}"}) as api:
        _check(case, table_emulator, api)


@pytest.mark.parametrize("case", LIMITER_CASES, ids=lambda case: case.id)
def test_the_rate_limiter_answers_the_documented_429(case: Case) -> None:
    """With a budget of 0 requests per minute every authenticated request is refused."""
    with (
        Emulator(clock=ManualClock(), api_keys=[KEY], rate_limit=0) as emu,
        httpx.Client(base_url=emu.base_url, headers={"Authorization": f"Bearer {KEY}"}) as api,
    ):
        _check(case, emu, api)
        assert case.send(emu, api).headers["retry-after"].isdigit()


def test_the_cases_cover_every_route_and_every_injected_error() -> None:
    """Each API route has its auth, limiter and fault cases; each error fault kind of Faults is used."""
    assert {case.route for case in CASES} == set(API_ROUTES) == set(SAMPLE_PATHS)
    assert {case.route for case in LIMITER_CASES} == set(API_ROUTES)
    error_fields = {item.name for item in fields(Faults)} & {*ERROR_KINDS, RATE_LIMIT_STORM}
    used = {case.name.removeprefix("fault ") for case in CASES if case.faults}
    assert used == error_fields - {"bad_gateway"} == {*ERROR_KINDS, RATE_LIMIT_STORM} - {"bad_gateway"}


class TestOutsideTheTable:
    """The answers that are not the API's documented envelope, each for a stated reason."""

    def test_bad_gateway_fault_is_a_proxys_html_page(self, table_emulator: Emulator) -> None:
        """Not the service's envelope but what a proxy in front of it sends; the spec does not describe it."""
        table_emulator.set_faults(Faults(bad_gateway=1.0, max_faults=1))
        try:
            response = httpx.get(
                f"{table_emulator.base_url}/v1/models", headers={"Authorization": f"Bearer {KEY}"}
            )
        finally:
            table_emulator.set_faults()
        assert (response.status_code, response.headers["content-type"]) == (502, "text/html; charset=utf-8")

    def test_an_unknown_route_is_404_without_a_code(self, table_emulator: Emulator) -> None:
        """No operation of the spec: the envelope with the request family only (the docs name no code)."""
        response = httpx.delete(f"{table_emulator.base_url}/v1/models")
        assert response.json() == {
            "error": {"message": "No route for DELETE /v1/models.", "type": "invalid_request_error"}
        }
        assert triple(httpx.get(f"{table_emulator.base_url}/v2/x")) == (404, "invalid_request_error", None)

    def test_the_file_hosts_own_errors_are_plain_text(self, table_emulator: Emulator) -> None:
        """A CDN's 404 and 416, not the API's envelope."""
        host = table_emulator.file_host_url
        missing = httpx.get(f"{host}/files/video_none.mp4")
        assert (missing.status_code, missing.text) == (404, "File 'video_none.mp4' not found.")
        assert missing.headers["content-type"].startswith("text/plain")
        unsatisfiable = httpx.get(f"{host}/files/sample.mp4", headers={"Range": "bytes=999999999-"})
        assert unsatisfiable.status_code == 416 and unsatisfiable.headers["content-range"].startswith(
            "bytes */"
        )
        assert unsatisfiable.text.startswith("Range 'bytes=999999999-' cannot be satisfied for ")
