"""The API's error envelope, its message strings as named constants, and the exception that carries one.

Types and codes are only those LemonData documents (the table in the spec's error responses);
a key the docs leave out of an answer is left out here too, never sent as null.
"""

from __future__ import annotations

from typing import Any, Final

from starlette.responses import JSONResponse

# Documented error types (`error.type`).
INVALID_REQUEST: Final = "invalid_request_error"
INVALID_API_KEY: Final = "invalid_api_key"
ACCESS_DENIED: Final = "access_denied"
RATE_LIMIT_EXCEEDED: Final = "rate_limit_exceeded"
SERVER_ERROR: Final = "server_error"
UPSTREAM_ERROR: Final = "upstream_error"
TIMEOUT_ERROR: Final = "timeout_error"

# Documented error codes (`error.code`).
CODE_INVALID_API_KEY: Final = "invalid_api_key"
CODE_ACCESS_DENIED: Final = "access_denied"
CODE_MODEL_NOT_FOUND: Final = "model_not_found"
CODE_TASK_NOT_FOUND: Final = "async_task_not_found"
CODE_CANCEL_UNSUPPORTED: Final = "unsupported_task_cancel"
CODE_NOT_CANCELLABLE: Final = "task_not_cancellable"
CODE_PAYLOAD_TOO_LARGE: Final = "payload_too_large"
CODE_RATE_LIMIT_EXCEEDED: Final = "rate_limit_exceeded"
CODE_ALL_CHANNELS_FAILED: Final = "all_channels_failed"

MSG_INVALID_API_KEY = "Invalid API key provided."
MSG_MISSING_API_KEY = "Missing API key; send 'Authorization: Bearer sk-...'."
MSG_INVALID_JSON = "The request body is not valid JSON: {detail}."
MSG_BODY_NOT_OBJECT = "The request body must be a JSON object."
MSG_PAYLOAD_TOO_LARGE = "Request body exceeds the size limit of {limit} bytes."
MSG_EMPTY_FIELD = "'{param}' must not be empty."
MSG_WRONG_TYPE = "'{param}' must be {expected}, got {actual}."
MSG_OUT_OF_RANGE = "'{param}' must be between {low} and {high}, got {value}."
MSG_BELOW_MINIMUM = "'{param}' must be at least {low}, got {value}."
MSG_NOT_DATA_URL = "'image' must be a data URL (data:image/...;base64,...); use 'image_url' for links."
MSG_NOT_URI = "'{param}' must be an absolute URL, got {value!r}."
MSG_TOO_MANY_ITEMS = "'{param}' takes at most {limit} items, got {count}."
MSG_ALIAS_TWICE = "Pass either '{param}' or its alias '{alias}', not both."
MSG_EXCLUSIVE = "Pass only one of '{fields}'."
MSG_BAD_ENUM = "'{param}' must be one of {allowed}, got {value!r}."
MSG_MODEL_NOT_FOUND = "Model '{model}' not found"
HINT_MODEL_NOT_FOUND = "Use GET /v1/models to list all available models."
HINT_DID_YOU_MEAN = "Did you mean '{model}'? " + HINT_MODEL_NOT_FOUND
MSG_UNSUPPORTED_OPERATION = (
    "Model '{model}' cannot do {operation}; it does {supported}. Models that do {operation}: {others}."
)
MSG_MISSING_INPUT = "Operation {operation} needs '{param}'."
MSG_UNSUPPORTED_DURATION = "Model '{model}' makes clips of {allowed} seconds only, got {value}."
MSG_TASK_NOT_FOUND = "Task not found or no longer available."
MSG_ACCESS_DENIED = "Access to resource denied."
MSG_CANCEL_UNSUPPORTED = (
    "Cancellation is only supported for queued Seedance tasks; tasks of model '{model}' cannot be cancelled."
)
MSG_NOT_CANCELLABLE = "Task is already {status} and can no longer be cancelled."
MSG_CANCELLED_REASON = "Task cancelled by user."
MSG_TASK_FAILED = "The provider failed to generate the video (emulated failure)."
MSG_RATE_LIMITED = "Rate limit exceeded. Please retry after {seconds} seconds."
MSG_INTERNAL = "Internal server error."
MSG_UPSTREAM = "The upstream provider returned an error."
MSG_UPSTREAM_DETAIL = "Internal error"
MSG_CHANNELS_FAILED = "All channels failed for this request; retry later."
MSG_NO_CHANNEL = "All channels failed: no channel is available for this model."
MSG_TIMEOUT = "Request timed out."
MSG_ROUTE_NOT_FOUND = "No route for {method} {path}."
MSG_FILE_NOT_FOUND = "File '{name}' not found."
MSG_RANGE_NOT_SATISFIABLE = "Range {range!r} cannot be satisfied for {size} bytes."
MSG_LINK_EXPIRED = "Request has expired (the link was valid until {expires})."
MSG_LINK_SIGNATURE = "The request signature does not match; use the link the task answer gives."

BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


class ApiError(Exception):
    """An error answer in the API's envelope; raised by handlers, rendered by the app.

    ``type_``, ``code`` and ``param`` are sent only when given; so are the hints in ``extra``.
    ``validation_errors`` (``[{field, message}]``) goes beside ``error``, as on the service's 400s.
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type_: str | None = INVALID_REQUEST,
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
        validation_errors: list[dict[str, str]] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_
        self.code = code
        self.param = param
        self.headers = headers or {}
        self.validation_errors = validation_errors
        self.extra = extra

    def body(self) -> dict[str, Any]:
        """The JSON envelope: ``message`` always, every other key only when it has a value."""
        error: dict[str, Any] = {"message": self.message}
        fields = {"type": self.type, "code": self.code, "param": self.param, **self.extra}
        error.update({key: value for key, value in fields.items() if value is not None})
        body: dict[str, Any] = {"error": error}
        if self.validation_errors:
            body["validation_errors"] = self.validation_errors
        return body

    def response(self, headers: dict[str, str] | None = None) -> JSONResponse:
        """The error as a JSON response, with ``headers`` added to its own."""
        return JSONResponse(self.body(), status_code=self.status, headers={**self.headers, **(headers or {})})


def invalid(message: str, *, param: str | None) -> ApiError:
    """A 400 ``invalid_request_error`` (no code, as documented); about ``param`` when given.

    A field error names the field in ``param`` and once more in ``validation_errors``.
    """
    if param is None:
        return ApiError(400, message)
    issues = [{"field": param, "message": message}]
    return ApiError(400, message, param=param, validation_errors=issues)
