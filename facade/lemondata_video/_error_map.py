"""The one place that turns HTTP outcomes into this SDK's errors, and answers into their JSON.

The clients send every request themselves (the generated operations only build it and parse
its answer), so every outcome reaches this module as an httpx response or exception: an
undocumented status, an HTML or empty body, a JSON shape the generated models reject. Nothing
but LemonDataError subclasses leaves it. It knows nothing of tasks: what a task answer must
hold is checked in `_task_routes`.

`checked` builds the generated model of every answer except those of LENIENT_MODELS: their
generated `from_dict` accepts every JSON object that holds the properties their schema
requires (no property of theirs is an enum, a date or a required nested object), so a dict
holding those is taken as it is, without building a model nobody reads (the task answers,
a poll every few seconds per waiting task). tests/contract/test_fast_paths.py proves the two
paths agree on every example of the spec and on every property given every kind of JSON value.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from http import HTTPStatus
from types import ModuleType, SimpleNamespace
from typing import Any, Final, Protocol

import httpx

from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InsufficientBalanceError,
    LemonDataError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TaskMayExistError,
    UnexpectedResponseError,
)
from ._redact import excerpt, redact, redact_json
from ._retry import parse_retry_after, was_not_sent

ERRORS_BY_STATUS: Final[Mapping[int, type[APIError]]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: InsufficientBalanceError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    413: PayloadTooLargeError,
    429: RateLimitError,
}
# What the generated parsing raises on bodies it does not expect.
PARSE_ERRORS: Final = (ValueError, KeyError, TypeError, AttributeError, RecursionError)
# What a generated `_parse_response` reads of its client: undocumented statuses give None, not an error.
_PARSING: Final = SimpleNamespace(raise_on_unexpected_status=False)
# Generated models whose `from_dict` accepts any JSON object holding their schema's required properties.
LENIENT_MODELS: Final = frozenset({"VideoTask", "VideoGenerationCreated"})
# The required properties of each lenient model, read from the spec on first use; None for the others.
_REQUIRED: dict[type, frozenset[str] | None] = {}


class Model(Protocol):
    """A generated model class: `from_dict` checks a body's shape."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any], /) -> Any: ...


def failure(outcome: httpx.Response | httpx.HTTPError, *, secret: str) -> LemonDataError:
    """The error for a request that did not succeed: its transport failure or its non-2xx answer."""
    if isinstance(outcome, httpx.HTTPError):
        error: LemonDataError = transport_error(outcome, secret=secret)
        error.__cause__ = outcome
        return error
    if outcome.status_code >= 400:
        return api_error(outcome, secret=secret)
    return unexpected(outcome, "a success status was expected", secret)


def json_of(response: httpx.Response, *, secret: str) -> Any:
    """The decoded JSON of a successful answer (None for an empty body); else UnexpectedResponseError."""
    if not response.content:
        return None
    try:
        return response.json()
    except (ValueError, RecursionError) as exc:
        raise unexpected(response, "its body is not JSON", secret) from exc


def checked(response: httpx.Response, *, expect: type[Model], secret: str) -> dict[str, Any]:
    """The JSON object of a successful answer, checked against the generated model `expect`."""
    try:
        body = response.json()
        required = _REQUIRED[expect] if expect in _REQUIRED else required_properties(expect)
        if required is None or not isinstance(body, dict) or not required <= body.keys():
            expect.from_dict(body)
    except PARSE_ERRORS as exc:
        raise unexpected(response, "its body is not the JSON the API describes", secret) from exc
    if not isinstance(body, dict):
        raise unexpected(response, "its body is not a JSON object", secret)
    return body


def required_properties(model: type[Model]) -> frozenset[str] | None:
    """The properties the spec requires of a LENIENT_MODELS model (cached); None for any other model."""
    import lemondata_api.models  # noqa: PLC0415  (loaded already: `model` is one of them)

    required = None
    if model.__name__ in LENIENT_MODELS and getattr(lemondata_api.models, model.__name__, None) is model:
        from lemondata_api.openapi_spec import SPEC  # noqa: PLC0415  (1 ms; only once answers come)

        required = frozenset(SPEC["components"]["schemas"][model.__name__].get("required", ()))
    _REQUIRED[model] = required
    return required


