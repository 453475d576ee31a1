"""`client.request` and `client.call`: any operation, with the client's key, budget, retries and errors.

Every test runs on VideoClient and AsyncVideoClient (conftest.Driver).
"""

from __future__ import annotations

import httpx
import pytest
from conftest import BASE, KEY, Driver, task_json, task_url
from lemondata_api.api.models import get_model
from lemondata_api.api.pricing import list_pricing
from lemondata_api.api.tasks import cancel_task
from lemondata_api.models import PricingList
from lemondata_video import (
    APIConnectionError,
    InvalidFieldError,
    NotFoundError,
    RateLimitError,
    RequestBudget,
    ServerError,
    UnexpectedResponseError,
)
from pytest_httpx import HTTPXMock

PRICING = {"object": "pricing", "currency": "USD", "data": [{"model": "sora-2", "provider": "openai"}]}
PRICING_URL = f"{BASE}/v1/pricing"


class TestRequest:
    """`request(method, path, params=, json=)` returns the decoded JSON of any answer."""

    def test_get_with_params_returns_the_json(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=f"{PRICING_URL}?provider=openai", json=PRICING)
        assert driver("request", "GET", "/v1/pricing", params={"provider": "openai"}) == PRICING
        sent = httpx_mock.get_request()
        assert sent is not None
        assert sent.headers["Authorization"] == f"Bearer {KEY}"
        assert sent.headers["User-Agent"].startswith("lemondata-video/")

    def test_the_answer_need_not_be_a_task(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=PRICING_URL, json=[1, "two", None])
        assert driver("request", "get", "/v1/pricing") == [1, "two", None]

    def test_an_empty_answer_is_none(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(method="DELETE", url=task_url("video_1"), status_code=204)
        assert driver("request", "DELETE", "/v1/tasks/video_1") is None

    def test_post_sends_the_json_body(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(method="POST", url=f"{BASE}/v1/quotes", json={"id": "q_1"})
        assert driver("request", "POST", "/v1/quotes", json={"model": "sora-2", "seconds": 4}) == {
            "id": "q_1"
        }
        sent = httpx_mock.get_request()
        assert sent is not None
        assert sent.read() == b'{"model":"sora-2","seconds":4}'

    def test_a_body_json_cannot_carry_is_refused_unsent(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        with pytest.raises(InvalidFieldError) as info:
            driver("request", "POST", "/v1/quotes", json={"seconds": float("nan")})
        assert str(info.value) == (
            "seconds must be a JSON value (text, number, true/false, list or object), not nan"
        )
        assert httpx_mock.get_requests() == []

    def test_a_success_that_is_not_json_is_unexpected(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=PRICING_URL, content=b"<html>ok</html>")
        with pytest.raises(UnexpectedResponseError) as info:
            driver("request", "GET", "/v1/pricing")
        assert str(info.value) == (
            "200: unexpected response to GET /v1/pricing: its body is not JSON; body: '<html>ok</html>'"
        )

    def test_an_error_status_is_its_typed_error(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        envelope = {"error": {"message": "no such price", "type": "invalid_request_error", "code": "nope"}}
        httpx_mock.add_response(url=PRICING_URL, status_code=404, json=envelope)
        with pytest.raises(NotFoundError) as info:
            driver("request", "GET", "/v1/pricing")
        assert str(info.value) == "404 nope: no such price"


class TestRetries:
    """The retry rules of every other method: GET and DELETE on transient failures, POST only unsent."""

    def test_a_get_is_retried_after_429_and_5xx(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=PRICING_URL, status_code=429, headers={"Retry-After": "2"})
        httpx_mock.add_response(url=PRICING_URL, status_code=503)
        httpx_mock.add_response(url=PRICING_URL, json=PRICING)
        assert driver("request", "GET", "/v1/pricing") == PRICING
        assert len(httpx_mock.get_requests()) == 3
        assert driver.sleeps[0] == 2.0

    def test_a_delete_is_retried_after_a_dropped_connection(
        self, driver: Driver, httpx_mock: HTTPXMock
    ) -> None:
        httpx_mock.add_exception(
            httpx.RemoteProtocolError("peer closed"), method="DELETE", url=task_url("v_1")
        )
        httpx_mock.add_response(method="DELETE", url=task_url("v_1"), json={"ok": True})
        assert driver("request", "DELETE", "/v1/tasks/v_1") == {"ok": True}
        assert len(httpx_mock.get_requests()) == 2

    def test_a_post_that_reached_the_service_is_not_resent(
        self, driver: Driver, httpx_mock: HTTPXMock
    ) -> None:
        httpx_mock.add_response(method="POST", url=f"{BASE}/v1/quotes", status_code=500)
        with pytest.raises(ServerError):
            driver("request", "POST", "/v1/quotes", json={})
        assert len(httpx_mock.get_requests()) == 1

    def test_a_post_whose_answer_was_lost_is_not_resent(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_exception(httpx.ReadError("reset"), method="POST", url=f"{BASE}/v1/quotes")
        with pytest.raises(APIConnectionError):
            driver("request", "POST", "/v1/quotes", json={})
        assert len(httpx_mock.get_requests()) == 1

    def test_a_post_that_never_left_is_resent(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_exception(httpx.ConnectError("refused"), method="POST", url=f"{BASE}/v1/quotes")
        httpx_mock.add_response(method="POST", url=f"{BASE}/v1/quotes", json={"id": "q_1"})
        assert driver("request", "POST", "/v1/quotes", json={}) == {"id": "q_1"}
        assert len(httpx_mock.get_requests()) == 2

    def test_retries_end_with_the_last_error(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        driver.client.max_retries = 1
        httpx_mock.add_response(url=PRICING_URL, status_code=429, is_reusable=True)
        with pytest.raises(RateLimitError):
            driver("request", "GET", "/v1/pricing")
        assert len(httpx_mock.get_requests()) == 2

    def test_every_attempt_spends_the_budget(self, flavour: str, httpx_mock: HTTPXMock) -> None:
        budget = RequestBudget(6000)
        drv = Driver(flavour, rate_limit=budget)
        httpx_mock.add_response(url=PRICING_URL, status_code=502)
        httpx_mock.add_response(url=PRICING_URL, json=PRICING)
        drv("request", "GET", "/v1/pricing")
        drv.close()
        assert budget.reserved == 2


class TestCall:
    """`call(operation, **kwargs)` sends a generated operation and returns its parsed model."""

    def test_returns_the_operations_model(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=f"{PRICING_URL}?provider=openai", json=PRICING)
        prices = driver("call", list_pricing, provider="openai")
        assert isinstance(prices, PricingList)
        assert prices.data[0].model == "sora-2"

    def test_path_parameters_are_quoted(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=f"{BASE}/v1/models/a%2Fb", json={"id": "a/b", "object": "model"})
        assert driver("call", get_model, "a/b").id == "a/b"

    def test_an_error_status_is_its_typed_error(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        envelope = {"error": {"message": "Task 'v_9' not found.", "code": "async_task_not_found"}}
        httpx_mock.add_response(method="DELETE", url=task_url("v_9"), status_code=404, json=envelope)
        with pytest.raises(NotFoundError) as info:
            driver("call", cancel_task, "v_9")
        assert str(info.value) == "404 async_task_not_found: Task 'v_9' not found."

    def test_a_body_the_model_rejects_is_unexpected(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=PRICING_URL, json={"object": "pricing"})
        with pytest.raises(UnexpectedResponseError) as info:
            driver("call", list_pricing)
        assert str(info.value).startswith(
            "200: unexpected response to GET /v1/pricing: its body is not the JSON the API describes"
        )

    def test_a_get_is_retried(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), status_code=500)
        httpx_mock.add_response(url=task_url("video_abc"), json=task_json())
        from lemondata_api.api.tasks import get_task

        assert driver("call", get_task, "video_abc").id == "video_abc"
        assert len(httpx_mock.get_requests()) == 2
