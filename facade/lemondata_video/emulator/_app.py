"""The API app: routes of the spec, with auth, rate limits and faults applied in the service's order.

Tasks and models have stateful handlers here; every other operation of the spec answers its
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
from ._catalog import BY_ID, find_model, list_payload, model_payload
from ._context import Context, DropConnection, enter, json_response
from ._faults import DROP_AFTER_CREATE, MALFORMED_JSON
from ._operations import documented_routes
from ._render import created_payload, frame_size, legacy_payload, task_payload
from ._state import PENDING, Task
from ._validation import validate_create

BEARER: Final = "bearer"
Handler = Callable[[Request, str], Awaitable[Any]]


def _authenticate(request: Request, keys: frozenset[str]) -> str:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != BEARER or not token.strip():
        raise e.ApiError(401, e.MSG_MISSING_API_KEY, type_=e.AUTHENTICATION_ERROR, code="invalid_api_key")
    if token.strip() not in keys:
        raise e.ApiError(401, e.MSG_INVALID_API_KEY, type_=e.AUTHENTICATION_ERROR, code="invalid_api_key")
    return token.strip()


async def _read_json(request: Request, limit: int) -> object:
    too_large = e.ApiError(413, e.MSG_PAYLOAD_TOO_LARGE.format(limit=limit), code="payload_too_large")
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
        raise e.invalid(e.MSG_INVALID_JSON.format(detail=exc), param=None, code="invalid_json") from exc


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
                message = e.MSG_RATE_LIMITED.format(seconds=verdict.retry_after)
                raise e.ApiError(
                    429,
                    message,
                    type_=e.RATE_LIMIT_ERROR,
                    code="rate_limit_exceeded",
                    retryable=True,
                    retry_after=verdict.retry_after,
                )
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
        task_id = request.path_params["task_id"]
        task = ctx.store.get(task_id)
        if task is not None and task.owner != key and forbid:
            raise e.ApiError(
                403,
                e.MSG_TASK_FORBIDDEN.format(task_id=task_id),
                type_=e.PERMISSION_ERROR,
                code="access_denied",
                param="task_id",
            )
        if task is None or task.owner != key:
            message = e.MSG_TASK_NOT_FOUND.format(task_id=task_id)
            raise e.ApiError(404, message, code="async_task_not_found", param="task_id")
        return task

    def show(task: Task) -> dict[str, Any]:
        now = ctx.clock.now()
        return task_payload(
            task, now=now, poll_url=ctx.poll_url_for(task.id), file_url=ctx.file_url_for(task.id)
        )

    async def create(request: Request, key: str) -> Any:
        spec = validate_create(await _read_json(request, ctx.max_body_bytes))
        size = frame_size(spec.resolution, spec.aspect_ratio)
        task = ctx.store.create(
            owner=key, model=spec.model, operation=spec.operation, duration=spec.duration, size=size
        )
        ctx.stats.tasks_created += 1
        return created_payload(task, ctx.poll_url_for(task.id))

    async def get_task(request: Request, key: str) -> Any:
        return show(owned_task(request, key))

    async def get_legacy(request: Request, key: str) -> Any:
        task = owned_task(request, key)
        now = ctx.clock.now()
        return legacy_payload(
            task, now=now, poll_url=ctx.poll_url_for(task.id), file_url=ctx.file_url_for(task.id)
        )

    async def cancel(request: Request, key: str) -> Any:
        task = owned_task(request, key, forbid=True)
        if not BY_ID[task.model]["cancellable"]:
            raise e.ApiError(
                400, e.MSG_CANCEL_UNSUPPORTED.format(model=task.model), code="unsupported_task_cancel"
            )
        status = task.status_at(ctx.clock.now())
        if status != PENDING or task.cancelled_at is not None:
            shown = "cancelled" if task.cancelled_at is not None else status
            message = e.MSG_NOT_CANCELLABLE.format(task_id=task.id, status=shown)
            raise e.ApiError(409, message, code="task_not_cancellable", param="task_id")
        ctx.store.cancel(task)
        return show(task)

    async def list_models(request: Request, key: str) -> Any:
        params = request.query_params
        return list_payload(params.get("category"), params.get("recommended_for"))

    async def get_model(request: Request, key: str) -> Any:
        return model_payload(find_model(request.path_params["model"], status=404))

    routes = [
        Route(
            "/v1/videos/generations", endpoint(ctx, "POST /v1/videos/generations", create), methods=["POST"]
        ),
        Route(
            "/v1/videos/generations/{task_id}",
            endpoint(ctx, "GET /v1/videos/generations/{task_id}", get_legacy),
            methods=["GET"],
        ),
        Route("/v1/tasks/{task_id}", endpoint(ctx, "GET /v1/tasks/{task_id}", get_task), methods=["GET"]),
        Route("/v1/tasks/{task_id}", endpoint(ctx, "DELETE /v1/tasks/{task_id}", cancel), methods=["DELETE"]),
        Route("/v1/models", endpoint(ctx, "GET /v1/models", list_models), methods=["GET"]),
        Route("/v1/models/{model}", endpoint(ctx, "GET /v1/models/{model}", get_model), methods=["GET"]),
    ]
    served = {f"{method} {route.path}" for route in routes for method in route.methods or ()}
    routes += documented_routes(served, lambda name, handler: endpoint(ctx, name, handler))
    app = Starlette(routes=routes, exception_handlers=ctx.exception_handlers())
    app.router.redirect_slashes = False
    return app
