"""The error tree of lemondata_video: every error the SDK raises on purpose.

LemonDataError
├── APIError                    the service answered with an error
│   ├── BadRequestError         400
│   ├── AuthenticationError     401
│   ├── InsufficientBalanceError 402
│   ├── PermissionDeniedError   403
│   ├── NotFoundError           404
│   ├── ConflictError           409
│   ├── PayloadTooLargeError    413
│   ├── RateLimitError          429
│   ├── ServerError             5xx (and non-standard codes such as 520)
│   └── UnexpectedResponseError a 2xx that is not the JSON the spec describes
├── APIConnectionError          no usable answer (refused, reset, dropped)
│   ├── APITimeoutError         the request timed out
│   └── BudgetUnavailableError  the shared request budget's Redis cannot be reached (nothing was sent)
├── TaskMayExistError           a create was sent and failed afterwards: a task may exist
├── RequestValidationError      (also ValueError) bad input, nothing was sent
│   ├── UnknownModelError
│   ├── CapabilityError
│   └── InvalidFieldError
├── TaskError                   the task ended without a video (these four and the next two
│   ├── TaskFailedError         are defined in _task_errors and re-exported here)
│   │   └── TaskExpiredError    the service reports the task as expired
│   └── TaskCancelledError
├── TaskCallbackError           a callback given the new task raised; carries the task
├── WaitTimeoutError            the wait's deadline passed; carries the last task
└── DownloadError               the result could not be saved
    └── DownloadExistsError     the target exists and overwrite was not asked
"""

from __future__ import annotations

from typing import Any


class LemonDataError(Exception):
    """Base class of every error this SDK raises on purpose."""


class APIError(LemonDataError):
    """The service answered with an error status or an unusable body.

    Only `message` is reliable: the service's own examples omit `param`, sometimes `code`
    or `type`, and every field but `message` and `status_code` may be None or empty (a
    body without a message gets one made from the status and an excerpt of the body).
    `retryable` is the envelope's flag (None when absent); False means the SDK never
    resends the request. `alternatives` (`{"id", "status", "tags"}` objects) and
    `upstream` are the envelope's fields as sent; `validation_errors` the answer's top-level
    `{"field", "message", "code"}` objects. `body` is the answer's `error` object (None
    without one). Like the message and every other field, it is filled with the API key
    and any `Bearer` token replaced by `***`, so a service or proxy echoing them cannot
    expose them through the exception.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        type: str | None = None,
        code: str | None = None,
        param: str | None = None,
        hint: str | None = None,
        did_you_mean: str | None = None,
        suggestions: tuple[str, ...] = (),
        retry_after: float | None = None,
        retryable: bool | None = None,
        alternatives: tuple[dict[str, Any], ...] = (),
        upstream: Any = None,
        validation_errors: tuple[dict[str, Any], ...] = (),
        request_id: str | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.type = type
        self.code = code
        self.param = param
        self.hint = hint
        self.did_you_mean = did_you_mean
        self.suggestions = suggestions
        self.retry_after = retry_after
        self.retryable = retryable
        self.alternatives = alternatives
        self.upstream = upstream
        self.validation_errors = validation_errors
        self.request_id = request_id
        self.body = body

    def __str__(self) -> str:
        text = f"{self.status_code}"
        if self.code:
            text += f" {self.code}"
        text += f": {self.message}"
        if self.did_you_mean:
            text += f" (did you mean {self.did_you_mean!r}?)"
        if self.hint:
            text += f" Hint: {self.hint}"
        return text


class BadRequestError(APIError):
    """400: the service rejected the request's parameters."""


class AuthenticationError(APIError):
    """401: the API key is missing, invalid or expired."""


class InsufficientBalanceError(APIError):
    """402: the balance is too low for this request."""


class PermissionDeniedError(APIError):
    """403: the key may not do this (model not allowed, not your task)."""


class NotFoundError(APIError):
    """404: the model or task does not exist (or the task expired)."""


class ConflictError(APIError):
    """409: the task's state forbids this (for example, cancelling a running task)."""


class PayloadTooLargeError(APIError):
    """413: the request body is too large."""


class RateLimitError(APIError):
    """429: too many requests; `retry_after` says how long to wait."""


class ServerError(APIError):
    """5xx or a non-standard status: the service or its upstream provider failed."""


class UnexpectedResponseError(APIError):
    """A success status whose body is not the JSON the spec describes."""


class APIConnectionError(LemonDataError):
    """No usable answer: the connection was refused, reset or dropped."""


class APITimeoutError(APIConnectionError):
    """The request timed out."""


class BudgetUnavailableError(APIConnectionError):
    """The Redis server that keeps a shared request budget cannot be reached; the request was not sent."""


class TaskMayExistError(LemonDataError):
    """A create request was sent and then failed (dropped, timed out, 5xx): a task may exist.

    The SDK does not resend it, to avoid a second paid task. `fingerprint` is a
    hash of the request body, to match it against the tasks of the account; the
    underlying error is the exception's `__cause__`.
    """

    def __init__(self, message: str, *, fingerprint: str) -> None:
        super().__init__(message)
        self.fingerprint = fingerprint


class RequestValidationError(LemonDataError, ValueError):
    """The request is invalid; it was rejected before anything was sent."""

    def __init__(self, message: str, *, param: str | None = None) -> None:
        super().__init__(message)
        self.param = param


class UnknownModelError(RequestValidationError):
    """The model is not in the capability matrix (opt in with `allow_unknown_model=True`)."""

    def __init__(self, message: str, *, model: str, did_you_mean: str | None) -> None:
        super().__init__(message, param="model")
        self.model = model
        self.did_you_mean = did_you_mean


class CapabilityError(RequestValidationError):
    """The model cannot do the requested (or inferred) operation."""


class InvalidFieldError(RequestValidationError):
    """A field is out of range or has the wrong shape."""


class DownloadError(LemonDataError):
    """The result could not be downloaded or saved; no partial file is left behind."""


class DownloadExistsError(DownloadError, FileExistsError):
    """The target file exists and `overwrite=True` was not given."""


# Defined after LemonDataError, which they extend; in a module of their own for this one's size.
from ._task_errors import (  # noqa: E402
    TaskCallbackError,
    TaskCancelledError,
    TaskError,
    TaskExpiredError,
    TaskFailedError,
    WaitTimeoutError,
    ended_error,
)

# The names above, re-exported (the classes defined here are exported anyway).
__all__ = [
    "TaskCallbackError",
    "TaskCancelledError",
    "TaskError",
    "TaskExpiredError",
    "TaskFailedError",
    "WaitTimeoutError",
    "ended_error",
]
