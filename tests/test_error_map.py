"""_error_map, the one mapping from HTTP outcomes to errors: statuses, envelopes, bodies that do not parse."""

from __future__ import annotations

import email.utils

import httpx
import pytest
from conftest import BASE, KEY, Driver, task_json, task_url
from lemondata_video import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InsufficientBalanceError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    UnexpectedResponseError,
)
from lemondata_video._error_map import api_error
from pytest_httpx import HTTPXMock

ENVELOPE = {
    "error": {
        "message": "model 'sora-3' does not exist",
        "type": "invalid_request_error",
        "code": "model_not_found",
        "param": "model",
        "did_you_mean": "sora-2",
        "suggestions": [{"id": "sora-2"}, {"id": "sora-2-pro"}],
        "hint": "list models with GET /v1/models",
        "retry_after": 7,
    }
}
STATUSES = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (402, InsufficientBalanceError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (413, PayloadTooLargeError),
    (429, RateLimitError),
    (500, ServerError),
    (502, ServerError),
    (503, ServerError),
    (504, ServerError),
    (499, ServerError),
    (520, ServerError),
    (422, BadRequestError),
]


def _response(status: int, **kwargs: object) -> httpx.Response:
    return httpx.Response(status, request=httpx.Request("GET", task_url("video_abc")), **kwargs)  # type: ignore[arg-type]


