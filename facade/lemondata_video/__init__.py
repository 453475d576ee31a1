"""lemondata_video: the Python SDK for the LemonData video generation API."""

from __future__ import annotations

from ._async_client import AsyncVideoClient
from ._capabilities import ModelInfo
from ._client import VideoClient
from ._config import VERSION
from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CapabilityError,
    ConflictError,
    DownloadError,
    DownloadExistsError,
    InsufficientBalanceError,
    InvalidFieldError,
    LemonDataError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    ServerError,
    TaskCancelledError,
    TaskError,
    TaskFailedError,
    TaskMayExistError,
    UnexpectedResponseError,
    UnknownModelError,
    WaitTimeoutError,
)
from ._task import Task, TaskStatus, Video

__version__ = VERSION

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncVideoClient",
    "AuthenticationError",
    "BadRequestError",
    "CapabilityError",
    "ConflictError",
    "DownloadError",
    "DownloadExistsError",
    "InsufficientBalanceError",
    "InvalidFieldError",
    "LemonDataError",
    "ModelInfo",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "ServerError",
    "Task",
    "TaskCancelledError",
    "TaskError",
    "TaskFailedError",
    "TaskMayExistError",
    "TaskStatus",
    "UnexpectedResponseError",
    "UnknownModelError",
    "Video",
    "VideoClient",
    "WaitTimeoutError",
    "__version__",
]
