"""The SDK names the reliability tests use, imported in one place."""

from __future__ import annotations

from lemondata_video._client import VideoClient
from lemondata_video._exceptions import (
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
    TaskCancelledError,
    TaskFailedError,
    TaskMayExistError,
    UnexpectedResponseError,
)
from lemondata_video._task import Task, TaskStatus

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
