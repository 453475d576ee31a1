"""State shared by the API and the file host, and the per-request prologue: count, delay, inject faults."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from . import _errors as e
from ._catalog import SNAPSHOT, Catalog
from ._clock import Clock
from ._faults import (
    BAD_GATEWAY,
    DROP_BEFORE,
    ERROR_KINDS,
    NO_CHANNEL,
    RATE_LIMIT_STORM,
    TIMEOUT,
    UNAVAILABLE,
    UPSTREAM_ERROR,
    FaultInjector,
)
from ._links import LinkSigner
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
    catalog: Catalog = SNAPSHOT
    videos: VideoLibrary | None = None  # None: every task's file is the sample clip
    links: LinkSigner = field(default_factory=LinkSigner)  # signed, expiring links with a ttl

    def poll_url_for(self, task_id: str) -> str:
        """The ``poll_url`` of a task: relative, absolute on this origin, or on the configured origin."""
        path = f"/v1/tasks/{task_id}"
        if self.poll_url == RELATIVE:
            return path
        origin = self.api_url if self.poll_url == ABSOLUTE else self.poll_url.rstrip("/")
        return origin + path

    def file_url_for(self, task_id: str) -> str:
        """Where the result of a task can be downloaded: signed afresh on every call when links expire."""
        name = f"{task_id}.mp4"
        return self.links.sign(f"{self.file_host_url}/files/{name}", name, self.clock.now())

    def exception_handlers(self) -> Mapping[Any, Any]:
        """Starlette handlers that answer an unknown route or method with a 404 in the API's envelope.

        The docs name no code for it, so there is none; 405 is not among the documented statuses.
        """

        async def http_error(request: Request, exc: Exception) -> Response:
            assert isinstance(exc, HTTPException)
            self.stats.requests[f"{request.method} <unmatched>"] += 1
            message = e.MSG_ROUTE_NOT_FOUND.format(method=request.method, path=request.url.path)
            return e.ApiError(404, message).response()

        return {HTTPException: http_error}


class DropConnection(Response):
    """Not an answer: the connection is reset and the client reads nothing."""

    def __init__(self, ctx: Context) -> None:
        super().__init__()
        self.ctx = ctx

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.ctx.connections.drop(scope, receive)


def fault_error(kind: str, retry_after: int) -> e.ApiError:
    """The documented error answer an injected fault of ``kind`` sends (not ``bad_gateway``)."""
    if kind == UPSTREAM_ERROR:
        upstream = {"status": 500, "message": e.MSG_UPSTREAM_DETAIL}
        return e.ApiError(502, e.MSG_UPSTREAM, type_=e.UPSTREAM_ERROR, retryable=True, upstream=upstream)
    if kind == UNAVAILABLE:
        return e.ApiError(
            503, e.MSG_CHANNELS_FAILED, type_=e.SERVER_ERROR, code=e.CODE_ALL_CHANNELS_FAILED,
            retryable=True, retry_after=retry_after, headers={"Retry-After": str(retry_after)},
        )  # fmt: skip
    if kind == NO_CHANNEL:
        return e.ApiError(
            503, e.MSG_NO_CHANNEL, type_=e.SERVER_ERROR, code=e.CODE_ALL_CHANNELS_FAILED, retryable=False
        )
    if kind == TIMEOUT:
        return e.ApiError(504, e.MSG_TIMEOUT, type_=e.TIMEOUT_ERROR)
    if kind == RATE_LIMIT_STORM:
        return rate_limited(retry_after)
    return e.ApiError(500, e.MSG_INTERNAL, type_=e.SERVER_ERROR)


def rate_limited(seconds: int) -> e.ApiError:
    """The documented 429: ``rate_limit_exceeded``, retryable, with ``retry_after`` and ``Retry-After``."""
    return e.ApiError(
        429, e.MSG_RATE_LIMITED.format(seconds=seconds), type_=e.RATE_LIMIT_EXCEEDED,
        code=e.CODE_RATE_LIMIT_EXCEEDED, retryable=True, retry_after=seconds,
        headers={"Retry-After": str(seconds)},
    )  # fmt: skip


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
    if decision.kind == BAD_GATEWAY:
        return Response(e.BAD_GATEWAY_HTML, status_code=502, media_type="text/html")
    if decision.kind in ERROR_KINDS:
        return fault_error(decision.kind, decision.retry_after).response()
    if decision.kind == RATE_LIMIT_STORM:
        headers = {**ctx.limiter.peek().headers(), "X-RateLimit-Remaining": "0"}
        return fault_error(RATE_LIMIT_STORM, decision.retry_after).response(headers)
    return decision.kind


def json_response(body: Any, headers: Mapping[str, str], *, malformed: bool = False) -> Response:
    """A 200 JSON answer; ``malformed`` cuts it in half to emulate a broken body."""
    response = JSONResponse(body, headers=dict(headers))
    if malformed:
        cut = response.body[: max(1, len(response.body) // 2)]
        return Response(cut, headers=dict(headers), media_type="application/json")
    return response