class TestApiError:
    """`api_error` on raw responses."""

    @pytest.mark.parametrize(("status", "cls"), STATUSES)
    def test_status_maps_to_its_class(self, status: int, cls: type[APIError]) -> None:
        """Each status gets its subclass, filled from the envelope."""
        error = api_error(_response(status, json=ENVELOPE, headers={"x-request-id": "req_1"}), secret=KEY)
        assert type(error) is cls
        assert (error.status_code, error.code, error.type, error.param) == (
            status, "model_not_found", "invalid_request_error", "model",
        )  # fmt: skip
        assert error.message == "model 'sora-3' does not exist"
        assert error.did_you_mean == "sora-2"
        assert error.suggestions == ("sora-2", "sora-2-pro")
        assert error.hint == "list models with GET /v1/models"
        assert error.retry_after == 7
        assert error.request_id == "req_1"

    def test_html_body_gives_status_and_excerpt(self) -> None:
        """A proxy's HTML page: the status phrase and a short, single-line excerpt."""
        html = "<html>\n<body><h1>502 Bad Gateway</h1>" + "x" * 500 + "</body></html>"
        error = api_error(_response(502, text=html), secret=KEY)
        assert type(error) is ServerError
        assert error.message.startswith(
            "HTTP 502 Bad Gateway; body: '<html> <body><h1>502 Bad Gateway</h1>xxx"
        )
        assert error.message.endswith("...'")
        assert len(error.message) < 260

    def test_empty_body(self) -> None:
        error = api_error(_response(502, content=b""), secret=KEY)
        assert error.message == "HTTP 502 Bad Gateway; body: (empty)"

    def test_non_standard_status(self) -> None:
        error = api_error(_response(520, text="oops"), secret=KEY)
        assert type(error) is ServerError
        assert error.message == "HTTP 520 (a non-standard status); body: 'oops'"

    def test_retry_after_header_seconds_wins_over_body(self) -> None:
        error = api_error(_response(429, json=ENVELOPE, headers={"Retry-After": "3"}), secret=KEY)
        assert error.retry_after == 3.0

    def test_retry_after_http_date(self) -> None:
        date = email.utils.formatdate(1_000_030, usegmt=True)
        error = api_error(_response(429, headers={"Retry-After": date}), secret=KEY, now=1_000_000)
        assert error.retry_after == 30.0

    @pytest.mark.parametrize("value", [[1], {"seconds": 1}, "soon", True])
    def test_odd_retry_after_in_the_body_is_ignored(self, value: object) -> None:
        body = {"error": {"message": "slow down", "retry_after": value}}
        assert api_error(_response(429, json=body), secret=KEY).retry_after is None

    def test_key_echoed_by_the_service_is_redacted(self) -> None:
        """Neither the key nor any bearer token reaches a message."""
        body = {"error": {"message": f"bad key {KEY}", "type": "x", "code": "invalid_api_key", "param": None}}
        error = api_error(_response(401, json=body), secret=KEY)
        assert KEY not in str(error)
        assert error.message == "bad key ***"
        echoed = api_error(_response(500, text="Authorization: Bearer abc.def"), secret=KEY)
        assert "abc.def" not in str(echoed)

    def test_key_echoed_in_the_body_is_redacted_from_body_str_and_repr(self) -> None:
        """A body echoing the key and Authorization header: `.body`, every field, str and repr are clean."""
        body = {
            "error": {
                "message": f"invalid api key {KEY}",
                "type": "invalid_request_error",
                "code": f"bad_key_{KEY}",
                "param": None,
                "hint": "check the header Authorization: Bearer sk-other.token",
                "did_you_mean": KEY,
                "suggestions": [{"id": KEY}, "sora-2"],
                "request": {
                    "headers": {"Authorization": f"Bearer {KEY}"},
                    "keys": [KEY, f"<{KEY}>", 7, None],
                },
                KEY: True,
            }
        }
        error = api_error(_response(400, json=body), secret=KEY)
        assert type(error) is BadRequestError
        assert error.body == {
            "message": "invalid api key ***",
            "type": "invalid_request_error",
            "code": "bad_key_***",
            "param": None,
            "hint": "check the header Authorization: Bearer ***",
            "did_you_mean": "***",
            "suggestions": [{"id": "***"}, "sora-2"],
            "request": {"headers": {"Authorization": "Bearer ***"}, "keys": ["***", "<***>", 7, None]},
            "***": True,
        }
        assert (error.message, error.code, error.hint) == (
            "invalid api key ***", "bad_key_***", "check the header Authorization: Bearer ***",
        )  # fmt: skip
        assert (error.did_you_mean, error.suggestions) == ("***", ("***", "sora-2"))
        assert str(error) == (
            "400 bad_key_***: invalid api key *** (did you mean '***'?) "
            "Hint: check the header Authorization: Bearer ***"
        )
        assert repr(error) == "BadRequestError('invalid api key ***')"
        for text in (str(error), repr(error), repr(error.body), repr(vars(error))):
            assert KEY not in text and "sk-other" not in text and "token" not in text

    def test_redacting_a_deeply_nested_body(self) -> None:
        """However deep the key hides in the body, it is redacted (and no RecursionError escapes)."""
        nested: object = f"Bearer {KEY}"
        for _ in range(400):
            nested = [nested]
        error = api_error(_response(400, json={"error": {"message": "no", "deep": nested}}), secret=KEY)
        assert KEY not in repr(error.body)
        inner = error.body["deep"]
        while isinstance(inner, list):
            (inner,) = inner
        assert inner == "Bearer ***"

    def test_key_at_the_end_of_an_excerpt_leaves_no_piece(self) -> None:
        """The body is redacted before it is cut to EXCERPT_CHARS: no prefix of the key survives the cut."""
        text = "x" * 190 + f" {KEY} " + "y" * 300
        error = api_error(_response(502, text=text), secret=KEY)
        assert error.message == "HTTP 502 Bad Gateway; body: '" + "x" * 190 + " *** " + "y" * 5 + "...'"
        assert error.body is None
        assert KEY[:6] not in str(error)