def parsed(operation: ModuleType, response: httpx.Response, *, secret: str) -> Any:
    """A generated operation's model of a successful answer (its decoded JSON when none is documented)."""
    try:
        model = operation._parse_response(client=_PARSING, response=response)
    except PARSE_ERRORS as exc:
        raise unexpected(response, "its body is not the JSON the API describes", secret) from exc
    return json_of(response, secret=secret) if model is None else model


def create_failure(error: LemonDataError, *, fingerprint: str) -> LemonDataError:
    """The error to raise for a failed create: TaskMayExistError unless it provably created nothing."""
    sent = isinstance(error, APIConnectionError) and not was_not_sent(error)
    if not (sent or isinstance(error, ServerError | UnexpectedResponseError)):
        return error
    msg = (
        f"the create request was sent but its outcome is unknown ({error}); a task may exist and be "
        f"billed. It was not resent. Request fingerprint: {fingerprint}"
    )
    return TaskMayExistError(msg, fingerprint=fingerprint)


def transport_error(exc: httpx.HTTPError, *, secret: str = "") -> APIConnectionError:
    """Map an httpx failure: timeouts to APITimeoutError, the rest to APIConnectionError."""
    where = _where(exc)
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{where} timed out ({type(exc).__name__})")
    detail = str(exc) or type(exc).__name__
    return APIConnectionError(f"{where} failed: {type(exc).__name__}: {redact(detail, secret)}")


def _where(exc: httpx.HTTPError) -> str:
    try:
        request = exc.request
    except RuntimeError:
        return "the request"
    return f"{request.method} {request.url.copy_with(query=None)}"


def unexpected(response: httpx.Response, why: str, secret: str) -> UnexpectedResponseError:
    msg = f"unexpected response to {response.request.method} {response.request.url.path}: {why}"
    msg += f"; body: {excerpt(response, secret)}"
    return UnexpectedResponseError(
        msg, status_code=response.status_code, request_id=response.headers.get("x-request-id")
    )


def api_error(response: httpx.Response, *, secret: str, now: float | None = None) -> APIError:
    """The APIError subclass for an error status, filled from the error envelope when it parses."""
    status = response.status_code
    cls = _error_class(status)
    envelope, validation_errors = _envelope(response, secret)
    retry_after = parse_retry_after(
        response.headers.get("retry-after"), now=time.time() if now is None else now
    )
    if retry_after is None:
        retry_after = parse_retry_after(envelope.get("retry_after"), now=0.0)
    message = _text(envelope.get("message"))
    if message is None:
        message = f"{_reason(status)}; body: {excerpt(response, secret)}"
    return cls(
        message,
        status_code=status,
        type=_text(envelope.get("type")),
        code=_text(envelope.get("code")),
        param=_text(envelope.get("param")),
        hint=_text(envelope.get("hint")),
        did_you_mean=_text(envelope.get("did_you_mean")),
        suggestions=_suggestions(envelope.get("suggestions")),
        retry_after=retry_after,
        retryable=envelope.get("retryable") if isinstance(envelope.get("retryable"), bool) else None,
        alternatives=_objects(envelope.get("alternatives")),
        upstream=envelope.get("upstream"),
        validation_errors=validation_errors,
        request_id=response.headers.get("x-request-id"),
        body=envelope or None,
    )


def _error_class(status: int) -> type[APIError]:
    if status in ERRORS_BY_STATUS:
        return ERRORS_BY_STATUS[status]
    if 400 <= status < 500 and status in HTTPStatus._value2member_map_:
        return BadRequestError
    return ServerError


def _reason(status: int) -> str:
    try:
        return f"HTTP {status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status} (a non-standard status)"


def _envelope(response: httpx.Response, secret: str) -> tuple[dict[str, Any], tuple[dict[str, Any], ...]]:
    """The body's `error` object (empty when there is none) and top-level `validation_errors`, redacted."""
    try:
        body = response.json()
    except (ValueError, RecursionError):
        return {}, ()
    if not isinstance(body, dict):
        return {}, ()
    error, issues = body.get("error"), body.get("validation_errors")
    redacted = redact_json({"error": error, "issues": issues}, secret)
    return (redacted["error"] if isinstance(error, dict) else {}), _objects(redacted["issues"])


def _objects(value: object) -> tuple[dict[str, Any], ...]:
    """The JSON objects of a list (anything else in it is dropped); () for a non-list."""
    return tuple(item for item in value if isinstance(item, dict)) if isinstance(value, list) else ()


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _suggestions(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    ids = (item.get("id") if isinstance(item, dict) else item for item in value)
    return tuple(i for i in ids if isinstance(i, str) and i)
