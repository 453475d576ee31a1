"""The SDK names the reliability tests use, from the public surface, imported in one place."""

from __future__ import annotations

from lemondata_video import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    DownloadError,
    DownloadExistsError,
    InvalidFieldError,
    LemonDataError,
    NotFoundError,
    RateLimitError,
    RequestValidationError,
    ServerError,
    Task,
    TaskCancelledError,
    TaskFailedError,
    TaskMayExistError,
    TaskStatus,
    UnexpectedResponseError,
    VideoClient,
)

__all__ = [
    "APIConnectionError",
    "APIError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "DownloadError",
    "DownloadExistsError",
    "InvalidFieldError",
    "LemonDataError",
    "NotFoundError",
    "RateLimitError",
    "RequestValidationError",
    "ServerError",
    "Task",
    "TaskCancelledError",
    "TaskFailedError",
    "TaskMayExistError",
    "TaskStatus",
    "UnexpectedResponseError",
    "VideoClient",
]