class TestThroughTheClient:
    """Every outcome of a GET becomes one of our errors, with the cause chained."""

    @pytest.mark.parametrize(("status", "cls"), STATUSES)
    def test_error_status_with_envelope(
        self, driver: Driver, httpx_mock: HTTPXMock, status: int, cls: type[APIError]
    ) -> None:
        driver.client.max_retries = 0
        httpx_mock.add_response(url=task_url("video_abc"), status_code=status, json=ENVELOPE)
        with pytest.raises(cls) as info:
            driver("get", "video_abc")
        assert info.value.status_code == status
        assert info.value.code == "model_not_found"

    @pytest.mark.parametrize("status", [499, 520, 502, 500, 404])
    @pytest.mark.parametrize("body", [b"<html><body>Bad gateway</body></html>", b""])
    def test_non_json_error_bodies(
        self, driver: Driver, httpx_mock: HTTPXMock, status: int, body: bytes
    ) -> None:
        """HTML or empty bodies and undocumented statuses never leak ValueError or JSONDecodeError."""
        driver.client.max_retries = 0
        httpx_mock.add_response(url=task_url("video_abc"), status_code=status, content=body)
        with pytest.raises(APIError) as info:
            driver("get", "video_abc")
        assert info.value.status_code == status
        assert type(info.value) is (NotFoundError if status == 404 else ServerError)
        assert "body: " in info.value.message

    @pytest.mark.parametrize(
        "content", [b"<html>ok</html>", b"", b"[1, 2]", b'"text"', b'{"status": "done"}', b'{"id": 3}']
    )
    def test_garbled_success_is_unexpected_response(
        self, driver: Driver, httpx_mock: HTTPXMock, content: bytes
    ) -> None:
        """A 200 that is not a task: UnexpectedResponseError, the parse error as its cause."""
        driver.client.max_retries = 0
        httpx_mock.add_response(url=task_url("video_abc"), content=content)
        with pytest.raises(UnexpectedResponseError) as info:
            driver("get", "video_abc")
        assert info.value.status_code == 200
        assert str(info.value).startswith("200: unexpected response to GET /v1/tasks/video_abc")

    def test_undocumented_success_status_is_parsed(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        """A 202 the generated code does not know still yields the task."""
        httpx_mock.add_response(url=task_url("video_abc"), status_code=202, json=task_json())
        assert driver("get", "video_abc").id == "video_abc"

    def test_deeply_nested_json_is_unexpected(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        """RecursionError from the JSON parser is absorbed like any other parse failure."""
        driver.client.max_retries = 0
        httpx_mock.add_response(url=task_url("video_abc"), content=b"[" * 100_000 + b"]" * 100_000)
        with pytest.raises(UnexpectedResponseError):
            driver("get", "video_abc")

    def test_redirect_status_is_unexpected(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        httpx_mock.add_response(url=task_url("video_abc"), status_code=302, headers={"Location": "/x"})
        with pytest.raises(UnexpectedResponseError, match="a success status was expected"):
            driver("get", "video_abc")

    def test_key_echoed_in_an_error_body_does_not_reach_the_caller(
        self, driver: Driver, httpx_mock: HTTPXMock
    ) -> None:
        """A 400 echoing the key in `error.message` and in an extra field: no trace in body, str or repr."""
        echo = {"message": f"key {KEY} is not valid here", "type": "t", "code": "c", "param": None}
        echo["debug"] = {"authorization": f"Bearer {KEY}", "api_key": KEY}
        httpx_mock.add_response(url=task_url("video_abc"), status_code=400, json={"error": echo})
        with pytest.raises(BadRequestError) as info:
            driver("get", "video_abc")
        error = info.value
        assert error.body == {
            "message": "key *** is not valid here",
            "type": "t",
            "code": "c",
            "param": None,
            "debug": {"authorization": "Bearer ***", "api_key": "***"},
        }
        assert str(error) == "400 c: key *** is not valid here"
        for text in (str(error), repr(error), repr(error.body), repr(error.args)):
            assert KEY not in text

    def test_key_in_a_connection_error_text_is_redacted(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        """A proxy or transport that puts the key in its error text: the message keeps no trace of it."""
        driver.client.max_retries = 0
        httpx_mock.add_exception(httpx.ConnectError(f"proxy refused token {KEY}"), url=task_url("video_abc"))
        with pytest.raises(APIConnectionError) as info:
            driver("get", "video_abc")
        assert (
            str(info.value) == f"GET {BASE}/v1/tasks/video_abc failed: ConnectError: proxy refused token ***"
        )

    def test_timeout_maps_to_api_timeout_error(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        driver.client.max_retries = 0
        httpx_mock.add_exception(httpx.ReadTimeout("slow"), url=task_url("video_abc"))
        with pytest.raises(APITimeoutError) as info:
            driver("get", "video_abc")
        assert isinstance(info.value.__cause__, httpx.ReadTimeout)
        assert str(info.value) == f"GET {BASE}/v1/tasks/video_abc timed out (ReadTimeout)"

    def test_transport_error_maps_to_connection_error(self, driver: Driver, httpx_mock: HTTPXMock) -> None:
        driver.client.max_retries = 0
        httpx_mock.add_exception(httpx.RemoteProtocolError("peer closed"), url=task_url("video_abc"))
        with pytest.raises(APIConnectionError) as info:
            driver("get", "video_abc")
        assert not isinstance(info.value, APITimeoutError)
        assert isinstance(info.value.__cause__, httpx.RemoteProtocolError)
        assert str(info.value).endswith("failed: RemoteProtocolError: peer closed")
