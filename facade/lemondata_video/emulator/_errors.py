"""The API's error envelope, its message strings as named constants, and the exception that carries one."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

INVALID_REQUEST = "invalid_request_error"
AUTHENTICATION_ERROR = "authentication_error"
PERMISSION_ERROR = "permission_error"
RATE_LIMIT_ERROR = "rate_limit_error"
SERVER_ERROR = "server_error"
UPSTREAM_ERROR = "upstream_error"

MSG_INVALID_API_KEY = "Invalid API key provided."
MSG_MISSING_API_KEY = "Missing API key; send 'Authorization: Bearer sk-...'."
MSG_INVALID_JSON = "The request body is not valid JSON: {detail}."
MSG_BODY_NOT_OBJECT = "The request body must be a JSON object."
MSG_PAYLOAD_TOO_LARGE = "Request body exceeds the size limit of {limit} bytes."
MSG_MISSING_FIELD = "'{param}' is required."
MSG_EMPTY_FIELD = "'{param}' must not be empty."
MSG_WRONG_TYPE = "'{param}' must be {expected}, got {actual}."
MSG_OUT_OF_RANGE = "'{param}' must be between {low} and {high}, got {value}."
MSG_BELOW_MINIMUM = "'{param}' must be at least {low}, got {value}."
MSG_NOT_DATA_URL = "'image' must be a data URL (data:image/...;base64,...); use 'image_url' for links."
MSG_NOT_URI = "'{param}' must be an absolute URL, got {value!r}."
MSG_TOO_MANY_ITEMS = "'{param}' takes at most {limit} items, got {count}."
MSG_ALIAS_TWICE = "Pass either '{param}' or its alias '{alias}', not both."
MSG_BAD_ENUM = "'{param}' must be one of {allowed}, got {value!r}."
MSG_MODEL_NOT_FOUND = "Model '{model}' not found."
MSG_UNSUPPORTED_OPERATION = (
    "Model '{model}' cannot do {operation}; it does {supported}. Models that do {operation}: {others}."
)
MSG_MISSING_INPUT = "Operation {operation} needs '{param}'."
MSG_UNSUPPORTED_DURATION = "Model '{model}' makes clips of {allowed} seconds only, got {value}."
MSG_TASK_NOT_FOUND = "Task '{task_id}' not found."
MSG_TASK_FORBIDDEN = "Task '{task_id}' belongs to another API key."
MSG_CANCEL_UNSUPPORTED = "Tasks of model '{model}' cannot be cancelled."
MSG_NOT_CANCELLABLE = "Task '{task_id}' is already {status} and cannot be cancelled."
MSG_CANCELLED_REASON = "Task cancelled by user before it started."
MSG_TASK_FAILED = "The provider failed to generate the video (emulated failure)."
MSG_RATE_LIMITED = "Rate limit exceeded; retry in {seconds} seconds."
MSG_INTERNAL = "Internal server error."
MSG_UNAVAILABLE = "Service temporarily unavailable."
MSG_ROUTE_NOT_FOUND = "No route for {method} {path}."
MSG_METHOD_NOT_ALLOWED = "Method {method} is not allowed on {path}."
MSG_FILE_NOT_FOUND = "File '{name}' not found."
MSG_RANGE_NOT_SATISFIABLE = "Range {range!r} cannot be satisfied for {size} bytes."

BAD_GATEWAY_HTML = (
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


class ApiError(Exception):
    """An error answer in the API's envelope; raised by handlers, rendered by the app."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type_: str = INVALID_REQUEST,
        code: str | None = None,
        param: str | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type_
        self.code = code
        self.param = param
        self.headers = headers or {}
        self.extra = extra

    def body(self) -> dict[str, Any]:
        """The JSON envelope: message, type, code and param always, hints when set."""
        error: dict[str, Any] = {
            "message": self.message,
            "type": self.type,
            "code": self.code,
            "param": self.param,
        }
        error.update({key: value for key, value in self.extra.items() if value is not None})
        return {"error": error}

    def response(self, headers: dict[str, str] | None = None) -> JSONResponse:
        """The error as a JSON response, with ``headers`` added to its own."""
        return JSONResponse(self.body(), status_code=self.status, headers={**self.headers, **(headers or {})})


def invalid(message: str, *, param: str | None, code: str = "invalid_parameter") -> ApiError:
    """A 400 ``invalid_request_error`` about one request field."""
    return ApiError(400, message, code=code, param=param)
