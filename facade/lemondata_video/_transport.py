"""The one place that turns HTTP outcomes into this SDK's errors.

Calls into the generated client run inside `call`/`acall`. A response event hook
(`capture_response`, installed on the httpx client) records the raw response in
a context variable, so every outcome can be mapped, including those the
generated code cannot parse: an undocumented status (`HTTPStatus(520)` raises),
an HTML or empty body (`response.json()` raises), an odd JSON shape (`from_dict`
raises). Nothing but LemonDataError subclasses leaves this module.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from http import HTTPStatus
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
    UnexpectedResponseError,
)
from ._retry import parse_retry_after

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
EXCERPT_CHARS: Final = 200
# What the generated parsing raises on bodies it does not expect.
PARSE_ERRORS: Final = (ValueError, KeyError, TypeError, AttributeError, RecursionError)
_BEARER: Final = re.compile(r"Bearer\s+\S+", re.IGNORECASE)
_CAPTURED: ContextVar[list[httpx.Response] | None] = ContextVar("lemondata_video_responses", default=None)


class Model(Protocol):
    """A generated model class: `from_dict` checks a body's shape."""

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any], /) -> Any: ...


def capture_response(response: httpx.Response) -> None:
    """Response event hook: remember the response for the call in progress (if any)."""
    box = _CAPTURED.get()
    if box is not None:
        box.append(response)


async def acapture_response(response: httpx.Response) -> None:
    """The async client's response event hook."""
    capture_response(response)


def call(op: Callable[[], Any], *, expect: type[Model], secret: str) -> dict[str, Any]:
    """Run `op` (a generated `sync_detailed` call or a plain GET) and return the JSON body."""
    box: list[httpx.Response] = []
    token = _CAPTURED.set(box)
    try:
        result = op()
    except httpx.HTTPError as exc:
        raise transport_error(exc, secret=secret) from exc
    except PARSE_ERRORS as exc:
        raise unparsable(box, exc, secret=secret) from exc
    finally:
        _CAPTURED.reset(token)
    return payload(_last(box), expect=expect, secret=secret, parsed=getattr(result, "parsed", None))


async def acall(op: Callable[[], Awaitable[Any]], *, expect: type[Model], secret: str) -> dict[str, Any]:
    """The async twin of `call`."""
    box: list[httpx.Response] = []
    token = _CAPTURED.set(box)
    try:
        result = await op()
    except httpx.HTTPError as exc:
        raise transport_error(exc, secret=secret) from exc
    except PARSE_ERRORS as exc:
        raise unparsable(box, exc, secret=secret) from exc
    finally:
        _CAPTURED.reset(token)
    return payload(_last(box), expect=expect, secret=secret, parsed=getattr(result, "parsed", None))


def _last(box: list[httpx.Response]) -> httpx.Response:
    if not box:
        msg = "no response was recorded; is the response hook installed on the httpx client?"
        raise LemonDataError(msg)
    return box[-1]


def transport_error(exc: httpx.HTTPError, *, secret: str = "") -> APIConnectionError:
    """Map an httpx failure: timeouts to APITimeoutError, the rest to APIConnectionError."""
    where = _where(exc)
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{where} timed out ({type(exc).__name__})")
    detail = str(exc) or type(exc).__name__
    return APIConnectionError(f"{where} failed: {type(exc).__name__}: {_redact(detail, secret)}")


def _where(exc: httpx.HTTPError) -> str:
    try:
        request = exc.request
    except RuntimeError:
        return "the request"
    return f"{request.method} {request.url.copy_with(query=None)}"


def unparsable(box: list[httpx.Response], exc: Exception, *, secret: str) -> LemonDataError:
    """The generated code failed on a response: map it by its status."""
    if not box:
        return LemonDataError(
            f"the request could not be made: {type(exc).__name__}: {_redact(str(exc), secret)}"
        )
    response = box[-1]
    if response.status_code >= 400:
        return api_error(response, secret=secret)
    return _unexpected(response, f"its body is not the JSON the API describes ({type(exc).__name__})", secret)


# Answers that describe a task: the only ones that must name its id.
TASK_MODELS = frozenset({"VideoTask", "VideoGenerationCreated"})


def payload(
    response: httpx.Response, *, expect: type[Model], secret: str, parsed: object = None
) -> dict[str, Any]:
    """The JSON object of a successful response, checked against `expect`; else the mapped error."""
    if response.status_code >= 400:
        raise api_error(response, secret=secret)
    if not 200 <= response.status_code < 300:
        raise _unexpected(response, "a success status was expected", secret)
    try:
        body = response.json()
        if not isinstance(parsed, expect):
            expect.from_dict(body)
    except PARSE_ERRORS as exc:
        raise _unexpected(response, "its body is not the JSON the API describes", secret) from exc
    if not isinstance(body, dict):
        raise _unexpected(response, "its body is not a JSON object", secret)
    if expect.__name__ in TASK_MODELS and not _task_id(body):
        raise _unexpected(response, "its body names no task id", secret)
    return body


def _task_id(body: Mapping[str, Any]) -> str | None:
    for name in ("id", "task_id"):
        if isinstance(body.get(name), str) and body[name]:
            return str(body[name])
    return None


def _unexpected(response: httpx.Response, why: str, secret: str) -> UnexpectedResponseError:
    msg = f"unexpected response to {response.request.method} {response.request.url.path}: {why}"
    msg += f"; body: {_excerpt(response, secret)}"
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
        message = f"{_reason(status)}; body: {_excerpt(response, secret)}"
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
    redacted = _redact_json({"error": error, "issues": issues}, secret)
    return (redacted["error"] if isinstance(error, dict) else {}), _objects(redacted["issues"])


def _objects(value: object) -> tuple[dict[str, Any], ...]:
    """The JSON objects of a list (anything else in it is dropped); () for a non-list."""
    return tuple(item for item in value if isinstance(item, dict)) if isinstance(value, list) else ()


def _redact_json(value: dict[str, Any], secret: str) -> dict[str, Any]:
    """A copy of decoded JSON with `_redact` applied to every string in it, keys included.

    Iterative, so a deeply nested body cannot exhaust the stack.
    """
    root: dict[str, Any] = {"": value}
    pending: list[tuple[dict[Any, Any] | list[Any], Any]] = [(root, "")]
    while pending:
        container, key = pending.pop()
        item = container[key]
        if isinstance(item, str):
            container[key] = _redact(item, secret)
        elif isinstance(item, dict):
            copy = {_redact(k, secret) if isinstance(k, str) else k: v for k, v in item.items()}
            container[key] = copy
            pending.extend((copy, k) for k in copy)
        elif isinstance(item, list):
            items = list(item)
            container[key] = items
            pending.extend((items, index) for index in range(len(items)))
    return dict(root[""])


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _suggestions(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    ids = (item.get("id") if isinstance(item, dict) else item for item in value)
    return tuple(i for i in ids if isinstance(i, str) and i)


def _excerpt(response: httpx.Response, secret: str) -> str:
    """A short, single-line, redacted piece of the body, safe to show.

    Redacted before it is cut, so a key or token across the cut leaves no piece of itself.
    """
    text = _redact(" ".join(response.text.split()), secret)
    if not text:
        return "(empty)"
    short = text[:EXCERPT_CHARS] + ("..." if len(text) > EXCERPT_CHARS else "")
    return repr(short)


def _redact(text: str, secret: str) -> str:
    """Remove the API key and any bearer token from text that may be shown."""
    if secret:
        text = text.replace(secret, "***")
    return _BEARER.sub("Bearer ***", text)
