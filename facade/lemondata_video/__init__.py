"""lemondata_video: the Python SDK for the LemonData video generation API.

The clients and the capability matrix load on first access (PEP 562 `__getattr__`), so
`import lemondata_video` stays cheap, and a program that uses only `VideoClient` never
imports asyncio for `AsyncVideoClient`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._constants import VERSION
from ._exceptions import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BudgetUnavailableError,
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
    TaskCallbackError,
    TaskCancelledError,
    TaskError,
    TaskExpiredError,
    TaskFailedError,
    TaskMayExistError,
    UnexpectedResponseError,
    UnknownModelError,
    WaitTimeoutError,
)
from ._task import Task, TaskStatus, Video

if TYPE_CHECKING:
    from ._async_client import AsyncVideoClient
    from ._capabilities import ModelInfo
    from ._client import VideoClient
    from ._generate_many import GenerateResult
    from ._priors import DurationPrior, DurationPriors
    from ._rate_feedback import RateSignal
    from ._ratelimit import Budget, RequestBudget
    from ._redis_budget import RedisBudget

__version__ = VERSION
_LAZY = {
    "AsyncVideoClient": "._async_client",
    "Budget": "._ratelimit",
    "GenerateResult": "._generate_many",
    "DurationPrior": "._priors",
    "DurationPriors": "._priors",
    "ModelInfo": "._capabilities",
    "RateSignal": "._rate_feedback",
    "RedisBudget": "._redis_budget",
    "RequestBudget": "._ratelimit",
    "VideoClient": "._client",
}

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncVideoClient",
    "AuthenticationError",
    "BadRequestError",
    "Budget",
    "BudgetUnavailableError",
    "CapabilityError",
    "ConflictError",
    "DownloadError",
    "DownloadExistsError",
    "DurationPrior",
    "DurationPriors",
    "GenerateResult",
    "InsufficientBalanceError",
    "InvalidFieldError",
    "LemonDataError",
    "ModelInfo",
    "NotFoundError",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "RateLimitError",
    "RateSignal",
    "RedisBudget",
    "RequestBudget",
    "RequestValidationError",
    "ServerError",
    "Task",
    "TaskCallbackError",
    "TaskCancelledError",
    "TaskError",
    "TaskExpiredError",
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


def __getattr__(name: str) -> Any:
    """Load a lazily exported name on first access and keep it."""
    module = _LAZY.get(name)
    if module is None:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
