"""State shared by the API and the file host, and the per-request prologue: count, delay, inject faults."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from . import _errors as e
from ._clock import Clock
from ._faults import (
    BAD_GATEWAY,
    DROP_BEFORE,
    RATE_LIMIT_STORM,
    SERVER_ERROR,
    UNAVAILABLE,
    FaultInjector,
)
from ._ratelimit import RateLimiter
from ._state import TaskStore
from ._stats import Stats
from ._transport import ConnectionRegistry
from ._videos import VideoLibrary

DEFAULT_MAX_BODY_BYTES: Final = 10 * 1024 * 1024
RELATIVE: Final = "relative"
ABSOLUTE: Final = "absolute"


@dataclass
class Context:
    """Everything a request handler may read or change."""

    clock: Clock
    store: TaskStore
    stats: Stats
    faults: FaultInjector
    limiter: RateLimiter
    connections: ConnectionRegistry
    api_keys: frozenset[str]
    sample: bytes
    poll_url: str = RELATIVE
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    api_url: str = ""
    file_host_url: str = ""
    videos: VideoLibrary | None = None  # None: every task's file is the sample clip

    def poll_url_for(self, task_id: str) -> str:
        """The ``poll_url`` of a task: relative, absolute on this origin, or on the configured origin."""
        path = f"/v1/tasks/{task_id}"
        if self.poll_url == RELATIVE:
            return path
        origin = self.api_url if self.poll_url == ABSOLUTE else self.poll_url.rstrip("/")
        return origin + path

    def file_url_for(self, task_id: str) -> str:
        """Where the result of a task can be downloaded."""
        return f"{self.file_host_url}/files/{task_id}.mp4"

    def exception_handlers(self) -> Mapping[Any, Any]:
        """Starlette handlers that put routing errors (404, 405) in the API's envelope."""

        async def http_error(request: Request, exc: Exception) -> Response:
            assert isinstance(exc, HTTPException)
            self.stats.requests[f"{request.method} <unmatched>"] += 1
            template = e.MSG_METHOD_NOT_ALLOWED if exc.status_code == 405 else e.MSG_ROUTE_NOT_FOUND
            message = template.format(method=request.method, path=request.url.path)
            return e.ApiError(exc.status_code, message, code="not_found", param=None).response()

        return {HTTPException: http_error}


class DropConnection(Response):
    """Not an answer: the connection is reset and the client reads nothing."""

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.ctx.connections.drop(scope, receive)


def _fault_response(kind: str, retry_after: int) -> Response:
    if kind == BAD_GATEWAY:
        return Response(e.BAD_GATEWAY_HTML, status_code=502, media_type="text/html")
    if kind == UNAVAILABLE:
        error = e.ApiError(
            503, e.MSG_UNAVAILABLE, type_=e.SERVER_ERROR, code="service_unavailable",
            retryable=True, retry_after=retry_after,
        )  # fmt: skip
        return error.response({"Retry-After": str(retry_after)})
    error = e.ApiError(500, e.MSG_INTERNAL, type_=e.SERVER_ERROR, code="internal_error", retryable=True)
    return error.response()


async def enter(request: Request, ctx: Context, route: str) -> Response | str | None:
    """Count the request, then apply the faults that happen before it is handled.

    Returns the response to send instead of handling the request, or the kind of a fault that
    the handler applies itself (malformed JSON, drop after create, truncated download), or None.
    """
    ctx.stats.requests[route] += 1
    decision = ctx.faults.decide(route)
    if decision.delay:
        ctx.stats.faults["latency"] += 1
        await asyncio.sleep(decision.delay)
    if decision.kind is None:
        return None
    ctx.stats.faults[decision.kind] += 1
    if decision.kind == DROP_BEFORE:
        return DropConnection(ctx)
    if decision.kind in (SERVER_ERROR, BAD_GATEWAY, UNAVAILABLE):
        return _fault_response(decision.kind, decision.retry_after)
    if decision.kind == RATE_LIMIT_STORM:
        verdict = ctx.limiter.peek()
        seconds = decision.retry_after
        error = e.ApiError(
            429, e.MSG_RATE_LIMITED.format(seconds=seconds), type_=e.RATE_LIMIT_ERROR,
            code="rate_limit_exceeded", retryable=True, retry_after=seconds,
        )  # fmt: skip
        headers = {**verdict.headers(), "X-RateLimit-Remaining": "0", "Retry-After": str(seconds)}
        return error.response(headers)
    return decision.kind


def json_response(body: Any, headers: Mapping[str, str], *, malformed: bool = False) -> Response:
    """A 200 JSON answer; ``malformed`` cuts it in half to emulate a broken body."""
    response = JSONResponse(body, headers=dict(headers))
    if malformed:
        cut = response.body[: max(1, len(response.body) // 2)]
        return Response(cut, headers=dict(headers), media_type="application/json")
    return response
