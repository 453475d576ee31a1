"""The API app: routes of the spec, with auth, rate limits and faults applied in the service's order.

Tasks, models and prices have stateful handlers here; any other operation of the spec answers its
documented example (`_operations`). `build_api_app` is longer than 40 lines: its handlers are
closures over the shared context, each a few lines, read as the table of the routes below them.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any, Final

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from . import _errors as e
from ._clip import picture_fields
from ._context import Context, DropConnection, enter, json_response, rate_limited
from ._faults import DROP_AFTER_CREATE, MALFORMED_JSON
from ._operations import documented_routes
from ._pricing import model_pricing, pricing_list
from ._render import cancelled_payload, created_payload, frame_size, legacy_payload, task_payload
from ._state import PENDING, Task
from ._validation import validate_create

BEARER: Final = "bearer"
Handler = Callable[[Request, str], Awaitable[Any]]


def _authenticate(request: Request, keys: frozenset[str]) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != BEARER or not token.strip():
        raise e.ApiError(401, e.MSG_MISSING_API_KEY, type_=e.INVALID_API_KEY, code=e.CODE_INVALID_API_KEY)
    if token.strip() not in keys:
        raise e.ApiError(401, e.MSG_INVALID_API_KEY, type_=e.INVALID_API_KEY, code=e.CODE_INVALID_API_KEY)
    return token.strip()


async def _read_json(request: Request, limit: int) -> object:
    too_large = e.ApiError(413, e.MSG_PAYLOAD_TOO_LARGE.format(limit=limit), code=e.CODE_PAYLOAD_TOO_LARGE)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    try:
        return json.loads(bytes(body))
    except (ValueError, RecursionError) as exc:
        raise e.invalid(e.MSG_INVALID_JSON.format(detail=exc), param=None) from exc


def endpoint(ctx: Context, route: str, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Wrap a handler in the prologue every API route shares: faults, auth, rate limit, envelope."""

    async def run(request: Request) -> Response:
        fault = await enter(request, ctx, route)
        if isinstance(fault, Response):
            return fault
        headers = ctx.limiter.peek().headers()
        try:
            key = _authenticate(request, ctx.api_keys)
            verdict = ctx.limiter.hit(key)
            headers = verdict.headers()
            if not verdict.allowed:
                raise rate_limited(verdict.retry_after)
            body = await handler(request, key)
        except e.ApiError as error:
            return error.response(headers)
        if fault == DROP_AFTER_CREATE:
            return DropConnection(ctx)
        return json_response(body, headers, malformed=fault == MALFORMED_JSON)

    return run


def build_api_app(ctx: Context) -> Starlette:
    """The API ASGI app over the emulator's shared context."""

    def owned_task(request: Request, key: str, *, forbid: bool = False) -> Task:
        task = ctx.store.get(request.path_params["task_id"])
        if task is not None and task.owner != key and forbid:
            raise e.ApiError(403, e.MSG_ACCESS_DENIED, type_=e.ACCESS_DENIED, code=e.CODE_ACCESS_DENIED)
        if task is None or task.owner != key:
            raise e.ApiError(404, e.MSG_TASK_NOT_FOUND, code=e.CODE_TASK_NOT_FOUND)
        return task

    async def create(request: Request, key: str) -> Any:
        body = await _read_json(request, ctx.max_body_bytes)
        spec = validate_create(body, ctx.catalog)
        size = frame_size(spec.resolution, spec.aspect_ratio)
        prompt, fps = picture_fields(body)
        task = ctx.store.create(
            owner=key, model=spec.model, operation=spec.operation, duration=spec.duration, size=size,
            prompt=prompt, fps=fps,
        )  # fmt: skip
        ctx.stats.tasks_created += 1
        return created_payload(task, ctx.poll_url_for(task.id))

    async def get_task(request: Request, key: str) -> Any:
        task = owned_task(request, key)
        now, poll_url, file_url = ctx.clock.now(), ctx.poll_url_for(task.id), ctx.file_url_for(task.id)
        return task_payload(task, now=now, poll_url=poll_url, file_url=file_url)

    async def get_legacy(request: Request, key: str) -> Any:
        task = owned_task(request, key)
        return legacy_payload(task, now=ctx.clock.now(), file_url=ctx.file_url_for(task.id))

    async def cancel(request: Request, key: str) -> Any:
        task = owned_task(request, key, forbid=True)
        if not ctx.catalog.find(task.model)["cancellable"]:
            message = e.MSG_CANCEL_UNSUPPORTED.format(model=task.model)
            raise e.ApiError(400, message, code=e.CODE_CANCEL_UNSUPPORTED)
        status = task.status_at(ctx.clock.now())
        if status != PENDING or task.cancelled_at is not None:
            shown = "cancelled" if task.cancelled_at is not None else status
            raise e.ApiError(
                409, e.MSG_NOT_CANCELLABLE.format(status=shown), type_=None, code=e.CODE_NOT_CANCELLABLE
            )
        ctx.store.cancel(task)
        return cancelled_payload(task, ctx.poll_url_for(task.id))

    async def list_models(request: Request, key: str) -> Any:
        return ctx.catalog.listing(request.query_params)

    async def get_model(request: Request, key: str) -> Any:
        return ctx.catalog.detail(ctx.catalog.find(request.path_params["model"], status=404))

    async def get_pricing(request: Request, key: str) -> Any:
        return model_pricing(ctx.catalog.find(request.path_params["model"], status=404))

    async def list_pricing(request: Request, key: str) -> Any:
        return pricing_list(request.query_params, ctx.catalog.entries)

    handlers: list[tuple[str, str, Handler]] = [
        ("POST", "/v1/videos/generations", create),
        ("GET", "/v1/videos/generations/{task_id}", get_legacy),
        ("GET", "/v1/tasks/{task_id}", get_task),
        ("DELETE", "/v1/tasks/{task_id}", cancel),
        ("GET", "/v1/models", list_models),
        ("GET", "/v1/models/{model}", get_model),
        ("GET", "/v1/models/{model}/pricing", get_pricing),
        ("GET", "/v1/pricing", list_pricing),
    ]
    routes = [
        Route(path, endpoint(ctx, f"{method} {path}", handler), methods=[method])
        for method, path, handler in handlers
    ]
    served = {f"{method} {route.path}" for route in routes for method in route.methods or ()}
    routes += documented_routes(served, lambda name, handler: endpoint(ctx, name, handler))
    app = Starlette(routes=routes, exception_handlers=ctx.exception_handlers())
    app.router.redirect_slashes = False
    return app
